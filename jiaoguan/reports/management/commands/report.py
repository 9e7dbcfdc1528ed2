"""jiaoguan report --county CODE --year 2025 --out report.docx|report.pdf [--figures figures.xlsx]"""
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiaoguan.core.models import OrgUnit, SchoolYear
from jiaoguan.reports.builder import build
from jiaoguan.reports.models import ReportDraft
from jiaoguan.reports.render import write_docx, write_figures, write_pdf


class Command(BaseCommand):
    help = "生成年度工作总结草稿：jiaoguan report --county 430321 --year 2025 --out 报告.docx（.pdf 按文件名）"

    def add_arguments(self, parser):
        parser.add_argument("--county", help="县区代码；只有一个县时可省略")
        parser.add_argument("--year", type=int, help="学年开始的年份，如 2025 表示 2025-2026 学年；默认当前学年")
        parser.add_argument("--out", required=True)
        parser.add_argument("--figures", help="同时写出数据来源表 .xlsx（每个数字及其计算口径）")

    def handle(self, county=None, year=None, out=None, figures=None, **options):
        counties = OrgUnit.objects.filter(level=OrgUnit.Level.COUNTY)
        if county:
            counties = counties.filter(code=county)
        if counties.count() != 1:
            raise CommandError(f"县区 {county} 不存在" if county else "部署中有多个县区，请用 --county 指定")
        c = counties.get()
        y = SchoolYear.objects.filter(start__year=year).first() if year else SchoolYear.current()
        if y is None:
            raise CommandError(f"没有 {year}-{year + 1} 学年的数据")
        started = time.perf_counter()
        report = build(c, y, ReportDraft.objects.filter(county=c, year=y).first())
        suffix = Path(out).suffix.lower()
        if suffix == ".pdf":
            write_pdf(report, out)
        elif suffix == ".docx":
            write_docx(report, out)
        else:
            raise CommandError("--out 的扩展名应为 .docx 或 .pdf")
        if figures:
            write_figures(report, figures)
        for u in report.unknown_placeholders:
            self.stderr.write(f"提示：文字中的占位符不存在，已原样保留：{u}")
        self.stdout.write(f"已生成 {out}（{len(report.sections)} 节，{time.perf_counter() - started:.1f} 秒）")
