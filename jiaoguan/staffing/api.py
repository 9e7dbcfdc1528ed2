"""教师队伍 endpoints (/api/staffing/…), read-only: the figures `jiaoguan staffing stats` prints,
over the schools the user may see (figures.staffing_stats, the same dictionary)."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from jiaoguan.core.api import Error, year_or_current
from jiaoguan.core.models import OrgUnit

from . import figures
from .views.common import MAX_ELIGIBLE_YEARS, unit_schools

router = Router(tags=["教师队伍"])


class StaffingStatsQuery(Schema):
    year: str | None = Field(None, description="学年，如 2026-2027；默认当前学年")
    county: str | None = Field(None, description="区划代码：只统计该区域内（且在本人范围内）的学校")
    eligible_years: int | None = Field(None, ge=1, le=MAX_ELIGIBLE_YEARS, description="交流年限（默认按规则文件）")


@router.get("/stats", response={200: dict, 404: Error}, summary="教师队伍统计（交流轮岗、培训、年龄结构、退休）",
            description="与命令 `jiaoguan staffing stats --format json` 相同的 JSON，统计本人范围内的学校："
                        "rotation（符合交流条件人数、已交流人数、交流比例 share 和是否达到要求、骨干教师占比）、"
                        "training（学时账户、360学时进度、培训经费低于公用经费5%的学校）、"
                        "age（平均年龄、30岁以下、50岁及以上、retiring 为若干年内将退休人数）。比例为 0–1 的小数，未经四舍五入。")
def staffing_stats(request, params: Query[StaffingStatsQuery]):
    year = year_or_current(params.year)
    if year is None:
        raise Http404("还没有学年")
    unit = get_object_or_404(OrgUnit, code=params.county) if params.county else None
    return figures.staffing_stats(year, unit_schools(request.user, unit), eligible_years=params.eligible_years)
