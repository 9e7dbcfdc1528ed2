"""What every workforce page needs: the school year, the scope, the rules and their sources."""
from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from jiaoguan.core.models import OrgUnit, Role, SchoolYear
from jiaoguan.core.scope import scoped_school_ids, unrestricted
from jiaoguan.registry.models import School

from ..actions import can_manage
from ..rules import RotationRule, load

MAX_ELIGIBLE_YEARS = 30


def selected_year(request) -> SchoolYear | None:
    code = request.GET.get("year") or request.POST.get("year")
    year = SchoolYear.objects.filter(code=code).first() if code else None
    return year or SchoolYear.current()


def rotation_rule(request) -> RotationRule:
    """The rule, with the eligibility years the page asks for (`?years=`, 1–30) if any."""
    value = request.GET.get("years", "")
    years = int(value) if value.isdigit() and 1 <= int(value) <= MAX_ELIGIBLE_YEARS else None
    return RotationRule.from_rules(eligible_years=years)


def sees_unit(user) -> bool:
    """Leaders, section staff and administrators see a whole unit (a county or more)."""
    return unrestricted(user) or (user.role in (Role.LEADER, Role.STAFF) and bool(user.org_unit_id))


def plan_unit(request) -> OrgUnit | None:
    """The unit whose rotation plan the page shows: the user's unit, or for an administrator
    the county asked for (`?unit=`) or the first county."""
    user = request.user
    if not sees_unit(user):
        return None
    if user.org_unit_id and not unrestricted(user):
        return user.org_unit
    counties = OrgUnit.objects.filter(level=OrgUnit.Level.COUNTY).order_by("path")
    code = request.GET.get("unit") or request.POST.get("unit")
    return (counties.filter(code=code).first() if code else None) or counties.first()


def unit_schools(user, unit: OrgUnit | None):
    """Ids of the schools of `unit` the user may see (None: every school)."""
    scope = scoped_school_ids(user)
    if unit is None:
        return scope
    in_unit = School.objects.filter(org_unit__path__startswith=unit.path).values("pk")
    return in_unit if scope is None else in_unit.filter(pk__in=scope)


def url(name, *args, **params) -> str:
    base = reverse(name, args=args)
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{base}?{urlencode(params)}" if params else base


def base_context(request, year) -> dict:
    rules = load()
    return {
        "year": year, "years": SchoolYear.objects.all(), "rules": rules, "can_manage": can_manage(request.user),
        "scope_label": request.user.scope_label, "sources": sources(rules),
    }


def sources(rules: dict) -> dict:
    return {
        "rotation": rules["rotation"]["source"], "eligible": rules["rotation"]["eligible_source"],
        "ratio": rules["staffing_ratio"]["source"], "ratio_note": rules["staffing_ratio"]["note"],
        "subjects": rules["subjects"]["source"], "training": rules["training"]["source"],
        "spend": rules["training"]["spend"]["source"], "retirement": rules["retirement"]["source"],
        "retirement_note": rules["retirement"]["note"],
    }
