"""The import pipeline shared by every kind of file.

read (text) → parse every column at once in polars (types, choices, dates, ID checks) →
the importer's cross-row and database checks → if any row is bad: nothing is written and an
error workbook is produced; otherwise one transaction of upserts on natural keys.
"""
from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, ClassVar

import polars as pl
from django.conf import settings
from django.db import transaction

from . import idnumbers
from .audit import audit
from .excel import Column, ImportFileError, Sheet, read_sheet, write_error_workbook, write_template

Progress = Callable[[int, int, str], None]

@dataclass
class ImportContext:
    user: object
    year: object  # SchoolYear
    progress: Progress | None = None
    request: object = None

    def report(self, done: int, total: int, phase: str) -> None:
        if self.progress:
            self.progress(done, total, phase)


@dataclass
class ImportResult:
    kind: str
    title: str
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    file_error: str | None = None
    errors: dict[int, list[str]] = field(default_factory=dict)
    warnings: dict[int, list[str]] = field(default_factory=dict)
    error_file: Path | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.errors

    def summary(self) -> str:
        if self.file_error:
            return f"导入被拒绝：{self.file_error}"
        if self.errors:
            return f"导入被拒绝：共{self.total}行，其中{len(self.errors)}行有错误，未写入任何数据。请下载错误说明表修改后重新导入。"
        text = f"导入成功：共{self.total}行，新增{self.created}行，更新{self.updated}行，未变化{self.unchanged}行。"
        if self.warnings:
            text += f"另有{len(self.warnings)}行提示（不影响导入），请核对。"
        return text

    def error_lines(self, limit: int = 50) -> list[str]:
        lines = [f"第{i + 2}行：{'；'.join(m)}" for i, m in sorted(self.errors.items())[:limit]]
        if len(self.errors) > limit:
            lines.append(f"……另有{len(self.errors) - limit}行错误，见错误说明表")
        return lines


class RowErrors:
    """Collects messages per row (0-based data row) and column label."""

    def __init__(self):
        self.rows: dict[int, list[str]] = {}
        self.cells: set[tuple[int, str]] = set()  # (row, column key) of every bad cell

    def add(self, row: int, label: str, message: str, key: str = "") -> None:
        self.rows.setdefault(row, []).append(f"「{label}」{message}" if label else message)
        if key:
            self.cells.add((row, key))

    def add_series(self, label: str, messages: pl.Series, key: str = "") -> None:
        """Add a column of messages (null where the cell is fine)."""
        if messages.null_count() == len(messages):
            return
        frame = pl.DataFrame({"m": messages}).with_row_index("i").filter(pl.col("m").is_not_null())
        for i, m in frame.iter_rows():
            self.add(i, label, m, key)

    def __bool__(self) -> bool:
        return bool(self.rows)


# ---------------------------------------------------------------------------- column parsing

def _python_check(values: pl.Series, check: Callable[[str], str | None]) -> pl.Series:
    """Apply a scalar check once per distinct value (school codes repeat thousands of times)."""
    distinct = values.drop_nulls().unique().to_list()
    messages = {v: check(v) for v in distinct}
    return values.replace_strict(messages, default=None, return_dtype=pl.Utf8)


def _student_no_check(values: pl.Series) -> pl.Series:
    """G numbers (nearly all) by shape in one pass; the few J/L numbers one by one."""
    g_ok = values.str.contains(r"^G\d{17}[\dX]$")
    rest = values.filter(~g_ok.fill_null(True))
    scalar = _python_check(rest, lambda v: idnumbers.check_student_no(v, verify_id=False)) if len(rest) else None
    messages = dict(zip(rest.to_list(), scalar.to_list())) if scalar is not None else {}
    return values.replace_strict(messages, default=None, return_dtype=pl.Utf8)


def parse_columns(sheet: Sheet, columns: list[Column], errors: RowErrors) -> pl.DataFrame:
    """Turn the text frame into typed columns, recording a message for every bad cell."""
    from jiaoguan.indicators.grades import GRADE_LABELS, _ALIASES

    frame = sheet.frame
    out = {}
    n = frame.height
    for col in columns:
        if col.key not in frame.columns:
            out[col.key] = pl.Series(col.key, [None] * n)
            continue
        s = frame[col.key]
        s = s.replace("", None)
        present = s.is_not_null()
        if col.required:
            errors.add_series(col.label, pl.select(pl.when(~present).then(pl.lit("必填，不能为空"))).to_series())
        numeric = sheet.numeric_cells.get(col.key)
        if numeric is not None and numeric.any():
            errors.add_series(col.label, pl.select(pl.when(numeric).then(pl.lit(f"{col.label}被存成了数字，请把该列设为文本后重新填写"))).to_series(), col.key)
            s = pl.select(pl.when(numeric).then(None).otherwise(s)).to_series()
        kind = col.kind
        if kind in ("text",):
            too_long = present & (s.str.len_chars() > col.max_len)
            errors.add_series(col.label, pl.select(pl.when(too_long).then(pl.lit(f"不能超过{col.max_len}个字"))).to_series())
            parsed = s
        elif kind in ("id", "student_no", "school_code", "phone"):
            s = s.str.to_uppercase() if kind != "phone" else s.str.replace_all(r"[\s-]", "")
            if kind == "id":
                msgs = idnumbers.check_id_column(s)
            elif kind == "student_no":
                msgs = _student_no_check(s)
            elif kind == "phone":
                msgs = idnumbers.check_regex_column(s, r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", idnumbers.check_phone("x"))
            else:
                msgs = _python_check(s, idnumbers.check_school_code)
            errors.add_series(col.label, msgs, col.key)
            parsed = s
        elif kind in ("int", "decimal"):
            cleaned = s.str.replace_all(r"[,，\s]", "")
            parsed = cleaned.cast(pl.Float64, strict=False)
            bad = present & parsed.is_null()
            errors.add_series(col.label, pl.select(pl.when(bad).then(pl.lit("应为数字"))).to_series())
            negative = parsed < 0
            errors.add_series(col.label, pl.select(pl.when(negative).then(pl.lit("不能为负数"))).to_series())
            if kind == "int":
                fractional = parsed.is_not_null() & (parsed != parsed.floor())
                errors.add_series(col.label, pl.select(pl.when(fractional).then(pl.lit("应为整数"))).to_series())
                parsed = parsed.cast(pl.Int64, strict=False)
        elif kind == "date":
            norm = s.str.split(" ").list.first().str.split("T").list.first()
            norm = norm.str.replace_all(r"[/.年月]", "-").str.replace("日", "")
            parsed = pl.select(pl.coalesce(norm.str.to_date("%Y-%m-%d", strict=False), norm.str.to_date("%Y%m%d", strict=False))).to_series()
            bad = present & parsed.is_null()
            errors.add_series(col.label, pl.select(pl.when(bad).then(pl.lit("日期无效，应写成如2015-09-01"))).to_series())
        elif kind == "bool":
            from .excel import FALSE_WORDS, TRUE_WORDS

            mapping = {w: True for w in TRUE_WORDS} | {w: False for w in FALSE_WORDS if w}
            parsed = s.replace_strict(mapping, default=None, return_dtype=pl.Boolean)
            bad = present & parsed.is_null()
            errors.add_series(col.label, pl.select(pl.when(bad).then(pl.lit("应填“是”或“否”"))).to_series())
            parsed = parsed.fill_null(False)
        elif kind == "choice":
            parsed = s.replace_strict(col.choice_map, default=None, return_dtype=pl.Utf8)
            bad = present & parsed.is_null()
            allowed = "、".join(col.choice_map)
            errors.add_series(col.label, pl.select(pl.when(bad).then(pl.lit(f"不在可选范围内（{allowed}）"))).to_series())
        elif kind == "grade":
            mapping = {v: k for k, v in GRADE_LABELS.items()} | {str(k): k for k in GRADE_LABELS} | _ALIASES
            parsed = s.str.replace(r"\.0$", "").replace_strict(mapping, default=None, return_dtype=pl.Int16)
            bad = present & parsed.is_null()
            errors.add_series(col.label, pl.select(pl.when(bad).then(pl.lit("年级无法识别，应写成如“三年级”“七年级”“小班”"))).to_series())
        else:  # pragma: no cover - a programming error in a Column declaration
            raise ValueError(f"unknown column kind {kind}")
        out[col.key] = parsed.alias(col.key)
    return pl.DataFrame(out)


# ---------------------------------------------------------------------------- importers

class Importer(ABC):
    """One kind of import file. Subclasses declare columns and implement check() and write()."""

    kind: ClassVar[str]
    title: ClassVar[str]
    columns: ClassVar[list[Column]]
    intro: ClassVar[str] = ""

    def check(self, rows: pl.DataFrame, errors: RowErrors, warnings: RowErrors, ctx: ImportContext) -> None:
        """Cross-row and database checks, after every column has been parsed."""

    @abstractmethod
    def write(self, rows: pl.DataFrame, ctx: ImportContext) -> tuple[int, int, int]:
        """Upsert the rows; return (created, updated, unchanged)."""

    def label(self, key: str) -> str:
        return next(c.label for c in self.columns if c.key == key)


IMPORTERS: dict[str, type[Importer]] = {}


def register(cls: type[Importer]) -> type[Importer]:
    IMPORTERS[cls.kind] = cls
    return cls


def get_importer(kind: str) -> Importer:
    try:
        return IMPORTERS[kind]()
    except KeyError:
        raise KeyError(f"未知的导入类型：{kind}（可用：{'、'.join(IMPORTERS)}）") from None


def template(kind: str, path: Path | str) -> None:
    imp = get_importer(kind)
    write_template(path, imp.title, imp.columns, intro=imp.intro)


def run_import(kind: str, path: Path | str, ctx: ImportContext, *, error_path: Path | str | None = None) -> ImportResult:
    """Validate the whole file; write nothing unless every row passes."""
    from .models import AuditLog

    started = time.perf_counter()
    importer = get_importer(kind)
    path = Path(path)
    result = ImportResult(kind=kind, title=importer.title)
    ctx.report(0, 0, "读取文件")
    try:
        sheet = read_sheet(path, importer.columns, max_bytes=settings.IMPORT_MAX_BYTES)
    except ImportFileError as exc:
        result.file_error = str(exc)
        audit(ctx.user, AuditLog.Action.IMPORT_REJECTED, request=ctx.request, object_type=importer.title,
              object_repr=path.name[:200], reason=result.file_error)
        result.seconds = time.perf_counter() - started
        return result
    result.total = sheet.frame.height
    ctx.report(0, result.total, "校验数据")
    errors, warnings = RowErrors(), RowErrors()
    rows = parse_columns(sheet, importer.columns, errors)
    importer.check(rows, errors, warnings, ctx)
    result.warnings = warnings.rows
    if errors:
        result.errors = errors.rows
        result.error_file = Path(error_path) if error_path else path.with_name(path.name + ".errors.xlsx")
        write_error_workbook(result.error_file, sheet, errors.rows)
        audit(ctx.user, AuditLog.Action.IMPORT_REJECTED, request=ctx.request, object_type=importer.title,
              object_repr=path.name[:200], row_count=result.total, bad_rows=len(errors.rows))
        result.seconds = time.perf_counter() - started
        return result
    ctx.report(0, result.total, "写入数据")
    with transaction.atomic():
        result.created, result.updated, result.unchanged = importer.write(rows, ctx)
        audit(ctx.user, AuditLog.Action.IMPORT, request=ctx.request, object_type=importer.title,
              object_repr=path.name[:200], row_count=result.total, created=result.created,
              updated=result.updated, unchanged=result.unchanged, year=str(ctx.year))
    from .cache import bump

    bump()  # bulk writes send no signals
    ctx.report(result.total, result.total, "完成")
    result.seconds = time.perf_counter() - started
    return result
