/* The sales dashboard's pipeline chart (ECharts): amount and weighted amount per stage, from
   the page's json_script. */
(function () {
  "use strict";

  function draw() {
    var box = document.getElementById("pipeline-chart");
    var source = document.getElementById("pipeline-data");
    if (!box || !source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(box);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: [data.labels.amount, data.labels.weighted] },
      grid: { left: 80, right: 20, top: 40, bottom: 40 },
      xAxis: { type: "category", data: data.stages },
      yAxis: { type: "value" },
      series: [
        { name: data.labels.amount, type: "bar", data: data.amount.map(Number) },
        { name: data.labels.weighted, type: "bar", data: data.weighted.map(Number) },
      ],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
