"""Report section of the aid office: pupils and amounts actually paid, by programme, in 万元."""
from __future__ import annotations

from decimal import Decimal

from jiaoguan.reports.base import Content, Figure, Figures, Section, section

from .models import Season
from .programmes import programmes
from .stats import group, paid


@section
class Aid(Section):
    id = "aid_paid"
    title = "学生资助"
    order = 55

    def _paid(self, county, year, seasons=None):
        return paid(None, year, seasons=seasons).filter(school__org_unit__path__startswith=county.path)

    def _seasons(self, county, year) -> set[str]:
        return set(self._paid(county, year).values_list("term__season", flat=True).distinct())

    def previous(self, county, year, prev) -> Figures:
        # a year with one term paid so far (秋季 of a year under way) is compared with the same
        # term last year, not with last year's two: otherwise every autumn shows aid halved
        seasons = self._seasons(county, year)
        if len(seasons) != 1:
            return self.figures(county, prev)
        f = self.figures(county, prev, seasons=seasons)
        f.than = "去年同期"
        return f

    def figures(self, county, year, seasons=None) -> Figures:
        qs = self._paid(county, year, seasons)
        f = Figures()
        rows = group(qs, ["programme"])
        if not rows:
            return f
        names = {p.id: p.short or p.name for p in programmes()}
        total = Decimal(0)
        link = f"/aid/?year={year.code}"
        for p in programmes():
            r = rows.get((p.id,))
            if r is None:
                continue
            pupils = r["pupils"] + r["school_pupils"]
            q = f"资助发放记录：{p.name}，实际发放（aid_entitlement，已支付）"
            f[f"{p.id}_pupils"] = Figure(f"{p.id}_pupils", f"{names[p.id]}受助学生", pupils, "人", 0, q, link)
            f[f"{p.id}_amount"] = Figure(f"{p.id}_amount", f"{names[p.id]}发放金额", float(r["amount"]), "万元", 2, q, link)
            total += r["amount"]
        f["aid_total"] = Figure("aid_total", "资助资金合计（不含贷款）", float(total), "万元", 2, "资助发放记录合计", link)
        return f

    def content(self, county, year, f, prev) -> Content:
        if not f:
            return Content(paragraphs=[f"{year}学年暂无学生资助发放记录。"], empty=True)
        parts = []
        for p in programmes():
            if f"{p.id}_pupils" in f:
                parts.append(f"{f[f'{p.id}_pupils'].label.replace('受助学生', '')}{{{p.id}_pupils}}、{{{p.id}_amount}}")
        seasons = self._seasons(county, year)
        so_far = f"本学年{Season(seasons.pop()).label}学期已" if len(seasons) == 1 else "全年"
        paras = ["健全学前教育到高中阶段全覆盖的资助体系，做到应助尽助。" + so_far + "发放资助资金{aid_total}，其中" + "；".join(parts) + "。"]
        return Content(paragraphs=paras, tables=[{
            "caption": "表 学生资助发放情况", "headers": ["项目", "受助学生", "金额"],
            "rows": [[f[f"{p.id}_pupils"].label.replace("受助学生", ""), f[f"{p.id}_pupils"].text(), f[f"{p.id}_amount"].text()]
                     for p in programmes() if f"{p.id}_pupils" in f]}])
