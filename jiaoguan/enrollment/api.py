"""招生入学 endpoints (/api/enrollment/…), read-only: campaigns, their statistics by school,
the applications and the published lottery list.

Who sees what is permissions.py, as on the pages: bureau staff of the county see every
applicant; a school administrator sees the campaigns its school takes part in and only the
applications concerning its school (zone school, choice or place); anything else is a 404."""
from __future__ import annotations

import datetime

from django.db.models import Q
from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from jiaoguan.core.api import Error, MaskedPage, full_view
from jiaoguan.core.idnumbers import mask_id, mask_phone

from . import ceremony, stats
from .models import Application, Campaign
from .permissions import application_or_404, applications_for, campaign_or_404, campaigns_for, whole_campaign

router = Router(tags=["招生入学"])

# the ceremony's last step: the list is public from here on (as on the parents' 公示 page)
PUBLISHED = (Campaign.Status.ALLOCATED, Campaign.Status.CLOSED)


class CampaignOut(Schema):
    id: int
    name: str
    county_code: str
    county_name: str
    year: str
    stage: str
    stage_label: str
    status: str
    status_label: str
    whole: bool  # false: only the applications concerning the user's school are visible


class EnrolmentCounts(Schema):
    total: int
    verified: int
    needs_documents: int
    review: int
    eligible: int
    admitted: int
    placed: int
    unplaced: int
    verifying: int
    waiting: int


class EnrolmentSchoolStats(EnrolmentCounts):
    code: str
    name: str
    private: bool
    multi: bool = False
    capacity: int | None
    classes: int | None
    chose: int
    filled: int
    demand: int
    over: bool


class EnrolmentZoneStats(EnrolmentCounts):
    name: str
    schools: list[str]
    units: int
    capacity: int


class EnrolmentCategoryStats(EnrolmentCounts):
    label: str
    name: str


class CampaignStatsOut(Schema):
    campaign: CampaignOut
    capacity: int
    private_capacity: int
    total: EnrolmentCounts
    schools: list[EnrolmentSchoolStats]
    zones: list[EnrolmentZoneStats]
    categories: list[EnrolmentCategoryStats]


class ApplicationOut(Schema):
    application_no: str
    campaign_id: int
    child_name: str
    child_sex: str
    child_birth_date: datetime.date
    child_id_number: str
    guardian_name: str
    guardian_relation: str
    guardian_phone: str
    guardian_id_number: str
    status: str
    status_label: str
    zone_school_code: str | None
    outcome_school_code: str | None
    lottery: str
    created: datetime.datetime
    updated: datetime.datetime


class PublishedRowOut(Schema):
    order: int
    application_no: str
    name: str
    lottery: str
    category: str
    school: str
    outcome: str


def _campaign_out(user, c: Campaign) -> CampaignOut:
    return CampaignOut(id=c.pk, name=c.name, county_code=c.county.code, county_name=c.county.name, year=c.year.code,
                       stage=c.stage, stage_label=c.get_stage_display(), status=c.status, status_label=c.get_status_display(),
                       whole=whole_campaign(user, c))


def _application_out(a: Application, full: bool) -> ApplicationOut:
    return ApplicationOut(
        application_no=a.token, campaign_id=a.campaign_id, child_name=a.child_name, child_sex=a.child_sex,
        child_birth_date=a.child_birth_date, child_id_number=a.child_id_number if full else mask_id(a.child_id_number),
        guardian_name=a.guardian_name, guardian_relation=a.guardian_relation,
        guardian_phone=a.guardian_phone if full else mask_phone(a.guardian_phone),
        guardian_id_number=a.guardian_id_number if full else mask_id(a.guardian_id_number),
        status=a.status, status_label=a.get_status_display(),
        zone_school_code=a.zone_school.school.code if a.zone_school_id else None,
        outcome_school_code=a.outcome.school.code if a.outcome_id else None,
        lottery=a.lottery, created=a.created, updated=a.updated,
    )


@router.get("/campaigns", response=list[CampaignOut], summary="招生计划列表",
            description="本人可查看的招生计划（县区、学年、学段、状态）。whole 为 false 时只能看到与本校有关的申请。")
@paginate(PageNumberPagination, page_size=100)
def list_campaigns(request):
    return [_campaign_out(request.user, c) for c in campaigns_for(request.user).order_by("-year__start", "stage", "pk")]


@router.get("/campaigns/{campaign_id}", response={200: CampaignOut, 404: Error}, summary="招生计划详情")
def get_campaign(request, campaign_id: int):
    return _campaign_out(request.user, campaign_or_404(request.user, campaign_id))


@router.get("/campaigns/{campaign_id}/stats", response={200: CampaignStatsOut, 404: Error}, summary="招生计划分校统计",
            description="与招生概况页相同的统计：各校申请数（total）、核验完成（verified）、资格通过待分配（waiting）、"
                        "录取（admitted）、统筹安排（placed）等，以及片区和类别汇总。学校管理员只统计与本校有关的申请。"
                        "多校划片的学校合并为一行（multi 为 true）。")
def campaign_stats(request, campaign_id: int):
    campaign = campaign_or_404(request.user, campaign_id)
    data = stats.campaign_stats(campaign, applications_for(request.user, campaign))
    return {**data, "campaign": _campaign_out(request.user, campaign)}


@router.get("/campaigns/{campaign_id}/applications", response={200: list[ApplicationOut], 404: Error},
            summary="入学申请列表",
            description="分页列出本人可查看的申请，按报名号排序。可按学校标识码 school（对口学校或录取学校）和状态 status 筛选。"
                        "儿童和监护人身份证号、监护人手机号默认脱敏；有权查看完整信息的角色加 full=true 可看完整号码，并记入审计日志。")
@paginate(PageNumberPagination, page_size=100)
def list_applications(request, campaign_id: int, school: str | None = None, status: str | None = None, full: bool = False):
    campaign = campaign_or_404(request.user, campaign_id)
    qs = applications_for(request.user, campaign).select_related("zone_school__school", "outcome__school").order_by("token")
    if school:
        qs = qs.filter(Q(zone_school__school__code=school) | Q(outcome__school__code=school))
    if status:
        qs = qs.filter(status=status)
    return MaskedPage(qs, request, full, "入学申请", _application_out)


@router.get("/applications/{application_no}", response={200: ApplicationOut, 404: Error}, summary="入学申请详情",
            description="按报名号查看一份申请；不在本人范围内的申请返回 404。full=true 的规则同列表。")
def get_application(request, application_no: str, full: bool = False):
    app = application_or_404(request.user, application_no)
    return _application_out(app, full_view(request, full, "入学申请", 1))


@router.get("/campaigns/{campaign_id}/published", response={200: list[PublishedRowOut], 404: Error},
            summary="摇号及录取公示名单",
            description="录取分配完成后公示的名单，与摇号现场页面和家长端公示页相同：报名号、脱敏姓名、摇号号码、摇号顺序、"
                        "类别、录取学校和结果。尚未公布时返回 404。")
@paginate(PageNumberPagination, page_size=100)
def published_rows(request, campaign_id: int):
    campaign = campaign_or_404(request.user, campaign_id)
    if campaign.status not in PUBLISHED:
        raise Http404("录取结果尚未公布")
    return ceremony.published(campaign)
