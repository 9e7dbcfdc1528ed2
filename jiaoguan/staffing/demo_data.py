"""Workforce demo data for the demo county (run by `jiaoguan demo` after the registry exists):
three years of rotations (8–14% of the eligible a year, 骨干 15–25% of those) chosen from the
suggested plan, the current year's adopted plan, and courses with attendance and hours.

Deterministic for the seed (one random.Random seeded from it, everything read back in a fixed
order) and written with bulk operations.
"""
from __future__ import annotations

import datetime
import math
import random
import time
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from jiaoguan.core.models import OrgUnit, SchoolYear, User
from jiaoguan.registry.models import Posting, School

from . import planning
from .models import Attendance, Course, Rotation, RotationKind, RotationPlan, RotationPlanLine, Session, TrainingLevel
from .rules import RotationRule, add_years, full_years, load
from .structure import planning_units

TERM_YEARS = {RotationKind.SUPPORT: 1, RotationKind.ROTATION: 3}  # 交流 and 校长交流 are for good


def populate(seed: int, log=print) -> dict:
    started = time.perf_counter()
    rng = random.Random(f"jiaoguan-demo/{seed}/staffing")
    years = list(SchoolYear.objects.order_by("start"))
    if not years:
        return {}
    recorder = User.objects.filter(username="renshi").first()
    rotations = 0
    for county in OrgUnit.objects.filter(level=OrgUnit.Level.COUNTY).order_by("code"):
        schools = School.objects.filter(org_unit__path__startswith=county.path).values("pk")
        for year in years:
            rotations += _rotate(rng, county, schools, year, current=year == years[-1], recorder=recorder)
    log(f"教师交流轮岗：{len(years)}个学年共 {rotations} 人次")
    hours = _training(rng, years)
    log(f"教师培训：{hours['courses']} 个培训项目，{hours['attendances']} 人次（教师队伍演示数据用时 {time.perf_counter() - started:.1f} 秒）")
    return {"rotations": rotations, **hours}


# ---------------------------------------------------------------------------- rotations

def _kind(rng, src: School, dst: School, title: str) -> str:
    if title in ("senior", "senior_full") and rng.random() < 0.06:
        return RotationKind.PRINCIPAL
    if dst.location == "rural" and src.location != "rural":
        return RotationKind.SUPPORT if rng.random() < 0.5 else RotationKind.EXCHANGE
    return RotationKind.ROTATION if rng.random() < 0.45 else RotationKind.EXCHANGE


def _rotate(rng, county, schools, year, *, current: bool, recorder) -> int:
    rules = load()
    rule = RotationRule.from_rules(rules)
    ratios = {k: v for k, v in rules["staffing_ratio"].items() if isinstance(v, (int, float))}
    units = planning_units(year, schools, rules, rule)
    eligible = sum(len(u.eligible) for u in units)
    if not eligible:
        return 0
    wanted = round(eligible * rng.uniform(0.08, 0.14))
    by_code = {s.code: s for s in School.objects.filter(code__in={u.school for u in units})}
    line_of = {}
    if current:
        # this year's plan was adopted from the full suggestion; most of it is recorded so far
        full = planning.suggest(units, ratios=ratios, required_subjects=rules["subjects"]["required"], share=rule.share,
                                backbone_share=rule.backbone_share, keep_rural=rule.rural_sends_only_in_exchange)
        stored = RotationPlan.objects.create(
            org_unit=county, year=year, eligible_years=rule.eligible_years, eligible=full.eligible, required=full.required,
            backbone_required=rule.backbone_required(max(full.required, len(full.moves))), created_by=recorder,
            created_at=timezone.make_aware(datetime.datetime.combine(year.start - datetime.timedelta(days=40), datetime.time(10))),
            note="依据全县缺编、超编和学科缺口测算，经局党组会研究确定")
        lines = RotationPlanLine.objects.bulk_create([
            RotationPlanLine(plan=stored, teacher_id=m.teacher, section=m.section, subject=m.subject,
                             from_school=by_code[m.from_school], to_school=by_code[m.to_school], backbone=m.backbone,
                             reason=m.reason) for m in full.moves])
        line_of = {line.teacher_id: line for line in lines}
        plan = full
        chosen = [m for m in full.moves if rng.random() < 0.85][:wanted]
    else:
        plan = planning.suggest(units, ratios=ratios, required_subjects=rules["subjects"]["required"], share=rule.share,
                                backbone_share=rule.backbone_share, target=wanted,
                                keep_rural=rule.rural_sends_only_in_exchange)
        chosen = list(plan.moves[:wanted])
    chosen = _tune_backbone(rng, chosen, units, plan.moves, rng.uniform(0.15, 0.25))

    teachers = [m.teacher for m in chosen]
    postings = defaultdict(list)
    for p in (Posting.objects.filter(teacher__in=teachers).select_related("year")
              .order_by("teacher", "year__start", "section")):
        postings[(p.teacher_id, p.section)].append(p)
    changed, rows = [], []
    for m in chosen:
        src, dst = by_code[m.from_school], by_code[m.to_school]
        own = postings.get((m.teacher, m.section), [])
        base = next((p for p in own if p.year_id == year.pk), None)
        if base is None:
            continue
        kind = _kind(rng, src, dst, base.title)
        start = year.start + datetime.timedelta(days=rng.randint(0, 6))
        term = TERM_YEARS.get(kind)
        end = add_years(year.start, term) - datetime.timedelta(days=1) if term else None
        since, level = base.at_school_since, base.backbone
        for p in own:
            if p.year.start >= year.start and p.school_id == src.pk and (end is None or p.year.start < end):
                p.school_id, p.at_school_since = dst.pk, start
                if kind == RotationKind.PRINCIPAL:
                    p.role = "校长"
                changed.append(p)
        rows.append(Rotation(
            teacher_id=m.teacher, year=year, kind=kind, section=m.section, subject=m.subject, from_school=src, to_school=dst,
            start=start, end=end, from_since=since, years_at_school=full_years(since, year.start) if since else None,
            eligible=True, backbone=level, plan_line=line_of.get(m.teacher), recorded_by=recorder,
            recorded_at=timezone.make_aware(datetime.datetime.combine(start, datetime.time(9, rng.randint(0, 59)))),
            note="支教一学年" if kind == RotationKind.SUPPORT else ""))
    Posting.objects.bulk_update(changed, ["school", "at_school_since", "role"], batch_size=2000)
    Rotation.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _tune_backbone(rng, chosen: list[planning.Move], units, all_moves, share: float) -> list[planning.Move]:
    """Swap movers for others of the same school, section and subject until 骨干 are about `share`."""
    used = {m.teacher for m in all_moves} | {m.teacher for m in chosen}
    spare = defaultdict(list)
    for u in units:
        for c in sorted(u.eligible, key=lambda c: c.teacher):
            if c.teacher not in used:
                spare[(u.school, u.section, c.subject, c.backbone)].append(c.teacher)
    want = round(share * len(chosen))
    have = sum(1 for m in chosen if m.backbone)
    out = []
    for m in chosen:
        if have != want and m.backbone == (have > want):
            pool = spare.get((m.from_school, m.section, m.subject, not m.backbone))
            if pool:
                m = planning.Move(pool.pop(0), m.section, m.subject, m.from_school, m.to_school, not m.backbone, m.reason)
                have += 1 if m.backbone else -1
        out.append(m)
    return out


# ---------------------------------------------------------------------------- training

NATIONAL = ["国培计划（{y}）—乡村教师能力提升项目", "国培计划（{y}）—中小学骨干教师研修项目", "国培计划（{y}）—信息技术应用能力提升工程2.0"]
PROVINCIAL = ["湖南省{y}年中小学教师学科素养提升培训", "湖南省{y}年乡村学校音体美教师专项培训", "湖南省{y}年班主任能力提升培训"]
CITY = ["湘潭市{y}年新课标实施专题培训", "湘潭市{y}年中小学心理健康教育教师培训", "湘潭市{y}年名师工作室研修", "湘潭市{y}年青年教师教学能力培训"]
COUNTY = ["{y}年新入职教师岗前培训", "{y}年县级骨干教师研修班", "{y}年紧缺薄弱学科教师培训", "{y}年中小学班主任培训",
          "{y}年“送教下乡”培训", "{y}年作业设计与“双减”专题培训", "{y}年中小学校长（园长）任职资格培训", "{y}年学前教育保教能力提升培训"]
LEVEL_PLAN = [  # level, names, share of teachers per course, hours per session (min, max), sessions, organizer
    (TrainingLevel.NATIONAL, NATIONAL, 0.012, (60, 120), 1, "国培计划项目承办院校"),
    (TrainingLevel.PROVINCE, PROVINCIAL, 0.015, (40, 80), 1, "湖南省中小学教师发展中心"),
    (TrainingLevel.CITY, CITY, 0.025, (24, 40), 2, "湘潭市教育科学研究院"),
    (TrainingLevel.COUNTY, COUNTY, 0.07, (12, 32), 3, "县教师发展中心"),
]


def _session_dates(rng, year, hours: float):
    days = max(1, math.ceil(hours / 8))
    first = datetime.date(year.start.year, 9, 15)
    last = datetime.date(year.start.year + 1, 7, 10) - datetime.timedelta(days=days + 1)
    start = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
    return start, start + datetime.timedelta(days=days - 1)


def _training(rng, years) -> dict:
    teacher_rows = defaultdict(list)  # year pk → [(teacher, school, section, backbone, location)]
    for t, y, s, section, backbone, loc in (Posting.objects.order_by("year__start", "teacher", "section")
                                            .values_list("teacher", "year", "school", "section", "backbone", "school__location")):
        rows = teacher_rows[y]
        if not rows or rows[-1][0] != t:
            rows.append((t, s, section, backbone, loc))
    # how keen each teacher is, the same across years: most complete their hours, some fall behind
    keen = {}
    for y in years:
        for t, *_ in teacher_rows[y.pk]:
            if t not in keen:
                keen[t] = rng.uniform(0.35, 0.6) if rng.random() < 0.12 else max(0.8, rng.gauss(1.12, 0.08))
    courses = sessions_n = 0
    attendance: list[Attendance] = []
    for year in years:
        staff = teacher_rows[year.pk]
        y = year.start.year
        for level, names, share, (lo, hi), n_sessions, organizer in LEVEL_PLAN:
            for name in names:
                course = Course.objects.create(year=year, level=level, name=name.format(y=y), organizer=organizer)
                courses += 1
                for k in range(n_sessions):
                    hours = rng.randint(lo // 4, hi // 4) * 4
                    start, end = _session_dates(rng, year, hours)
                    session = Session.objects.create(course=course, name=f"第{k + 1}期", start=start, end=end)
                    sessions_n += 1
                    size = max(3, round(len(staff) * share / n_sessions))
                    weights = [(keen[t] + (0.6 if bb else 0) + (0.3 if loc == "rural" else 0)) for t, _, _, bb, loc in staff]
                    picked = set()
                    for t, school, *_ in _weighted_sample(rng, staff, weights, size):
                        if t in picked:
                            continue
                        picked.add(t)
                        attendance.append(Attendance(session=session, teacher_id=t, school_id=school, year=year,
                                                     hours=Decimal(hours), passed=rng.random() > 0.01))
        # 校本研修: every school, the whole year; hours by how keen the teacher is
        by_school = defaultdict(list)
        for row in staff:
            by_school[row[1]].append(row)
        schools = {s.pk: s for s in School.objects.filter(pk__in=by_school)}
        for pk in sorted(by_school):
            course = Course.objects.create(year=year, level=TrainingLevel.SCHOOL, name=f"{y}—{y + 1}学年校本研修",
                                           organizer=schools[pk].name, school=schools[pk])
            session = Session.objects.create(course=course, name="全年", start=datetime.date(y, 9, 10), end=datetime.date(y + 1, 6, 30))
            courses += 1
            for t, *_ in by_school[pk]:
                base = 72 * keen[t] + rng.uniform(-4, 4)
                attendance.append(Attendance(session=session, teacher_id=t, school_id=pk, year=year,
                                             hours=Decimal(max(6, round(base))), passed=True))
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    return {"courses": courses, "sessions": sessions_n, "attendances": len(attendance)}


def _weighted_sample(rng, items, weights, k):
    """k draws with replacement (duplicates are skipped by the caller)."""
    return rng.choices(items, weights=weights, k=k)
