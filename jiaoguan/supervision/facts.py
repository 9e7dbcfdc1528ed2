"""The supervision facts table (one row a school) built from the registry for a county and a
year: pupils and teachers counted from enrolments and postings, facilities from SchoolFacts.
Aggregation happens in the database; one query per kind of count."""
from __future__ import annotations

import polars as pl
from django.db.models import Count, Q

from jiaoguan.registry import models as m

FACTS_TYPES = {
    m.SchoolType.PRIMARY: "小学", m.SchoolType.JUNIOR: "初中", m.SchoolType.NINE_YEAR: "九年一贯制",
    m.SchoolType.COMPLETE_SECONDARY: "完全中学", m.SchoolType.TWELVE_YEAR: "十二年一贯制", m.SchoolType.TEACHING_POINT: "教学点",
}
# 专任教师 for the indicators: established and contract staff, not substitutes or part-timers
# (S4's restatement of the 2017 rules).
COUNTED_STAFF = (m.Staffing.ESTABLISHED, m.Staffing.CONTRACT)
QUALIFIED = {"primary": (m.Education.POSTGRADUATE, m.Education.BACHELOR, m.Education.COLLEGE),
             "junior": (m.Education.POSTGRADUATE, m.Education.BACHELOR)}


def county_schools(county, *, include_private: bool = False):
    qs = m.School.objects.filter(org_unit__path__startswith=county.path, is_active=True, type__in=list(FACTS_TYPES))
    if not include_private:
        qs = qs.filter(ownership=m.Ownership.PUBLIC)  # one province's 测算说明 leaves out 民办学校
    return qs


def build_facts(county, year, *, include_private: bool = False) -> pl.DataFrame:
    schools = list(county_schools(county, include_private=include_private).select_related("parent").order_by("code"))
    ids = [s.pk for s in schools]
    pupils = {
        r["school"]: r for r in m.Enrolment.objects.filter(year=year, school_id__in=ids, status__in=m.ON_ROLL)
        .values("school").annotate(
            primary=Count("pk", filter=Q(grade__gte=1, grade__lte=6)),
            junior=Count("pk", filter=Q(grade__gte=7, grade__lte=9)),
            senior=Count("pk", filter=Q(grade__gte=10)),
        )
    }
    base = Q(year=year, school_id__in=ids, role="专任教师", staffing__in=COUNTED_STAFF)
    teachers = {}
    for section in ("primary", "junior"):
        for r in m.Posting.objects.filter(base, section=section).values("school").annotate(
            teachers=Count("pk"),
            qualified=Count("pk", filter=Q(education__in=QUALIFIED[section])),
            midtitle=Count("pk", filter=Q(title__in=m.MID_TITLE_OR_ABOVE)),
            backbone=Count("pk", filter=Q(backbone__in=m.COUNTY_BACKBONE_OR_ABOVE)),
            pe_art=Count("pk", filter=Q(subject__in=m.PE_ART_SUBJECTS)),
        ):
            teachers[(r["school"], section)] = r
    facts = {f.school_id: f for f in m.SchoolFacts.objects.filter(year=year, school_id__in=ids)}
    rows = []
    for s in schools:
        p = pupils.get(s.pk, {})
        f = facts.get(s.pk)
        row = {
            "school_code": s.code, "school_name": s.name, "county_code": county.code, "school_type": FACTS_TYPES[s.type],
            "parent_code": s.parent.code if s.parent_id else None,
            "students_primary": p.get("primary", 0), "students_junior": p.get("junior", 0), "students_senior": p.get("senior", 0),
        }
        for key in ("teaching_area", "sports_area", "equipment_value", "computers", "books", "multimedia_rooms"):
            value = getattr(f, key) if f else None
            row[key] = float(value) if value is not None else None
        for section in ("primary", "junior"):
            t = teachers.get((s.pk, section), {})
            for key in ("teachers", "qualified", "midtitle", "backbone", "pe_art"):
                row[f"{key}_{section}"] = t.get(key, 0)
        rows.append(row)
    schema = {"school_code": pl.Utf8, "school_name": pl.Utf8, "county_code": pl.Utf8, "school_type": pl.Utf8, "parent_code": pl.Utf8}
    return pl.DataFrame(rows, schema_overrides=schema, infer_schema_length=None)
