"""The 校际差异系数计算表 as an Excel workbook: one sheet per county and stage, one row a
school with its indicator values, then the county row and the CV row (pure, no Django)."""
from __future__ import annotations

import xlsxwriter

from .balance import STAGE_LABELS, Evaluation
from .standards import load


def write_cv_workbook(path_or_buffer, ev: Evaluation, *, county_names: dict | None = None) -> None:
    standard = ev.standard
    indicators = standard["indicators"]
    wb = xlsxwriter.Workbook(path_or_buffer, {"in_memory": not isinstance(path_or_buffer, str)})
    bold = wb.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "vcenter", "align": "center"})
    num = wb.add_format({"num_format": "0.00", "border": 1})
    num4 = wb.add_format({"num_format": "0.0000", "border": 1})
    text = wb.add_format({"border": 1})
    total = wb.add_format({"bold": True, "num_format": "0.00", "border": 1, "bg_color": "#F2F2F2"})
    cvf = wb.add_format({"bold": True, "num_format": "0.0000", "border": 1, "bg_color": "#FFF2CC"})
    bad = wb.add_format({"bold": True, "num_format": "0.0000", "border": 1, "bg_color": "#F8CBAD"})
    title = wb.add_format({"bold": True, "font_size": 14})
    comp = {(r["county_code"], r["stage"]): r for r in ev.composite.iter_rows(named=True)}
    for (county, stage), crow in sorted(comp.items(), key=lambda kv: (kv[0][0], ("primary", "junior").index(kv[0][1]))):
        name = (county_names or {}).get(county, county)
        ws = wb.add_worksheet(f"{name}{STAGE_LABELS[stage]}"[:31])
        ws.write(0, 0, f"{name} {STAGE_LABELS[stage]} 校际差异系数计算表（{standard['name']}，{standard['version']}）", title)
        headers = ["序号", "学校标识码", "学校名称", "学生数"] + [f"{i['name']}（{i['unit']}）" for i in indicators]
        ws.set_row(2, 48)
        for c, h in enumerate(headers):
            ws.write(2, c, h, bold)
        ws.set_column(0, 0, 5)
        ws.set_column(1, 1, 12)
        ws.set_column(2, 2, 26)
        ws.set_column(3, 3 + len(indicators), 13)
        rows = ev.schools.filter((ev.schools["county_code"] == county) & (ev.schools["stage"] == stage))
        wide = rows.pivot(on="indicator", index=["school_code", "school_name", "pupils"], values="value").sort("school_code")
        r = 3
        for n, row in enumerate(wide.iter_rows(named=True), start=1):
            ws.write(r, 0, n, text)
            ws.write_string(r, 1, row["school_code"], text)
            ws.write(r, 2, row["school_name"], text)
            ws.write(r, 3, row["pupils"], text)
            for c, ind in enumerate(indicators, start=4):
                ws.write(r, c, row.get(ind["id"]), num4 if ind.get("per", 1) == 1 and ind["kind"] == "section" else num)
            r += 1
        cty = {x["indicator"]: x for x in ev.counties.filter((ev.counties["county_code"] == county) & (ev.counties["stage"] == stage)).iter_rows(named=True)}
        ws.write(r, 2, "全县（县域值 = 合计 ÷ 学生数）", total)
        ws.write(r, 3, crow["pupils"], total)
        ws.write(r + 1, 2, "标准差 S（按学生数加权）", total)
        ws.write(r + 2, 2, "差异系数 CV = S ÷ 县域值", cvf)
        for c, ind in enumerate(indicators, start=4):
            x = cty.get(ind["id"], {})
            ws.write(r, c, x.get("county_value"), total)
            ws.write(r + 1, c, x.get("s"), num4)
            ws.write(r + 2, c, x.get("cv"), bad if x.get("passed") is False else cvf)
        if crow.get("composite_limit") is not None:
            ws.write(r + 3, 2, f"综合差异系数（限值 {crow['composite_limit']}）", cvf)
            ws.write(r + 3, 4, crow["composite_cv"], bad if not crow["passed"] else cvf)
        elif standard.get("cv_limit"):
            ws.write(r + 3, 2, f"各项差异系数限值 {standard['cv_limit'][stage]}", cvf)
        ws.write(r + 5, 0, f"依据：{standard['source']}；学段拆分：{load('stage-split')['source']}")
        ws.freeze_panes(3, 3)
    wb.close()
