/* 学生资助 charts: amounts per programme, one bar per school year. Data from json_script. */
(function () {
  "use strict";
  var el = document.getElementById("aid-chart"), src = document.getElementById("aid-chart-data");
  if (!window.echarts || !el || !src) return;
  var d = JSON.parse(src.textContent);
  var COLORS = ["#b7c9de", "#7fa6d1", "#0b5cab"];
  var chart = echarts.init(el, null, { renderer: "canvas" });
  var narrow = el.clientWidth < 640;
  chart.setOption({
    textStyle: { fontFamily: '-apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif' },
    color: COLORS.slice(COLORS.length - d.years.length),
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v.toLocaleString("zh-CN", { maximumFractionDigits: 2 }) + " 万元"; } },
    legend: { top: 0, data: d.years },
    grid: { left: 8, right: 24, top: narrow ? 56 : 40, bottom: 8, containLabel: true },
    // on a phone the programmes run down the side, so their names stay readable
    xAxis: narrow ? { type: "value", name: "万元", position: "top", axisLabel: { fontSize: 11 } }
                  : { type: "category", data: d.programmes, axisLabel: { interval: 0, width: 90, overflow: "break", fontSize: 12 } },
    yAxis: narrow ? { type: "category", data: d.programmes, inverse: true, axisLabel: { fontSize: 11 } }
                  : { type: "value", name: "万元", nameTextStyle: { align: "right" } },
    series: d.series.map(function (values, i) {
      return { name: d.years[i], type: "bar", data: values, barMaxWidth: 22 };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
