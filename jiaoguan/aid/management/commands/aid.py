"""`jiaoguan aid stats --year YYYY --format json|table`: pupils and amounts actually paid per
programme and stage for the school year starting in YYYY (the whole database)."""
from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from jiaoguan.core.models import SchoolYear


def stats_payload(year: SchoolYear) -> dict:
    from jiaoguan.aid import stats

    rows = stats.programme_rows(None, year)
    return {
        "year": year.start.year,
        "school_year": year.code,
        "programmes": [{
            "id": r["id"], "name": r["name"], "stage": r["stage"], "pupils": r["pupils"],
            "amount_yuan": float(r["amount"]),
            "per_pupil_standard_yuan": float(r["standard"]) if r["standard"] is not None else None,
        } for r in rows],
    }


class Command(BaseCommand):
    help = "学生资助：jiaoguan aid stats --year 2026 [--format json|table] 按项目和学段统计实际发放人数和金额"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, title="子命令")
        stats = sub.add_parser("stats", help="某学年（YYYY年秋季开始）各资助项目实际发放的人数和金额")
        stats.add_argument("--year", type=int, required=True, help="学年开始的年份，如 2026 表示 2026-2027 学年")
        stats.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args, subcommand, **options):
        if subcommand == "stats":
            return self.stats(options["year"], options["format"])
        raise CommandError(f"未知子命令 {subcommand}")  # pragma: no cover - argparse rejects it first

    def stats(self, year_start: int, fmt: str):
        from jiaoguan.aid.stats import wan
        from jiaoguan.aid.programmes import STAGE_LABELS

        year = (SchoolYear.objects.filter(code=f"{year_start}-{year_start + 1}").first()
                or SchoolYear.objects.filter(start__year=year_start).first())
        if year is None:
            raise CommandError(f"{year_start}-{year_start + 1}学年不存在")
        payload = stats_payload(year)
        if fmt == "json":
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        headers = ["项目", "学段", "人数", "金额（万元）", "金额（元）", "标准（元/生·年）"]
        rows = [[p["name"], STAGE_LABELS[p["stage"]], f"{p['pupils']:,}", wan(p["amount_yuan"]), f"{p['amount_yuan']:,.2f}",
                 "—" if p["per_pupil_standard_yuan"] is None else f"{p['per_pupil_standard_yuan']:,.0f}"] for p in payload["programmes"]]
        grants = [p for p in payload["programmes"] if p["id"] != "student_loan"]
        rows.append(["合计（不含助学贷款）", "", "",
                     wan(sum(p["amount_yuan"] for p in grants)), f"{sum(p['amount_yuan'] for p in grants):,.2f}", ""])

        def width(s: str) -> int:
            return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)

        widths = [max(width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

        def line(cells):
            out = []
            for i, c in enumerate(cells):
                pad = " " * (widths[i] - width(str(c)))
                out.append(f"{pad}{c}" if i >= 2 else f"{c}{pad}")
            return "  ".join(out).rstrip()

        self.stdout.write(f"{year.code}学年学生资助实际发放情况")
        self.stdout.write(line(headers))
        self.stdout.write("  ".join("-" * w for w in widths))
        for r in rows:
            self.stdout.write(line(r))
        if not payload["programmes"]:
            self.stdout.write("（本学年没有已发放的资助）")
