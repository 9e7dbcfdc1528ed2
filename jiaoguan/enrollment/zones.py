"""Address → zone lookup (pure, no Django). A zone (片区) is served by one school or a group of
schools (多校划片); its address units are residential compounds and communities (matched by
name) or road-number ranges (matched by road and house number, optionally odd or even side).
An address that matches nothing is reported as unmatched and goes to a review queue."""
from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = re.compile(r"(\d+)\s*号")
_SPACE = re.compile(r"[\s　]+")


def normalise(address: str) -> str:
    """Full-width digits to ASCII, spaces removed: '湘潭县 易俗河镇 金霞路１２号' → '湘潭县易俗河镇金霞路12号'."""
    table = str.maketrans("０１２３４５６７８９－", "0123456789-")
    return _SPACE.sub("", (address or "").translate(table))


@dataclass(frozen=True)
class Unit:
    """One address unit of a zone. kind: 'compound' (小区/村/社区, matched by name) or 'road'."""

    zone: str
    kind: str
    name: str                 # compound/community name, or road name
    number_from: int | None = None
    number_to: int | None = None
    parity: str = "all"       # all | odd | even (one side of the road)


@dataclass
class Match:
    zones: list[str]
    unit: Unit | None
    reason: str


def lookup(address: str, units: list[Unit]) -> Match:
    """The zone(s) an address belongs to. Compound names win over road ranges; the longest name
    that occurs in the address wins (so 金霞小区二期 beats 金霞小区)."""
    text = normalise(address)
    compounds = [u for u in units if u.kind == "compound" and u.name and u.name in text]
    if compounds:
        best = max(len(u.name) for u in compounds)
        hits = [u for u in compounds if len(u.name) == best]
        return Match(sorted({u.zone for u in hits}), hits[0], f"按小区/社区“{hits[0].name}”匹配")
    roads = [u for u in units if u.kind == "road" and u.name and u.name in text]
    if roads:
        tail = text[text.rindex(max((u.name for u in roads), key=len)):]
        m = _NUMBER.search(tail)
        if not m:
            return Match([], None, "地址有道路名但没有门牌号，需人工核对")
        number = int(m.group(1))
        hits = [u for u in roads if (u.number_from or 0) <= number <= (u.number_to or 10**9)
                and (u.parity == "all" or (u.parity == "odd") == (number % 2 == 1))]
        if hits:
            best = max(len(u.name) for u in hits)
            hits = [u for u in hits if len(u.name) == best]
            return Match(sorted({u.zone for u in hits}), hits[0], f"按道路“{hits[0].name}”{number}号匹配")
        return Match([], None, f"门牌号{number}号不在任何片区的号段内，需人工核对")
    return Match([], None, "地址未匹配到任何片区，需人工核对")
