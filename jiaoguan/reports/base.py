"""Report sections as plugins. Each bureau-section app declares its sections in a module
`report.py` (a subclass of Section, decorated with @section); the report, the dashboard and the
figures appendix are assembled from them without knowing any app.

A section computes named Figures for a county and year, writes paragraph templates in Chinese
with `{figure_id}` placeholders (staff may edit the wording; the figures stay linked and are
recomputed on export), and lists the problems it finds in the data.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import ClassVar

from jiaoguan.core.text import wan

_TOKEN = re.compile(r"\{([a-z0-9_]+)\}")


@dataclass
class Figure:
    id: str
    label: str
    value: float | int | str | None
    unit: str = ""
    digits: int = 0
    query: str = ""            # how it was computed, for the figures appendix
    link: str = ""             # the page that explains it

    def text(self) -> str:
        return fmt(self.value, self.unit, self.digits)


def fmt(value, unit: str = "", digits: int = 0) -> str:
    if value is None:
        return "（无数据）"
    if isinstance(value, str):
        return value + unit
    if unit == "%":
        return f"{value * 100:.{digits or 2}f}%"
    if unit == "万元":
        return wan(value, digits or 2) + "万元"
    return f"{value:,.{digits}f}{unit}"


def yoy(cur, prev, unit: str = "", digits: int = 0, *, than: str = "去年") -> str:
    """比去年(X人)增加Y人，增长Z% / 减少… / 与去年持平 / '' when there is no last year. `than`
    names the basis when it is not the whole of last year (去年同期)."""
    if cur is None or prev is None:
        return ""
    diff = cur - prev
    if unit == "%":
        if abs(diff) < 0.5 * 10 ** -(digits + 2):
            return f"与{than}（{fmt(prev, unit, digits)}）持平"
        return f"比{than}（{fmt(prev, unit, digits)}）{'提高' if diff > 0 else '下降'}{abs(diff) * 100:.{digits or 2}f}个百分点"
    rounded = round(abs(diff), digits)
    if rounded == 0:
        return f"与{than}（{fmt(prev, unit, digits)}）持平"
    change = f"{'增加' if diff > 0 else '减少'}{fmt(abs(diff), unit, digits)}"
    if prev:
        pct = abs(diff) / prev * 100
        change += f"，{'增长' if diff > 0 else '下降'}{pct:.1f}%"
    return f"比{than}（{fmt(prev, unit, digits)}）{change}"


class Figures(dict):
    """figure id → Figure; `render` fills a template and reports unknown placeholders. `than` is
    how a year-on-year phrase names these figures when they are last year's (see Section.previous)."""

    than = "去年"

    def render(self, template: str) -> tuple[str, list[str]]:
        unknown = []

        def sub(m):
            f = self.get(m.group(1))
            if f is None:
                unknown.append(m.group(1))
                return m.group(0)
            return f.text() if isinstance(f, Figure) else str(f)

        return _TOKEN.sub(sub, template), unknown


@dataclass
class Content:
    """What a section says for one year: paragraph templates, tables, charts, problems."""

    paragraphs: list[str] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)       # {"caption", "headers", "rows"}
    charts: list[dict] = field(default_factory=list)       # {"caption", "kind": "bar"|"line"|"pie", "labels", "series": {name: values}}
    problems: list[str] = field(default_factory=list)
    empty: bool = False


class Section:
    id: ClassVar[str]
    title: ClassVar[str]
    order: ClassVar[int] = 100

    def figures(self, county, year) -> Figures:
        """The section's figures for the school year (ids unique across sections: prefix them)."""
        return Figures()

    def previous(self, county, year, prev) -> Figures:
        """Last year's figures to compare this year's with: the whole of last year, unless the
        section knows this year is still under way (aid compares paid terms with 去年同期)."""
        return self.figures(county, prev)

    def content(self, county, year, f: Figures, prev: Figures | None) -> Content:
        return Content()


SECTIONS: dict[str, type[Section]] = {}


def section(cls: type[Section]) -> type[Section]:
    SECTIONS[cls.id] = cls
    return cls


def discover() -> list[Section]:
    """Import `report` from every jiaoguan app that has one; sections in order."""
    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("jiaoguan.") and find_spec(f"{config.name}.report"):
            import_module(f"{config.name}.report")
    return [cls() for cls in sorted(SECTIONS.values(), key=lambda c: (c.order, c.id))]
