/* The calendar page's chart (ECharts): the hours each work center's shift pattern gives a week.
   The data comes from the page's json_script block. */
(function () {
  "use strict";

  function week() {
    var box = document.getElementById("week-chart");
    var source = document.getElementById("week-data");
    if (!box || !source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(box);
    chart.setOption({
      animation: false,
      grid: { left: 50, right: 20, top: 30, bottom: 30 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.centers },
      yAxis: { type: "value", name: box.dataset.labelHours },
      series: [{ type: "bar", name: box.dataset.labelHours, data: data.hours }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", week);
})();
