"""Aid statistics the way the county work reports give them: per programme and stage, pupils
and amount actually paid (万元), by township and school, year on year. Aggregated in the
database; every query starts from `.restrict(user)` (None: the whole database, for the CLI)."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum

from jiaoguan.core import text
from jiaoguan.core.models import SchoolYear

from .models import Entitlement, EntitlementList, LoanApplication, LoanStatus, PaymentStatus
from .programmes import LEVEL_LABELS, STAGE_LABELS, STAGES, programmes

def wan(amount, digits: int = 4) -> str:
    """Yuan → 万元 as the aid reports write it: at least two decimals, at most four (82.03, 177.1938)."""
    return text.wan(amount or 0, digits, keep=2)


def _scoped(model, user):
    return model.objects.all() if user is None else model.objects.restrict(user)


def paid(user, year, *, school=None, seasons=None):
    """Lines paid in the school year (only the given seasons' terms, if given)."""
    qs = _scoped(Entitlement, user).filter(term__year=year, payment_status=PaymentStatus.PAID)
    if seasons is not None:
        qs = qs.filter(term__season__in=list(seasons))
    return qs.filter(school=school) if school is not None else qs


def paid_seasons(user, year) -> set[str]:
    """The seasons of the year with anything paid: a year under way is compared with the same
    terms of the year before (上学年同期), not with the whole of it."""
    return set(paid(user, year).values_list("term__season", flat=True).distinct())


def granted_loans(user, year):
    return _scoped(LoanApplication, user).filter(year=year, status=LoanStatus.GRANTED)


def group(qs, keys: list[str]) -> dict[tuple, dict]:
    """Paid lines grouped by `keys`: pupils paid individually (distinct), pupils covered by a
    school line (营养膳食补助: the larger term's head count), 人次 and amount."""
    out: dict[tuple, dict] = {}

    def slot(k):
        return out.setdefault(k, {"pupils": 0, "school_pupils": 0, "times": 0, "amount": Decimal(0)})

    for r in qs.filter(pupil__isnull=False).values(*keys).annotate(p=Count("pupil", distinct=True), t=Count("pk"), a=Sum("amount")):
        d = slot(tuple(r[k] for k in keys))
        d["pupils"], d["times"], d["amount"] = r["p"], r["t"], r["a"] or Decimal(0)
    per_term: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))
    for r in qs.filter(pupil__isnull=True).values(*keys, "term").annotate(n=Sum("headcount"), a=Sum("amount")):
        k = tuple(r[x] for x in keys)
        d = slot(k)
        d["times"] += r["n"]
        d["amount"] += r["a"] or Decimal(0)
        per_term[k][r["term"]] += r["n"]
    for k, terms in per_term.items():
        out[k]["school_pupils"] = max(terms.values())
    return out


def programme_rows(user, year, *, school=None, seasons=None) -> list[dict]:
    """One row per programme and stage: pupils, 人次, amount paid, the year's standard."""
    table = programmes()
    found = {k: {**v, "pupils": v["pupils"] + v["school_pupils"]}
             for k, v in group(paid(user, year, school=school, seasons=seasons), ["programme", "stage"]).items()}
    loans = granted_loans(user, year) if school is None else granted_loans(user, year).filter(school=school)
    loan = loans.aggregate(pupils=Count("pupil", distinct=True), times=Count("pk"), amount=Sum("amount"))
    if loan["times"] and (seasons is None or "autumn" in seasons):  # loans are granted in the autumn
        found[("student_loan", "higher")] = loan
    rows = []
    for p in table:
        for stage in p.stages:
            r = found.get((p.id, stage))
            if r is None:
                continue
            rows.append({
                "id": p.id, "name": p.name, "short": p.short, "stage": stage, "stage_label": STAGE_LABELS[stage],
                "level": p.level, "level_label": LEVEL_LABELS[p.level], "payment": p.payment,
                "pupils": r["pupils"], "times": r["times"], "amount": r["amount"] or Decimal(0),
                "standard": table.year_standard(p, year.start.year, stage),
            })
    return rows


def totals(user, year, *, school=None, seasons=None) -> dict:
    """Grants only (loans are lent, not granted): pupils paid individually (distinct), pupils
    covered by school lines, 人次 and amount."""
    qs = paid(user, year, school=school, seasons=seasons)
    t = qs.filter(pupil__isnull=False).aggregate(pupils=Count("pupil", distinct=True), times=Count("pk"), amount=Sum("amount"))
    by_term = list(qs.filter(pupil__isnull=True).values("term").annotate(n=Sum("headcount"), a=Sum("amount")))
    return {"pupils": t["pupils"] or 0, "school_pupils": max((r["n"] for r in by_term), default=0),
            "times": (t["times"] or 0) + sum(r["n"] for r in by_term),
            "amount": (t["amount"] or Decimal(0)) + sum((r["a"] for r in by_term), Decimal(0))}


def stage_rows(user, year) -> list[dict]:
    found = group(paid(user, year), ["stage"])
    return [{"stage": s, "label": STAGE_LABELS[s], **found[(s,)]} for s in STAGES if (s,) in found]


def township_rows(user, year) -> list[dict]:
    found = group(paid(user, year), ["school__org_unit__name", "school__org_unit__path"])
    schools = dict(paid(user, year).values_list("school__org_unit__path").annotate(n=Count("school", distinct=True)))
    return [{"name": name, "schools": schools.get(path, 0), **v} for (name, path), v in sorted(found.items(), key=lambda kv: kv[0][1])]


def school_rows(user, year) -> list[dict]:
    found = group(paid(user, year), ["school_id", "school__code", "school__name", "school__org_unit__name"])
    rows = [{"id": k[0], "code": k[1], "name": k[2], "township": k[3], **v} for k, v in found.items()]
    return sorted(rows, key=lambda r: (-r["amount"], r["code"]))


def with_previous(rows: list[dict], previous: list[dict]) -> list[dict]:
    """Add last year's pupils and amount and the change, matched on programme and stage."""
    before = {(r["id"], r["stage"]): r for r in previous}
    for r in rows:
        b = before.get((r["id"], r["stage"]))
        r["prev_pupils"] = b["pupils"] if b else None
        r["prev_amount"] = b["amount"] if b else None
        r["change"] = (float(r["amount"] / b["amount"] - 1) if b and b["amount"] else None)
    return rows


def previous_year(year) -> SchoolYear | None:
    return SchoolYear.objects.filter(start__lt=year.start).order_by("-start").first()


def years_with_data(user) -> list[SchoolYear]:
    ids = set(_scoped(EntitlementList, user).values_list("term__year", flat=True).distinct())
    return list(SchoolYear.objects.filter(pk__in=ids).order_by("start"))


def report_sentence(rows: list[dict], year) -> str:
    """The paragraph a work report would print, e.g. “义务教育阶段发放寄宿生生活补助1350人，
    资助金额82.03万元；…”."""
    parts = []
    for level in LEVEL_LABELS:
        mine = [r for r in rows if r["level"] == level]
        if not mine:
            continue
        merged: dict[str, dict] = {}
        for r in mine:
            m = merged.setdefault(r["id"], {"short": r["short"], "pupils": 0, "amount": Decimal(0), "payment": r["payment"]})
            m["pupils"] += r["pupils"]
            m["amount"] += r["amount"]
        verbs = {"bank": "发放", "school": "落实", "waiver": "免除", "loan": "办理"}
        items = [f"{verbs[m['payment']]}{m['short']}{m['pupils']:,}人，金额{wan(m['amount'])}万元" for m in merged.values()]
        parts.append(f"{LEVEL_LABELS[level]}阶段" + "，".join(items))
    return f"{year}学年，" + "；".join(parts) + "。" if parts else ""
