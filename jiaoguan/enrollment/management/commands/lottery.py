"""jiaoguan lottery verify --seed S --file F  (also: lottery seed …, lottery hash …)"""
import csv
import sys

from django.core.management.base import BaseCommand, CommandError

from jiaoguan.enrollment import lottery


class Command(BaseCommand):
    help = "摇号核验：jiaoguan lottery verify --seed S --file 结果.csv（列 application_no, lottery）。全部一致退出码 0，否则 1 并列出不一致的行。"
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        v = sub.add_parser("verify", help="用种子重算每个摇号号码")
        v.add_argument("--seed", required=True)
        v.add_argument("--file", required=True)
        s = sub.add_parser("seed", help="由名册哈希和公开熵计算种子")
        s.add_argument("--year", required=True)
        s.add_argument("--county", required=True)
        s.add_argument("--roster-hash", required=True)
        s.add_argument("--entropy", action="append", default=[], help="按公布的顺序给出，可多次")

    def handle(self, action, **o):
        if action == "seed":
            self.stdout.write(lottery.draw_seed(o["year"], o["county"], o["roster_hash"], o["entropy"]))
            return
        try:
            with open(o["file"], newline="", encoding="utf-8-sig") as fh:
                rows = [(r["application_no"], r["lottery"]) for r in csv.DictReader(fh)]
        except FileNotFoundError:
            raise CommandError(f"找不到文件 {o['file']}") from None
        except KeyError:
            raise CommandError("文件须有 application_no 和 lottery 两列") from None
        bad = lottery.verify(o["seed"], rows)
        if not bad:
            self.stdout.write(f"核验通过：{len(rows)} 个摇号号码全部与种子一致")
            return
        sys.stderr.write(f"核验不通过：{len(bad)} / {len(rows)} 个号码与种子不一致\n")
        for token, published, expected in bad[:200]:
            sys.stderr.write(f"{token}: 公布 {published}，应为 {expected}\n")
        sys.exit(1)
