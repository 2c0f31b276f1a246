/* The planner dashboard's load chart (ECharts): per work center, planned hours per day as bars
   against the capacity as a line. The data comes from the page's json_script. */
(function () {
  "use strict";

  function draw() {
    var box = document.getElementById("load-chart");
    var source = document.getElementById("load-data");
    if (!box || !source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var labels = box.dataset;
    var series = [];
    data.work_centers.forEach(function (wc) {
      series.push({ name: wc.code + " · " + labels.labelLoad, type: "bar", data: wc.load });
      series.push({
        name: wc.code + " · " + labels.labelCapacity, type: "line", step: "middle",
        symbol: "none", lineStyle: { type: "dashed" }, data: wc.capacity,
      });
    });
    var chart = echarts.init(box);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.days.map(function (d) { return d.slice(5); }) },
      yAxis: { type: "value" },
      series: series,
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
