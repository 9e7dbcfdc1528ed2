from django.core.management.base import BaseCommand, CommandError

from jiaoguan.core.importing import IMPORTERS, template


class Command(BaseCommand):
    help = "写出导入模板：jiaoguan template KIND OUT.xlsx（KIND：schools facts classes pupils teachers facts_table）"

    def add_arguments(self, parser):
        parser.add_argument("kind")
        parser.add_argument("out")

    def handle(self, kind, out, **options):
        import jiaoguan.registry.importers  # noqa: F401 - registers the kinds

        if kind == "facts_table":
            from jiaoguan.core.excel import write_template
            from jiaoguan.indicators.facts_table import FACTS_TABLE_COLUMNS

            write_template(out, "校际均衡测算表", FACTS_TABLE_COLUMNS,
                           intro="每行一所学校。表头可用中文或英文键名；九年一贯制等学校填写全校合计，系统按 1:1.1:1.32 权重拆分学段。")
        elif kind in IMPORTERS:
            template(kind, out)
        else:
            raise CommandError(f"未知的模板类型 {kind}，可用：{'、'.join([*IMPORTERS, 'facts_table'])}")
        self.stdout.write(f"已写出模板 {out}")
