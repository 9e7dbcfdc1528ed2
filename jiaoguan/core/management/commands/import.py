import sys

from django.core.management.base import BaseCommand, CommandError

from jiaoguan.core.importing import IMPORTERS, ImportContext, run_import
from jiaoguan.core.models import SchoolYear, User


class ProgressBar:
    def __init__(self, stream):
        self.stream = stream
        self.last = None

    def __call__(self, done, total, phase):
        width = 30
        filled = int(width * done / total) if total else 0
        line = f"\r{phase:<6} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        if line != self.last:
            self.stream.write(line)
            self.stream.flush()
            self.last = line

    def close(self):
        if self.last:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "导入Excel：jiaoguan import KIND FILE [--year 2026-2027] [--user admin]。全部行通过才写入；否则写出 FILE.errors.xlsx 并以状态2退出。"

    def add_arguments(self, parser):
        parser.add_argument("kind", help="schools facts classes pupils teachers")
        parser.add_argument("file")
        parser.add_argument("--year", help="学年，如 2026-2027；默认当前学年")
        parser.add_argument("--user", default=None, help="以该用户身份导入（决定数据范围和审计记录）；默认第一个超级管理员")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, kind, file, year=None, user=None, no_progress=False, **options):
        import jiaoguan.registry.importers  # noqa: F401

        if kind not in IMPORTERS:
            raise CommandError(f"未知的导入类型 {kind}，可用：{'、'.join(IMPORTERS)}")
        year_obj = SchoolYear.objects.filter(code=year).first() if year else SchoolYear.current()
        if year_obj is None:
            raise CommandError(f"学年 {year or '（当前）'} 不存在")
        if user:
            user_obj = User.objects.filter(username=user).first()
            if user_obj is None:
                raise CommandError(f"用户 {user} 不存在")
        else:
            user_obj = User.objects.filter(is_superuser=True).order_by("pk").first()
            if user_obj is None:
                raise CommandError("没有超级管理员账号，请用 --user 指定导入用户")
        bar = None if no_progress else ProgressBar(sys.stderr)
        result = run_import(kind, file, ImportContext(user=user_obj, year=year_obj, progress=bar))
        if bar:
            bar.close()
        if result.ok:
            self.stdout.write(result.summary() + f"（用时 {result.seconds:.1f} 秒）")
            return
        sys.stderr.write(result.summary() + "\n")
        for line in result.error_lines(limit=30):
            sys.stderr.write(line + "\n")
        if result.error_file:
            sys.stderr.write(f"错误说明表：{result.error_file}\n")
        sys.exit(2)
