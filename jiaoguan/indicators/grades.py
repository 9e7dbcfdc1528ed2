"""Grades and stages, and the class-size flags derived from them (pure, no Django)."""
from __future__ import annotations

from .standards import load

# Grade codes: kindergarten -2..0 (小班/中班/大班), 1..6 小学, 7..9 初中, 10..12 高中/中职.
GRADE_LABELS: dict[int, str] = {
    -2: "小班", -1: "中班", 0: "大班",
    1: "一年级", 2: "二年级", 3: "三年级", 4: "四年级", 5: "五年级", 6: "六年级",
    7: "七年级", 8: "八年级", 9: "九年级",
    10: "高一", 11: "高二", 12: "高三",
}
_ALIASES = {
    "幼儿园小班": -2, "幼儿园中班": -1, "幼儿园大班": 0,
    "初一": 7, "初二": 8, "初三": 9, "高中一年级": 10, "高中二年级": 11, "高中三年级": 12,
    "十年级": 10, "十一年级": 11, "十二年级": 12,
    "中职一年级": 10, "中职二年级": 11, "中职三年级": 12,
}
_BY_LABEL = {v: k for k, v in GRADE_LABELS.items()} | _ALIASES


class Stage:
    PRESCHOOL = "preschool"
    PRIMARY = "primary"
    JUNIOR = "junior"
    SENIOR = "senior"

    LABELS = {PRESCHOOL: "学前", PRIMARY: "小学", JUNIOR: "初中", SENIOR: "高中"}


def parse_grade(value: object) -> int | None:
    """'三年级', '3', 3, '初一', '小班' → grade code; None when unrecognised."""
    if value is None:
        return None
    s = str(value).strip()
    if s in _BY_LABEL:
        return _BY_LABEL[s]
    if s.endswith(".0"):
        s = s[:-2]
    if s.lstrip("-").isdigit() and int(s) in GRADE_LABELS:
        return int(s)
    return None


def stage_of(grade: int) -> str:
    if grade <= 0:
        return Stage.PRESCHOOL
    if grade <= 6:
        return Stage.PRIMARY
    if grade <= 9:
        return Stage.JUNIOR
    return Stage.SENIOR


def section_of(grade: int, school_type: str = "") -> str:
    """The teaching section of a class or posting: a special or vocational school is its own
    section whatever the grade; otherwise the stage of the grade."""
    if school_type in ("special", "vocational"):
        return school_type
    return stage_of(grade)


def typical_age(grade: int) -> int:
    """Age on 1 September of a pupil in this grade who started school at six."""
    return grade + 5


def standard_class_size(grade: int) -> int:
    std = load("class-size")["standard"]
    if grade <= 0:
        return std[{-2: "preschool_small", -1: "preschool_middle", 0: "preschool_large"}[grade]]
    return std[stage_of(grade)]


def class_size_flag(size: int, grade: int) -> str:
    """'huge' (超大班额, ≥66), 'large' (大班额, 56–65), 'over' (above the stage standard) or ''."""
    cs = load("class-size")
    if size >= cs["huge_class"]["min"]:
        return "huge"
    if size >= cs["large_class"]["min"]:
        return "large"
    if size > standard_class_size(grade):
        return "over"
    return ""


FLAG_LABELS = {"huge": "超大班额", "large": "大班额", "over": "超标准班额", "": ""}
