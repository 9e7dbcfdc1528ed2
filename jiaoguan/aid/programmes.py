"""Aid programmes, their rules and their standards by term, read from programmes.toml.

Pure: no Django import. A term is "2026秋季" or "2027春季"; the autumn term opens the school
year, the spring term closes it. An amount period applies from its `from` term until the next
period of the same programme begins, so a 2023 term keeps the 2023 standard.
"""
from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from jiaoguan.indicators.grades import stage_of as grade_stage

PROGRAMMES_FILE = Path(__file__).with_name("programmes.toml")

STAGES = ("preschool", "primary", "junior", "senior", "vocational", "higher")
STAGE_LABELS = {"preschool": "学前", "primary": "小学", "junior": "初中", "senior": "高中", "vocational": "中职",
                "higher": "高校"}
LEVEL_LABELS = {"preschool": "学前教育", "compulsory": "义务教育", "senior": "普通高中", "vocational": "中等职业教育",
                "higher": "高等教育"}
PAYMENT_LABELS = {"bank": "银行代发到户", "school": "拨付学校", "waiver": "学校免收（财政补偿）", "loan": "银行放贷"}
STATUS_LABELS = {"V": "已核实", "M": "待核实", "P": "省市转述", "local": "本地设置"}
SEASON_LABELS = {"spring": "春季", "autumn": "秋季"}
LOCATION_LABELS = {"urban": "城区", "town": "镇区", "rural": "乡村"}
_TERM_RE = re.compile(r"^\s*(\d{4})\s*年?\s*(春季|秋季|春|秋)(学期)?\s*$")
CENT = Decimal("0.01")


class ProgrammeError(ValueError):
    """A programme or term that does not exist, or a malformed programmes file."""


# ---------------------------------------------------------------------------- terms

@dataclass(frozen=True)
class TermKey:
    year: int      # calendar year the term starts in
    season: str    # "spring" | "autumn"

    @classmethod
    def parse(cls, value: str) -> "TermKey":
        m = _TERM_RE.match(str(value or ""))
        if not m:
            raise ProgrammeError(f"学期“{value}”无法识别，应写成如“2026秋季”或“2027春季”")
        return cls(int(m.group(1)), "spring" if m.group(2).startswith("春") else "autumn")

    @classmethod
    def of_school_year(cls, start_year: int) -> tuple["TermKey", "TermKey"]:
        """The autumn and spring terms of the school year starting in September of start_year."""
        return cls(start_year, "autumn"), cls(start_year + 1, "spring")

    @property
    def index(self) -> int:
        return self.year * 2 + (1 if self.season == "autumn" else 0)

    @property
    def code(self) -> str:
        return f"{self.year}{SEASON_LABELS[self.season]}"

    @property
    def school_year_start(self) -> int:
        return self.year if self.season == "autumn" else self.year - 1

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 9, 1) if self.season == "autumn" else datetime.date(self.year, 2, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year + 1, 1, 31) if self.season == "autumn" else datetime.date(self.year, 8, 31)

    def __lt__(self, other: "TermKey") -> bool:
        return self.index < other.index

    def __le__(self, other: "TermKey") -> bool:
        return self.index <= other.index

    def __str__(self) -> str:
        return self.code


def stage_of(school_type: str, grade: int) -> str:
    """The aid stage of a pupil: the stage of its grade (学前/小学/初中/高中), 中职 for the upper
    grades of a vocational school (a special school's pupils get the aid of their grade)."""
    return "vocational" if school_type == "vocational" and grade >= 10 else grade_stage(grade)


def yuan(value) -> str:
    """750.00 → '750', 312.50 → '312.5': an amount in 元 as people write it."""
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------- programmes

@dataclass(frozen=True)
class Tier:
    name: str
    per_year: Decimal
    categories: tuple[str, ...]


@dataclass(frozen=True)
class AmountPeriod:
    start: TermKey
    source: str
    status: str
    per_year: dict[str, Decimal] = field(default_factory=dict)  # stage → annual standard
    per_day: Decimal | None = None
    limit: Decimal | None = None        # application programmes: the most per year
    grades: tuple[int, ...] | None = None
    tiers: tuple[Tier, ...] = ()


@dataclass(frozen=True)
class Rule:
    boarding: bool | None = None              # True: boarders only; False: non-boarders only
    categories: tuple[str, ...] = ()          # any one of these difficulty categories
    everyone: bool = False                    # no difficulty category needed
    locations: tuple[str, ...] = ()           # school location (urban/town/rural); empty: any
    ownership: tuple[str, ...] = ()           # public/private/private_inclusive; empty: any
    school_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Programme:
    id: str
    name: str
    short: str
    level: str
    stages: tuple[str, ...]
    payment: str
    rule: Rule
    amounts: tuple[AmountPeriod, ...]
    note: str = ""
    application: bool = False

    def period(self, term: TermKey) -> AmountPeriod | None:
        """The amount period in force in the term (None: the programme did not exist yet)."""
        found = None
        for p in self.amounts:
            if p.start <= term:
                found = p
        return found

    def term_amount(self, term: TermKey, stage: str, categories=(), *, share: Decimal, days: int) -> tuple[Decimal, str] | None:
        """(amount for the term, tier name) for a pupil of the stage with these categories."""
        p = self.period(term)
        if p is None or stage not in self.stages:
            return None
        if p.per_day is not None:
            return money(p.per_day * days), ""
        for tier in p.tiers:
            if set(tier.categories) & set(categories):
                return money(tier.per_year * share), tier.name
        annual = p.per_year.get(stage)
        return (money(annual * share), "") if annual is not None else None

    def max_term_amount(self, term: TermKey, stage: str, *, share: Decimal, days: int) -> Decimal | None:
        """The most one pupil of the stage may receive in the term (the top tier, if any)."""
        p = self.period(term)
        if p is None or stage not in self.stages:
            return None
        if p.per_day is not None:
            return money(p.per_day * days)
        if p.limit is not None:
            return p.limit
        candidates = [t.per_year for t in p.tiers] + ([p.per_year[stage]] if stage in p.per_year else [])
        return money(max(candidates) * share) if candidates else None

    @property
    def stage_label(self) -> str:
        return "、".join(STAGE_LABELS[s] for s in self.stages)


@dataclass(frozen=True)
class ProgrammeTable:
    programmes: dict[str, Programme]
    categories: dict[str, str]
    category_short: dict[str, str]
    semester_share: Decimal
    school_days_per_term: int
    source: str = ""

    def __iter__(self):
        return iter(self.programmes.values())

    def get(self, key: str) -> Programme:
        """By id, full name or short name; ProgrammeError (in Chinese) when unknown."""
        key = (key or "").strip()
        if key in self.programmes:
            return self.programmes[key]
        for p in self.programmes.values():
            if key in (p.name, p.short):
                return p
        names = "、".join(p.short for p in self.programmes.values())
        raise ProgrammeError(f"资助项目“{key}”不存在（可选：{names}）")

    def term_amount(self, programme: Programme, term: TermKey, stage: str, categories=()):
        return programme.term_amount(term, stage, categories, share=self.semester_share, days=self.school_days_per_term)

    def max_term_amount(self, programme: Programme, term: TermKey, stage: str) -> Decimal | None:
        return programme.max_term_amount(term, stage, share=self.semester_share, days=self.school_days_per_term)

    def year_standard(self, programme: Programme, start_year: int, stage: str) -> Decimal | None:
        """What one pupil entitled all year receives at the standard (untiered) amount: the
        autumn term's amount plus the spring term's; the limit for application programmes."""
        autumn, spring = TermKey.of_school_year(start_year)
        if programme.application:
            p = programme.period(autumn)
            return p.limit if p else None
        total, found = Decimal(0), False
        for term in (autumn, spring):
            p = programme.period(term)
            if p is None or stage not in programme.stages:
                continue
            if p.per_day is not None:
                total += money(p.per_day * self.school_days_per_term)
            elif stage in p.per_year:
                total += money(p.per_year[stage] * self.semester_share)
            else:
                continue
            found = True
        return total if found else None


# ---------------------------------------------------------------------------- loading

def _decimal(value, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ProgrammeError(f"{where}：金额应为非负数字，实为 {value!r}")
    return Decimal(str(value))


def parse_table(data: dict) -> ProgrammeTable:
    """Build and validate the table from parsed TOML; every amount needs a source and a term."""
    categories = dict(data.get("categories") or {})
    short = dict(data.get("category_short") or {})
    programmes: dict[str, Programme] = {}
    for raw in data.get("programme") or []:
        pid = raw.get("id") or ""
        where = f"资助项目 {pid or '（无id）'}"
        if not re.fullmatch(r"[a-z][a-z0-9_]*", pid):
            raise ProgrammeError(f"{where}：id 只能用小写英文、数字和下划线")
        if pid in programmes:
            raise ProgrammeError(f"{where}：id 重复")
        for key in ("name", "short", "level", "stages", "payment", "amounts"):
            if not raw.get(key):
                raise ProgrammeError(f"{where}：缺少 {key}")
        stages = tuple(raw["stages"])
        if bad := [s for s in stages if s not in STAGES]:
            raise ProgrammeError(f"{where}：未知学段 {'、'.join(bad)}")
        if raw["level"] not in LEVEL_LABELS:
            raise ProgrammeError(f"{where}：未知层次 {raw['level']}")
        if raw["payment"] not in PAYMENT_LABELS:
            raise ProgrammeError(f"{where}：未知发放方式 {raw['payment']}")
        r = raw.get("rule") or {}
        rule = Rule(boarding=r.get("boarding"), categories=tuple(r.get("categories") or ()), everyone=bool(r.get("everyone")),
                    locations=tuple(r.get("locations") or ()), ownership=tuple(r.get("ownership") or ()),
                    school_types=tuple(r.get("school_types") or ()))
        if bad := [c for c in rule.categories if c not in categories]:
            raise ProgrammeError(f"{where}：未知困难类别 {'、'.join(bad)}")
        application = bool(raw.get("application"))
        if not application and not rule.categories and not rule.everyone and not rule.locations:
            raise ProgrammeError(f"{where}：规则没有限定任何条件（困难类别、学校所在地或 everyone = true）")
        periods = []
        for a in raw["amounts"]:
            pw = f"{where} 自{a.get('from', '?')}"
            if not a.get("source"):
                raise ProgrammeError(f"{pw}：每个标准都要注明依据（source）")
            start = TermKey.parse(a.get("from", ""))
            per_year = {k: _decimal(v, pw) for k, v in (a.get("per_year") or {}).items()}
            if bad := [s for s in per_year if s not in stages]:
                raise ProgrammeError(f"{pw}：标准中的学段 {'、'.join(bad)} 不属于本项目")
            tiers = tuple(Tier(t["name"], _decimal(t["per_year"], pw), tuple(t.get("categories") or ())) for t in a.get("tiers") or ())
            per_day = _decimal(a["per_day"], pw) if "per_day" in a else None
            limit = _decimal(a["limit"], pw) if "limit" in a else None
            if not per_year and per_day is None and limit is None:
                raise ProgrammeError(f"{pw}：没有金额（per_year、per_day 或 limit）")
            periods.append(AmountPeriod(start=start, source=a["source"], status=a.get("status", "M"), per_year=per_year,
                                        per_day=per_day, limit=limit, grades=tuple(a["grades"]) if "grades" in a else None,
                                        tiers=tiers))
        periods.sort(key=lambda p: p.start.index)
        if len({p.start.index for p in periods}) != len(periods):
            raise ProgrammeError(f"{where}：同一学期起有两个标准")
        programmes[pid] = Programme(id=pid, name=raw["name"], short=raw["short"], level=raw["level"], stages=stages,
                                    payment=raw["payment"], rule=rule, amounts=tuple(periods), note=raw.get("note", ""),
                                    application=application)
    if not programmes:
        raise ProgrammeError("资助项目表为空")
    return ProgrammeTable(programmes=programmes, categories=categories, category_short=short or dict(categories),
                          semester_share=Decimal(str(data.get("semester_share", 0.5))),
                          school_days_per_term=int(data.get("school_days_per_term", 100)), source=data.get("source", ""))


def load_table(path: Path | str | None = None) -> ProgrammeTable:
    with Path(path or PROGRAMMES_FILE).open("rb") as fh:
        return parse_table(tomllib.load(fh))


@cache
def programmes() -> ProgrammeTable:
    """The county's programme table (programmes.toml), loaded once."""
    return load_table()
