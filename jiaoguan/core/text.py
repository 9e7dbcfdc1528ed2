"""Chinese text helpers: pinyin initials for search, number formatting the Chinese way."""
from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def initials(text: str) -> str:
    """'城关第一小学' → 'cgdyxx' (first letters of each syllable; other characters kept)."""
    return "".join(p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default") if p).lower()


def wan(value: float | int | None, digits: int = 2) -> str:
    """Amount in 元 → '82.03' 万元."""
    if value is None:
        return "—"
    return f"{value / 10000:,.{digits}f}"
