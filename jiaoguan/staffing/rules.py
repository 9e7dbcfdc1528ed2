"""The workforce rules (rules.toml) and the small date and share arithmetic they need.

Pure: no Django import, so planning and its tests use the same rules as the pages.
"""
from __future__ import annotations

import datetime
import math
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RULES_FILE = Path(__file__).with_name("rules.toml")


@cache
def load(path: str | None = None) -> dict:
    with open(path or RULES_FILE, "rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class RotationRule:
    share: float
    backbone_share: float
    eligible_years: int
    sections: tuple[str, ...]
    staffing: tuple[str, ...]
    ownership: tuple[str, ...]
    backbone_levels: tuple[str, ...]
    source: str
    rural_sends_only_in_exchange: bool = True

    @classmethod
    def from_rules(cls, rules: dict | None = None, eligible_years: int | None = None) -> "RotationRule":
        r = (rules or load())["rotation"]
        return cls(share=r["share"], backbone_share=r["backbone_share"],
                   eligible_years=eligible_years if eligible_years is not None else r["eligible_years"],
                   sections=tuple(r["sections"]), staffing=tuple(r["staffing"]), ownership=tuple(r["ownership"]),
                   backbone_levels=tuple(r["backbone_levels"]), source=r["source"],
                   rural_sends_only_in_exchange=r.get("rural_sends_only_in_exchange", True))

    def required(self, eligible: int) -> int:
        """Teachers that must rotate: the share of the eligible, rounded up."""
        return ceil_share(eligible, self.share)

    def backbone_required(self, rotated: int) -> int:
        return ceil_share(rotated, self.backbone_share)


def ceil_share(n: int, share: float) -> int:
    """The smallest whole number of people that is at least `share` of n (1e-9 tolerates 0.1*10)."""
    return max(0, math.ceil(n * share - 1e-9))


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# ---------------------------------------------------------------------------- dates

def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later (29 February → 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def full_years(since: datetime.date, on: datetime.date) -> int:
    """Completed years from `since` to `on` (an age): 2020-09-01 → 2026-09-01 is 6."""
    years = on.year - since.year - ((on.month, on.day) < (since.month, since.day))
    return max(years, 0)


def eligible_cutoff(year_start: datetime.date, eligible_years: int) -> datetime.date:
    """Teachers at the school since this date or earlier have served `eligible_years` by the start."""
    return add_years(year_start, -eligible_years)


def is_eligible(since: datetime.date | None, year_start: datetime.date, eligible_years: int) -> bool:
    return since is not None and since <= eligible_cutoff(year_start, eligible_years)


def retirement_age(sex: str, rules: dict | None = None) -> int:
    r = (rules or load())["retirement"]
    return r["female"] if sex == "女" else r["male"]


def retirement_date(birth: datetime.date, sex: str, rules: dict | None = None) -> datetime.date:
    return add_years(birth, retirement_age(sex, rules))


def age_band(age: int, bands: list[int]) -> int:
    """Index of the band whose lower edge is the largest not above `age` (ages below the first edge: 0)."""
    i = 0
    for k, edge in enumerate(bands):
        if age >= edge:
            i = k
    return i


def band_labels(bands: list[int]) -> list[str]:
    labels = []
    for k, edge in enumerate(bands):
        if k == 0:
            labels.append(f"{bands[1] - 1}岁及以下" if len(bands) > 1 else f"{edge}岁以上")
        elif k == len(bands) - 1:
            labels.append(f"{edge}岁及以上")
        else:
            labels.append(f"{edge}–{bands[k + 1] - 1}岁")
    return labels


# ---------------------------------------------------------------------------- training

@dataclass(frozen=True)
class TrainingCycle:
    hours: int
    years: int
    first_year: int

    @classmethod
    def from_rules(cls, rules: dict | None = None) -> "TrainingCycle":
        t = (rules or load())["training"]
        return cls(hours=t["cycle_hours"], years=t["cycle_years"], first_year=t["cycle_first_year"])

    def start_of(self, year: int) -> int:
        """First school year of the cycle that school year `year` belongs to."""
        return self.first_year + (year - self.first_year) // self.years * self.years

    def years_of(self, year: int) -> range:
        start = self.start_of(year)
        return range(start, start + self.years)

    @property
    def per_year(self) -> float:
        return self.hours / self.years

    def expected(self, year: int, work_start_year: int | None = None) -> float:
        """学时 due by the end of school year `year`: pro rata over the cycle's years so far,
        counted from the later of the cycle's start and the school year the teacher started."""
        start = self.start_of(year)
        first = max(start, work_start_year) if work_start_year is not None else start
        years_in = max(0, year - first + 1)
        return min(self.hours, self.per_year * years_in)


def school_year_of(day: datetime.date) -> int:
    """Start year of the school year (1 September – 31 August) a date falls in."""
    return day.year if day.month >= 9 else day.year - 1


def spend_required(budget: float, rules: dict | None = None) -> float:
    return budget * (rules or load())["training"]["spend"]["share"]
