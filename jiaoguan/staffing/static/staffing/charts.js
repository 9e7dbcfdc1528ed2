/* 教师队伍 charts. Data comes from json_script blocks; nothing here is built from strings. */
(function () {
  "use strict";
  if (!window.echarts) return;
  var FONT = '-apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';
  var MALE = "#4e86c6", FEMALE = "#d9738f", INK = "#1f2933", MUTED = "#66707a";

  function read(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function make(el) {
    var chart = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function niceCeil(x) {
    var p = Math.pow(10, Math.floor(Math.log10(x))), f = x / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
  }

  function pyramid() {
    var d = read("pyramid-data"), el = document.getElementById("pyramid");
    if (!d || !el) return;
    var chart = make(el);
    var sectionSel = document.getElementById("pyr-section"), locationSel = document.getElementById("pyr-location");
    var totalEl = document.getElementById("pyr-total");
    var zeros = d.bands.map(function () { return 0; });

    function draw() {
      var s = sectionSel ? sectionSel.value : "all", l = locationSel ? locationSel.value : "all";
      var cell = (d.pyramid[s] || {})[l] || { male: zeros, female: zeros };
      var men = cell.male.reduce(function (a, b) { return a + b; }, 0);
      var women = cell.female.reduce(function (a, b) { return a + b; }, 0);
      if (totalEl) totalEl.textContent = "共 " + (men + women).toLocaleString("zh-CN") + " 人（男 " + men.toLocaleString("zh-CN") + "，女 " + women.toLocaleString("zh-CN") + "）";
      var top = niceCeil(Math.max.apply(null, cell.male.concat(cell.female).concat([1])) * 1.12);
      var narrow = el.clientWidth < 480;
      chart.setOption({
        textStyle: { fontFamily: FONT }, animation: false,
        legend: { data: ["男", "女"], top: 0, right: 8, textStyle: { color: INK } },
        grid: { left: 8, right: 16, top: 30, bottom: 8, outerBoundsMode: "same" },
        tooltip: {
          trigger: "axis", axisPointer: { type: "shadow" }, confine: true,
          formatter: function (ps) {
            var lines = [ps[0].name];
            ps.forEach(function (p) { lines.push(p.marker + p.seriesName + " " + Math.abs(p.value).toLocaleString("zh-CN") + " 人"); });
            return lines.join("<br>");
          },
        },
        xAxis: {
          type: "value", min: -top, max: top, interval: top / 5,
          axisLabel: { color: MUTED, formatter: function (v) { return Math.abs(Math.round(v)).toLocaleString("zh-CN"); } },
          splitLine: { lineStyle: { color: "#eef0f3" } },
        },
        yAxis: { type: "category", data: d.bands, axisTick: { show: false }, axisLabel: { color: INK, fontSize: narrow ? 11 : 12 },
          axisLine: { lineStyle: { color: "#c9d0d7" } } },
        series: [
          { name: "男", type: "bar", stack: "age", data: cell.male.map(function (v) { return -v; }), barMaxWidth: 26,
            itemStyle: { color: MALE },
            label: { show: true, position: "left", color: MUTED, fontSize: 11, formatter: function (p) { return p.value ? Math.abs(p.value) : ""; } } },
          { name: "女", type: "bar", stack: "age", data: cell.female, barMaxWidth: 26, itemStyle: { color: FEMALE },
            label: { show: true, position: "right", color: MUTED, fontSize: 11, formatter: function (p) { return p.value ? p.value : ""; } } },
        ],
      }, true);
    }
    if (sectionSel) sectionSel.addEventListener("change", draw);
    if (locationSel) locationSel.addEventListener("change", draw);
    draw();
  }

  function hours() {
    var d = read("hours-data"), el = document.getElementById("hours-chart");
    if (!d || !el) return;
    make(el).setOption({
      textStyle: { fontFamily: FONT }, animation: false,
      grid: { left: 8, right: 8, top: 24, bottom: 8, outerBoundsMode: "same" },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true,
        formatter: function (ps) { return ps[0].name + " 学时<br>" + ps[0].value.toLocaleString("zh-CN") + " 人"; } },
      // labels like "252–288" need about 56px each; rotate them when the bars are narrower than that
      xAxis: { type: "category", data: d.labels, axisTick: { show: false }, name: "学时", nameLocation: "end",
        nameTextStyle: { color: MUTED, verticalAlign: "top", padding: [8, 0, 0, 0] },
        axisLabel: { color: INK, fontSize: 11, interval: 0, rotate: el.clientWidth < d.labels.length * 60 ? 35 : 0 } },
      yAxis: { type: "value", name: "人", nameTextStyle: { color: MUTED }, axisLabel: { color: MUTED },
        splitLine: { lineStyle: { color: "#eef0f3" } } },
      series: [{ type: "bar", name: "教师", barMaxWidth: 34,
        data: d.counts.map(function (v, i) { return { value: v, itemStyle: { color: d.behind[i] ? "#c62828" : "#4e86c6" } }; }),
        label: { show: true, position: "top", color: MUTED, fontSize: 11,
          formatter: function (p) { return p.value ? p.value.toLocaleString("zh-CN") : ""; } } }],
    });
  }

  pyramid();
  hours();
})();
