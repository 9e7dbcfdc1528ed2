"""督导评估 pages: the county's verdicts from the stored runs, one indicator in detail, and a
school's self-check. Every page reads stored Runs (the figures the report will quote); only
“立即测算/重新测算” computes.

Scope: a user whose unit contains the county (or an unrestricted user) sees the whole county;
an inspector or a township user sees the county figures but only its own schools by name; a
school administrator sees its own school's self-check. A county outside all that is a 404."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jiaoguan.core.models import OrgUnit, Role, SchoolYear, Section
from jiaoguan.core.scope import unrestricted
from jiaoguan.indicators.balance import STAGES
from jiaoguan.registry.models import School

from . import present as p
from .actions import STANDARDS, run_evaluation
from .models import Run

RUN_SECTIONS = (Section.SUPERVISION, Section.BASIC)
HORIZONTAL_MAX = 60


# ---------------------------------------------------------------------------- scope

def selected_year(request) -> SchoolYear | None:
    code = request.GET.get("year") or request.POST.get("year")
    year = SchoolYear.objects.filter(code=code).first() if code else None
    return year or SchoolYear.current()


def can_run(user) -> bool:
    """系统管理员, or 督导室 / 基础教育股 staff, may compute (and recompute) a county."""
    if unrestricted(user):
        return True
    return user.role == Role.STAFF and user.section in RUN_SECTIONS


def is_school_admin(user) -> bool:
    return not unrestricted(user) and user.role == Role.SCHOOL_ADMIN


def sees_whole(user, county: OrgUnit) -> bool:
    """The user's unit contains the county: every school of it may be shown by name."""
    if unrestricted(user):
        return True
    unit = user.org_unit if user.org_unit_id and user.role in (Role.LEADER, Role.STAFF) else None
    return bool(unit and county.path.startswith(unit.path))


def accessible_counties(user) -> list[OrgUnit]:
    counties = OrgUnit.objects.filter(level=OrgUnit.Level.COUNTY).order_by("path")
    if unrestricted(user):
        return list(counties)
    unit = user.org_unit if user.org_unit_id and user.role in (Role.LEADER, Role.STAFF) else None
    if unit and unit.level in (OrgUnit.Level.PROVINCE, OrgUnit.Level.CITY, OrgUnit.Level.COUNTY):
        return list(counties.filter(path__startswith=unit.path))
    # inspectors and township users: the counties their schools are in
    paths = set(School.objects.restrict(user).values_list("org_unit__path", flat=True).distinct())
    return [c for c in counties if any(path.startswith(c.path) for path in paths)]


def county_or_404(user, code: str) -> OrgUnit:
    county = get_object_or_404(OrgUnit, code=code, level=OrgUnit.Level.COUNTY)
    if sees_whole(user, county):
        return county
    if School.objects.restrict(user).filter(org_unit__path__startswith=county.path).exists():
        return county
    raise Http404("不在您的范围内")


def visible_codes(user, county: OrgUnit) -> set[str] | None:
    """The codes of the county's schools the user may see by name (None: all of them)."""
    if sees_whole(user, county):
        return None
    return set(School.objects.restrict(user).filter(org_unit__path__startswith=county.path).values_list("code", flat=True))


class Namer:
    """School names for the pages; schools outside the user's scope become “范围外学校 n”."""

    def __init__(self, county: OrgUnit, visible: set[str] | None):
        self.county, self.visible, self.hidden = county, visible, {}

    def shown(self, code: str) -> bool:
        return self.visible is None or code in self.visible

    def __call__(self, code: str, name: str, *, short: bool = False) -> str:
        if not self.shown(code):
            n = self.hidden.setdefault(code, len(self.hidden) + 1)
            return f"范围外学校{n}"
        if short and name.startswith(self.county.name) and len(name) > len(self.county.name):
            return name[len(self.county.name):]
        return name


def _url(name, *args, year=None, **params):
    url = reverse(name, args=args)
    query = {**({"year": year.code} if year else {}), **params}
    return f"{url}?{urlencode(query)}" if query else url


def _latest_runs(county, year) -> dict[str, Run | None]:
    return {s: Run.latest(county, year, s) if year else None for s in STANDARDS}


# ---------------------------------------------------------------------------- county

def county_page(request, code: str | None = None):
    user = request.user
    year = selected_year(request)
    if is_school_admin(user):
        if user.school_id:
            return redirect(_url("supervision_school", user.school.code, year=year))
        raise Http404("没有所属学校")
    if code is None:
        counties = accessible_counties(user)
        if len(counties) == 1:
            return redirect(_url("supervision_county", counties[0].code, year=year))
        return render(request, "supervision/pick.html", {
            "counties": [{"county": c, "url": _url("supervision_county", c.code, year=year)} for c in counties], "year": year})
    county = county_or_404(user, code)
    runs = _latest_runs(county, year)
    namer = Namer(county, visible_codes(user, county))

    cards, sections = [], []
    for sid in p.STANDARD_ORDER:
        run = runs.get(sid)
        if run is None:
            continue
        std = p.standard(sid)
        for stage in STAGES:
            st = p.stage_block(run.result, county.code, stage)
            schools = p.school_entries(run.result, county.code, stage)
            card = p.stage_verdict(sid, st, schools)
            card.update(standard=sid, short=p.STANDARD_SHORT[sid], stage=stage, stage_label=p.stage_label(stage))
            cards.append(card)
            if st is None:
                continue
            rows = p.stage_rows(sid, st)
            for r in rows:
                r["url"] = _url("supervision_indicator", county.code, sid, stage, r["id"], year=year)
            sections.append({
                "standard": sid, "name": std["name"], "short": p.STANDARD_SHORT[sid], "doc": p.STANDARD_DOC[sid],
                "stage": stage, "stage_label": p.stage_label(stage), "block": st, "rows": rows, "card": card,
                "composite": std["county_rule"] == "composite", "sources": p.sources(sid),
            })

    school_rows = []
    quality = runs.get("quality-2017")
    if quality:
        for entry in quality.result.get("schools", []):
            if entry["county_code"] != county.code or not namer.shown(entry["school_code"]):
                continue
            school_rows.append({
                "code": entry["school_code"], "name": entry["school_name"], "stage": p.stage_label(entry["stage"]),
                "pupils": entry["pupils"], "met": entry["met_count"], "total": len(entry["indicators"]), "passed": entry["passed"],
                "url": _url("supervision_school", entry["school_code"], year=year),
            })
        school_rows.sort(key=lambda r: (bool(r["passed"]), r["met"] or 0, r["code"]))
    excluded = []
    seen = set()
    for run in runs.values():
        for e in (run.result.get("excluded", []) if run else []):
            key = (e["school_code"], e["stage"], e["reason"])
            if key in seen:
                continue
            seen.add(key)
            excluded.append({**e, "school_name": namer(e["school_code"], e["school_name"]), "stage_label": p.stage_label(e["stage"])})
    stamp = max((r for r in runs.values() if r), key=lambda r: r.created, default=None)
    context = {
        "county": county, "year": year, "years": SchoolYear.objects.all(), "runs": runs, "stamp": stamp,
        "cards": cards, "sections": sections, "school_rows": school_rows, "excluded": excluded,
        "can_run": can_run(user) and sees_whole(user, county) and year is not None,
        "partial": namer.visible is not None, "counties": accessible_counties(user) if unrestricted(user) or user.org_unit_id else [],
    }
    return render(request, "supervision/county.html", context)


@require_POST
def run_now(request, code: str):
    user = request.user
    if not can_run(user):
        raise PermissionDenied("只有系统管理员、督导室和基础教育股可以测算")
    county = county_or_404(user, code)
    if not sees_whole(user, county):
        raise PermissionDenied("只能测算本单位所辖的县区")
    year = selected_year(request)
    if year is None:
        raise Http404("还没有学年")
    runs = run_evaluation(county, year, user=user)
    verdicts = []
    for run in sorted(runs, key=lambda r: p.STANDARD_ORDER.index(r.standard)):
        for label, ok in p.run_verdicts(run.result, run.standard, county.code):
            verdicts.append(f"{label}{'达到' if ok else '未达到'}")
    messages.success(request, f"已完成{county.name}{year}学年校际均衡测算：" + ("，".join(verdicts) or "没有可测算的学校") + "。")
    return redirect(_url("supervision_county", county.code, year=year))


# ---------------------------------------------------------------------------- indicator

def indicator_page(request, code: str, standard: str, stage: str, indicator: str):
    user = request.user
    year = selected_year(request)
    if is_school_admin(user):
        if user.school_id:
            return redirect(_url("supervision_school", user.school.code, year=year))
        raise Http404("没有所属学校")
    if standard not in STANDARDS or stage not in STAGES:
        raise Http404("没有这个标准或学段")
    ind = p.indicator_def(standard, indicator)
    if ind is None:
        raise Http404("没有这个指标")
    county = county_or_404(user, code)
    run = Run.latest(county, year, standard) if year else None
    st = p.stage_block(run.result, county.code, stage) if run else None
    item = next((i for i in st["indicators"] if i["id"] == indicator), None) if st else None
    context = {"county": county, "year": year, "years": SchoolYear.objects.all(), "ind": ind, "standard": standard,
               "std": p.standard(standard), "short": p.STANDARD_SHORT[standard], "stage": stage,
               "stage_label": p.stage_label(stage), "run": run, "item": item,
               "county_url": _url("supervision_county", county.code, year=year)}
    if item is None:
        return render(request, "supervision/indicator.html", context)

    namer = Namer(county, visible_codes(user, county))
    digits = p.value_digits(ind)
    threshold = ind.get("threshold", {}).get(stage)
    rows = []
    for entry in p.school_entries(run.result, county.code, stage):
        v = next(i for i in entry["indicators"] if i["id"] == indicator)
        rows.append({"code": entry["school_code"], "name": namer(entry["school_code"], entry["school_name"]),
                     "short": namer(entry["school_code"], entry["school_name"], short=True), "shown": namer.shown(entry["school_code"]),
                     "pupils": entry["pupils"], "raw": v["value"], "value": p.value_text(v["value"], ind),
                     "threshold": p.value_text(v.get("threshold"), ind) if v.get("threshold") is not None else p.DASH,
                     "met": v.get("met"), "gap": ("还差 " + p.amount_text(v["gap"], ind)) if v.get("met") is False else p.DASH,
                     "share": v.get("variance_share") or 0.0, "share_text": p.pct(v.get("variance_share")),
                     "above": (v["value"] or 0) > (item["county_value"] or 0),
                     "url": _url("supervision_school", entry["school_code"], year=year) if namer.shown(entry["school_code"]) else None})
    rows.sort(key=lambda r: (r["raw"] is None, r["raw"] or 0))
    top = sorted(rows, key=lambda r: -r["share"])[:5]
    names = {r["code"]: r for r in rows}
    plan = []
    for n, step in enumerate(item.get("plan") or [], 1):
        r = names.get(step["school_code"])
        plan.append({"n": n, "name": r["name"] if r else step["school_code"], "url": r["url"] if r else None,
                     "add": p.amount_text(step["add"], ind), "cv_after": p.cv_text(step["cv_after"])})

    chart = {
        "title": f"{ind['name']}（{ind['unit']}）", "unit": ind["unit"], "digits": digits,
        "names": [r["short"] for r in rows], "full_names": [r["name"] for r in rows],
        "values": [round(r["raw"], 6) if r["raw"] is not None else None for r in rows],
        "below": [r["met"] is False for r in rows],
        "threshold": threshold, "county_value": item["county_value"],
        # one bar a row, names readable, up to 60 schools; beyond that, columns with a zoom slider
        "horizontal": len(rows) <= HORIZONTAL_MAX,
    }
    trend = []
    for y in SchoolYear.objects.order_by("start"):
        r = Run.objects.filter(county=county, year=y, standard=standard).defer("facts").order_by("-created").first()
        sb = p.stage_block(r.result, county.code, stage) if r else None
        i = next((x for x in sb["indicators"] if x["id"] == indicator), None) if sb else None
        if i is not None and i["cv"] is not None:
            trend.append({"year": y.code, "cv": round(i["cv"], 4)})
    trend_chart = {"years": [t["year"] for t in trend], "cvs": [t["cv"] for t in trend], "limit": item.get("cv_limit")}
    context.update(
        rows=rows, top=top, plan=plan, chart=chart, trend=trend, trend_chart=trend_chart, threshold=threshold,
        county_value=p.value_text(item["county_value"], ind, unit=True), cv=p.cv_text(item["cv"]),
        limit=p.num(item["cv_limit"], 2) if item.get("cv_limit") is not None else None,
        composite_limit=p.num(p.standard(standard).get("composite", {}).get(stage), 2) if standard == "basic-2012" else None,
        threshold_text=p.value_text(threshold, ind, unit=True) if threshold is not None else None,
        over=item.get("passed") is False, partial=namer.visible is not None,
        below_count=sum(1 for r in rows if r["met"] is False),
        gap_total=p.amount_text(item.get("gap_total"), ind) if threshold is not None else None,
        chart_height=max(320, 26 * len(rows) + 110) if len(rows) <= HORIZONTAL_MAX else 460,
    )
    return render(request, "supervision/indicator.html", context)


# ---------------------------------------------------------------------------- school self-check

def school_page(request, code: str):
    user = request.user
    school = get_object_or_404(School.objects.restrict(user).select_related("org_unit"), code=code)
    year = selected_year(request)
    county = school.org_unit.county if school.org_unit_id else None
    runs = _latest_runs(county, year) if county else {s: None for s in STANDARDS}
    quality, basic = runs.get("quality-2017"), runs.get("basic-2012")
    stages = []
    if quality:
        for entry in quality.result.get("schools", []):
            if entry["school_code"] != school.code:
                continue
            check = p.school_check("quality-2017", entry)
            stage = entry["stage"]
            county_st = p.stage_block(quality.result, county.code, stage)
            basic_rows = []
            if basic:
                b_entry = next((e for e in basic.result.get("schools", []) if e["school_code"] == school.code and e["stage"] == stage), None)
                b_st = p.stage_block(basic.result, county.code, stage)
                if b_entry and b_st:
                    cvals = {i["id"]: i for i in b_st["indicators"]}
                    for i in b_entry["indicators"]:
                        ind = p.indicator_def("basic-2012", i["id"])
                        cv = cvals.get(i["id"], {}).get("county_value")
                        ratio = i["value"] / cv if cv else None
                        basic_rows.append({"name": ind["name"], "unit": ind["unit"], "value": p.value_text(i["value"], ind),
                                           "county": p.value_text(cv, ind), "ratio": p.pct(ratio), "low": ratio is not None and ratio < 1 - 1e-9})
            stages.append({"stage": stage, "label": p.stage_label(stage), "pupils": entry["pupils"], "check": check,
                           "county_schools": county_st["schools"] if county_st else None, "basic_rows": basic_rows})
    excluded = [e | {"stage_label": p.stage_label(e["stage"])} for e in (quality.result.get("excluded", []) if quality else [])
                if e["school_code"] == school.code]
    context = {
        "school": school, "county": county, "year": year, "years": SchoolYear.objects.all(), "quality": quality, "basic": basic,
        "stages": stages, "excluded": excluded, "sources": p.sources("quality-2017"),
        "county_url": _url("supervision_county", county.code, year=year) if county and not is_school_admin(user) else None,
    }
    return render(request, "supervision/school.html", context)
