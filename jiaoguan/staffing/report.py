"""Report section of the personnel office: rotation, training, the age of the staff."""
from __future__ import annotations

from jiaoguan.registry.models import School
from jiaoguan.reports.base import Content, Figure, Figures, Section, section, yoy

from .figures import staffing_stats


@section
class Workforce(Section):
    id = "staffing_workforce"
    title = "教师队伍建设"
    order = 50

    def figures(self, county, year) -> Figures:
        schools = School.objects.filter(org_unit__path__startswith=county.path)
        f = Figures()
        s = staffing_stats(year, schools)
        r, t, a = s["rotation"], s["training"], s["age"]
        if not a.get("teachers"):
            return f
        link = f"/staffing/?year={year.code}"
        q = "任教记录与交流轮岗记录（staffing_rotation）"
        f["rotation_eligible"] = Figure("rotation_eligible", "符合交流条件的教师", r["eligible"], "人", 0, q + "：同校任教满6年", link)
        f["rotated"] = Figure("rotated", "交流轮岗教师", r["rotated"], "人", 0, q, link)
        f["rotation_share"] = Figure("rotation_share", "交流轮岗比例", r["share"], "%", 2, "交流轮岗 ÷ 符合条件教师", link)
        f["backbone_rotated"] = Figure("backbone_rotated", "交流轮岗中的骨干教师", r["backbone_rotated"], "人", 0, q, link)
        f["backbone_share"] = Figure("backbone_share", "骨干教师占交流轮岗比例", r["backbone_share"], "%", 2, "骨干 ÷ 交流轮岗教师", link)
        f["training_teachers"] = Figure("training_teachers", "有培训学时账户的教师", t["teachers"], "人", 0, "培训出勤（staffing_attendance）", link)
        f["behind_360"] = Figure("behind_360", "培训学时进度落后的教师", t["behind_360_hours"], "人", 0, "五年360学时按年进度", link)
        f["schools_under_5"] = Figure("schools_under_5", "培训经费低于公用经费5%的学校", t["schools_under_5_percent"], "所", 0,
                                      "办学条件：教师培训支出 ÷ 公用经费预算", link)
        f["teachers_50"] = Figure("teachers_50", "50岁及以上教师", a["age_50_and_over"], "人", 0, "教师出生日期", link)
        f["mean_age"] = Figure("mean_age", "教师平均年龄", a["mean_age"], "岁", 1, "教师出生日期", link)
        f["retiring"] = Figure("retiring", "五年内退休教师", a["retiring"], "人", 0, "男60岁、女55岁（可配置）", link)
        return f

    def content(self, county, year, f, prev) -> Content:
        if not f:
            return Content(paragraphs=[f"{year}学年暂无教师任教记录，无法统计教师队伍情况。"], empty=True)
        p = prev or Figures()
        change = yoy(f["rotated"].value, p["rotated"].value, "人", than=p.than) if "rotated" in p else ""
        paras = [
            "深入推进县域内义务教育学校校长教师交流轮岗，全县符合交流条件教师{rotation_eligible}，本学年交流轮岗{rotated}"
            + (f"，{change}" if change else "") + "，占符合条件教师的{rotation_share}；其中骨干教师{backbone_rotated}，占交流轮岗教师的{backbone_share}。",
            "落实五年一周期360学时培训要求，{training_teachers}建立培训学时账户，进度落后{behind_360}；"
            "教师平均年龄{mean_age}，50岁及以上教师{teachers_50}，今后五年将有{retiring}退休。",
        ]
        problems = []
        if (f["rotation_share"].value or 0) < 0.10:
            problems.append(f"教师交流轮岗比例为{f['rotation_share'].text()}，低于10%的要求。")
        if (f["backbone_share"].value or 0) < 0.20 and f["rotated"].value:
            problems.append(f"骨干教师占交流轮岗教师的{f['backbone_share'].text()}，低于20%的要求。")
        if f["schools_under_5"].value:
            problems.append(f"有{f['schools_under_5'].value}所学校教师培训经费低于公用经费预算的5%。")
        if f["behind_360"].value:
            problems.append(f"有{f['behind_360'].value:,}名教师培训学时进度落后，需督促完成五年360学时。")
        return Content(paragraphs=paras, problems=problems)
