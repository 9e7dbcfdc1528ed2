"""The facts table written as the import template's workbook (Chinese headers, codes as text)."""
from __future__ import annotations

import polars as pl

from jiaoguan.core.excel import write_rows
from jiaoguan.indicators.facts_table import FACTS_TABLE_COLUMNS

EXTRA = [("parent_code", "所属学校标识码")]


def write_facts_table(path_or_buffer, frame: pl.DataFrame) -> int:
    columns = [(c.key, c.label) for c in FACTS_TABLE_COLUMNS] + EXTRA
    text = [i for i, (k, _) in enumerate(columns) if k in ("school_code", "county_code", "parent_code")]
    rows = ([r.get(k) for k, _ in columns] for r in frame.iter_rows(named=True))
    return write_rows(path_or_buffer, "校际均衡测算表", [label for _, label in columns], rows, text_columns=text)
