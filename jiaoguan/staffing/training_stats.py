"""Training figures: each teacher's five-year 360-学时 account, hours by level, and each school's
training spending against 5% of its 公用经费 budget.

An account counts the 学时 of passed attendance from the first school year of the cycle up to
and including the selected year, wherever the teacher was posted, and compares it with what is
due by then (72 学时 a year of the cycle the teacher has served; see rules.TrainingCycle).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from jiaoguan.registry.models import Posting, School, SchoolFacts

from .models import Attendance, TrainingLevel
from .rules import TrainingCycle, load, school_year_of, share


def _in(qs, schools, field="school"):
    return qs if schools is None else qs.filter(**{f"{field}__in": schools})


@dataclass
class Account:
    teacher: int
    name: str
    school: int
    section: str
    hours: float          # the cycle so far
    year_hours: float     # the selected year
    expected: float

    @property
    def behind(self) -> bool:
        return self.hours + 1e-9 < self.expected

    @property
    def gap(self) -> float:
        return max(0.0, self.expected - self.hours)


def account_postings(year, schools=None, rules: dict | None = None):
    rules = rules or load()
    return _in(Posting.objects.filter(year=year, staffing__in=rules["training"]["staffing"]), schools)


def cycle_attendance(year, cycle: TrainingCycle):
    first = cycle.start_of(year.start.year)
    return Attendance.objects.filter(passed=True, year__start__gte=datetime.date(first, 1, 1), year__start__lte=year.start)


def accounts(year, schools=None, rules: dict | None = None) -> list[Account]:
    rules = rules or load()
    cycle = TrainingCycle.from_rules(rules)
    postings = account_postings(year, schools, rules)
    totals = {t: (float(h or 0), float(y or 0)) for t, h, y in
              cycle_attendance(year, cycle).filter(teacher__in=postings.values("teacher")).values("teacher")
              .annotate(h=Sum("hours"), y=Sum("hours", filter=Q(year=year))).values_list("teacher", "h", "y")}
    out, seen = [], set()
    rows = postings.order_by("teacher", "section").values_list("teacher", "teacher__name", "teacher__work_start", "school", "section")
    for teacher, name, work_start, school, section in rows:
        if teacher in seen:
            continue
        seen.add(teacher)
        hours, year_hours = totals.get(teacher, (0.0, 0.0))
        started = school_year_of(work_start) if work_start else None
        out.append(Account(teacher, name, school, section, hours, year_hours, cycle.expected(year.start.year, started)))
    return out


def training_summary(year, schools=None, rules: dict | None = None, account_list: list[Account] | None = None) -> dict:
    rules = rules or load()
    cycle = TrainingCycle.from_rules(rules)
    acc = account_list if account_list is not None else accounts(year, schools, rules)
    behind = sum(1 for a in acc if a.behind)
    completed = sum(1 for a in acc if a.hours >= cycle.hours)
    first = cycle.start_of(year.start.year)
    levels = dict(TrainingLevel.choices)
    by_level = {row["session__course__level"]: row for row in
                _in(Attendance.objects.filter(year=year, passed=True), schools).values("session__course__level")
                .annotate(teachers=Count("teacher", distinct=True), attendances=Count("pk"), hours=Sum("hours"))}
    return {
        "teachers": len(acc),
        "behind_360_hours": behind,
        "on_pace": len(acc) - behind,
        "on_pace_share": share(len(acc) - behind, len(acc)),
        "completed_360_hours": completed,
        "mean_cycle_hours": round(sum(a.hours for a in acc) / len(acc), 1) if acc else None,
        "mean_year_hours": round(sum(a.year_hours for a in acc) / len(acc), 1) if acc else None,
        "cycle": {"first_year": first, "last_year": first + cycle.years - 1, "hours": cycle.hours,
                  "expected_by_now": cycle.expected(year.start.year)},
        "by_level": [{"level": k, "label": levels[k], "teachers": by_level[k]["teachers"],
                      "attendances": by_level[k]["attendances"], "hours": float(by_level[k]["hours"] or 0)}
                     for k in TrainingLevel.values if k in by_level],
    }


# ---------------------------------------------------------------------------- spending

def school_spending(year, schools=None, rules: dict | None = None) -> list[dict]:
    """Schools with a 公用经费 budget this year: training spend against the required share.
    A missing spend counts as none (and is marked as not reported)."""
    rules = rules or load()
    rate = Decimal(str(rules["training"]["spend"]["share"]))
    facts = (_in(SchoolFacts.objects.filter(year=year, public_funds_budget__gt=0), schools)
             .values_list("school", "public_funds_budget", "training_spend"))
    schools_by_pk = {s.pk: s for s in School.objects.filter(pk__in=[f[0] for f in facts]).select_related("org_unit")}
    rows = []
    for pk, budget, spend in facts:
        required = budget * rate
        rows.append({"school": schools_by_pk[pk], "budget": budget, "spend": spend, "required": required,
                     "share": float((spend or 0) / budget), "under": (spend or 0) < required,
                     "missing": spend is None, "gap": max(Decimal(0), required - (spend or 0))})
    rows.sort(key=lambda r: (not r["under"], r["share"], r["school"].code))
    return rows


def spending_summary(rows: list[dict], rules: dict | None = None) -> dict:
    rules = rules or load()
    under = [r for r in rows if r["under"]]
    return {"schools": len(rows), "under": len(under), "missing": sum(1 for r in rows if r["missing"]),
            "gap_total": float(sum(r["gap"] for r in under)), "required_share": rules["training"]["spend"]["share"]}
