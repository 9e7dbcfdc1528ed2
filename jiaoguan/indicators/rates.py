"""Rates the county is judged by, from counts the registry provides (pure, no Django).

Each function takes plain numbers or small polars frames and returns plain dicts, with None
where the data cannot give the rate (a rate without its denominator is not zero).
"""
from __future__ import annotations

import polars as pl

from .grades import class_size_flag, stage_of
from .standards import load


def share(part: float | None, whole: float | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole


def class_size_shares(classes: pl.DataFrame) -> dict[str, dict]:
    """classes: columns grade, size (pupils on roll). Per stage: classes, 大班额 (56–65),
    超大班额 (≥66), over the stage standard, and their shares of the stage's classes."""
    frame = classes.filter(pl.col("size") > 0)
    out: dict[str, dict] = {}
    for grade, size in frame.select("grade", "size").iter_rows():
        stage = stage_of(grade)
        row = out.setdefault(stage, {"classes": 0, "large": 0, "huge": 0, "over": 0})
        row["classes"] += 1
        flag = class_size_flag(size, grade)
        if flag == "huge":
            row["huge"] += 1
        elif flag == "large":
            row["large"] += 1
        if flag:
            row["over"] += 1
    for row in out.values():
        row["large_or_huge"] = row["large"] + row["huge"]
        for key in ("large", "huge", "large_or_huge", "over"):
            row[f"{key}_share"] = share(row[key], row["classes"])
    return out


SIZE_KEYS = {"小学": "primary", "初中": "junior", "九年一贯制": "nine_year", "十二年一贯制": "twelve_year", "幼儿园": "kindergarten"}


def school_size_flags(schools: list[dict]) -> list[dict]:
    """schools: dicts with school_code, school_name, type (Chinese, as SIZE_KEYS), pupils (the
    compulsory part for mixed schools). Returns the schools over their limit, with the limit."""
    limits = load("school-size")["limits"]
    over = []
    for s in schools:
        key = SIZE_KEYS.get(s["type"])
        if key and s["pupils"] > limits[key]:
            over.append(s | {"limit": limits[key], "excess": s["pupils"] - limits[key]})
    return over


def junior_retention(*, graduating: int | None, entrants: int | None, transferred_in: int = 0,
                     transferred_out: int = 0, deaths: int = 0) -> float | None:
    """初中三年巩固率 = (初三学生数 − 转入 + 转出) ÷ (三年前初一入学数 − 死亡)."""
    if graduating is None or not entrants:
        return None
    return (graduating - transferred_in + transferred_out) / (entrants - deaths)


def nine_year_retention(*, graduating: int | None, grade1_entrants: int | None) -> float | None:
    """九年义务教育巩固率 = 初三学生数 ÷ 该队列入小学一年级时的学生数 (needs nine years of data)."""
    if graduating is None or not grade1_entrants:
        return None
    return graduating / grade1_entrants


def disabled_enrolment_rate(*, enrolled: int | None, population: int | None) -> float | None:
    """残疾儿童少年入学率 = 已入学适龄残疾儿童少年 ÷ 县域适龄（6–15岁）残疾儿童少年总数."""
    return share(enrolled, population)


def preschool(*, children: int, public_children: int, inclusive_private_children: int,
              population_3_5: int | None, teachers: int, classes_total: int, classes_ok: int) -> list[dict]:
    """学前教育普及普惠: each indicator's value, its threshold and whether it is met."""
    values = {
        "gross_enrolment_rate": share(children, population_3_5),
        "inclusive_coverage": share(public_children + inclusive_private_children, children),
        "public_share": share(public_children, children),
        "children_per_teacher": (children / teachers) if teachers else None,
        "class_size_compliance": share(classes_ok, classes_total),
    }
    out = []
    for ind in load("preschool-2020")["indicators"]:
        v = values[ind["id"]]
        if v is None:
            met = None
        elif "min" in ind:
            met = v >= ind["min"] - 1e-12
        else:
            met = v <= ind["max"] + 1e-12
        out.append({"id": ind["id"], "name": ind["name"], "value": v, "min": ind.get("min"), "max": ind.get("max"),
                    "met": met, "source": ind["source"]})
    return out
