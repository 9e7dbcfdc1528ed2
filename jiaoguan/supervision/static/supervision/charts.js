/* 督导评估 charts. Data comes from json_script blocks; nothing here is built from strings. */
(function () {
  "use strict";
  if (!window.echarts) return;
  var FONT = '-apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';
  var RED = "#c62828", BLUE = "#4e86c6", INK = "#1f2933", MUTED = "#66707a";

  function read(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function fmt(v, digits) {
    if (v === null || v === undefined) return "—";
    return Number(v).toLocaleString("zh-CN", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }
  function short(v, digits) { return fmt(v, Math.abs(v) >= 1000 ? 0 : digits); }
  function make(el) {
    var chart = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function schoolChart() {
    var d = read("chart-data"), el = document.getElementById("school-chart");
    if (!d || !el) return;
    var narrow = el.clientWidth < 560;
    var n = d.values.length;
    var horizontal = d.horizontal;
    var data = d.values.map(function (v, i) {
      return { value: v, itemStyle: { color: d.below[i] ? RED : BLUE } };
    });
    var lines = [];
    if (d.threshold !== null && d.threshold !== undefined) {
      lines.push({ name: "学校标准", lineStyle: { color: RED, type: "dashed", width: 2 },
        label: { formatter: "标准 " + short(d.threshold, d.digits), color: RED },
        xAxis: horizontal ? d.threshold : undefined, yAxis: horizontal ? undefined : d.threshold });
    }
    lines.push({ name: "县域值", lineStyle: { color: INK, type: "solid", width: 1.5 },
      label: { formatter: "县域值 " + short(d.county_value, d.digits), color: INK },
      xAxis: horizontal ? d.county_value : undefined, yAxis: horizontal ? undefined : d.county_value });
    // horizontal bars: both labels above the plot, stacked, so close lines never overlap and no
    // label sits on the axis labels; vertical bars: one label above the higher line, one below
    // the lower, at the left end where the (sorted) bars are short
    if (horizontal) {
      lines.forEach(function (l, i) { l.label.position = "start"; l.label.distance = 4 + 16 * (lines.length - 1 - i); });
    } else {
      var order = lines.slice().sort(function (a, b) { return b.yAxis - a.yAxis; });
      order.forEach(function (l, i) {
        l.label.position = i === 0 ? "insideStartTop" : "insideStartBottom";
        l.label.backgroundColor = "rgba(255,255,255,0.9)";
        l.label.padding = [1, 3];
      });
    }
    var names = d.names;
    var valueAxis = {
      type: "value", name: d.unit, nameTextStyle: { color: MUTED },
      axisLabel: { color: MUTED, formatter: function (v) { return fmt(v, d.digits > 2 ? 3 : (v % 1 ? 1 : 0)); } },
      splitLine: { lineStyle: { color: "#eef0f3" } },
    };
    var categoryAxis = {
      type: "category", data: names, inverse: horizontal,
      axisTick: { show: false }, axisLine: { lineStyle: { color: "#c9d0d7" } },
      axisLabel: horizontal
        ? { color: INK, width: narrow ? 96 : 200, overflow: "truncate", fontSize: narrow ? 11 : 12 }
        : { show: false },
    };
    var option = {
      textStyle: { fontFamily: FONT },
      animation: false,
      grid: horizontal
        ? { left: 8, right: narrow ? 40 : 64, top: lines.length > 1 ? 52 : 36, bottom: 8, outerBoundsMode: "same" }
        : { left: 8, right: 24, top: 40, bottom: 56, outerBoundsMode: "same" },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" }, confine: true,
        formatter: function (ps) {
          var p = ps[0], i = p.dataIndex;
          return d.full_names[i] + "<br>" + fmt(d.values[i], d.digits) + " " + d.unit +
            (d.below[i] ? '<br><span style="color:' + RED + '">低于学校标准</span>' : "");
        },
      },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: [{
        type: "bar", data: data, barMaxWidth: 22, name: d.title,
        label: horizontal ? { show: !narrow || n <= 30, position: "right", color: MUTED, fontSize: 11,
          backgroundColor: "rgba(255,255,255,0.85)", padding: [1, 2],
          formatter: function (p) { return short(p.value, d.digits); } } : { show: false },
        markLine: { symbol: "none", silent: true, z: 1, data: lines },
      }],
    };
    if (!horizontal) {
      option.dataZoom = [{ type: "inside" }, { type: "slider", height: 18, bottom: 10 }];
    }
    make(el).setOption(option);
  }

  function trendChart() {
    var d = read("trend-data"), el = document.getElementById("trend-chart");
    if (!d || !el) return;
    var narrow = el.clientWidth < 560;
    var series = { type: "line", data: d.cvs, name: "差异系数", symbolSize: 8, lineStyle: { width: 2, color: "#0b5cab" },
      itemStyle: { color: "#0b5cab" },
      label: { show: true, position: "top", formatter: function (p) { return fmt(p.value, 4); } } };
    if (d.limit !== null && d.limit !== undefined) {
      series.markLine = { symbol: "none", silent: true, data: [{ yAxis: d.limit, lineStyle: { color: RED, type: "dashed" },
        label: { formatter: "上限 " + fmt(d.limit, 2), color: RED, position: "insideEndTop" } }] };
    }
    var top = Math.max.apply(null, d.cvs.concat([d.limit || 0]));
    make(el).setOption({
      textStyle: { fontFamily: FONT }, animation: false,
      grid: { left: 8, right: 24, top: 36, bottom: 8, outerBoundsMode: "same" },
      tooltip: { trigger: "axis", confine: true, valueFormatter: function (v) { return fmt(v, 4); } },
      xAxis: { type: "category", data: d.years.map(function (y) { return y + "学年"; }), boundaryGap: true,
        axisLabel: { color: INK, interval: 0, formatter: function (v) { return narrow ? v.replace("学年", "\n学年") : v; } } },
      yAxis: { type: "value", name: "差异系数", min: 0, max: Math.ceil(top * 12) / 10, nameTextStyle: { color: MUTED },
        axisLabel: { color: MUTED }, splitLine: { lineStyle: { color: "#eef0f3" } } },
      series: [series],
    });
  }

  schoolChart();
  trendChart();
})();
