"""督导评估 endpoints (/api/supervision/…): the stored runs, read-only.

Scope as on the pages (views.py): a county the user may open at all; a user who does not see
the whole county (inspector, township, school administrator) gets the county figures and only
its own schools' rows."""
from __future__ import annotations

import copy
import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from jiaoguan.core.api import Error

from .models import Run
from .views import accessible_counties, county_or_404, visible_codes

router = Router(tags=["督导评估"])


class RunOut(Schema):
    id: int
    county_code: str
    county_name: str
    year: str
    standard: str
    passed: dict[str, bool | None]
    created: datetime.datetime

    @staticmethod
    def resolve_county_code(obj):
        return obj.county.code

    @staticmethod
    def resolve_county_name(obj):
        return obj.county.name

    @staticmethod
    def resolve_year(obj):
        return obj.year.code


@router.get("/runs", response=list[RunOut], summary="校际均衡测算记录列表",
            description="已保存的测算记录，最新的在前：县区、学年、标准（basic-2012 基本均衡 / quality-2017 优质均衡）、"
                        "各学段结论（primary 小学、junior 初中；true 达标，false 未达标）和测算时间。"
                        "可按县区代码 county、学年 year（如 2025-2026）和标准 standard 筛选。")
@paginate(PageNumberPagination, page_size=100)
def list_runs(request, county: str | None = None, year: str | None = None, standard: str | None = None):
    qs = (Run.objects.filter(county__in=accessible_counties(request.user)).select_related("county", "year")
          .defer("facts", "result", "settings").order_by("-created", "-pk"))
    if county:
        qs = qs.filter(county__code=county)
    if year:
        qs = qs.filter(year__code=year)
    if standard:
        qs = qs.filter(standard=standard)
    return qs


@router.get("/runs/{run_id}", response={200: dict, 404: Error}, summary="一次测算的结果",
            description="与命令 `jiaoguan evaluate --format json` 输出相同的 JSON：standard、counties（各学段的县域值、"
                        "差异系数和结论）、schools（各校各项指标值与是否达到）、excluded（未参与计算的学校）。"
                        "数值未经四舍五入。只能看到部分学校的用户（督学、乡镇、学校管理员），schools 和 excluded 只含本人范围内的学校，"
                        "改进方案（plan）中范围外学校的标识码为 null。")
def get_run(request, run_id: int):
    run = get_object_or_404(Run.objects.select_related("county"), pk=run_id)
    county = county_or_404(request.user, run.county.code)   # a run outside the scope is a 404, as a missing one
    return _visible(run.result, visible_codes(request.user, county))


def _visible(result: dict, codes: set[str] | None) -> dict:
    """The stored result (balance.to_dict) with the schools outside `codes` left out."""
    if codes is None:
        return result
    out = copy.deepcopy(result)
    out["schools"] = [s for s in out.get("schools", []) if s["school_code"] in codes]
    out["excluded"] = [e for e in out.get("excluded", []) if e["school_code"] in codes]
    for c in out.get("counties", []):
        for st in c["stages"]:
            for item in st["indicators"]:
                for step in item.get("plan") or []:
                    if step["school_code"] not in codes:
                        step["school_code"] = None
    return out
