"""The demo county generator behind `jiaoguan demo`.

Builds, deterministically for a seed, one or more invented counties of 湖南省 with three
school years of history (2024-2025 … 2026-2027, the last current): townships, about 240
schools per county of every type, ~120,000 pupils on roll with their enrolments, classes,
~6,000 teachers with their postings, each school's facilities per year, and one demo log-in
per role.

Everything is planned in plain Python first (`DemoCounty.plan`), then written with
`bulk_create` inside one transaction (`write`). Only `random.Random` instances seeded from
the seed are used, so the same seed gives the same data.
"""
from __future__ import annotations

import datetime
import math
import random
from bisect import bisect
from decimal import Decimal
from itertools import accumulate
from typing import Callable

from jiaoguan.core import idnumbers
from jiaoguan.indicators.grades import section_of as grade_section

from . import names as N

PASSWORD = "Jiaoguan@2026"
YEARS = (2024, 2025, 2026)  # start years of the three school years; the last one is current
CURRENT = len(YEARS) - 1

# National births (millions) by year: the 二孩 peak of 2016 and the fall after 2017 shape the
# cohorts (fewer 小班 children each year, smaller first grades than sixth grades).
BIRTHS = {
    2000: 17.7, 2001: 17.0, 2002: 16.5, 2003: 16.0, 2004: 16.0, 2005: 16.2, 2006: 15.8, 2007: 15.9, 2008: 16.1,
    2009: 15.9, 2010: 15.9, 2011: 16.0, 2012: 16.4, 2013: 16.4, 2014: 16.9, 2015: 16.6, 2016: 17.9, 2017: 17.2,
    2018: 15.2, 2019: 14.7, 2020: 12.0, 2021: 10.6, 2022: 9.6, 2023: 9.0, 2024: 9.5,
}

# Status codes (the values of registry.models.EnrolmentStatus, kept as strings here so
# planning needs no Django import).
STUDYING, T_IN, T_OUT, SUSPENDED, DROPPED, DECEASED = (
    "studying", "transferred_in", "transferred_out", "suspended", "dropped_out", "deceased")
ON_ROLL = (STUDYING, T_IN)
URBAN, TOWN, RURAL = "urban", "town", "rural"
PUBLIC, PRIVATE, INCLUSIVE = "public", "private", "private_inclusive"

DISABILITIES = (("intellectual", 35), ("physical", 20), ("hearing", 12), ("visual", 10), ("speech", 8),
                ("mental", 5), ("multiple", 10))

# Kinds of school. n: schools per county at scale 1 (None = one per rural township);
# size: pupils (per stage for two-stage schools); target: class size aimed at in 2024-2025 and
# its fall per year; ratio: pupils per teacher per section; the facility figures are per pupil.
# Town and village schools are built to the 2017 standard (most meet it, a few don't); the crowded
# county-seat schools are short of room and teachers.
KINDS: dict[str, dict] = {
    "big_primary": dict(type="primary", loc=URBAN, n=4, min_n=1, size={"primary": (2000, 3200)}, target=(64, 73),
                        drop=(2.5, 4.0), ratio={"primary": 24}, area=3.4, sports=4.5, equip=1800, mm=(0.95, 1.1)),
    "urban_primary": dict(type="primary", loc=URBAN, n=4, size={"primary": (1000, 1800)}, target=(52, 60),
                          drop=(2.0, 3.0), ratio={"primary": 22}, area=4.6, sports=6.0, equip=2300, mm=(0.95, 1.15)),
    "urban_junior": dict(type="junior", loc=URBAN, n=2, size={"junior": (2400, 3000)}, target=(62, 70),
                         drop=(2.5, 3.5), ratio={"junior": 15}, area=5.5, sports=7.5, equip=2800, mm=(1.0, 1.2)),
    "senior": dict(type="senior", loc=URBAN, n=2, size={"senior": (2600, 4800)}, target=(58, 62), drop=(1.5, 2.5),
                   ratio={"senior": 16}, area=8.0, sports=10.0, equip=4000, mm=(1.0, 1.2)),
    "complete": dict(type="complete_secondary", loc=TOWN, n=2, size={"junior": (800, 1000), "senior": (1200, 1600)},
                     target=(50, 56), drop=(1.0, 2.0), ratio={"junior": 15, "senior": 16}, area=7.5, sports=13.5,
                     equip=3300, mm=(1.25, 1.5)),
    "vocational": dict(type="vocational", loc=URBAN, n=1, size={"vocational": (5000, 6000)}, target=(48, 54),
                       drop=(1.0, 2.0), ratio={"vocational": 22}, area=9.0, sports=9.0, equip=6000, mm=(0.9, 1.1)),
    "special": dict(type="special", loc=URBAN, n=1, size={"special": (120, 180)}, target=(10, 12), drop=(0, 0),
                    ratio={"special": 4}, area=20.0, sports=15.0, equip=8000, mm=(0.8, 1.0)),
    "urban_nine": dict(type="nine_year", loc=URBAN, n=1, size={"primary": (1100, 1300), "junior": (550, 700)},
                       target=(50, 56), drop=(1.5, 2.5), ratio={"primary": 21, "junior": 14}, area=4.8, sports=6.0,
                       equip=2600, mm=(1.0, 1.2)),
    "urban_kg": dict(type="kindergarten", loc=URBAN, n=30, min_n=1, size={"preschool": (180, 680)}, target=(0, 0),
                     drop=(0, 0), ratio={"preschool": 19}, area=6.0, sports=4.0, equip=800, mm=(0.5, 1.0)),
    "central": dict(type="primary", loc=TOWN, n=None, size={"primary": (900, 1750)}, target=(46, 54),
                    drop=(0.5, 1.5), ratio={"primary": 20}, area=6.0, sports=9.5, equip=2900, mm=(1.0, 1.3)),
    "township_junior": dict(type="junior", loc=TOWN, n=None, size={"junior": (700, 1500)}, target=(48, 56),
                            drop=(0.5, 1.5), ratio={"junior": 14.5}, area=8.0, sports=12.5, equip=3400, mm=(1.15, 1.4)),
    "village": dict(type="primary", loc=RURAL, n=60, min_n=1, size={"primary": (80, 420)}, target=(40, 40),
                    drop=(0, 0), ratio={"primary": 16}, area=7.2, sports=11.0, equip=2800, mm=(0.75, 1.15)),
    "teaching_point": dict(type="teaching_point", loc=RURAL, n=40, min_n=1, size={"primary": (10, 60)},
                           target=(99, 99), drop=(0, 0), ratio={"primary": 12}, area=10.0, sports=14.0, equip=1500,
                           mm=(0.0, 1.0)),
    "rural_nine": dict(type="nine_year", loc=RURAL, n=5, size={"primary": (320, 560), "junior": (200, 350)},
                       target=(40, 48), drop=(0.5, 1.0), ratio={"primary": 17, "junior": 13}, area=6.5, sports=12.0,
                       equip=3100, mm=(0.95, 1.25)),
    "central_kg": dict(type="kindergarten", loc=TOWN, n=None, size={"preschool": (230, 460)}, target=(0, 0),
                       drop=(0, 0), ratio={"preschool": 20}, area=6.0, sports=4.5, equip=700, mm=(0.5, 1.0)),
    "village_kg": dict(type="kindergarten", loc=RURAL, n=35, size={"preschool": (70, 250)}, target=(0, 0),
                       drop=(0, 0), ratio={"preschool": 21}, area=5.5, sports=5.0, equip=500, mm=(0.2, 0.8)),
}
STAGE_GRADES = {"preschool": (-2, -1, 0), "primary": (1, 2, 3, 4, 5, 6), "junior": (7, 8, 9),
                "senior": (10, 11, 12), "vocational": (10, 11, 12), "special": tuple(range(1, 10))}
# How strongly a stage's cohorts follow the births curve (enrolment rates rose as births fell).
BIRTH_ELASTICITY = {"preschool": 1.0, "primary": 0.8, "junior": 0.5, "senior": 0.3, "vocational": 0.3, "special": 0.0}
RATIO_SCALE = 1.15  # all pupil:teacher ratios, to land near 1:19 overall
KG_STANDARD = {-2: 25, -1: 30, 0: 35}
# Teachers: share of women and (mean, sd) of age per kind.
TEACHER_PROFILE = {
    "big_primary": (0.82, 37, 9), "urban_primary": (0.8, 39, 9), "urban_junior": (0.62, 38, 8),
    "senior": (0.48, 40, 8), "complete": (0.5, 42, 8), "vocational": (0.45, 42, 9), "special": (0.7, 38, 8),
    "urban_nine": (0.72, 33, 7), "urban_kg": (0.97, 31, 7), "central": (0.65, 43, 9),
    "township_junior": (0.5, 44, 8), "village": (0.35, 49, 6), "teaching_point": (0.3, 50, 6),
    "rural_nine": (0.5, 45, 9), "central_kg": (0.97, 33, 8), "village_kg": (0.97, 36, 9),
}
SUBJECT_WEIGHTS = {
    "primary": [("chinese", 33), ("math", 26), ("english", 8), ("morality", 4), ("science", 5), ("pe", 8),
                ("music", 6), ("art", 6), ("it", 2), ("other", 2)],
    "junior": [("chinese", 14), ("math", 14), ("english", 14), ("physics", 7), ("chemistry", 5), ("biology", 5),
               ("history", 6), ("geography", 5), ("morality", 6), ("pe", 8), ("music", 4), ("art", 4), ("it", 3),
               ("other", 2)],
    "senior": [("chinese", 13), ("math", 14), ("english", 13), ("physics", 9), ("chemistry", 8), ("biology", 7),
               ("history", 7), ("geography", 6), ("morality", 6), ("pe", 6), ("music", 2), ("art", 2), ("it", 4),
               ("other", 3)],
    "vocational": [("vocational", 50), ("chinese", 10), ("math", 10), ("english", 8), ("morality", 5), ("pe", 6),
                   ("it", 6), ("art", 3), ("music", 2)],
    "special": [("special", 70), ("chinese", 8), ("math", 8), ("pe", 5), ("music", 5), ("art", 4)],
    "preschool": [("preschool", 100)],
}
# Without 体音美 specialists: village schools mostly teach these with their class teachers.
SMALL_SCHOOL_SUBJECTS = [("chinese", 42), ("math", 36), ("english", 6), ("morality", 3), ("science", 3),
                         ("pe", 7), ("music", 5), ("art", 5)]
# Share of public schools that staff 体音美 to the 2017 standard: most rural and town schools do;
# crowded county-seat schools cannot spare the teachers.
PE_ART_STAFFED = {URBAN: 0.3, TOWN: 0.9, RURAL: 0.9}
COUNTED = ("established", "contract")  # the staff the 2017 indicators count (not substitutes)
BACKBONE_LEVELS = (("county", 70), ("city", 22), ("province", 7), ("national", 1))
FUNDS_PER_PUPIL = {"preschool": 400, "primary": 650, "junior": 850, "senior": 1000, "vocational": 1500,
                   "special": 6000}


def section_of(kind: str, grade: int) -> str:
    return grade_section(grade, kind)


def cohort_factor(grade: int, year: int, stage: str) -> float:
    """Relative size of the cohort in `grade` in the school year starting `year`."""
    born = year - grade - 5  # most of the cohort was born in this calendar year
    b = BIRTHS.get(born, BIRTHS[min(max(born, 2000), 2024)])
    return (b / 16.0) ** BIRTH_ELASTICITY[stage]


class Weighted:
    """Fast repeated weighted choice with a given rng."""

    def __init__(self, items):
        self.values = [v for v, _ in items]
        self.cum = list(accumulate(w for _, w in items))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random):
        return self.values[bisect(self.cum, rng.random() * self.total)]


SURNAMES = Weighted(N.SURNAMES)
_INITIALS: dict[str, str] = {}


def name_initials(name: str) -> str:
    ini = _INITIALS.get(name)
    if ini is None:
        from jiaoguan.core.text import initials

        ini = _INITIALS[name] = initials(name, person=True)
    return ini


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五 (for 第N小学)."""
    digits = "零一二三四五六七八九"
    if n <= 10:
        return N.ORDINALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens % 10]) + "十" + (digits[ones] if ones else "")


def mobile(rng: random.Random) -> str:
    return rng.choice(N.MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"


# --------------------------------------------------------------------------- planning objects


class Township:
    __slots__ = ("code", "name", "urban", "short", "villages", "pk")

    def __init__(self, code, name, urban):
        self.code, self.name, self.urban = code, name, urban
        self.short = name.removesuffix("街道").removesuffix("镇").removesuffix("乡")
        self.villages: list[str] = []
        self.pk = None


class School:
    __slots__ = ("idx", "kind", "spec", "type", "location", "ownership", "name", "code", "township", "parent",
                 "zone", "stages", "grades", "base", "noise", "target", "drop", "kg_crowd", "ratio", "facts_k",
                 "pk", "address", "principal", "phone", "backbone_per100", "pupils_by_year")

    def __init__(self, **kw):
        for k in self.__slots__:
            setattr(self, k, kw.get(k))

    def size(self, grade: int, t: int) -> float:
        stage = self.stage_of(grade)
        return self.base[stage] * self.noise[grade] * cohort_factor(grade, YEARS[t], stage)

    def stage_of(self, grade: int) -> str:
        if self.kind in ("special", "vocational"):
            return self.kind
        return section_of(self.kind, grade)

    def class_target(self, t: int, grade: int) -> float:
        if self.type == "kindergarten":
            return KG_STANDARD[grade] * self.kg_crowd
        return max(self.target - self.drop * t, 8)


class Pupil:
    __slots__ = ("name", "sex", "birth", "id_number", "student_no", "ethnicity", "hukou_code", "hukou_address",
                 "guardian_name", "guardian_phone", "migrant", "disability", "poor", "dibao", "tekun", "orphan",
                 "u_lb", "u_board", "pk")


class Enrol:
    __slots__ = ("pupil", "t", "school", "grade", "status", "klass", "prev", "left_behind")

    def __init__(self, pupil, t, school, grade, status, prev=None):
        self.pupil, self.t, self.school, self.grade, self.status = pupil, t, school, grade, status
        self.klass = None
        self.prev = prev  # last year's enrolment at the same school (keeps classes together)
        self.left_behind = False


class Teacher:
    __slots__ = ("name", "sex", "birth", "id_number", "phone", "work_start", "pk", "subject", "education", "title",
                 "backbone", "staffing", "certified", "since", "school", "section")


# --------------------------------------------------------------------------- one county


class DemoCounty:
    """Plans one county: its townships, schools, pupils, classes, teachers and facts."""

    def __init__(self, seed: int, spec: dict, scale: float, log: Callable[[str], None], used_ids: set,
                 used_nos: set):
        self.rng = random.Random(f"jiaoguan-demo/{seed}/{spec['code']}")
        self.spec = spec
        self.scale = scale
        self.log = log
        self.used_ids = used_ids
        self.used_nos = used_nos
        self.code = spec["code"]
        self.name = spec["name"]
        self.city_code, self.city_name = spec["city"]
        self.weight = spec["weight"]
        self.ethnic = Weighted(spec["ethnic"])
        self.schools: list[School] = []
        self.pupils: list[Pupil] = []
        self.enrolments: list[list[Enrol]] = [[] for _ in YEARS]
        self.classes: list[tuple] = []  # (school, t, grade, name, head_teacher) → pk filled later
        self.class_pks: list[int] = []
        self.teachers: list[Teacher] = []
        self.postings: list[tuple] = []  # (teacher, t, school, section, subject, education, title, backbone, staffing, certified, since)
        self.facts: list[dict] = []
        self._others_hunan = [c for c in N.OTHER_HUNAN if c != self.code]
        self._others_prov = list(N.OTHER_PROVINCES)
        self._valid_cache: dict[tuple, list] = {}

    # ---- helpers
    def count(self, n: int | None, min_n: int = 0) -> int:
        return max(min_n, round(n * self.weight * self.scale))

    def size_factor(self) -> float:
        return math.sqrt(self.scale) if self.scale < 1 else 1.0

    def valid_codes(self, pool: str, year: int) -> list[str]:
        key = (pool, year)
        codes = self._valid_cache.get(key)
        if codes is None:
            src = self._others_hunan if pool == "hunan" else self._others_prov
            codes = [c for c in src if idnumbers.region_valid_in(c, year)] or [self.code]
            self._valid_cache[key] = codes
        return codes

    def make_id(self, area: str, birth: datetime.date, male: bool) -> str:
        rng = self.rng
        while True:
            seq = rng.randrange(0, 500) * 2 + 1 if male else rng.randrange(1, 500) * 2
            body = f"{area}{birth:%Y%m%d}{seq:03d}"
            number = body + idnumbers.id_check_char(body)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def person_name(self, male: bool, adult: bool, surname: str | None = None) -> str:
        rng = self.rng
        surname = surname or SURNAMES.pick(rng)
        chars = (N.MAN_CHARS if male else N.WOMAN_CHARS) if adult else (N.BOY_CHARS if male else N.GIRL_CHARS)
        if rng.random() < (0.3 if adult else 0.14):
            return surname + rng.choice(chars)
        return surname + rng.choice(chars) + rng.choice(chars)

    # ---- structure
    def plan_townships(self):
        rng = self.rng
        urban = [(n, u) for n, u in self.spec["townships"] if u]
        rural = [(n, u) for n, u in self.spec["townships"] if not u]
        if self.scale < 1:
            urban = urban[: max(1, round(len(urban) * self.scale))]
            rural = rural[: max(1, round(len(rural) * self.scale))]
        used = set()
        self.townships: list[Township] = []
        seq = {"街道": 1, "镇": 100, "乡": 200}
        for name, is_urban in self.spec["townships"]:
            if (name, is_urban) not in urban and (name, is_urban) not in rural:
                continue
            suffix = "街道" if name.endswith("街道") else ("乡" if name.endswith("乡") else "镇")
            code = f"{self.code}{seq[suffix]:03d}"
            seq[suffix] += 1
            tw = Township(code, name, is_urban)
            while len(tw.villages) < 24:
                v = rng.choice(N.VILLAGE_FIRST) + rng.choice(N.VILLAGE_SECOND)
                if v not in used and v[0] != v[1]:
                    used.add(v)
                    tw.villages.append(v)
            self.townships.append(tw)
        self.urban_townships = [t for t in self.townships if t.urban]
        self.rural_townships = [t for t in self.townships if not t.urban]

    def plan_schools(self):
        rng = self.rng
        sf = self.size_factor()
        per_township_size = self.scale if self.scale > 1 else sf
        names_used: set[str] = set()
        county = self.spec["short"]
        words = list(N.URBAN_SCHOOL_WORDS)
        rng.shuffle(words)
        kg_words = list(N.KINDERGARTEN_WORDS)
        rng.shuffle(kg_words)
        ordinal_by_township: dict[str, int] = {}
        village_cursor = {t.code: 0 for t in self.townships}

        def next_village(tw: Township) -> str:
            i = village_cursor[tw.code]
            village_cursor[tw.code] = i + 1
            return tw.villages[i % len(tw.villages)] + ("" if i < len(tw.villages) else str(i // len(tw.villages) + 1))

        def unique(name: str) -> str:
            base, k = name, 2
            suffix = next(x for x in ("幼儿园", "教学点", "小学", "中学", "学校", "") if base.endswith(x))
            while name in names_used:
                name = f"{base[: len(base) - len(suffix)]}第{cn_number(k)}{suffix}"
                k += 1
            names_used.add(name)
            return name

        def add(kind: str, tw: Township, name: str, ownership: str = PUBLIC, location: str | None = None,
                parent: School | None = None, grades: tuple | None = None, size_mult: float = 1.0) -> School:
            spec = KINDS[kind]
            base = {}
            noise = {}
            stage_list = list(spec["size"])
            all_grades: list[int] = []
            for stage in stage_list:
                lo, hi = spec["size"][stage]
                total = rng.uniform(lo, hi)
                if kind == "village":  # skewed: most village schools are small
                    total = lo + (hi - lo) * rng.random() ** 1.6
                total *= size_mult
                gr = grades if (grades and stage == "primary") else STAGE_GRADES[stage]
                all_grades += gr
                for g in gr:
                    noise[g] = rng.uniform(0.9, 1.1)
                ref = sum(noise[g] * cohort_factor(g, YEARS[CURRENT], stage) for g in gr)
                base[stage] = total / ref
            lo_t, hi_t = spec["target"]
            lo_d, hi_d = spec["drop"]
            s = School(
                idx=len(self.schools), kind=kind, spec=spec, type=spec["type"], location=location or spec["loc"],
                ownership=ownership, name=unique(name), township=tw, parent=parent, stages=stage_list,
                grades=sorted(all_grades), base=base, noise=noise, target=rng.uniform(lo_t, hi_t),
                drop=rng.uniform(lo_d, hi_d), kg_crowd=rng.uniform(0.95, 1.3), ratio=dict(spec["ratio"]),
            )
            s.zone = "U" if s.location == URBAN else tw.code
            seq = len(self.schools) + 1
            s.code = f"{1 + seq // 1000}{self.code}{seq % 1000:03d}"
            s.principal = self.person_name(rng.random() < 0.7, True)
            s.phone = f"{self.spec['phone']}-{rng.choice('5678')}{rng.randrange(10**6, 10**7)}"
            if s.location == URBAN:
                s.address = f"{N.PROVINCE[1]}{self.city_name}{self.name}{tw.name}{rng.choice(N.STREETS)}{rng.randrange(1, 300)}号"
            else:
                s.address = f"{N.PROVINCE[1]}{self.city_name}{self.name}{tw.name}{next_village(tw)}村"
            # county-level backbones per 100 pupils: a county near 优质均衡 has about 1 in every school
            s.backbone_per100 = {
                URBAN: rng.uniform(1.0, 1.5), TOWN: rng.uniform(1.0, 1.45), RURAL: rng.uniform(1.0, 1.5),
            }[s.location] if kind != "teaching_point" else rng.uniform(0.0, 0.4)
            s.pupils_by_year = [0] * len(YEARS)
            self.schools.append(s)
            return s

        urban = self.urban_townships
        rural = self.rural_townships

        def urban_tw(i: int) -> Township:
            return urban[i % len(urban)]

        def rural_tw(i: int) -> Township:
            return rural[i % len(rural)]

        def ordinal(tw: Township) -> str:
            k = ordinal_by_township.get(tw.code, 0)
            ordinal_by_township[tw.code] = k + 1
            return cn_number(k + 1)

        word_i = iter(words * 10)
        # 城区: big primaries first (the school account uses one of them)
        for i in range(self.count(KINDS["big_primary"]["n"], 1)):
            tw = urban_tw(i)
            add("big_primary", tw, f"{county}{tw.name}第{ordinal(tw)}小学", size_mult=sf)
        for i in range(self.count(KINDS["urban_primary"]["n"])):
            tw = urban_tw(i + 1)
            add("urban_primary", tw, f"{county}{tw.name}{next(word_i)}小学", size_mult=sf)
        for i in range(self.count(KINDS["urban_junior"]["n"])):
            tw = urban_tw(i)
            add("urban_junior", tw, f"{county}{next(word_i)}中学", size_mult=sf)
        school_no = 0
        for i in range(self.count(KINDS["senior"]["n"])):
            school_no += 1
            add("senior", urban_tw(i), f"{county}第{cn_number(school_no)}中学", size_mult=sf * (1.25 if i == 0 else 0.85))
        for i in range(self.count(KINDS["complete"]["n"])):
            school_no += 1
            add("complete", rural_tw(i + 1), f"{county}第{cn_number(school_no)}中学", size_mult=sf)
        if self.count(KINDS["vocational"]["n"]):
            add("vocational", urban_tw(0), f"{county}职业技术学校", size_mult=sf * self.weight ** 0.3)
        if self.count(KINDS["special"]["n"]):
            add("special", urban_tw(0), f"{county}特殊教育学校", size_mult=sf)
        for i in range(self.count(KINDS["urban_nine"]["n"])):
            add("urban_nine", urban_tw(i + 1), f"{county}{next(word_i)}实验学校", ownership=PRIVATE, size_mult=sf)
        n_kg = self.count(KINDS["urban_kg"]["n"], 1)
        for i in range(n_kg):
            tw = urban_tw(i)
            if i == 0:
                add("urban_kg", tw, f"{county}机关幼儿园", size_mult=sf)
                continue
            if i == 1:
                add("urban_kg", tw, f"{county}实验幼儿园", size_mult=sf)
                continue
            r = rng.random()
            own = PUBLIC if r < 0.25 else (INCLUSIVE if r < 0.65 else PRIVATE)
            add("urban_kg", tw, f"{tw.name}{kg_words[i % len(kg_words)]}幼儿园", ownership=own, size_mult=sf)
        # 乡镇: a central primary school, a junior school and a central kindergarten in each
        centrals: dict[str, School] = {}
        for tw in rural:
            centrals[tw.code] = add("central", tw, f"{tw.name}中心小学", size_mult=per_township_size)
        for tw in rural:
            add("township_junior", tw, f"{county}{tw.short}中学", size_mult=per_township_size)
        for tw in rural:
            add("central_kg", tw, f"{tw.name}中心幼儿园", size_mult=per_township_size)
        villages_by_tw: dict[str, list[School]] = {tw.code: [] for tw in rural}
        for i in range(self.count(KINDS["village"]["n"], 1)):
            tw = rural_tw(i)
            villages_by_tw[tw.code].append(add("village", tw, f"{tw.name}{next_village(tw)}村小学", size_mult=sf))
        for i in range(self.count(KINDS["rural_nine"]["n"])):
            tw = rural_tw(i * 3 + 2)
            add("rural_nine", tw, f"{tw.name}{next_village(tw)}学校", location=TOWN if rng.random() < 0.4 else RURAL,
                size_mult=sf)
        for i in range(self.count(KINDS["village_kg"]["n"])):
            tw = rural_tw(i)
            r = rng.random()
            own = PUBLIC if r < 0.35 else (INCLUSIVE if r < 0.75 else PRIVATE)
            word = next_village(tw) if rng.random() < 0.6 else kg_words[(i + 7) % len(kg_words)]
            add("village_kg", tw, f"{tw.name}{word}幼儿园", ownership=own, size_mult=sf)
        # 教学点 last: each belongs to the central school or a village school of its township
        for i in range(self.count(KINDS["teaching_point"]["n"], 1)):
            tw = rural_tw(i)
            options = [centrals[tw.code]] + villages_by_tw[tw.code]
            parent = rng.choice(options)
            r = rng.random()
            top = 2 if r < 0.1 else (3 if r < 0.65 else 4)
            add("teaching_point", tw, f"{tw.name}{next_village(tw)}教学点", parent=parent,
                grades=tuple(range(1, top + 1)), size_mult=max(sf, 0.3))

    # ---- pupils
    def new_pupil(self, school: School, grade: int, t: int, incoming: bool = False) -> Pupil:
        rng = self.rng
        p = Pupil()
        male = rng.random() < 0.525
        p.sex = "男" if male else "女"
        # age on 1 September = grade + 5, with a few older (late start, repeated year) and younger
        if school.kind == "special":
            offset = rng.randrange(0, 5)
        else:
            r = rng.random()
            late = 0.1 if school.location == RURAL else 0.06
            offset = 0 if r < 1 - late - 0.015 else (1 if r < 1 - 0.025 else (2 if r < 1 - 0.015 else -1))
        age = grade + 5 + offset
        year = YEARS[t]
        start = datetime.date(year - age - 1, 9, 2)
        birth = start + datetime.timedelta(days=rng.randrange(365))
        p.birth = birth
        loc = school.location
        stage = school.stage_of(grade)
        if stage in ("senior", "vocational"):
            migrant_p = 0.01
        else:
            migrant_p = {URBAN: 0.125, TOWN: 0.04, RURAL: 0.015}[loc]
        if incoming:
            migrant_p = min(0.6, migrant_p * 4)
        p.migrant = rng.random() < migrant_p
        tw = school.township
        if p.migrant:
            pool = "hunan" if rng.random() < 0.5 else "prov"
            p.hukou_code = rng.choice(self.valid_codes(pool, birth.year))
            area = p.hukou_code
            place = N.OTHER_HUNAN.get(area) or N.OTHER_PROVINCES.get(area, "")
            p.hukou_address = f"{place}{rng.choice(N.VILLAGE_FIRST)}{rng.choice(N.VILLAGE_SECOND)}村{rng.randrange(1, 15)}组"
        else:
            p.hukou_code = self.code
            area = self.code if rng.random() < 0.96 else rng.choice(self.valid_codes("hunan", birth.year))
            prefix = f"{N.PROVINCE[1]}{self.city_name}{self.name}{tw.name}"
            if loc == URBAN and rng.random() < 0.7:
                p.hukou_address = f"{prefix}{rng.choice(N.STREETS)}{rng.randrange(1, 400)}号"
            else:
                p.hukou_address = f"{prefix}{rng.choice(tw.villages)}村{rng.randrange(1, 15)}组"
        r = rng.random()
        if r < 0.97:  # 全国学籍号 = G + 身份证号
            p.id_number = self.make_id(area, birth, male)
            p.student_no = "G" + p.id_number
        else:  # no 身份证号 yet: a J number (ID-like, with check character) or a temporary L number
            p.id_number = None
            while True:
                if r < 0.99:
                    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
                    body = f"{area}{birth:%Y%m%d}{seq:03d}"
                    no = "J" + body + idnumbers.id_check_char(body)
                else:
                    no = f"L{area}{birth:%Y%m%d}{rng.randrange(10000):04d}"
                if no not in self.used_nos:
                    break
            p.student_no = no
            self.used_nos.add(no)
        surname = SURNAMES.pick(rng)
        p.name = self.person_name(male, False, surname)
        p.ethnicity = self.ethnic.pick(rng)
        if rng.random() < 0.72:
            p.guardian_name = self.person_name(True, True, surname)
        else:
            p.guardian_name = self.person_name(False, True)
        p.guardian_phone = mobile(rng)
        p.disability = ""
        if school.kind == "special":
            p.disability = Weighted(DISABILITIES).pick(rng)
        elif rng.random() < 0.003:
            p.disability = Weighted(DISABILITIES).pick(rng)
        hardship = 2.5 if self.code.startswith("4331") else 1.0
        poor_p = {URBAN: 0.01, TOWN: 0.03, RURAL: 0.045}[loc] * hardship
        p.poor = rng.random() < poor_p
        p.dibao = rng.random() < poor_p * 0.6
        p.tekun = rng.random() < 0.002 * hardship
        p.orphan = rng.random() < 0.001 * hardship
        p.u_lb = rng.random()
        p.u_board = rng.random()
        p.pk = None
        self.pupils.append(p)
        return p

    def plan_pupils(self):
        rng = self.rng
        schools = self.schools
        serving: dict[int, list[School]] = {}
        for s in schools:
            for g in s.grades:
                if s.kind not in ("special", "teaching_point"):
                    serving.setdefault(g, []).append(s)
        # within-county movers prefer the county seat's schools
        movers_to = {g: Weighted([(s, 3 if s.location == URBAN else 1) for s in lst]) for g, lst in serving.items()}
        # schools with an entry grade (1, 7, 10): their seats there are filled from the pools
        entry_all = {e: [s for s in schools if e in s.grades and s.kind != "special"] for e in (1, 7, 10)}

        def rn(x: float) -> int:
            n = int(x)
            return n + (rng.random() < x - n)

        total_expected = sum(s.size(g, 0) for s in schools for g in s.grades)
        made = 0
        step = 20000

        def tick():
            nonlocal made
            made += 1
            if made % step == 0:
                self.log(f"  生成学生… {made}/{int(total_expected * 1.15)}")

        # year 0: everyone
        cur = self.enrolments[0]
        for s in schools:
            for g in s.grades:
                for _ in range(rn(s.size(g, 0))):
                    cur.append(Enrol(self.new_pupil(s, g, 0), 0, s, g, STUDYING))
                    tick()
        for t in range(len(YEARS)):
            cur = self.enrolments[t]
            nxt: list[Enrol] = []
            pools: dict[int, dict[str, list]] = {1: {}, 7: {}, 10: {}}
            last = t == CURRENT
            for e in cur:
                if e.status not in ON_ROLL:
                    continue
                s, g = e.school, e.grade
                stage = s.stage_of(g)
                r = rng.random()
                if stage == "preschool":
                    p_out, p_drop, p_susp = 0.035, 0.0, 0.0
                elif stage == "primary" or stage == "special":
                    p_out, p_drop, p_susp = (0.012 if s.location == URBAN else 0.018), 0.0002, 0.001
                elif stage == "junior":
                    p_out, p_drop, p_susp = 0.012, {URBAN: 0.0005, TOWN: 0.0012, RURAL: 0.0018}[s.location], 0.0012
                elif stage == "senior":
                    p_out, p_drop, p_susp = 0.006, 0.003, 0.002
                else:
                    p_out, p_drop, p_susp = 0.01, 0.01, 0.003
                if r < p_out:
                    e.status = T_OUT
                    continue
                r -= p_out
                if r < p_drop:
                    e.status = DROPPED
                    continue
                r -= p_drop
                if r < 0.00002:
                    e.status = DECEASED
                    continue
                r -= 0.00002
                if r < p_susp:
                    e.status = SUSPENDED
                    if not last:  # back next year in the same grade
                        nxt.append(Enrol(e.pupil, t + 1, s, g, STUDYING))
                    continue
                if last:
                    continue
                ng = g + 1
                if ng > 12 or (s.kind == "special" and ng > 9):
                    continue  # graduates leave the county's registry
                if ng in s.grades:
                    if rng.random() < 0.01 and stage != "preschool" and ng in movers_to:
                        dest = movers_to[ng].pick(rng)
                        if dest is not s:
                            nxt.append(Enrol(e.pupil, t + 1, dest, ng, T_IN))
                            continue
                    nxt.append(Enrol(e.pupil, t + 1, s, ng, STUDYING, prev=e))
                elif s.kind == "teaching_point":
                    nxt.append(Enrol(e.pupil, t + 1, s.parent, ng, STUDYING))
                elif ng in pools:
                    pools[ng].setdefault(s.zone if ng != 10 else "county", []).append(e.pupil)
            if last:
                break
            t1 = t + 1
            # entry grades: pupils from the schools below fill the seats (same township first),
            # the rest of the seats go to newcomers
            have: dict[tuple, int] = {}
            for e in nxt:
                have[(e.school.idx, e.grade)] = have.get((e.school.idx, e.grade), 0) + 1
            for ng, by_zone in pools.items():
                seats: dict[str, list[School]] = {}
                for s in entry_all[ng]:
                    want = rn(s.size(ng, t1)) - have.get((s.idx, ng), 0)
                    zone = "county" if ng == 10 else s.zone
                    seats.setdefault(zone, []).extend([s] * max(0, want))
                left_pupils, left_seats = [], []
                zones = list(seats) + [z for z in by_zone if z not in seats]
                for z in zones:
                    ps = by_zone.get(z, [])
                    ss = seats.get(z, [])
                    rng.shuffle(ps)
                    rng.shuffle(ss)
                    k = min(len(ps), len(ss))
                    for p, s in zip(ps[:k], ss[:k]):
                        nxt.append(Enrol(p, t1, s, ng, STUDYING))
                    left_pupils += ps[k:]
                    left_seats += ss[k:]
                rng.shuffle(left_pupils)
                rng.shuffle(left_seats)
                k = min(len(left_pupils), len(left_seats))
                for p, s in zip(left_pupils[:k], left_seats[:k]):
                    nxt.append(Enrol(p, t1, s, ng, STUDYING))
                for s in left_seats[k:]:  # newcomers (no county kindergarten / from outside)
                    nxt.append(Enrol(self.new_pupil(s, ng, t1), t1, s, ng, STUDYING))
                    tick()
            for s in schools:
                if s.kind == "special":  # 特教学校 admits its own first grade
                    for _ in range(rn(s.size(1, t1))):
                        nxt.append(Enrol(self.new_pupil(s, 1, t1), t1, s, 1, STUDYING))
                        tick()
                # a new 小班 every year
                if -2 in s.grades:
                    for _ in range(rn(s.size(-2, t1))):
                        nxt.append(Enrol(self.new_pupil(s, -2, t1), t1, s, -2, STUDYING))
                        tick()
                # newcomers from outside the county in the other grades (随迁子女 mostly in town)
                rate = {URBAN: 0.028, TOWN: 0.012, RURAL: 0.006}[s.location]
                for g in s.grades:
                    if g in (-2, 1, 7, 10) and g - 1 not in s.grades:
                        continue
                    for _ in range(rn(s.size(g, t1) * rate)):
                        nxt.append(Enrol(self.new_pupil(s, g, t1, incoming=True), t1, s, g, T_IN))
                        tick()
            self.enrolments[t1] = nxt
        for t, lst in enumerate(self.enrolments):
            for e in lst:
                if e.status in ON_ROLL:
                    e.school.pupils_by_year[t] += 1

    # ---- classes
    def plan_classes(self):
        rng = self.rng
        for t, lst in enumerate(self.enrolments):
            groups: dict[tuple, list[Enrol]] = {}
            for e in lst:
                groups.setdefault((e.school.idx, e.grade), []).append(e)
            for (sidx, g), members in groups.items():
                s = self.schools[sidx]
                on = [e for e in members if e.status in ON_ROLL]
                off = [e for e in members if e.status not in ON_ROLL]
                n = len(on)
                if s.type == "teaching_point":
                    k = 1
                else:
                    k = max(1, math.ceil(n / s.class_target(t, g))) if n else 1
                rng.shuffle(on)
                on.sort(key=lambda e: e.prev.klass if e.prev is not None and e.prev.klass is not None else 1 << 30)
                sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
                for _ in range(k // 2):
                    i, j = rng.randrange(k), rng.randrange(k)
                    d = rng.randint(0, 2)
                    if sizes[j] - d >= 1:
                        sizes[i] += d
                        sizes[j] -= d
                first = len(self.classes)
                for i in range(k):
                    self.classes.append([s, t, g, f"{i + 1}班", ""])
                pos = 0
                for i, size in enumerate(sizes):
                    for e in on[pos: pos + size]:
                        e.klass = first + i
                    pos += size
                for e in off:
                    e.klass = first + rng.randrange(k)

    # ---- teachers
    def new_teacher(self, s: School, section: str, t: int, recruit: bool = False) -> Teacher:
        rng = self.rng
        female_share, mean, sd = TEACHER_PROFILE[s.kind]
        if s.ownership == PRIVATE and s.type == "kindergarten":
            mean, sd = 27, 4
        te = Teacher()
        year = YEARS[t]
        if recruit:
            age = rng.choice((22, 22, 23, 23, 24, 25, 26, 27, 29, 31))
            female = rng.random() < max(female_share, 0.55)
        else:
            age = int(rng.gauss(mean, sd))
            # older village teachers are mostly men
            female = rng.random() < (female_share * (0.6 if age >= 50 and s.location == RURAL else 1.0))
            cap = 54 if female else 59
            if age > cap - 2:  # redraw rather than pile up at the retirement age
                age = rng.randint(cap - 12, cap - (2 if rng.random() < 0.85 else 0))
            age = max(22, age)
        te.sex = "女" if female else "男"
        te.birth = datetime.date(year - age - 1, 9, 2) + datetime.timedelta(days=rng.randrange(365))
        te.name = self.person_name(not female, True)
        r = rng.random()
        if r < 0.85:
            area = self.code
        elif r < 0.97:
            area = rng.choice(self.valid_codes("hunan", te.birth.year))
        else:
            area = rng.choice(self.valid_codes("prov", te.birth.year))
        te.id_number = self.make_id(area, te.birth, not female)
        te.phone = mobile(rng)
        # education by age, stage and place
        a = rng.random()
        if age >= 50:
            # most 中师 teachers have since taken a 专科 or 本科 by 函授
            edu = "secondary" if a < 0.08 else ("college" if a < 0.62 else "bachelor")
        elif age >= 35:
            edu = "secondary" if a < 0.02 else ("college" if a < 0.36 else ("bachelor" if a < 0.98 else "postgraduate"))
        else:
            edu = "college" if a < 0.18 else ("bachelor" if a < 0.95 else "postgraduate")
        if section in ("junior", "senior", "vocational") and edu in ("secondary", "college") and rng.random() < 0.85:
            edu = "bachelor"
        if section == "senior" and edu == "bachelor" and rng.random() < 0.1:
            edu = "postgraduate"
        if section in ("preschool", "primary", "special") and edu == "postgraduate" and rng.random() < 0.8:
            edu = "bachelor"
        if section == "preschool" and edu == "bachelor" and rng.random() < 0.45:
            edu = "college" if rng.random() < 0.7 else "secondary"
        if s.location == RURAL and edu == "bachelor" and age >= 40 and rng.random() < 0.3:
            edu = "college"
        te.education = edu
        start_age = {"secondary": 19, "college": 21, "bachelor": 22, "postgraduate": 25}[edu]
        ws_year = min(te.birth.year + start_age + (1 if rng.random() < 0.3 else 0), year)
        te.work_start = datetime.date(ws_year, 9, 1)
        served = year - ws_year
        # title by years of service
        b = rng.random()
        if s.ownership == PRIVATE and rng.random() < 0.6:
            title = "none"
        elif served < 2:
            title = "none" if b < 0.6 else "third"
        elif served < 6:
            title = "third" if b < 0.25 else ("second" if b < 0.98 else "first")
        elif served < 15:
            title = "second" if b < 0.55 else ("first" if b < 0.97 else "senior")
        else:
            senior_share = 0.2 if section in ("junior", "senior", "vocational") else 0.08
            title = "second" if b < 0.2 else ("first" if b < 1 - senior_share else "senior")
        if title == "senior" and section == "senior" and served > 25 and rng.random() < 0.03:
            title = "senior_full"
        te.title = title
        te.backbone = ""
        if s.ownership == PRIVATE:
            st = "contract" if b < 0.85 else ("substitute" if b < 0.95 else "part_time")
        else:
            c = rng.random()
            sub = 0.07 if s.location == RURAL else 0.03
            st = "established" if c < 0.9 - sub else ("contract" if c < 0.96 - sub else ("substitute" if c < 0.99 else "part_time"))
            if recruit and s.location != URBAN and rng.random() < 0.3:
                st = "contract"  # 特岗 / 聘任 newcomers in the villages
        te.staffing = st
        te.certified = rng.random() < {"established": 0.985, "contract": 0.88, "substitute": 0.55, "part_time": 0.7}[st]
        if recruit:
            te.since = datetime.date(year, 9, 1)
        else:
            longest = max(0, min(served, 25 if s.location != URBAN else 16))
            te.since = datetime.date(year - rng.randint(0, longest), 9, 1)
        te.school, te.section = s, section
        te.subject = None
        te.pk = None
        self.teachers.append(te)
        return te

    def pick_subject(self, s: School, section: str, small: bool) -> str:
        if small and section == "primary":
            return Weighted(SMALL_SCHOOL_SUBJECTS).pick(self.rng)
        return Weighted(SUBJECT_WEIGHTS[section]).pick(self.rng)

    def plan_teachers(self):
        rng = self.rng
        # pupils per school, section and year
        by_section: list[dict[tuple, int]] = [dict() for _ in YEARS]
        for t, lst in enumerate(self.enrolments):
            d = by_section[t]
            for e in lst:
                if e.status in ON_ROLL:
                    key = (e.school.idx, section_of(e.school.kind, e.grade))
                    d[key] = d.get(key, 0) + 1
        school_ratio_noise = {s.idx: rng.uniform(0.9, 1.1) for s in self.schools}

        def need(s: School, section: str, pupils: int) -> int:
            if pupils == 0:
                return 0
            ratio = (s.ratio.get(section) or next(iter(s.ratio.values()))) * RATIO_SCALE
            n = math.ceil(pupils / (ratio * school_ratio_noise[s.idx]))
            if s.kind == "teaching_point":
                return max(1, min(n, 3))
            if s.kind == "village":
                return max(n, 4)
            if s.type == "kindergarten":
                return max(n, 2)
            return max(n, 3)

        active: list[Teacher] = []
        for t in range(len(YEARS)):
            year = YEARS[t]
            sept1 = datetime.date(year, 9, 1)
            if t > 0:
                stay, movers = [], []
                for te in active:
                    age = sept1.year - te.birth.year - ((sept1.month, sept1.day) < (te.birth.month, te.birth.day))
                    if age >= (55 if te.sex == "女" else 60):
                        continue  # retired
                    r = rng.random()
                    if r < 0.012:
                        continue  # left teaching
                    if r < 0.04 and te.school.kind not in ("special",):
                        movers.append(te)
                    else:
                        stay.append(te)
                        # a little progress: degrees by 函授, titles with service
                        if te.education == "college" and rng.random() < 0.04:
                            te.education = "bachelor"
                        elif te.education == "secondary" and rng.random() < 0.03:
                            te.education = "college"
                        served = year - te.work_start.year
                        if te.title == "none" and served >= 1 and rng.random() < 0.5:
                            te.title = "third"
                        elif te.title == "third" and served >= 3 and rng.random() < 0.35:
                            te.title = "second"
                        elif te.title == "second" and served >= 8 and rng.random() < 0.12:
                            te.title = "first"
                        elif te.title == "first" and served >= 15 and rng.random() < 0.06:
                            te.title = "senior"
                have: dict[tuple, list[Teacher]] = {}
                for te in stay:
                    have.setdefault((te.school.idx, te.section), []).append(te)
                # kindergartens with fewer children shed staff: private ones let them go, public
                # ones send them where teachers are short
                for (sidx, section), lst in have.items():
                    s = self.schools[sidx]
                    if s.type != "kindergarten":
                        continue
                    excess = len(lst) - math.ceil(need(s, section, by_section[t].get((sidx, section), 0)) * 1.1)
                    if excess > 0:
                        rng.shuffle(lst)
                        for te in lst[:excess]:
                            if s.ownership == PUBLIC and rng.random() < 0.5:
                                movers.append(te)
                        del lst[:excess]
                # movers go where teachers are short (town schools first), else stay put
                deficits = []
                for (sidx, section), pupils in by_section[t].items():
                    s = self.schools[sidx]
                    gap = need(s, section, pupils) - len(have.get((sidx, section), []))
                    if gap > 0:
                        deficits.append([s, section, gap])
                deficits.sort(key=lambda d: ({URBAN: 0, TOWN: 1, RURAL: 2}[d[0].location], d[0].idx))
                rng.shuffle(movers)
                for te in movers:
                    for d in deficits:
                        if d[2] > 0 and d[1] == te.section and d[0] is not te.school and d[0].type != "teaching_point":
                            d[2] -= 1
                            te.school = d[0]
                            te.since = sept1
                            break
                    have.setdefault((te.school.idx, te.section), []).append(te)
                active = []
                for lst in have.values():
                    active += lst
                for s_, section, gap in deficits:
                    for _ in range(gap):
                        te = self.new_teacher(s_, section, t, recruit=True)
                        te.subject = self.recruit_subject(s_, section, have.get((s_.idx, section), []))
                        have.setdefault((s_.idx, section), []).append(te)
                        active.append(te)
            else:
                for (sidx, section), pupils in by_section[0].items():
                    s = self.schools[sidx]
                    n = need(s, section, pupils)
                    small = n < 12 or s.kind in ("village", "teaching_point")
                    staff = []
                    for _ in range(n):
                        te = self.new_teacher(s, section, 0)
                        te.subject = self.pick_subject(s, section, small)
                        staff.append(te)
                    self.ensure_pe_arts(s, staff, n, pupils)
                    self.mark_backbone(s, staff, pupils)
                    active += staff
            for te in active:
                self.postings.append((te, t, te.school, te.section, te.subject, te.education, te.title,
                                      te.backbone, te.staffing, te.certified, te.since))
            if t > 0:  # a few more backbone teachers each year
                for te in active:
                    if not te.backbone and te.title in ("first", "senior") and rng.random() < 0.004:
                        te.backbone = "county"
        # class teachers: the school's teachers of the class's section, in turn
        staff_by: dict[tuple, list[str]] = {}
        for te, t, s, section, subject, *_ in self.postings:
            if subject in ("chinese", "math", "english", "preschool", "special", "vocational") or s.kind == "teaching_point":
                staff_by.setdefault((s.idx, t, section), []).append(te.name)
        turn: dict[tuple, int] = {}
        for c in self.classes:
            s, t, g = c[0], c[1], c[2]
            key = (s.idx, t, section_of(s.kind, g))
            names = staff_by.get(key)
            if names:
                i = turn.get(key, 0)
                turn[key] = i + 1
                c[4] = names[i % len(names)]

    def recruit_subject(self, s: School, section: str, staff: list[Teacher]) -> str:
        if section == "primary" and s.kind not in ("village", "teaching_point"):
            present = {te.subject for te in staff}
            for subj in ("pe", "music", "art"):
                if subj not in present and len(staff) >= 12:
                    return subj
        return self.pick_subject(s, section, s.kind in ("village", "teaching_point"))

    def ensure_pe_arts(self, s: School, staff: list[Teacher], n: int, pupils: int):
        """Schools with 15 or more teachers have PE, music and art specialists; small ones often don't,
        unless the school staffs 体音美 to the 2017 standard (PE_ART_STAFFED)."""
        if staff[0].section not in ("primary", "junior"):
            return
        spare = [te for te in staff if te.subject in ("chinese", "math") and te.staffing in COUNTED]
        if n >= 15:
            for subj in ("pe", "music", "art"):
                need = 1 + n // 40
                have = sum(1 for te in staff if te.subject == subj)
                while have < need and spare:
                    spare.pop().subject = subj
                    have += 1
        if s.ownership != PUBLIC or s.kind == "teaching_point" or self.rng.random() >= PE_ART_STAFFED[s.location]:
            return
        # 2017 standard: 0.9 per 100 pupils; 1 per 100 leaves a margin for retirements
        arts = [te for te in staff if te.subject in ("pe", "music", "art") and te.staffing in COUNTED]
        for i in range(math.ceil(pupils / 100) - len(arts)):
            if not spare:
                break
            spare.pop().subject = ("pe", "music", "art")[i % 3]

    def mark_backbone(self, s: School, staff: list[Teacher], pupils: int):
        rng = self.rng
        if s.type == "kindergarten" or s.ownership == PRIVATE:
            per100 = s.backbone_per100 * 0.4
        else:
            per100 = s.backbone_per100
        # mostly rounded up: the 2017 standard counts whole backbone teachers per 100 pupils
        n = min(len(staff), math.ceil(pupils * per100 / 100 - rng.random() * 0.5))
        rank = {"senior_full": 0, "senior": 1, "first": 2}  # by title; substitutes are not made backbones
        ranked = sorted(staff, key=lambda te: (te.staffing not in COUNTED, rank.get(te.title, 3), rng.random()))
        levels = Weighted(BACKBONE_LEVELS)
        for te in ranked[:max(0, n)]:
            te.backbone = levels.pick(rng)
        for te in ranked[max(0, n):]:
            if rng.random() < 0.08:
                te.backbone = "school"

    # ---- facilities
    def plan_facts(self):
        rng = self.rng
        classes_by: dict[tuple, int] = {}
        for s, t, *_ in self.classes:
            classes_by[(s.idx, t)] = classes_by.get((s.idx, t), 0) + 1
        stage_pupils: dict[tuple, int] = {}
        for t, lst in enumerate(self.enrolments):
            for e in lst:
                if e.status in ON_ROLL:
                    key = (e.school.idx, t, e.school.stage_of(e.grade))
                    stage_pupils[key] = stage_pupils.get(key, 0) + 1
        for s in self.schools:
            spec = s.spec
            p0 = max(s.pupils_by_year[0], 5)
            # spread within ±2 sd: one outlier school should not decide a county's CV
            lsig = lambda sd: math.exp(min(max(rng.gauss(0, sd), -2 * sd), 2 * sd))  # noqa: E731
            # with the kinds' differences these give county CVs of about 0.2–0.45
            teaching = p0 * spec["area"] * lsig(0.25)
            sports = p0 * spec["sports"] * lsig(0.25)
            equipment = p0 * spec["equip"] * lsig(0.3)
            per_pc = {"preschool": 0.04, "primary": 0.08, "junior": 0.12, "senior": 0.15, "vocational": 0.3,
                      "special": 0.3}[s.stages[0]]
            if s.location == RURAL:
                per_pc *= 0.6
            computers = p0 * per_pc * lsig(0.3)
            per_book = {"preschool": 8, "primary": 25, "junior": 35, "senior": 45, "vocational": 30, "special": 20}[s.stages[0]]
            books = p0 * per_book * lsig(0.34)
            lo, hi = spec["mm"]
            multimedia = classes_by.get((s.idx, 0), 1) * rng.uniform(lo, hi)
            if p0 >= 1000:
                music = rng.randint(2, 3)
            elif p0 >= 300:
                music = rng.randint(1, 2)
            elif s.kind == "teaching_point":
                music = 0
            else:
                music = 1 if rng.random() < 0.45 else 0
            art = max(0, music + rng.choice((-1, 0, 0, 1))) if music else (1 if rng.random() < 0.15 and s.kind != "teaching_point" else 0)
            building_k = rng.uniform(1.35, 1.7)
            land_k = rng.uniform(1.3, 2.0) if s.location == URBAN else rng.uniform(1.8, 3.4)
            training_share = rng.uniform(0.05, 0.09) if rng.random() < 0.8 else rng.uniform(0.02, 0.05)
            topup = rng.uniform(1.0, 1.08)
            for t in range(len(YEARS)):
                if t:
                    teaching *= 1 + (rng.uniform(0.15, 0.3) if rng.random() < 0.05 else rng.uniform(0, 0.03))
                    sports *= 1 + rng.uniform(0, 0.02)
                    equipment *= 1 + rng.uniform(0.02, 0.08)
                    computers *= 1 + rng.uniform(0.0, 0.06)
                    books *= 1 + rng.uniform(0.01, 0.05)
                    multimedia += rng.choice((0, 0, 1)) + (1 if p0 > 1000 and rng.random() < 0.5 else 0)
                budget = None
                if s.ownership != PRIVATE:
                    total = 0.0
                    stages = [(st, stage_pupils.get((s.idx, t, st), 0)) for st in s.stages]
                    p_all = sum(n for _, n in stages)
                    for st, n in stages:
                        rate = FUNDS_PER_PUPIL[st] * (0.6 if s.ownership == INCLUSIVE else 1.0)
                        if p_all < 100 and p_all:  # small schools are funded as if they had 100 pupils
                            n = n * 100 / p_all
                        total += rate * n
                    budget = round(total * topup, -2)
                building = teaching * building_k
                self.facts.append(dict(
                    school=s, t=t, land_area=_d(building * land_k), building_area=_d(building),
                    teaching_area=_d(teaching), sports_area=_d(sports), equipment_value=_d(equipment),
                    computers=int(round(computers)), books=int(round(books)), multimedia_rooms=int(round(multimedia)),
                    music_rooms=music, art_rooms=art,
                    public_funds_budget=_d(budget) if budget is not None else None,
                    training_spend=_d(round(budget * training_share, -1)) if budget else None,
                ))

    def plan_flags(self):
        """留守 changes a little from year to year (parents leave for work or come back)."""
        rng = self.rng
        rates = {URBAN: 0.04, TOWN: 0.12, RURAL: 0.17}
        for lst in self.enrolments:
            for e in lst:
                p, s = e.pupil, e.school
                if p.migrant or e.grade >= 10 or s.kind in ("special", "vocational"):
                    continue
                e.left_behind = p.u_lb + rng.uniform(-0.015, 0.015) < rates[s.location]

    def plan(self):
        self.plan_townships()
        self.plan_schools()
        self.log(f"{self.name}：{len(self.townships)}个乡镇（街道），{len(self.schools)}所学校")
        self.plan_pupils()
        self.log(f"  学生 {len(self.pupils)} 人，学籍 {sum(len(x) for x in self.enrolments)} 条")
        self.plan_flags()
        self.plan_classes()
        self.plan_teachers()
        self.log(f"  班级 {len(self.classes)} 个，教师 {len(self.teachers)} 人，任教记录 {len(self.postings)} 条")
        self.plan_facts()


def _d(x: float | None) -> Decimal | None:
    return None if x is None else Decimal(f"{x:.2f}")


# --------------------------------------------------------------------------- writing


def write(counties: list[DemoCounty], log: Callable[[str], None]) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from jiaoguan.core.models import OrgUnit, SchoolYear, User
    from jiaoguan.registry import models as m

    batch = 5000
    with transaction.atomic():
        province, _ = OrgUnit.objects.get_or_create(code=N.PROVINCE[0], defaults={"name": N.PROVINCE[1], "level": "province"})
        years = []
        for y in YEARS:
            sy, _ = SchoolYear.objects.update_or_create(
                code=f"{y}-{y + 1}",
                defaults={"start": datetime.date(y, 9, 1), "end": datetime.date(y + 1, 8, 31), "is_current": y == YEARS[CURRENT]},
            )
            years.append(sy)
        SchoolYear.objects.exclude(pk=years[CURRENT].pk).filter(is_current=True).update(is_current=False)
        for c in counties:
            city, _ = OrgUnit.objects.get_or_create(code=c.city_code, defaults={"name": c.city_name, "level": "city", "parent": province})
            county, _ = OrgUnit.objects.get_or_create(code=c.code, defaults={"name": c.name, "level": "county", "parent": city})
            c.county_unit = county
            for tw in c.townships:
                unit, _ = OrgUnit.objects.get_or_create(code=tw.code, defaults={"name": tw.name, "level": "township", "parent": county})
                tw.pk = unit.pk
        # schools: parents before their teaching points
        from jiaoguan.core.text import initials

        for pass_tp in (False, True):
            objs = []
            for c in counties:
                for s in c.schools:
                    if (s.type == "teaching_point") != pass_tp:
                        continue
                    objs.append(m.School(
                        code=s.code, name=s.name, initials=initials(s.name), org_unit_id=s.township.pk, type=s.type,
                        parent_id=s.parent.pk if s.parent else None, location=s.location, ownership=s.ownership,
                        address=s.address, principal=s.principal, phone=s.phone,
                    ))
            m.School.objects.bulk_create(objs, batch_size=batch)
            i = 0
            for c in counties:
                for s in c.schools:
                    if (s.type == "teaching_point") == pass_tp:
                        s.pk = objs[i].pk
                        i += 1
        log("写入学校办学条件、班级…")
        m.SchoolFacts.objects.bulk_create(
            [m.SchoolFacts(school_id=f.pop("school").pk, year=years[f.pop("t")], **f) for c in counties for f in c.facts],
            batch_size=batch,
        )
        for c in counties:
            objs = [m.SchoolClass(school_id=s.pk, year=years[t], grade=g, name=name, head_teacher=head)
                    for s, t, g, name, head in c.classes]
            m.SchoolClass.objects.bulk_create(objs, batch_size=batch)
            c.class_pks = [o.pk for o in objs]
        # pupils and enrolments are hundreds of thousands of rows: plain executemany is five
        # times faster than bulk_create here (no model instances, no per-value SQL compiling)
        pupil_fields = ["student_no", "id_number", "name", "initials", "sex", "birth_date", "ethnicity", "hukou_code",
                        "hukou_address", "guardian_name", "guardian_phone"]
        from django.db import connection

        as_date = connection.ops.adapt_datefield_value  # a str for SQLite, the date for PostgreSQL
        rows = [(p.student_no, p.id_number, p.name, name_initials(p.name), p.sex, as_date(p.birth), p.ethnicity, p.hukou_code,
                 p.hukou_address, p.guardian_name, p.guardian_phone) for c in counties for p in c.pupils]
        insert_rows(m.Pupil, pupil_fields, rows, lambda n: log(f"  写入学生… {n}/{len(rows)}"))
        pks = dict(m.Pupil.objects.values_list("student_no", "pk"))
        for c in counties:
            for p in c.pupils:
                p.pk = pks[p.student_no]
        del pks
        enrol_fields = ["pupil", "year", "school", "grade", "school_class", "status", "left_behind", "migrant",
                        "disability", "registered_poor", "dibao", "tekun", "orphan", "boarding"]
        rows = []
        for c in counties:
            cls = c.class_pks
            for t, lst in enumerate(c.enrolments):
                year_pk = years[t].pk
                for e in lst:
                    p, s = e.pupil, e.school
                    rows.append((p.pk, year_pk, s.pk, e.grade, cls[e.klass] if e.klass is not None else None, e.status,
                                 e.left_behind, p.migrant, p.disability, p.poor, p.dibao, p.tekun, p.orphan,
                                 p.u_board < boarding_rate(s, e.grade)))
        insert_rows(m.Enrolment, enrol_fields, rows, lambda n: log(f"  写入学籍… {n}/{len(rows)}"))
        del rows
        log("写入教师、任教记录…")
        for c in counties:
            objs = [m.Teacher(id_number=te.id_number, name=te.name, initials=name_initials(te.name), sex=te.sex,
                              birth_date=te.birth, phone=te.phone, work_start=te.work_start) for te in c.teachers]
            m.Teacher.objects.bulk_create(objs, batch_size=batch)
            for te, o in zip(c.teachers, objs):
                te.pk = o.pk
            m.Posting.objects.bulk_create(
                [m.Posting(teacher_id=te.pk, year=years[t], school_id=s.pk, section=section, subject=subject,
                           education=edu, title=title, backbone=bb, staffing=st, certified=cert, at_school_since=since)
                 for te, t, s, section, subject, edu, title, bb, st, cert, since in c.postings],
                batch_size=batch,
            )
        created = create_users(counties[0], years[CURRENT], make_password(PASSWORD), User, m)
    return {"users": created}


def insert_rows(model, fields: list[str], rows: list[tuple], progress: Callable[[int], None], chunk: int = 5000):
    """INSERT rows (tuples of database-ready values in `fields` order) with executemany."""
    from django.db import connection

    meta = model._meta
    qn = connection.ops.quote_name
    columns = ", ".join(qn(meta.get_field(f).column) for f in fields)
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    step = max(chunk, len(rows) // 6 // chunk * chunk)
    with connection.cursor() as cursor:
        for i in range(0, len(rows), chunk):
            cursor.executemany(sql, rows[i:i + chunk])
            done = min(i + chunk, len(rows))
            if done % step == 0 or done == len(rows):
                progress(done)


def boarding_rate(s: School, grade: int) -> float:
    if s.type == "kindergarten":
        return 0.0
    if s.kind == "special":
        return 0.5
    if s.kind == "vocational":
        return 0.6
    if grade >= 10:
        return 0.7
    if grade >= 7:
        return {URBAN: 0.06, TOWN: 0.3, RURAL: 0.38}[s.location]
    if grade >= 4 and s.kind in ("central", "rural_nine"):
        return 0.15
    return 0.0


# --------------------------------------------------------------------------- accounts

ACCOUNTS = [
    # username, last, first, role, section, Chinese role label
    ("admin", "刘", "建华", "admin", "", "系统管理员"),
    ("leader", "周", "志刚", "leader", "", "局领导"),
    ("jiaoji", "李", "晓燕", "staff", "basic", "基础教育股"),
    ("zizhu", "王", "芳", "staff", "aid", "学生资助中心"),
    ("renshi", "陈", "卫东", "staff", "personnel", "人事股"),
    ("dudao", "谭", "国庆", "inspector", "", "督学"),
    ("school", "彭", "丽娟", "school_admin", "", "学校管理员"),
]


def create_users(c: DemoCounty, current_year, password_hash: str, User, m) -> list[str]:
    """One account per role, all with the demo password; existing usernames are left alone."""
    county = c.county_unit
    created = []
    # the school account: the big urban primary with the most 大班额 classes this year
    sizes: dict[int, int] = {}
    for e in c.enrolments[CURRENT]:
        if e.status in ON_ROLL and e.klass is not None:
            sizes[e.klass] = sizes.get(e.klass, 0) + 1
    large: dict[int, int] = {}
    for k, n in sizes.items():
        if n >= 56:
            large[c.classes[k][0].idx] = large.get(c.classes[k][0].idx, 0) + 1
    big = [s for s in c.schools if s.kind == "big_primary"]
    best = max(big, key=lambda s: (large.get(s.idx, 0), -s.idx))
    school = m.School.objects.get(pk=best.pk)
    inspected = [s for s in c.schools if s.location != URBAN and s.type != "kindergarten"]
    inspected.sort(key=lambda s: (s.township.code, s.kind != "central", s.idx))
    rural_tw = [t.code for t in c.rural_townships[:3]]
    chosen = [s for s in inspected if s.township.code in rural_tw][:12]
    if len(chosen) < 12:
        chosen += [s for s in inspected if s not in chosen][: 12 - len(chosen)]
    for username, last, first, role, section, _label in ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        user = User(username=username, last_name=last, first_name=first, role=role, section=section,
                    password=password_hash, phone=mobile(c.rng), email=f"{username}@example.cn")
        if role == "admin":
            user.is_superuser = user.is_staff = True
        elif role in ("leader", "staff", "inspector"):
            user.org_unit = county
        elif role == "school_admin":
            user.school = school
            user.org_unit_id = school.org_unit_id if school else None
        user.save()
        if role == "inspector":
            user.inspected_schools.set([s.pk for s in chosen])
        created.append(username)
    return created


def demo_accounts() -> list[dict]:
    """The demo log-ins: username, password, role and scope (in Chinese), for `make run`."""
    rows = []
    scopes = {}
    try:
        from jiaoguan.core.models import User

        for u in User.objects.filter(username__in=[a[0] for a in ACCOUNTS]).select_related("org_unit", "school"):
            if u.role == "inspector":
                scopes[u.username] = f"责任区学校{u.inspected_schools.count()}所"
            elif u.role == "staff":
                scopes[u.username] = f"{u.scope_label}（{u.get_section_display()}）"
            else:
                scopes[u.username] = u.scope_label
    except Exception:  # noqa: BLE001 - no database yet: describe the accounts without it
        pass
    defaults = {"admin": "全部", "dudao": "责任区学校", "school": "一所城区大规模小学"}
    for username, _last, _first, _role, _section, label in ACCOUNTS:
        rows.append({
            "username": username, "password": PASSWORD, "role": label,
            "scope": scopes.get(username) or defaults.get(username, N.COUNTIES[0]["name"]),
        })
    return rows


# --------------------------------------------------------------------------- entry point


def generate(seed: int = 1, counties: int = 1, scale: float = 1.0, log: Callable[[str], None] | None = None) -> dict:
    """Plan and write the demo data. Returns counts for the summary."""
    log = log or (lambda msg: None)
    if not 1 <= counties <= len(N.COUNTIES):
        raise ValueError(f"counties 应在 1–{len(N.COUNTIES)} 之间")
    if scale <= 0:
        raise ValueError("scale 应大于 0")
    used_ids: set[str] = set()
    used_nos: set[str] = set()
    planned = []
    for spec in N.COUNTIES[:counties]:
        c = DemoCounty(seed, spec, scale, log, used_ids, used_nos)
        c.plan()
        planned.append(c)
    log("写入数据库…")
    result = write(planned, log)
    on_roll = sum(1 for c in planned for e in c.enrolments[CURRENT] if e.status in ON_ROLL)
    return {
        "counties": len(planned),
        "schools": sum(len(c.schools) for c in planned),
        "pupils": sum(len(c.pupils) for c in planned),
        "on_roll": on_roll,
        "enrolments": sum(len(x) for c in planned for x in c.enrolments),
        "teachers": sum(len(c.teachers) for c in planned),
        "classes": sum(len(c.classes) for c in planned),
        "users": result["users"],
    }
