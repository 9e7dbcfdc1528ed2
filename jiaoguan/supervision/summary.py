"""The Word summary of a county's balance figures (for the 督导评估 application file)."""
from __future__ import annotations

from jiaoguan.core import docx as d
from jiaoguan.indicators.balance import STAGE_LABELS, STAGES
from jiaoguan.indicators.standards import load


def _fmt(v, digits=4):
    return "—" if v is None else f"{v:,.{digits}f}"


def write_summary(out, county, year, runs: dict, checklist: dict, figures) -> None:
    doc = d.new_document()
    d.title(doc, f"{county.name}{year}学年义务教育均衡发展测算摘要", "（由教管平台根据学籍、任教记录和办学条件数据生成）")
    n = 0
    numerals = "一二三四五六七八九十"
    for sid, run in runs.items():
        if run is None:
            continue
        std = load(sid)
        d.heading(doc, f"{numerals[n]}、{std['name']}（{std['version']}）")
        n += 1
        names = {i["id"]: (i["name"], i["unit"]) for i in std["indicators"]}
        for county_row in run.result["counties"]:
            for stage in county_row["stages"]:
                label = STAGE_LABELS[stage["stage"]]
                verdict = "达到" if stage["passed"] else "未达到"
                if stage.get("composite_limit") is not None:
                    d.paragraph(doc, f"{label}：参与测算学校{stage['schools']}所、学生{stage['pupils']:,}人，综合差异系数"
                                     f"{_fmt(stage['composite_cv'])}，要求不大于{stage['composite_limit']}，{verdict}要求。")
                else:
                    over = [names[i["id"]][0] for i in stage["indicators"] if i["passed"] is False]
                    d.paragraph(doc, f"{label}：参与测算学校{stage['schools']}所、学生{stage['pupils']:,}人，"
                                     + (f"{len(over)}项指标差异系数超过{std['cv_limit'][stage['stage']]}：{'、'.join(over)}。" if over else
                                        f"7项指标差异系数均不大于{std['cv_limit'][stage['stage']]}。"))
                rows = []
                for i in stage["indicators"]:
                    name, unit = names[i["id"]]
                    gap = i.get("gap_total")
                    rows.append([name, _fmt(i["county_value"], 2 if i["county_value"] and i["county_value"] > 1 else 4), _fmt(i["cv"]),
                                 "" if i["passed"] is None else ("达标" if i["passed"] else "超限"),
                                 "" if not gap else f"{gap:,.1f}{unit}"])
                d.table(doc, ["指标", "县域值", "差异系数", "判定", "未达标学校缺口合计"], rows, caption=f"{std['name']} · {label}")
        if sid == "quality-2017":
            schools = [s for s in run.result["schools"]]
            failing = [s for s in schools if s["passed"] is False]
            d.paragraph(doc, f"学校达标情况：{len(schools) - len(failing)}所学校（学段）达到“至少6项达标且其余不低于85%”的要求，{len(failing)}所未达到。")
    d.heading(doc, f"{numerals[n]}、政府保障程度与教育质量")
    for group, label in (("government", "政府保障程度（15项）"), ("quality", "教育质量（9项）")):
        rows = [[r["id"].upper(), r["text"], {True: "达到", False: "未达到", None: "待填写"}[r["met"]], r["value"] or ""] for r in checklist[group]]
        d.table(doc, ["序号", "内容", "结论", "依据数据"], rows, caption=label)
    if figures and figures.satisfaction is not None:
        ok = "达到" if figures.satisfaction >= 85 else "未达到"
        d.paragraph(doc, f"社会认可度：{figures.satisfaction}%（{figures.survey_note or '调查说明未填写'}），要求不低于85%，{ok}要求。")
    d.paragraph(doc, "说明：差异系数按学生数加权计算（县域值为全县合计除以全县学生数）；九年一贯制、完全中学、十二年一贯制学校按1:1.1:1.32拆分学段。")
    doc.save(out)
