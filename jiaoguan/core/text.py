"""Chinese text helpers: pinyin initials for search, number formatting the Chinese way."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

TEN_THOUSAND = Decimal(10000)

# Surnames read differently from the common reading of the character.
SURNAME_INITIALS = {"单": "s", "解": "x", "曾": "z", "区": "o", "仇": "q", "朴": "p", "查": "z", "覃": "q",
                    "翟": "z", "缪": "m", "尉": "y", "乐": "y", "召": "s", "种": "c", "繁": "p", "员": "y"}


@lru_cache(maxsize=None)
def _char_initial(ch: str) -> str:
    p = lazy_pinyin(ch, style=Style.FIRST_LETTER, errors="default")
    return p[0][:1].lower() if p and p[0] else ""


def initials(text: str, *, person: bool = False) -> str:
    """'城关第一小学' → 'cgdyxx'; with person=True the surname reading is used ('单华' → 'sh').

    Character by character with a cache: 100,000 names take a tenth of a second, where
    calling pypinyin per name takes seconds."""
    if not text:
        return ""
    first = SURNAME_INITIALS.get(text[0]) if person else None
    return (first or _char_initial(text[0])) + "".join(_char_initial(c) for c in text[1:] if not c.isspace())


def wan(value, digits: int = 2, *, keep: int | None = None) -> str:
    """An amount in 元 as 万元 the way reports write it: `digits` decimals, rounded half up on the
    exact decimal value (a float's binary error never moves a 分); with `keep`, trailing zeros
    after `keep` decimals are dropped (wan(1771937.5, 4, keep=2) → '177.1938', 820300 → '82.03')."""
    if value is None or value == "":
        return "—"
    exact = (Decimal(str(value)) / TEN_THOUSAND).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{exact:,.{digits}f}"
    if keep is not None and digits > keep:
        text = text.rstrip("0")
        whole, _, decimals = text.partition(".")
        text = f"{whole}.{decimals.ljust(keep, '0')}" if keep else whole
    return text
