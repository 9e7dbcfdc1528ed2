"""Report section of new-pupil enrolment: each campaign of the year and its outcome."""
from __future__ import annotations

from jiaoguan.reports.base import Content, Figure, Figures, Section, section

from .models import Campaign, Stage
from .stats import campaign_stats

KEYS = {Stage.PRIMARY: "primary", Stage.JUNIOR: "junior", Stage.KINDERGARTEN: "kindergarten"}


@section
class Enrolment(Section):
    id = "enrollment_intake"
    title = "招生入学"
    order = 60

    def figures(self, county, year) -> Figures:
        f = Figures()
        for c in Campaign.objects.filter(county=county, year=year):
            s = campaign_stats(c, c.applications.all())["total"]
            k = KEYS[c.stage]
            link = f"/enrollment/"
            q = f"新生入学申请（{c.name}）"
            label = c.get_stage_display()
            f[f"{k}_applications"] = Figure(f"{k}_applications", f"{label}报名", s["total"], "人", 0, q, link)
            f[f"{k}_eligible"] = Figure(f"{k}_eligible", f"{label}资格审核通过", s["eligible"], "人", 0, q, link)
            f[f"{k}_admitted"] = Figure(f"{k}_admitted", f"{label}志愿或对口录取", s["admitted"], "人", 0, q, link)
            f[f"{k}_placed"] = Figure(f"{k}_placed", f"{label}统筹安排", s["placed"], "人", 0, q, link)
            f[f"{k}_pending"] = Figure(f"{k}_pending", f"{label}待补充材料或审核", s["needs_documents"] + s["review"], "人", 0, q, link)
            if c.seed:
                f[f"{k}_seed"] = Figure(f"{k}_seed", f"{label}摇号种子", c.seed[:16] + "…", "", 0, "公开熵与名册哈希按规则生成", link)
        return f

    def content(self, county, year, f, prev) -> Content:
        if not f:
            return Content(paragraphs=[f"{year}学年没有网上招生记录。"], empty=True)
        paras = ["全面推行义务教育招生入学“一件事”网上办理，户籍、不动产、居住证、社保信息由教育部门向相关部门核验，家长无需提交纸质材料。"]
        for k, label in (("primary", "小学一年级"), ("junior", "初中七年级"), ("kindergarten", "幼儿园小班")):
            if f"{k}_applications" not in f:
                continue
            text = f"{label}网上报名{{{k}_applications}}，资格审核通过{{{k}_eligible}}"
            if f[f"{k}_admitted"].value or f[f"{k}_placed"].value:
                text += f"，按志愿和划片录取{{{k}_admitted}}，统筹安排{{{k}_placed}}"
            if f"{k}_seed" in f:
                text += "；民办学校和超额学校实行电脑随机录取，摇号种子事先公开承诺、全程可复核"
            paras.append(text + "。")
        problems = [f"{f[k].label}{f[k].text()}，需尽快完成审核。" for k in f if k.endswith("_pending") and f[k].value]
        return Content(paragraphs=paras, problems=problems)
