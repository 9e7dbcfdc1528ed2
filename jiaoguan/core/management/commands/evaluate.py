"""jiaoguan evaluate FACTS --standard basic-2012|quality-2017 --format json|xlsx|table"""
import json
import sys
import unicodedata
from pathlib import Path

from django.core.management.base import BaseCommand

from jiaoguan.core.excel import ImportFileError, read_sheet
from jiaoguan.core.importing import RowErrors, parse_columns
from jiaoguan.indicators import balance
from jiaoguan.indicators.facts_table import FACTS_TABLE_COLUMNS
from jiaoguan.indicators.standards import STANDARDS_DIR


def pad(text: str, width: int, right: bool = False) -> str:
    """Pad to a display width (a Chinese character takes two columns)."""
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    space = " " * max(width - w, 0)
    return space + text if right else text + space


class Command(BaseCommand):
    help = "按督导评估标准测算校际均衡（不需要数据库）。退出码：0 已测算（无论是否达标），2 输入有误。"
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("facts", help="校际均衡测算表 .xlsx/.xls/.csv（jiaoguan template facts_table 可得模板）")
        parser.add_argument("--standard", default="basic-2012", choices=["basic-2012", "quality-2017"])
        parser.add_argument("--format", default="table", choices=["json", "xlsx", "table"])
        parser.add_argument("--out", help="输出文件（xlsx 必填；json/table 默认输出到屏幕）")
        parser.add_argument("--teaching-points", choices=["exclude", "include", "merge"], help="教学点的处理方式（默认按标准文件）")

    def fail(self, lines):
        for line in lines:
            sys.stderr.write(line + "\n")
        sys.exit(2)

    def handle(self, facts, standard, format, out=None, teaching_points=None, **options):
        try:
            sheet = read_sheet(facts, FACTS_TABLE_COLUMNS)
        except (ImportFileError, FileNotFoundError) as exc:
            self.fail([f"输入有误：{exc}"])
        errors = RowErrors()
        frame = parse_columns(sheet, FACTS_TABLE_COLUMNS, errors)
        dup = frame.with_row_index("i").filter(frame["school_code"].is_duplicated() & frame["school_code"].is_not_null())
        for i, code in dup.select("i", "school_code").iter_rows():
            errors.add(i, "学校标识码", f"{code}重复出现")
        if errors:
            lines = [f"输入有误（工作表「{sheet.name}」），未测算："]
            lines += [f"第{i + 2}行：{'；'.join(msgs)}" for i, msgs in sorted(errors.rows.items())[:200]]
            self.fail(lines)
        ev = balance.evaluate_frame(frame, standard, teaching_points=teaching_points)
        if format == "xlsx":
            from jiaoguan.indicators.export import write_cv_workbook

            target = out or str(Path(facts).with_suffix("")) + f".{standard}.xlsx"
            write_cv_workbook(target, ev)
            self.stdout.write(f"已写出 {target}")
            return
        if format == "json":
            text = json.dumps(balance.to_dict(ev), ensure_ascii=False, indent=1)
        else:
            text = self.table(ev)
        if out:
            Path(out).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text)

    def table(self, ev) -> str:
        names = {i["id"]: i["name"] for i in ev.standard["indicators"]}
        lines = [f"{ev.standard['name']}（{ev.standard['version']}）"]
        comp = {(r["county_code"], r["stage"]): r for r in ev.composite.iter_rows(named=True)}
        summary = ev.school_summary
        for (county, stage), c in sorted(comp.items(), key=lambda kv: (kv[0][0], balance.STAGES.index(kv[0][1]))):
            verdict = "达标" if c["passed"] else "未达标"
            lines.append(f"\n县区 {county} {balance.STAGE_LABELS[stage]}：{c['schools']} 所学校，{int(c['pupils'])} 名学生 —— {verdict}")
            lines.append("  " + pad("指标", 36) + pad("县域值", 12, True) + pad("差异系数", 10, True) + pad("限值", 8, True) + "  判定")
            rows = ev.counties.filter((ev.counties["county_code"] == county) & (ev.counties["stage"] == stage))
            order = {i["id"]: n for n, i in enumerate(ev.standard["indicators"])}
            for r in sorted(rows.iter_rows(named=True), key=lambda r: order[r["indicator"]]):
                limit = "" if r["cv_limit"] is None else f"{r['cv_limit']:.2f}"
                ok = "" if r["passed"] is None else ("达标" if r["passed"] else "超限")
                cv = "—" if r["cv"] is None else f"{r['cv']:.4f}"
                lines.append("  " + pad(names[r["indicator"]], 36) + pad(f"{r['county_value']:.4f}", 12, True) + pad(cv, 10, True) + pad(limit, 8, True) + "  " + ok)
            if c["composite_limit"] is not None:
                lines.append(f"  综合差异系数 {c['composite_cv']:.4f}（限值 {c['composite_limit']:.2f}）")
            if ev.standard["school_rule"] == "min_met":
                s = summary.filter((summary["county_code"] == county) & (summary["stage"] == stage))
                lines.append(f"  学校达标：{int(s['passed'].sum())} / {s.height} 所（至少6项达标且其余不低于85%）")
        if ev.notes.excluded:
            lines.append(f"\n未参与计算 {len(ev.notes.excluded)} 条：" + "；".join(f"{e['school_name']}（{e['reason']}）" for e in ev.notes.excluded[:10]))
        return "\n".join(lines)
