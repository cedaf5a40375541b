// Progressive enhancement only: draws a chart above each data table marked for it, with the
// vendored Apache ECharts (static/vendor/README.md). Without JavaScript, or without
// /static/echarts.min.js loaded before this file, the tables stay exactly as they are.
//
// Markup: <figure class="chart" data-chart="TYPE" data-title="图表说明"> … <table> … </figure>
//   The table may sit inside a <details> or other wrapper in the figure; the chart goes before
//   that wrapper. Header names come from the last <thead> row (or a first row of <th> cells).
//   Each <tbody> row: first cell = label, following cells = numbers ("1,234", "95.0%", "¥3.5";
//   "—" or empty = no value). A cell's data-value="1234.5" overrides its text. Rows with
//   data-chart-skip (a 合计 row, say) and rows without any number ("暂无数据") are left out, as
//   are columns without any number. Nothing to draw: nothing is drawn.
//   TYPE: line | bar       x = labels, one line/bar series per numeric column
//         hbar             horizontal bars, first row on top (top-N lists)
//         pareto           bars = 1st numeric column, line = 2nd numeric column as cumulative
//                          percentage 0–100 on a right axis (computed from the bars if absent)
//         pie              slices = rows, values from the 1st numeric column (> 0 only)
//         radar            rows = indicators, columns = series; data-max="5" = indicator maximum
//                          (raised to the largest value when one exceeds it; a missing value
//                          is drawn at the centre)
(function () {
  "use strict";

  var FONT = 'system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
  // Brand blue first, then colours that stay distinct for colour-blind readers.
  var COLORS = ["#0b4f8a", "#e69f00", "#1d7a46", "#b42318", "#56b4e9", "#8a5a00", "#6b4fa0", "#52606d"];
  var HEIGHT = "320px";
  var charts = [];

  function text(cell) {
    return (cell.textContent || "").replace(/\s+/g, " ").trim();
  }

  function raw(cell) {
    return cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : text(cell);
  }

  // "1,234" → 1234, "95.0%" → 95, "¥3.5" → 3.5, "−2" → -2; "—", "-" or "" → null.
  function number(cell) {
    if (!cell) return null;
    var s = raw(cell).replace(/[,，\s\u00a0\u2009\u202f]/g, "").replace(/\u2212/g, "-");
    var m = s.match(/-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/);
    if (!m) return null;
    var n = parseFloat(m[0]);
    return isFinite(n) ? n : null;
  }

  function headerRow(table) {
    var head = table.tHead;
    if (head && head.rows.length) return head.rows[head.rows.length - 1];
    var first = table.tBodies.length && table.tBodies[0].rows[0];
    if (!first) return null;
    for (var i = 0; i < first.cells.length; i++) {
      if (first.cells[i].tagName !== "TH") return null;
    }
    return first;
  }

  // → { labels: [..], series: [{ name, values: [number|null], percent: bool }] }
  function readTable(table) {
    var header = headerRow(table);
    var names = [];
    var rows = [];
    var width = 0;
    var i, j;
    if (header) {
      for (i = 0; i < header.cells.length; i++) names.push(text(header.cells[i]));
      width = names.length;
    }
    for (var b = 0; b < table.tBodies.length; b++) {
      var body = table.tBodies[b].rows;
      for (i = 0; i < body.length; i++) {
        var row = body[i];
        if (row === header || row.hasAttribute("data-chart-skip") || row.cells.length < 2) continue;
        rows.push(row);
        if (row.cells.length > width) width = row.cells.length;
      }
    }
    var labels = [];
    var columns = [];
    for (j = 1; j < width; j++) columns.push({ name: names[j] || "系列" + j, values: [], percent: true, any: false });
    for (i = 0; i < rows.length; i++) {
      var cells = rows[i].cells;
      var values = [];
      var some = false;
      for (j = 1; j < width; j++) {
        var v = number(cells[j]);
        values.push(v);
        if (v !== null) some = true;
      }
      if (!some) continue;
      labels.push(text(cells[0]));
      for (j = 1; j < width; j++) {
        var col = columns[j - 1];
        col.values.push(values[j - 1]);
        if (values[j - 1] !== null) {
          col.any = true;
          if (raw(cells[j]).indexOf("%") < 0) col.percent = false;
        }
      }
    }
    var series = [];
    for (j = 0; j < columns.length; j++) {
      if (columns[j].any) series.push({ name: columns[j].name, values: columns[j].values, percent: columns[j].percent });
    }
    return { labels: labels, series: series };
  }

  function percentText(v) {
    return v === null || v === undefined || v === "-" ? "-" : Math.round(v * 10) / 10 + "%";
  }

  function plainText(v) {
    return typeof v === "number" ? v.toLocaleString("zh-CN") : "-";
  }

  function reducedMotion() {
    return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  // legend: whether the chart has several series to tell apart.
  function base(legend, tooltip) {
    return {
      color: COLORS,
      textStyle: { fontFamily: FONT },
      animation: !reducedMotion(),
      // Drawn inside the SVG: the HTML tooltip writes style="" attributes, which the site's
      // Content-Security-Policy (style-src 'self') refuses.
      tooltip: { trigger: tooltip, renderMode: "richText", confine: true },
      legend: { show: legend, type: "scroll", top: 0 },
      grid: { left: 8, right: 16, top: legend ? 40 : 16, bottom: 8 }
    };
  }

  function valueAxis(series) {
    var axis = { type: "value" };
    var allPercent = series.length > 0;
    for (var i = 0; i < series.length; i++) if (!series[i].percent) allPercent = false;
    if (allPercent) axis.axisLabel = { formatter: "{value}%" };
    return axis;
  }

  // Many bars with long (Chinese) names: slant and shorten the labels; the table has them whole.
  function categoryAxis(labels, slant) {
    var label = { hideOverlap: true };
    if (slant && labels.length > 6) {
      label.rotate = 30;
      label.width = 96;
      label.overflow = "truncate";
    }
    return { type: "category", data: labels, axisLabel: label };
  }

  function xy(kind, data) {
    var option = base(data.series.length > 1, "axis");
    option.xAxis = categoryAxis(data.labels, kind !== "line");
    option.xAxis.boundaryGap = kind !== "line";
    option.yAxis = valueAxis(data.series);
    if (kind !== "line") option.tooltip.axisPointer = { type: "shadow" };
    option.series = data.series.map(function (s) {
      var out = { type: kind, name: s.name, data: s.values };
      if (kind === "line") out.symbolSize = 6;
      if (s.percent) out.tooltip = { valueFormatter: percentText };
      return out;
    });
    return option;
  }

  function hbar(data) {
    var single = data.series.length === 1;
    var option = base(!single, "axis");
    option.tooltip.axisPointer = { type: "shadow" };
    option.grid.right = single ? 48 : 16;
    option.yAxis = {
      type: "category",
      data: data.labels,
      inverse: true,
      axisLabel: { width: 140, overflow: "truncate" }
    };
    option.xAxis = valueAxis(data.series);
    option.series = data.series.map(function (s) {
      var out = { type: "bar", name: s.name, data: s.values };
      if (single) out.label = { show: true, position: "right" };
      if (single) out.label.formatter = function (p) { return s.percent ? percentText(p.value) : plainText(p.value); };
      if (s.percent) out.tooltip = { valueFormatter: percentText };
      return out;
    });
    return option;
  }

  function cumulative(values) {
    var total = 0;
    var i;
    for (i = 0; i < values.length; i++) total += values[i] || 0;
    var sum = 0;
    return values.map(function (v) {
      sum += v || 0;
      return total ? Math.round((sum / total) * 1000) / 10 : null;
    });
  }

  function pareto(data) {
    var bars = data.series[0];
    var line = data.series[1];
    var option = base(true, "axis");
    option.xAxis = categoryAxis(data.labels, true);
    option.yAxis = [
      valueAxis([bars]),
      { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" }, splitLine: { show: false } }
    ];
    option.series = [
      { type: "bar", name: bars.name, data: bars.values },
      {
        type: "line",
        name: line ? line.name : "累计百分比",
        yAxisIndex: 1,
        data: line ? line.values : cumulative(bars.values),
        symbolSize: 6,
        tooltip: { valueFormatter: percentText }
      }
    ];
    return option;
  }

  function pie(data) {
    var s = data.series[0];
    var slices = [];
    for (var i = 0; i < data.labels.length; i++) {
      if (s.values[i] !== null && s.values[i] > 0) slices.push({ name: data.labels[i], value: s.values[i] });
    }
    if (!slices.length) return null;
    var option = base(false, "item");
    option.series = [
      {
        type: "pie",
        name: s.name,
        radius: ["38%", "66%"],
        center: ["50%", "52%"],
        data: slices,
        label: { formatter: "{b}\n{d}%" }
      }
    ];
    return option;
  }

  function radar(data, figure) {
    var max = parseFloat(figure.getAttribute("data-max"));
    if (!(max > 0)) max = 5;
    var indicator = data.labels.map(function (label, i) {
      var top = max;
      data.series.forEach(function (s) {
        if (s.values[i] !== null && s.values[i] > top) top = s.values[i];
      });
      return { name: label, max: top };
    });
    var option = base(data.series.length > 1, "item");
    option.radar = { indicator: indicator, radius: "62%", center: ["50%", data.series.length > 1 ? "56%" : "52%"] };
    option.series = [
      {
        type: "radar",
        data: data.series.map(function (s) {
          return {
            name: s.name,
            value: s.values,
            areaStyle: { opacity: 0.12 }
          };
        })
      }
    ];
    return option;
  }

  var BUILDERS = {
    line: function (d) { return xy("line", d); },
    bar: function (d) { return xy("bar", d); },
    hbar: hbar,
    pareto: pareto,
    pie: pie,
    radar: radar
  };

  function titleOf(figure, table) {
    var title = figure.getAttribute("data-title");
    if (title) return title;
    var caption = figure.querySelector("figcaption") || table.caption;
    return caption ? text(caption) : "图表";
  }

  function enhance(figure) {
    if (figure.getAttribute("data-rendered") === "1") return;
    var build = BUILDERS[figure.getAttribute("data-chart")];
    var table = figure.querySelector("table");
    if (!build || !table) return;
    var data = readTable(table);
    if (!data.labels.length || !data.series.length) return;
    var option = build(data, figure);
    if (!option) return;

    var canvas = document.createElement("div");
    canvas.className = "chart-canvas";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", titleOf(figure, table));
    var anchor = table;
    while (anchor.parentNode !== figure) anchor = anchor.parentNode;
    figure.insertBefore(canvas, anchor);
    if (!canvas.clientHeight) canvas.style.height = HEIGHT; // app.css not loaded
    var chart = null;
    try {
      chart = window.echarts.init(canvas, null, { renderer: "svg", locale: "ZH" });
      chart.setOption(option);
    } catch (e) {
      if (chart) chart.dispose();
      figure.removeChild(canvas);
      if (window.console) window.console.warn("charts.js: chart not drawn", e);
      return;
    }
    charts.push(chart);
    figure.setAttribute("data-rendered", "1");
  }

  var pending = null;
  function resizeAll() {
    if (pending) return;
    pending = window.setTimeout(function () {
      pending = null;
      charts.forEach(function (chart) {
        if (!chart.isDisposed()) chart.resize();
      });
    }, 100);
  }

  function init() {
    if (!window.echarts) return;
    Array.prototype.forEach.call(document.querySelectorAll("figure.chart[data-chart]"), enhance);
    if (charts.length) window.addEventListener("resize", resizeAll);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
