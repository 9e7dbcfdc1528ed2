from django.core.management.base import BaseCommand, CommandError

from jiaoguan.core.models import OrgUnit, SchoolYear
from jiaoguan.supervision.export import write_facts_table
from jiaoguan.supervision.facts import build_facts


class Command(BaseCommand):
    help = "从学籍、任教记录和办学条件生成校际均衡测算表：jiaoguan facts --county 430321 [--year 2026-2027] OUT.xlsx"

    def add_arguments(self, parser):
        parser.add_argument("out")
        parser.add_argument("--county", help="县区代码；只有一个县时可省略")
        parser.add_argument("--year", help="学年，默认当前学年")
        parser.add_argument("--include-private", action="store_true", help="民办学校也参与测算")

    def handle(self, out, county=None, year=None, include_private=False, **options):
        counties = OrgUnit.objects.filter(level=OrgUnit.Level.COUNTY)
        if county:
            counties = counties.filter(code=county)
        if counties.count() != 1:
            raise CommandError("请用 --county 指定一个县区代码" if not county else f"县区 {county} 不存在")
        year_obj = SchoolYear.objects.filter(code=year).first() if year else SchoolYear.current()
        if year_obj is None:
            raise CommandError(f"学年 {year} 不存在")
        n = write_facts_table(out, build_facts(counties.get(), year_obj, include_private=include_private))
        self.stdout.write(f"已写出 {out}（{n} 所学校）")
