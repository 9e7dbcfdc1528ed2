"""The built report as Word (.docx, 公文-like), PDF (HTML through WeasyPrint) and the figures
appendix (.xlsx): every figure in the document with the query it came from."""
from __future__ import annotations

import base64
import io

from django.template.loader import render_to_string
from docx.shared import Cm

from jiaoguan.core import docx as d
from jiaoguan.core.excel import write_rows

from .builder import Report, cn_number
from .charts import png


def write_docx(report: Report, out) -> None:
    doc = d.new_document()
    d.title(doc, report.title, f"（{report.year}学年数据 · 教管平台生成的草稿）")
    d.heading(doc, f"一、{report.year.start.year}年主要工作及成效")
    for n, s in enumerate(report.sections, start=1):
        d.heading(doc, f"（{cn_number(n)}）{s.title}", level=2)
        for p in s.paragraphs:
            d.paragraph(doc, p)
        for t in s.content.tables:
            d.table(doc, t["headers"], t["rows"], caption=t["caption"])
        for c in s.content.charts:
            doc.add_picture(io.BytesIO(png(c)), width=Cm(14))
            doc.paragraphs[-1].alignment = 1
            cap = doc.add_paragraph()
            cap.alignment = 1
            d._font(cap.add_run(c["caption"]), d.H1_FONT, 12)
    d.heading(doc, "二、存在的主要问题")
    for i, p in enumerate(report.problems or ["本年度数据未发现明显问题。"], start=1):
        d.paragraph(doc, f"{i}. {p}")
    d.heading(doc, f"三、{report.year.start.year + 1}年工作计划")
    for i, p in enumerate(report.plan, start=1):
        d.paragraph(doc, f"{i}. {p}" if not p.startswith("（") else p)
    doc.save(out)


def html(report: Report) -> str:
    sections = []
    for n, s in enumerate(report.sections, start=1):
        charts = [{"caption": c["caption"], "src": "data:image/png;base64," + base64.b64encode(png(c)).decode()} for c in s.content.charts]
        sections.append({"number": cn_number(n), "s": s, "charts": charts})
    return render_to_string("reports/print.html", {"report": report, "sections": sections,
                                                   "next_year": report.year.start.year + 1, "this_year": report.year.start.year})


def write_pdf(report: Report, out) -> None:
    from weasyprint import HTML

    HTML(string=html(report)).write_pdf(out)


def write_figures(report: Report, out) -> int:
    rows = []
    for s in report.sections:
        for f in s.figures.values():
            prev = s.previous.get(f.id) if s.previous else None
            rows.append([s.title, f.id, f.label, f.text(), prev.text() if prev else "", f.query, f.link])
    return write_rows(out, "数据来源", ["章节", "编号", "指标", "本年数值", "上年数值", "计算口径（查询）", "页面"], rows)
