/* 新生入学统计图：各校申请与录取（横向堆叠柱状图，含计划数标记） */
(function () {
  var el = document.getElementById("school-chart");
  var src = document.getElementById("school-chart-data");
  if (!el || !src || !window.echarts) return;
  var d = JSON.parse(src.textContent);
  var chart = echarts.init(el, null, { renderer: "svg" });
  var series = d.series.map(function (s) {
    return { name: s.name, type: "bar", stack: "n", data: s.data.slice().reverse(), itemStyle: { color: s.color }, barMaxWidth: 18 };
  });
  series.push({ name: "计划招生数", type: "scatter", symbol: "rect", symbolSize: [3, 20], itemStyle: { color: "#1f2933" },
    data: d.capacity.slice().reverse(), z: 5 });
  chart.setOption({
    animation: false,
    grid: { left: 8, right: 24, top: 34, bottom: 8, containLabel: true },
    legend: { top: 0, itemWidth: 12, itemHeight: 10 },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "value", name: "人", splitLine: { lineStyle: { color: "#eef1f4" } } },
    yAxis: { type: "category", data: d.names.slice().reverse().map(function (n, i) {
      return d.private[d.names.length - 1 - i] ? n + "（民办）" : n; }), axisLabel: { fontSize: 12 } },
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
