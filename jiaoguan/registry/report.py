"""Report sections of the registry: the county's schools, pupils and teachers, class sizes."""
from __future__ import annotations

from django.db.models import Count, Q

from jiaoguan.reports.base import Content, Figure, Figures, Section, fmt, section, yoy

from . import models as m
from .stats import class_size_counts, pupils_by_stage


def county_querysets(county, year):
    schools = m.School.objects.filter(org_unit__path__startswith=county.path, is_active=True)
    return (schools, m.Enrolment.objects.filter(school__in=schools, year=year),
            m.Posting.objects.filter(school__in=schools, year=year), m.SchoolClass.objects.filter(school__in=schools, year=year))


@section
class Overview(Section):
    id = "registry_overview"
    title = "教育事业基本情况"
    order = 10

    def figures(self, county, year) -> Figures:
        schools, enrol, posts, classes = county_querysets(county, year)
        f = Figures()
        if not enrol.exists():
            return f
        by_type = dict(schools.values_list("type").annotate(n=Count("pk")).values_list("type", "n"))
        pupils = pupils_by_stage(enrol)
        on_roll = enrol.filter(status__in=m.ON_ROLL)
        flags = on_roll.aggregate(migrant=Count("pk", filter=Q(migrant=True)), left_behind=Count("pk", filter=Q(left_behind=True)),
                                  disabled=Count("pk", filter=~Q(disability="")))
        q = "学籍：本学年在读与转入学生（registry_enrolment, status ∈ 在读/转入）"
        add = lambda id, label, v, unit="", digits=0, query=q, link="/registry/": f.__setitem__(id, Figure(id, label, v, unit, digits, query, link))  # noqa: E731
        add("schools", "各级各类学校（含教学点）", sum(by_type.values()), "所", query="学校名录：在办学校（registry_school.is_active）")
        add("kindergartens", "幼儿园", by_type.get("kindergarten", 0), "所", query="学校名录：学校类型=幼儿园")
        add("primary_schools", "小学", by_type.get("primary", 0), "所", query="学校名录：学校类型=小学")
        add("teaching_points", "教学点", by_type.get("teaching_point", 0), "个", query="学校名录：学校类型=教学点")
        add("junior_schools", "初中（含九年一贯制、完全中学）", sum(by_type.get(t, 0) for t in ("junior", "nine_year", "complete_secondary", "twelve_year")), "所",
            query="学校名录：初中、九年一贯制、完全中学、十二年一贯制")
        add("pupils", "在校学生（含在园幼儿）", sum(pupils.values()), "人")
        add("pupils_preschool", "在园幼儿", pupils["preschool"], "人")
        add("pupils_primary", "小学在校生", pupils["primary"], "人")
        add("pupils_junior", "初中在校生", pupils["junior"], "人")
        add("pupils_senior", "高中阶段在校生", pupils["senior"], "人")
        add("teachers", "教职工（任教记录）", posts.values("teacher").distinct().count(), "人", query="任教记录：本学年教师（registry_posting，按人去重）")
        add("migrant", "随迁子女", flags["migrant"], "人")
        add("left_behind", "留守儿童", flags["left_behind"], "人")
        add("disabled", "残疾学生", flags["disabled"], "人")
        cs = class_size_counts(classes)
        add("classes", "班级", cs["total"], "个", query="班级：本学年有学生的班级（班额由学籍统计）", link="/registry/classes/")
        add("large_classes", "大班额（56人及以上）", cs["large_or_huge"], "个", query="班级：班额≥56（学籍统计）", link="/registry/classes/?size=large_or_huge")
        add("huge_classes", "超大班额（66人及以上）", cs["huge"], "个", query="班级：班额≥66（学籍统计）", link="/registry/classes/?size=huge")
        add("large_share", "大班额占比", cs["large_share"], "%", 2, query="大班额 ÷ 班级数")
        return f

    def content(self, county, year, f, prev) -> Content:
        if not f:
            return Content(paragraphs=[f"{year}学年暂无学籍数据，无法统计教育事业基本情况。"], empty=True)
        p = prev or Figures()

        def change(key, unit=""):
            text = yoy(f[key].value, p[key].value if key in p else None, f[key].unit if not unit else unit, f[key].digits, than=p.than)
            return f"，{text}" if text else ""

        paragraphs = [
            "全县共有各级各类学校{schools}（其中幼儿园{kindergartens}、小学{primary_schools}、教学点{teaching_points}、"
            "初中及九年一贯制学校{junior_schools}），在校学生{pupils}" + change("pupils") + "。其中在园幼儿{pupils_preschool}，小学在校生{pupils_primary}"
            + change("pupils_primary") + "，初中在校生{pupils_junior}" + change("pupils_junior") + "，高中阶段在校生{pupils_senior}。",
            "全县共有教职工{teachers}" + change("teachers") + "。在校学生中随迁子女{migrant}，留守儿童{left_behind}，残疾学生{disabled}。",
        ]
        if "large_classes" in p:
            paragraphs.append(
                f"全县共有班级{{classes}}，大班额由上年的{fmt(p['large_classes'].value, '个')}"
                f"{'减少' if f['large_classes'].value <= p['large_classes'].value else '增加'}到{{large_classes}}，"
                f"占比由{fmt(p['large_share'].value, '%', 2)}{'降至' if (f['large_share'].value or 0) <= (p['large_share'].value or 0) else '升至'}{{large_share}}；"
                "超大班额{huge_classes}。")
        else:
            paragraphs.append("全县共有班级{classes}，其中大班额{large_classes}，占{large_share}；超大班额{huge_classes}。")
        problems = []
        if f["large_classes"].value:
            problems.append(f"大班额尚未全部消除：全县仍有大班额{f['large_classes'].text()}（占{f['large_share'].text()}），"
                            f"其中超大班额{f['huge_classes'].text()}，主要集中在城区学校。")
        table = {"caption": "表1 各学段在校学生", "headers": ["学段", "在校学生（人）", "上年（人）"],
                 "rows": [[label, f[key].text(), p[key].text() if key in p else "—"] for key, label in
                          (("pupils_preschool", "学前"), ("pupils_primary", "小学"), ("pupils_junior", "初中"), ("pupils_senior", "高中阶段"))]}
        chart = {"caption": "图1 各学段在校学生", "kind": "bar", "labels": ["学前", "小学", "初中", "高中阶段"],
                 "series": {"本学年": [f[k].value for k in ("pupils_preschool", "pupils_primary", "pupils_junior", "pupils_senior")],
                            **({"上学年": [p[k].value for k in ("pupils_preschool", "pupils_primary", "pupils_junior", "pupils_senior")]} if p else {})}}
        return Content(paragraphs=paragraphs, tables=[table], charts=[chart], problems=problems)
