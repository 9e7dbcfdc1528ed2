"""学生资助 endpoints (/api/aid/…), read-only: the statistics of a school year, the entitlement
lists with their workflow status, and a list's rows.

Reading follows permissions.py and the pages: every queryset starts from `.restrict(user)`, so a
school administrator sees its own school's lists only and another school's list is a 404.
Amounts are exact decimals in 元 (JSON strings) with the 万元 text the aid reports print."""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated

from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from pydantic import AfterValidator

from jiaoguan.core.api import Error, MaskedPage, year_or_current
from jiaoguan.core.idnumbers import mask_id

from . import stats
from .models import Entitlement, EntitlementList, Term
from .programmes import CENT, ProgrammeError, TermKey

router = Router(tags=["学生资助"])

# 元 to the 分 whatever the database returns (SQLite sums come back as 750, PostgreSQL as 750.00)
Yuan = Annotated[Decimal, AfterValidator(lambda d: d.quantize(CENT))]


class AidTotals(Schema):
    pupils: int
    school_pupils: int
    times: int
    amount: Yuan
    amount_wan: str


class AidProgrammeStat(Schema):
    id: str
    name: str
    short: str
    stage: str
    stage_label: str
    level: str
    level_label: str
    payment: str
    pupils: int
    times: int
    amount: Yuan
    amount_wan: str
    standard: Yuan | None


class AidStatsOut(Schema):
    year: str
    totals: AidTotals
    programmes: list[AidProgrammeStat]
    sentence: str


class AidListOut(Schema):
    id: int
    term: str
    school_code: str
    school_name: str
    status: str
    status_label: str
    generated_at: datetime.datetime
    submitted_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    published_at: datetime.datetime | None
    publicity_until: datetime.date | None
    paid_at: datetime.datetime | None
    returned_reason: str

    @staticmethod
    def resolve_term(obj):
        return obj.term.code

    @staticmethod
    def resolve_school_code(obj):
        return obj.school.code

    @staticmethod
    def resolve_school_name(obj):
        return obj.school.name

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


class AidRowOut(Schema):
    id: int
    list_id: int
    pupil_id: int | None
    pupil_name: str | None  # none: a line paid to the school (营养膳食补助), `headcount` pupils
    id_number: str | None
    grade: int | None
    programme: str
    stage: str
    headcount: int
    amount: Yuan
    tier: str
    categories: str
    origin: str
    decision: str
    decision_label: str
    excluded: bool
    payment_status: str
    payment_status_label: str


def _wan(row: dict) -> dict:
    return {**row, "amount_wan": stats.wan(row["amount"])}


@router.get("/stats", response={200: AidStatsOut, 404: Error}, summary="学生资助统计（按学年和资助项目）",
            description="某学年（year，如 2026-2027，默认当前学年）本人范围内各资助项目、各学段实际发放的人数、人次和金额，"
                        "与学生资助首页和年度报告相同。amount 为精确到分的金额（元，字符串），amount_wan 为万元。"
                        "totals 只含资助金（贷款不计入）；sentence 是工作总结中的一段话。")
def aid_stats(request, year: str | None = None):
    user = request.user
    the_year = year_or_current(year)
    if the_year is None:
        raise Http404("还没有学年")
    rows = stats.programme_rows(user, the_year)
    return {"year": the_year.code, "totals": _wan(stats.totals(user, the_year)), "programmes": [_wan(r) for r in rows],
            "sentence": stats.report_sentence(rows, the_year)}


def _term_code(term: str) -> str:
    try:
        return TermKey.parse(term).code
    except ProgrammeError:
        return term


@router.get("/lists", response=list[AidListOut], summary="资助名单列表",
            description="本人范围内各校各学期的资助名单及其办理状态（学校申报中、待资助中心审核、已审核待公示、公示中、已发放）。"
                        "可按学期 term（如 2026秋季）、状态 status 和学校标识码 school 筛选。")
@paginate(PageNumberPagination, page_size=100)
def list_aid_lists(request, term: str | None = None, status: str | None = None, school: str | None = None):
    qs = EntitlementList.objects.restrict(request.user).select_related("term", "school").order_by("-term__index", "school__code")
    if term:
        qs = qs.filter(term__in=Term.objects.filter(code=_term_code(term)))
    if status:
        qs = qs.filter(status=status)
    if school:
        qs = qs.filter(school__code=school)
    return qs


@router.get("/lists/{list_id}", response={200: AidListOut, 404: Error}, summary="资助名单详情")
def get_aid_list(request, list_id: int):
    return get_object_or_404(EntitlementList.objects.restrict(request.user).select_related("term", "school"), pk=list_id)


def _row_out(e: Entitlement, full: bool) -> AidRowOut:
    p = e.pupil
    return AidRowOut(
        id=e.pk, list_id=e.entitlement_list_id, pupil_id=e.pupil_id, pupil_name=p.name if p else None,
        id_number=(p.id_number if full else mask_id(p.id_number)) if p else None, grade=e.grade, programme=e.programme,
        stage=e.stage, headcount=e.headcount, amount=e.amount, tier=e.tier, categories=e.categories, origin=e.origin,
        decision=e.decision, decision_label=e.get_decision_display(), excluded=e.excluded, payment_status=e.payment_status,
        payment_status_label=e.get_payment_status_display(),
    )


@router.get("/lists/{list_id}/rows", response={200: list[AidRowOut], 404: Error}, summary="资助名单明细",
            description="一份名单的每条资助记录，顺序同名单页面；可按资助项目 programme 筛选。学生身份证号默认脱敏；"
                        "有权查看完整信息的角色加 full=true 可看完整号码，并记入审计日志。")
@paginate(PageNumberPagination, page_size=100)
def list_aid_rows(request, list_id: int, programme: str | None = None, full: bool = False):
    the_list = get_object_or_404(EntitlementList.objects.restrict(request.user), pk=list_id)
    qs = the_list.entries.select_related("pupil").order_by(F("grade").asc(nulls_first=True), "programme", "pupil__name", "pk")
    if programme:
        qs = qs.filter(programme=programme)
    return MaskedPage(qs, request, full, "资助记录", _row_out)
