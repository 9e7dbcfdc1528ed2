"""`jiaoguan staffing stats --year YYYY --format json|table [--county CODE]`: the workforce
figures of the school year starting in YYYY — rotation shares, training accounts and spending,
age structure — as JSON (stable keys) or a table for people."""
from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from jiaoguan.core.models import OrgUnit, SchoolYear
from jiaoguan.registry.models import School

from ...figures import staffing_stats


class Command(BaseCommand):
    help = "教师队伍统计：jiaoguan staffing stats --year 2026 [--format json|table] [--county 430321]"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title="子命令")
        stats = sub.add_parser("stats", help="交流轮岗、培训和年龄结构统计")
        stats.add_argument("--year", type=int, required=True, help="学年开始的年份，如 2026 表示 2026-2027 学年")
        stats.add_argument("--format", choices=("json", "table"), default="json", help="输出格式（默认 json）")
        stats.add_argument("--county", help="县区代码；省略时统计全部学校")
        stats.add_argument("--eligible-years", type=int, help="交流年限（默认按规则文件，6年）")

    def handle(self, *args, action, **options):
        if action == "stats":
            self.stats(options["year"], options["format"], options.get("county"), options.get("eligible_years"))

    def stats(self, start_year: int, fmt: str, county: str | None, eligible_years: int | None):
        year = SchoolYear.objects.filter(start__year=start_year).first()
        if year is None:
            known = "、".join(str(y.start.year) for y in SchoolYear.objects.order_by("start")) or "无"
            raise CommandError(f"没有{start_year}年开始的学年（已有：{known}）")
        schools = None
        if county:
            unit = OrgUnit.objects.filter(code=county).first()
            if unit is None:
                raise CommandError(f"区划代码 {county} 不存在")
            schools = School.objects.filter(org_unit__path__startswith=unit.path).values("pk")
        if eligible_years is not None and not 1 <= eligible_years <= 30:
            raise CommandError("交流年限应在1–30年之间")
        result = staffing_stats(year, schools, eligible_years=eligible_years)
        if fmt == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(table(result, year))


def _pct(x) -> str:
    return "—" if x is None else f"{x * 100:.2f}%"


def table(r: dict, year) -> str:
    rot, tr, age = r["rotation"], r["training"], r["age"]
    rows = [
        ("交流轮岗", ""),
        ("  符合交流条件教师（同校满%d年）" % rot["eligible_years"], f"{rot['eligible']} 人"),
        ("  已交流轮岗", f"{rot['rotated']} 人"),
        ("  交流比例（要求 ≥ %s）" % _pct(rot["required_share"]), f"{_pct(rot['share'])}  {'达到' if rot['meets'] else '未达到'}"),
        ("  其中骨干教师", f"{rot['backbone_rotated']} 人"),
        ("  骨干占比（要求 ≥ %s）" % _pct(rot["required_backbone_share"]), f"{_pct(rot['backbone_share'])}  {'达到' if rot['backbone_meets'] else '未达到'}"),
        ("培训", ""),
        ("  在岗教师（有学时账户）", f"{tr['teachers']} 人"),
        ("  360学时进度落后 (周期 %d—%d)" % (tr["cycle"]["first_year"], tr["cycle"]["last_year"]), f"{tr['behind_360_hours']} 人"),
        ("  培训经费低于公用经费5%的学校", f"{tr['schools_under_5_percent']} 所（共 {tr['schools_with_budget']} 所）"),
        ("年龄结构", ""),
        ("  教师", f"{age['teachers']} 人"),
        ("  平均年龄", f"{age['mean_age']} 岁"),
        ("  30岁以下", f"{age['under_30']} 人"),
        ("  50岁及以上", f"{age['age_50_and_over']} 人（{_pct(age['share_50_and_over'])}）"),
        ("  %d年内退休" % age["retiring_within_years"], f"{age['retiring']} 人"),
    ]
    width = max(_display_width(k) for k, _ in rows) + 2
    lines = [f"{year}学年教师队伍统计", "=" * (width + 20)]
    for k, v in rows:
        lines.append(k + " " * (width - _display_width(k)) + v if v else k)
    return "\n".join(lines)


def _display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
