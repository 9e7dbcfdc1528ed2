"""Who sees and runs which campaign. Bureau staff of the county (leaders, every section) read;
基础教育股 staff and administrators act; a school administrator sees only the applicants of its
own school (zone school, choice or place), read-only. Anything else is a 404."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from jiaoguan.core.models import Role, Section
from jiaoguan.core.scope import unrestricted

from .models import Application, Campaign, CampaignSchool


def _bureau_unit(user):
    if user.role in (Role.LEADER, Role.STAFF) and user.org_unit_id:
        return user.org_unit
    return None


def campaigns_for(user):
    qs = Campaign.objects.select_related("county", "year")
    if unrestricted(user):
        return qs
    unit = _bureau_unit(user)
    if unit is not None:
        return qs.filter(county__path__startswith=unit.path)
    if user.role == Role.SCHOOL_ADMIN and user.school_id:
        return qs.filter(schools__school_id=user.school_id).distinct()
    return qs.none()


def campaign_or_404(user, pk: int) -> Campaign:
    return get_object_or_404(campaigns_for(user), pk=pk)


def whole_campaign(user, campaign: Campaign) -> bool:
    """Sees every applicant of the campaign (not only one school's)."""
    if unrestricted(user):
        return True
    unit = _bureau_unit(user)
    return bool(unit and campaign.county.path.startswith(unit.path))


def can_manage(user, campaign: Campaign) -> bool:
    """Runs the campaign: review, imports, the ceremony."""
    if unrestricted(user):
        return True
    return user.role == Role.STAFF and user.section == Section.BASIC and whole_campaign(user, campaign)


def require_manage(user, campaign: Campaign) -> None:
    if not can_manage(user, campaign):
        raise PermissionDenied("只有基础教育股可以办理招生业务，您的角色只能查看")


def own_school(user, campaign: Campaign) -> CampaignSchool | None:
    if whole_campaign(user, campaign) or not user.school_id:
        return None
    return campaign.schools.filter(school_id=user.school_id).first()


def applications_for(user, campaign: Campaign):
    qs = Application.objects.filter(campaign=campaign)
    if whole_campaign(user, campaign):
        return qs
    cs = own_school(user, campaign)
    if cs is None:
        return qs.none()
    chose = [pk for pk, choices in qs.values_list("pk", "choices") if cs.pk in (choices or [])]
    return qs.filter(Q(zone_school=cs) | Q(outcome=cs) | Q(pk__in=chose))


def application_or_404(user, token: str) -> Application:
    app = Application.objects.select_related("campaign", "campaign__county", "campaign__year", "zone_school__school",
                                             "outcome__school").filter(token=token).first()
    if app is None or not campaigns_for(user).filter(pk=app.campaign_id).exists():
        raise Http404("没有这份申请，或不在您的范围内")
    if not applications_for(user, app.campaign).filter(pk=app.pk).exists():
        raise Http404("没有这份申请，或不在您的范围内")
    return app
