"""Excel in and out: reading an uploaded workbook as text, writing templates, error
workbooks and exports. Reading uses fastexcel (calamine), which also reads .xls.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import fastexcel
import polars as pl
import xlsxwriter

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


class ImportFileError(Exception):
    """The file as a whole cannot be read (nothing to show row by row)."""


@dataclass
class Column:
    """One column of an import template."""

    key: str                      # English key (also accepted as a header)
    label: str                    # Chinese header
    required: bool = False
    text: bool = False            # must be a text cell (ID numbers, codes)
    note: str = ""                # what the notes sheet says
    example: str = ""
    kind: str = "text"            # text|id|student_no|school_code|phone|int|decimal|date|bool|choice|grade
    choice_map: dict = field(default_factory=dict)  # label → stored value for kind "choice"
    max_len: int = 100
    width: int = 14

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self.choice_map)


@dataclass
class Sheet:
    """A read sheet: every cell as text, plus which ID cells were stored as numbers."""

    name: str
    frame: pl.DataFrame                     # columns renamed to keys, all Utf8
    numeric_cells: dict[str, pl.Series] = field(default_factory=dict)
    original_headers: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)   # key → header as written in the file


def _sniff(path: Path) -> None:
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError("文件为空（0字节），请检查是否上传了正确的文件")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(XLSX_MAGIC) or head.startswith(XLS_MAGIC):
        return
    try:
        head_text = path.read_bytes()[:2048].decode("utf-8-sig")
        looks_csv = "," in head_text or "\t" in head_text
    except UnicodeDecodeError:
        looks_csv = False
    if looks_csv:
        raise ImportFileError("文件不是Excel工作簿：看起来是CSV文本文件被改了扩展名。请用Excel打开后“另存为”.xlsx格式再导入")
    raise ImportFileError("文件不是Excel工作簿（.xlsx或.xls），无法读取")


def read_sheet(path: Path | str, columns: list[Column], *, max_bytes: int | None = None) -> Sheet:
    """Read the first sheet of a workbook as text and map its headers to column keys.

    Raises ImportFileError for an empty, oversized, non-Excel or wrongly laid-out file.
    """
    path = Path(path)
    if max_bytes is not None and path.stat().st_size > max_bytes:
        raise ImportFileError(
            f"文件过大（{path.stat().st_size / 1048576:.1f} MB），单次导入上限为{max_bytes / 1048576:.0f} MB，请按学校或年级拆分后分批导入"
        )
    reader = numeric_raw = None
    if path.suffix.lower() == ".csv":
        # CSV (for scripts and `jiaoguan evaluate`): UTF-8, first line the header
        if path.stat().st_size == 0:
            raise ImportFileError("文件为空（0字节），请检查是否上传了正确的文件")
        try:
            frame = pl.read_csv(path, infer_schema_length=0, encoding="utf8-lossy")
        except Exception as exc:
            raise ImportFileError(f"无法读取该CSV文件：{str(exc).splitlines()[0][:120]}") from exc
        sheet_name = path.stem
    else:
        _sniff(path)
        try:
            reader = fastexcel.read_excel(str(path))
            sheet_name = reader.sheet_names[0]
        except Exception as exc:  # calamine reports corrupt archives, encrypted files, …
            raise ImportFileError(f"无法读取该Excel文件（文件可能已损坏或已加密）：{str(exc).splitlines()[0][:120]}") from exc
        frame, numeric_raw = _load_with_cell_types(path, columns)

    headers = [str(c).strip() for c in frame.columns]
    by_header = {}
    for col in columns:
        by_header[col.label] = col.key
        by_header[col.key] = col.key
        by_header[col.label.replace("（", "(").replace("）", ")")] = col.key
    rename, seen = {}, set()
    for original, header in zip(frame.columns, headers):
        key = by_header.get(header.rstrip("*").strip())
        if key and key not in seen:
            rename[original] = key
            seen.add(key)
    missing = [c.label for c in columns if c.required and c.key not in seen]
    if missing:
        found = "、".join(h for h in headers if h and not h.startswith("__UNNAMED")) or "（无）"
        raise ImportFileError(
            f"工作表「{sheet_name}」缺少必填列：{'、'.join(missing)}。第1行应为表头；本文件的表头为：{found}。请使用本系统下载的模板"
        )
    frame = frame.select(list(rename)).rename(rename)
    # drop fully empty rows (Excel often keeps formatted blank rows)
    frame = frame.with_columns(pl.all().str.strip_chars())
    keep = ~frame.select(pl.all_horizontal(pl.all().is_null() | (pl.all() == ""))).to_series()
    frame = frame.filter(keep)
    if frame.height == 0:
        raise ImportFileError(f"工作表「{sheet_name}」没有数据行（第1行是表头，从第2行起填写数据）")

    numeric_cells = {}
    if reader is not None and numeric_raw is not None:
        inverse = {v: k for k, v in rename.items()}
        for col in columns:
            if col.text and col.key in seen and inverse[col.key] in numeric_raw.columns:
                mask = numeric_raw[inverse[col.key]].is_not_null()
                numeric_cells[col.key] = mask.filter(keep)
    labels = {key: str(original).strip() for original, key in rename.items()}
    return Sheet(name=sheet_name, frame=frame, numeric_cells=numeric_cells, original_headers=headers, labels=labels)


def _header_key(header: str, columns: list[Column]) -> str | None:
    h = str(header).strip().rstrip("*").strip()
    for col in columns:
        if h in (col.label, col.key, col.label.replace("（", "(").replace("）", ")")):
            return col.key
    return None


def _load_with_cell_types(path: Path, columns: list[Column]):
    """Every cell as text and, for the text-only columns (ID numbers, codes), which cells were
    stored as numbers: loading those columns as booleans leaves text cells null. The two passes
    over the sheet run in parallel threads (calamine releases the GIL); the columns of the second
    are picked by their header as calamine reads it (reading the header alone first would cost
    a third pass: calamine parses the whole sheet either way)."""
    from concurrent.futures import ThreadPoolExecutor

    text_keys = {c.key for c in columns if c.text}

    def as_text():
        return fastexcel.read_excel(str(path)).load_sheet(0, dtypes="string").to_polars()

    def cell_types():
        if not text_keys:
            return None
        return fastexcel.read_excel(str(path)).load_sheet(
            0, dtypes="boolean", use_columns=lambda info: _header_key(info.name, columns) in text_keys).to_polars()

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            text, types = pool.submit(as_text), pool.submit(cell_types)
            return text.result(), types.result()
    except Exception as exc:
        raise ImportFileError(f"无法读取该Excel文件（文件可能已损坏或已加密）：{str(exc).splitlines()[0][:120]}") from exc


# ---------------------------------------------------------------------------- parsing cells

def parse_date(value: str | None) -> datetime.date | None:
    """'2015-03-04', '2015/3/4', '2015.3.4', '20150304', '2015-03-04 00:00:00', '2015年3月4日'."""
    if value is None:
        return None
    s = value.strip().split(" ")[0].split("T")[0]
    s = s.replace("年", "-").replace("月", "-").replace("日", "").replace("/", "-").replace(".", "-")
    try:
        if s.isdigit() and len(s) == 8:
            return datetime.date(int(s[:4]), int(s[4:6]), int(s[6:]))
        y, m, d = (int(p) for p in s.split("-"))
        return datetime.date(y, m, d)
    except ValueError:
        return None


def parse_number(value: str | None) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value.replace(",", "").replace("，", ""))
    except ValueError:
        return None


TRUE_WORDS = {"是", "有", "1", "true", "True", "TRUE", "Y", "y", "√", "是的"}
FALSE_WORDS = {"否", "无", "0", "false", "False", "FALSE", "N", "n", "", "不是"}


def parse_bool(value: str | None) -> bool | None:
    if value is None:
        return False
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    return None


# ---------------------------------------------------------------------------- writing

def _formats(wb):
    return {
        "header": wb.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "vcenter"}),
        "required": wb.add_format({"bold": True, "bg_color": "#F8CBAD", "border": 1, "text_wrap": True, "valign": "vcenter"}),
        "text": wb.add_format({"num_format": "@"}),
        "error": wb.add_format({"font_color": "#C00000", "text_wrap": True}),
        "bad_row": wb.add_format({"bg_color": "#FDE9E7"}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
        "title": wb.add_format({"bold": True, "font_size": 14}),
    }


def write_template(path: Path | str, title: str, columns: list[Column], *, rows: int = 5000, intro: str = "") -> None:
    """An empty import template: Chinese headers (required ones in red), ID columns formatted
    as text, drop-downs for fixed choices, and a notes sheet explaining every column."""
    wb = xlsxwriter.Workbook(str(path))
    f = _formats(wb)
    ws = wb.add_worksheet(title)
    ws.freeze_panes(1, 0)
    ws.set_row(0, 30)
    for i, col in enumerate(columns):
        ws.write_string(0, i, col.label, f["required"] if col.required else f["header"])
        ws.set_column(i, i, col.width, f["text"] if col.text else None)
        if col.choices:
            ws.data_validation(1, i, rows, i, {
                "validate": "list", "source": list(col.choices),
                "error_title": col.label, "error_message": "请从下拉列表中选择：" + "、".join(col.choices)[:200],
            })
    notes = wb.add_worksheet("填写说明")
    notes.set_column(0, 0, 22)
    notes.set_column(1, 1, 8)
    notes.set_column(2, 2, 70)
    notes.set_column(3, 3, 26)
    notes.write(0, 0, f"{title}导入模板 填写说明", f["title"])
    notes.write(1, 0, intro or "第一个工作表的第1行是表头，请勿修改；从第2行起每行一条记录。红色表头为必填列。", f["wrap"])
    notes.write_row(3, 0, ["列名", "必填", "说明", "示例"], f["header"])
    for r, col in enumerate(columns, start=4):
        notes.write_string(r, 0, col.label)
        notes.write_string(r, 1, "是" if col.required else "")
        note = col.note + (f"（可选：{'、'.join(col.choices)}）" if col.choices and len(col.choices) <= 12 else "")
        if col.text:
            note += " 该列须为文本格式，切勿存成数字，否则会丢失末位数字。"
        notes.write_string(r, 2, note, f["wrap"])
        notes.write_string(r, 3, col.example)
    wb.close()


def write_error_workbook(path: Path | str, sheet: Sheet, errors: dict[int, list[str]]) -> None:
    """The original rows, each with its messages; bad rows shaded; the message column first."""
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    f = _formats(wb)
    ws = wb.add_worksheet(sheet.name[:31])
    keys = sheet.frame.columns
    ws.write_string(0, 0, "原表行号", f["header"])
    ws.write_string(0, 1, "错误说明", f["required"])
    ws.set_column(1, 1, 60)
    labels = {c: c for c in keys} | sheet.labels
    for i, key in enumerate(keys, start=2):
        ws.write_string(0, i, labels.get(key, key), f["header"])
        ws.set_column(i, i, 16, f["text"])
    ws.freeze_panes(1, 2)
    for r, row in enumerate(sheet.frame.iter_rows(), start=1):
        msgs = errors.get(r - 1)
        ws.write_number(r, 0, r + 1)
        if msgs:
            ws.write_string(r, 1, "；".join(msgs), f["error"])
        for i, value in enumerate(row, start=2):
            if value is not None:
                ws.write_string(r, i, value, f["bad_row"] if msgs else None)
    ws.autofilter(0, 0, sheet.frame.height, len(keys) + 1)
    wb.close()


def write_rows(path_or_buffer, title: str, headers: list[str], rows: Iterable[Iterable], *, text_columns: Iterable[int] = ()) -> int:
    """A plain export: one sheet, bold headers, the given columns as text. Returns row count."""
    wb = xlsxwriter.Workbook(path_or_buffer, {"constant_memory": True, "in_memory": not isinstance(path_or_buffer, (str, Path))})
    f = _formats(wb)
    ws = wb.add_worksheet(title[:31])
    text_columns = set(text_columns)
    for i, h in enumerate(headers):
        ws.write_string(0, i, h, f["header"])
        ws.set_column(i, i, max(10, min(30, len(h) * 2 + 4)), f["text"] if i in text_columns else None)
    ws.freeze_panes(1, 0)
    n = 0
    for n, row in enumerate(rows, start=1):
        for i, value in enumerate(row):
            if value is None or value == "":
                continue
            if i in text_columns or isinstance(value, str):
                ws.write_string(n, i, str(value))
            elif isinstance(value, (datetime.date, datetime.datetime)):
                ws.write_string(n, i, value.strftime("%Y-%m-%d"))
            else:
                ws.write(n, i, value)
    ws.autofilter(0, 0, max(n, 1), max(len(headers) - 1, 0))
    wb.close()
    return n
