/* The schedule page's charts (ECharts): the Gantt — one lane per machine or order, a bar per
   operation, late ones red, started ones darker, firm planned orders' lighter, a line at now — and load vs capacity
   per work center per day. The data comes from the page's json_script blocks. */
(function () {
  "use strict";

  function gantt() {
    var box = document.getElementById("gantt-chart");
    var source = document.getElementById("gantt-data");
    if (!box || !source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var labels = box.dataset;
    var lanes = {};
    data.rows.forEach(function (row, index) { lanes[row] = index; });
    var items = data.bars.map(function (bar) {
      return {
        value: [lanes[bar.lane], Date.parse(bar.start), Date.parse(bar.end)],
        bar: bar,
        itemStyle: {
          color: bar.late ? "#dc3545" : (bar.frozen ? "#495057" : (bar.planned ? "#8ab4f8" : "#0d6efd")),
        },
      };
    });
    var chart = echarts.init(box);
    chart.setOption({
      animation: false,
      grid: { left: 110, right: 20, top: 10, bottom: 60 },
      dataZoom: [{ type: "slider", xAxisIndex: 0, bottom: 10 }, { type: "inside", xAxisIndex: 0 }],
      tooltip: {
        formatter: function (p) {
          var bar = p.data.bar;
          if (!bar) return "";
          return labels.labelOrder + " " + bar.order + " (" + bar.item + ")<br>" + bar.operation +
            "<br>" + labels.labelMachine + ": " + bar.machine + "<br>" +
            new Date(bar.start).toLocaleString() + " → " + new Date(bar.end).toLocaleString() +
            (bar.due ? "<br>" + labels.labelDue + ": " + new Date(bar.due).toLocaleDateString() : "") +
            (bar.late ? "<br><b>" + labels.labelLate + "</b>" : "") +
            (bar.frozen ? "<br>" + labels.labelFrozen : "") +
            (bar.planned ? "<br>" + labels.labelPlanned : "");
        },
      },
      xAxis: { type: "time" },
      yAxis: { type: "category", data: data.rows, inverse: true },
      series: [{
        type: "custom",
        renderItem: function (params, api) {
          var lane = api.value(0);
          var start = api.coord([api.value(1), lane]);
          var end = api.coord([api.value(2), lane]);
          var height = api.size([0, 1])[1] * 0.6;
          var shape = echarts.graphic.clipRectByRect(
            { x: start[0], y: start[1] - height / 2, width: Math.max(1, end[0] - start[0]), height: height },
            { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height }
          );
          return shape && { type: "rect", shape: shape, style: api.style() };
        },
        encode: { x: [1, 2], y: 0 },
        data: items,
        markLine: {
          symbol: "none",
          lineStyle: { color: "#198754", type: "dashed" },
          label: { formatter: labels.labelToday },
          data: [{ xAxis: Date.parse(data.now) }],
        },
      }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
    // What was drawn, for the page's tests: bars, late bars, and where the line at now is.
    box.dataset.bars = String(items.length);
    box.dataset.lateBars = String(data.bars.filter(function (bar) { return bar.late; }).length);
    box.dataset.nowLine = String(Date.parse(data.now));
  }

  function load() {
    var box = document.getElementById("load-chart");
    var source = document.getElementById("load-data");
    if (!box || !source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var labels = box.dataset;
    var series = [];
    data.centers.forEach(function (center) {
      series.push({ name: center.name, type: "bar", data: center.load });
      series.push({
        name: center.name + " · " + labels.labelCapacity, type: "line", step: "middle",
        data: center.capacity, lineStyle: { type: "dashed" }, symbol: "none",
      });
    });
    var chart = echarts.init(box);
    chart.setOption({
      animation: false,
      legend: { type: "scroll", top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.days },
      yAxis: { type: "value", name: labels.labelLoad },
      series: series,
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () { gantt(); load(); });
})();
