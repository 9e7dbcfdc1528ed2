"""Report section of the supervision app: the balance figures of the stored runs."""
from __future__ import annotations

from jiaoguan.indicators.balance import STAGE_LABELS
from jiaoguan.indicators.standards import load
from jiaoguan.reports.base import Content, Figure, Figures, Section, section

from .models import Run


@section
class Balance(Section):
    id = "supervision_balance"
    title = "义务教育均衡发展"
    order = 30

    def figures(self, county, year) -> Figures:
        f = Figures()
        for sid, key in (("basic-2012", "basic"), ("quality-2017", "quality")):
            run = Run.latest(county, year, sid)
            if run is None:
                continue
            for c in run.result["counties"]:
                for st in c["stages"]:
                    s = st["stage"]
                    q = f"督导测算（{sid}，{run.created:%Y-%m-%d %H:%M}）"
                    link = f"/supervision/{county.code}/?year={year.code}"
                    if st.get("composite_cv") is not None and key == "basic":
                        f[f"{key}_{s}_cv"] = Figure(f"{key}_{s}_cv", f"{STAGE_LABELS[s]}综合差异系数", st["composite_cv"], "", 4, q, link)
                    f[f"{key}_{s}_passed"] = Figure(f"{key}_{s}_passed", f"{STAGE_LABELS[s]}{'基本' if key == 'basic' else '优质'}均衡结论",
                                                    "达标" if st["passed"] else "未达标", "", 0, q, link)
                    if key == "quality":
                        over = [i for i in st["indicators"] if i["passed"] is False]
                        f[f"quality_{s}_over"] = Figure(f"quality_{s}_over", f"{STAGE_LABELS[s]}差异系数超限指标数", len(over), "项", 0, q, link)
                        f[f"quality_{s}_worst"] = Figure(f"quality_{s}_worst", f"{STAGE_LABELS[s]}最大差异系数",
                                                         max((i["cv"] or 0) for i in st["indicators"]), "", 4, q, link)
            if key == "quality":
                schools = run.result["schools"]
                f["quality_schools_passed"] = Figure("quality_schools_passed", "达到优质均衡学校标准的学校（学段）",
                                                     sum(1 for s in schools if s["passed"]), "所", 0, "督导测算：至少6项达标且其余不低于85%", f"/supervision/{county.code}/")
                f["quality_schools"] = Figure("quality_schools", "参与测算的学校（学段）", len(schools), "所", 0, "督导测算", "")
        return f

    def content(self, county, year, f, prev) -> Content:
        if not f:
            return Content(paragraphs=[f"{year}学年尚未进行校际均衡测算，请在“督导评估”中测算后再生成本节。"], empty=True)
        paras = []
        if "basic_primary_cv" in f:
            paras.append("按照县域义务教育基本均衡发展评估办法测算，全县小学综合差异系数为{basic_primary_cv}（要求≤0.65），"
                         + ("初中综合差异系数为{basic_junior_cv}（要求≤0.55），" if "basic_junior_cv" in f else "")
                         + "小学{basic_primary_passed}" + ("、初中{basic_junior_passed}" if "basic_junior_passed" in f else "") + "。")
        if "quality_schools" in f:
            paras.append("对照优质均衡7项资源配置指标，{quality_schools}中有{quality_schools_passed}达到学校标准；"
                         "小学最大差异系数{quality_primary_worst}" + ("，初中最大差异系数{quality_junior_worst}" if "quality_junior_worst" in f else "") + "。")
        problems = []
        std = load("quality-2017")
        for s in ("primary", "junior"):
            if f.get(f"quality_{s}_over") and f[f"quality_{s}_over"].value:
                problems.append(f"优质均衡{STAGE_LABELS[s]}有{f[f'quality_{s}_over'].value}项指标校际差异系数超过{std['cv_limit'][s]}，需向薄弱学校倾斜配置资源。")
        if "quality_schools" in f and f["quality_schools_passed"].value < f["quality_schools"].value:
            problems.append(f"尚有{f['quality_schools'].value - f['quality_schools_passed'].value}所学校（学段）未达到优质均衡学校标准，缺口详见督导评估测算表。")
        return Content(paragraphs=paras, problems=problems)
