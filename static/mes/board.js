/* The shop-floor board's charts (ECharts): the OEE trend per day and the downtime Pareto by
   reason. The data comes from the page's json_script; the labels from data attributes. */
(function () {
  "use strict";

  function data(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  function trend() {
    var box = document.getElementById("oee-trend-chart");
    var d = data("oee-trend-data");
    if (!box || !d) return;
    var l = box.dataset;
    var chart = echarts.init(box);
    function line(name, values, width) {
      return { name: name, type: "line", data: values, connectNulls: false, lineStyle: { width: width } };
    }
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + " %"; } },
      legend: { bottom: 0 },
      grid: { left: 40, right: 20, top: 20, bottom: 50 },
      xAxis: { type: "category", data: d.days },
      yAxis: { type: "value", min: 0, axisLabel: { formatter: "{value} %" } },
      series: [
        line(l.labelOee, d.oee, 3),
        line(l.labelAvailability, d.availability, 1),
        line(l.labelPerformance, d.performance, 1),
        line(l.labelQuality, d.quality, 1),
      ],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function pareto() {
    var box = document.getElementById("downtime-pareto-chart");
    var d = data("downtime-pareto-data");
    if (!box || !d || !d.minutes.length) return;
    var l = box.dataset;
    var total = d.minutes.reduce(function (a, b) { return a + b; }, 0);
    var running = 0;
    var cumulative = d.minutes.map(function (m) { running += m; return Math.round(running / total * 1000) / 10; });
    var chart = echarts.init(box);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      grid: { left: 50, right: 50, top: 20, bottom: 60 },
      xAxis: { type: "category", data: d.reasons.map(function (r) { return r || l.labelNone; }), axisLabel: { interval: 0, rotate: 20 } },
      yAxis: [
        { type: "value", name: l.labelMinutes },
        { type: "value", name: l.labelCumulative, min: 0, max: 100, axisLabel: { formatter: "{value} %" } },
      ],
      series: [
        { name: l.labelMinutes, type: "bar", data: d.minutes, itemStyle: { color: "#dc3545" } },
        { name: l.labelCumulative, type: "line", yAxisIndex: 1, data: cumulative },
      ],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function draw() {
    if (typeof echarts === "undefined") return;
    trend();
    pareto();
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
