"""The shape of the staff in a school year: pupils and teachers per school and section against
the 编制 standard, subject coverage, the age pyramid, 学历 and 职称 mix, retirements due.

Counts come from the database grouped (teachers per school, section and subject; pupils per
school and grade); only the few thousand teacher birth dates are read one by one for ages.
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from jiaoguan.registry.models import (Education, Enrolment, Location, ON_ROLL, Posting, School, Section,
                                      Subject, Title)

from jiaoguan.indicators.grades import section_of as grade_section

from . import planning
from .rules import (RotationRule, add_years, age_band, band_labels, eligible_cutoff, full_years, load,
                    retirement_date, share)

SECTION_LABELS = dict(Section.choices)
SUBJECT_LABELS = dict(Subject.choices)
LOCATION_LABELS = dict(Location.choices)


def section_of_grade(school_type: str, grade: int) -> str:
    return Section(grade_section(grade, school_type))


def _in(qs, schools, field="school"):
    return qs if schools is None else qs.filter(**{f"{field}__in": schools})


@dataclass
class SchoolSection:
    school: School
    section: str
    pupils: int = 0
    teachers: dict[str, int] = field(default_factory=dict)
    ratio_standard: float | None = None

    @property
    def headcount(self) -> int:
        return sum(self.teachers.values())

    @property
    def section_label(self) -> str:
        return SECTION_LABELS.get(self.section, self.section)

    @property
    def standard(self) -> int | None:
        return planning.standard_teachers(self.pupils, self.ratio_standard)

    @property
    def gap(self) -> int | None:
        """Teachers above (+) or below (−) the standard."""
        return None if self.standard is None else self.headcount - self.standard

    @property
    def ratio(self) -> float | None:
        return self.pupils / self.headcount if self.headcount else None


def school_sections(year, schools=None, rules: dict | None = None) -> list[SchoolSection]:
    """Every school section with pupils or teachers this year."""
    rules = rules or load()
    ratios = {k: v for k, v in rules["staffing_ratio"].items() if isinstance(v, (int, float))}
    units: dict[tuple[int, str], SchoolSection] = {}
    school_objs = {s.pk: s for s in _in(School.objects.all(), schools, "pk").select_related("org_unit")}

    def unit(pk, section):
        key = (pk, section)
        if key not in units:
            units[key] = SchoolSection(school_objs[pk], section, ratio_standard=ratios.get(section))
        return units[key]

    pupils = (_in(Enrolment.objects.filter(year=year, status__in=ON_ROLL), schools)
              .values_list("school", "school__type", "grade").annotate(n=Count("pk")))
    for pk, stype, grade, n in pupils:
        if pk in school_objs:
            unit(pk, section_of_grade(stype, grade)).pupils += n
    teachers = _in(Posting.objects.filter(year=year), schools).values_list("school", "section", "subject").annotate(n=Count("pk"))
    for pk, section, subject, n in teachers:
        if pk in school_objs:
            u = unit(pk, section)
            u.teachers[subject] = u.teachers.get(subject, 0) + n
    return sorted(units.values(), key=lambda u: (u.school.org_unit.path, u.school.code, u.section))


def ratio_rows(units: list[SchoolSection]) -> list[SchoolSection]:
    """Sections with a 编制 standard and pupils, those furthest under it first."""
    rows = [u for u in units if u.ratio_standard and u.pupils]
    return sorted(rows, key=lambda u: (u.gap, -(u.ratio or 0), u.school.code))


def ratio_summary(units: list[SchoolSection]) -> dict:
    rows = ratio_rows(units)
    by_section = {}
    for u in rows:
        s = by_section.setdefault(u.section, {"section": u.section, "label": SECTION_LABELS[u.section], "pupils": 0,
                                              "teachers": 0, "standard_ratio": u.ratio_standard, "schools": 0,
                                              "schools_short": 0, "short": 0, "surplus": 0})
        s["pupils"] += u.pupils
        s["teachers"] += u.headcount
        s["schools"] += 1
        if u.gap < 0:
            s["schools_short"] += 1
            s["short"] -= u.gap
        else:
            s["surplus"] += u.gap
    for s in by_section.values():
        s["ratio"] = s["pupils"] / s["teachers"] if s["teachers"] else None
    order = list(SECTION_LABELS)
    return {"sections": sorted(by_section.values(), key=lambda s: order.index(s["section"])),
            "schools_short": sum(s["schools_short"] for s in by_section.values()),
            "short": sum(s["short"] for s in by_section.values())}


def subject_gaps(units: list[SchoolSection], rules: dict | None = None) -> list[dict]:
    """School sections missing a required subject teacher (体育, 音乐, 美术, 英语, 信息科技)."""
    rules = rules or load()
    cfg = rules["subjects"]
    rows = []
    for u in units:
        if u.section not in cfg["sections"] or u.school.type in cfg["exclude_school_types"] or not u.pupils:
            continue
        missing = [s for s in cfg["required"] if not u.teachers.get(s)]
        if missing:
            rows.append({"school": u.school, "section": u.section, "section_label": SECTION_LABELS[u.section],
                         "pupils": u.pupils, "teachers": u.headcount, "missing": missing,
                         "missing_labels": [SUBJECT_LABELS[s] for s in missing]})
    return sorted(rows, key=lambda r: (-len(r["missing"]), -r["pupils"], r["school"].code))


def subject_gap_counts(gaps: list[dict], rules: dict | None = None) -> list[dict]:
    rules = rules or load()
    return [{"subject": s, "label": SUBJECT_LABELS[s], "schools": sum(1 for g in gaps if s in g["missing"])}
            for s in rules["subjects"]["required"]]


# ---------------------------------------------------------------------------- planning input

def planning_units(year, schools=None, rules: dict | None = None, rule: RotationRule | None = None,
                   units: list[SchoolSection] | None = None) -> list[planning.Unit]:
    """The plan's view of the schools: counted sections of public schools, their eligible teachers."""
    rules = rules or load()
    rule = rule or RotationRule.from_rules(rules)
    from .rotation_stats import eligible_postings

    units = units if units is not None else school_sections(year, schools, rules)
    candidates = defaultdict(list)
    for teacher, school, section, subject, backbone in eligible_postings(year, schools, rule).order_by("teacher", "section").values_list(
            "teacher", "school", "section", "subject", "backbone"):
        candidates[(school, section)].append(planning.Candidate(teacher, subject, backbone in rule.backbone_levels))
    cfg = rules["subjects"]
    out = []
    for u in units:
        if u.section not in rule.sections or u.school.ownership not in rule.ownership:
            continue
        out.append(planning.Unit(
            school=u.school.code, section=u.section, pupils=u.pupils, teachers=dict(u.teachers),
            eligible=candidates.get((u.school.pk, u.section), []), location=u.school.location,
            needs_subjects=u.section in cfg["sections"] and u.school.type not in cfg["exclude_school_types"] and u.pupils > 0,
        ))
    return out


def suggest_plan(year, schools=None, rules: dict | None = None, rule: RotationRule | None = None,
                 target: int | None = None) -> planning.Plan:
    rules = rules or load()
    rule = rule or RotationRule.from_rules(rules)
    ratios = {k: v for k, v in rules["staffing_ratio"].items() if isinstance(v, (int, float))}
    return planning.suggest(planning_units(year, schools, rules, rule), ratios=ratios,
                            required_subjects=rules["subjects"]["required"], share=rule.share,
                            backbone_share=rule.backbone_share, target=target,
                            keep_rural=rule.rural_sends_only_in_exchange)


# ---------------------------------------------------------------------------- people

def _teacher_rows(year, schools):
    """(teacher, sex, birth, section, location) once per teacher (their first section)."""
    seen = set()
    rows = _in(Posting.objects.filter(year=year), schools).order_by("teacher", "section").values_list(
        "teacher", "teacher__sex", "teacher__birth_date", "section", "school__location")
    for row in rows:
        if row[0] not in seen:
            seen.add(row[0])
            yield row


def age_structure(year, schools=None, rules: dict | None = None, on: datetime.date | None = None) -> dict:
    """Age pyramid (men and women per band) for every section × location, plus totals."""
    rules = rules or load()
    bands = rules["age"]["bands"]
    on = on or year.start
    horizon = rules["retirement"]["horizon_years"]
    until = add_years(on, horizon)
    pyramid: dict[str, dict[str, dict[str, list[int]]]] = {}

    def cell(section, location):
        return pyramid.setdefault(section, {}).setdefault(location, {"male": [0] * len(bands), "female": [0] * len(bands)})

    n = total_age = under30 = over50 = 0
    retiring = overdue = 0
    retiring_by_year = [0] * horizon
    by_location = defaultdict(lambda: [0, 0])
    for _teacher, sex, birth, section, location in _teacher_rows(year, schools):
        age = full_years(birth, on)
        band = age_band(age, bands)
        key = "female" if sex == "女" else "male"
        for s in (section, "all"):
            for loc in (location, "all"):
                cell(s, loc)[key][band] += 1
        n += 1
        total_age += age
        under30 += age < 30
        over50 += age >= 50
        by_location[location][0] += 1
        by_location[location][1] += age
        retire = retirement_date(birth, sex, rules)
        if retire < on:
            overdue += 1
        elif retire < until:
            retiring += 1
            retiring_by_year[min(full_years(on, retire), horizon - 1)] += 1
    return {
        "on": on.isoformat(),
        "teachers": n,
        "mean_age": round(total_age / n, 1) if n else None,
        "under_30": under30,
        "age_50_and_over": over50,
        "share_50_and_over": share(over50, n),
        "retiring_within_years": horizon,
        "retiring": retiring,
        "retiring_by_year": [{"year": f"{on.year + i}-{on.year + i + 1}", "teachers": c} for i, c in enumerate(retiring_by_year)],
        "past_retirement_age": overdue,
        "mean_age_by_location": {loc: round(a / c, 1) for loc, (c, a) in sorted(by_location.items()) if c},
        "bands": band_labels(bands),
        "pyramid": pyramid,
    }


def retirements(year, schools=None, rules: dict | None = None, on: datetime.date | None = None) -> list[dict]:
    """Teachers reaching retirement age within the horizon, the soonest first (with their posting)."""
    rules = rules or load()
    on = on or year.start
    until = add_years(on, rules["retirement"]["horizon_years"])
    # men retire at the higher age: anyone born after (on − male age − 1 year) cannot be due
    oldest = add_years(on, -max(rules["retirement"]["male"], rules["retirement"]["female"]) - 1)
    youngest = add_years(until, -min(rules["retirement"]["male"], rules["retirement"]["female"]))
    postings = (_in(Posting.objects.filter(year=year), schools)
                .filter(teacher__birth_date__gte=oldest, teacher__birth_date__lt=youngest)
                .select_related("teacher", "school").order_by("teacher", "section"))
    rows, seen = [], set()
    for p in postings:
        if p.teacher_id in seen:
            continue
        seen.add(p.teacher_id)
        retire = retirement_date(p.teacher.birth_date, p.teacher.sex, rules)
        if on <= retire < until:
            rows.append({"posting": p, "teacher": p.teacher, "school": p.school, "date": retire})
    return sorted(rows, key=lambda r: (r["date"], r["teacher"].pk))


def mix(year, schools=None) -> dict:
    """学历 and 职称 of the teachers per section (counts), in the choices' order."""
    qs = _in(Posting.objects.filter(year=year), schools)
    sections = [s for s, _ in Section.choices]
    out = {}
    for name, enum in (("education", Education), ("title", Title)):
        counts = defaultdict(dict)
        for section, value, n in qs.values_list("section", name).annotate(n=Count("pk")):
            counts[section][value] = n
        rows = []
        for s in sections:
            if s in counts:
                total = sum(counts[s].values())
                rows.append({"section": s, "label": SECTION_LABELS[s], "total": total,
                             "cells": [{"value": v, "n": counts[s].get(v, 0), "share": share(counts[s].get(v, 0), total)}
                                       for v, _ in enum.choices]})
        out[name] = {"columns": [label for _, label in enum.choices], "rows": rows}
    return out


def eligibility_note(year, rule: RotationRule) -> str:
    d = eligible_cutoff(year.start, rule.eligible_years)
    return f"{d.year}年{d.month}月{d.day}日及以前到校"
