/* The warehouse dashboard's bin-fill heat map (ECharts): one row per zone, one cell per bin in
   walking order, coloured by how full it is. The data comes from the page's json_script. */
(function () {
  "use strict";

  function draw() {
    var box = document.getElementById("bin-fill-chart");
    var source = document.getElementById("bin-fill-data");
    if (!box || !source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var labels = box.dataset;
    var chart = echarts.init(box);
    chart.setOption({
      animation: false,
      grid: { left: 60, right: 20, top: 10, bottom: 60 },
      tooltip: {
        formatter: function (p) {
          var cell = p.data;
          var full = cell[2] === "-" ? labels.labelNone : cell[2] + " %";
          return labels.labelBin + " " + cell[3] + "<br>" + labels.labelFill + ": " + cell[4] +
            "<br>" + labels.labelPercent + ": " + full;
        },
      },
      xAxis: { type: "category", data: data.columns, splitArea: { show: true } },
      yAxis: { type: "category", data: data.zones, splitArea: { show: true } },
      visualMap: {
        min: 0, max: 100, calculable: true, orient: "horizontal", left: "center", bottom: 0,
        inRange: { color: ["#e9f5ec", "#ffe08a", "#dc3545"] },
      },
      series: [{
        type: "heatmap",
        data: data.cells.map(function (c) { return [c[0], c[1], c[2] === null ? "-" : c[2], c[3], c[4]]; }),
        label: { show: true, formatter: function (p) { return p.data[3]; }, fontSize: 9 },
        emphasis: { itemStyle: { borderColor: "#000", borderWidth: 1 } },
      }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
