"""Duplicate and conflict checks over a term's entitlement lines: pure, no Django.

A line is live unless the school objected to it or the aid office struck it out. Four rules,
each giving its reason in words a school can act on:

- duplicate:      the same pupil twice in the same programme and term;
- two_schools:    the same pupil at two schools in the same term;
- not_on_roll:    the pupil's enrolment that year is 转出/辍学/休学/… or is not at this school;
- stage_mismatch: the programme is not for the pupil's stage (高中助学金 for a 初中 pupil…).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from .entitlement import ON_ROLL
from .programmes import STAGE_LABELS, ProgrammeTable

KINDS = {
    "duplicate": "同一项目同一学期重复",
    "two_schools": "同一学期在两所学校享受资助",
    "not_on_roll": "学籍状态不符",
    "stage_mismatch": "项目与学段不符",
}


@dataclass(frozen=True)
class Line:
    id: int
    pupil_id: int
    programme: str
    school_id: int
    school_name: str
    live: bool = True
    # the pupil's enrolment in the term's school year (None: no enrolment that year)
    enrolled_school_id: int | None = None
    enrolled_school_name: str = ""
    status: str | None = None
    status_label: str = ""
    stage: str | None = None


@dataclass(frozen=True)
class Conflict:
    line_id: int
    kind: str
    reason: str

    @property
    def label(self) -> str:
        return KINDS[self.kind]


def find_conflicts(lines: Iterable[Line], table: ProgrammeTable) -> list[Conflict]:
    """Every conflict of every live line (a line may have several), in line order."""
    lines = [ln for ln in lines if ln.live]
    by_pupil: dict[int, list[Line]] = defaultdict(list)
    for ln in lines:
        by_pupil[ln.pupil_id].append(ln)
    out: list[Conflict] = []
    for ln in sorted(lines, key=lambda x: x.id):
        mine = by_pupil[ln.pupil_id]
        programme = table.programmes.get(ln.programme)
        name = programme.short if programme else ln.programme
        same = [o for o in mine if o.programme == ln.programme and o.id != ln.id]
        if same:
            where = "、".join(sorted({o.school_name for o in [ln, *same]}))
            out.append(Conflict(ln.id, "duplicate", f"该生本学期「{name}」共有{len(same) + 1}条记录（{where}），同一项目每学期只能享受一次"))
        others = sorted({o.school_name for o in mine if o.school_id != ln.school_id})
        if others:
            out.append(Conflict(ln.id, "two_schools", f"该生本学期同时在「{'」「'.join(others)}」享受资助，只能由学籍所在学校申报"))
        if ln.status is None:
            out.append(Conflict(ln.id, "not_on_roll", "该生本学年没有学籍记录，不能享受资助"))
        elif ln.enrolled_school_id != ln.school_id:
            out.append(Conflict(ln.id, "not_on_roll", f"该生本学年学籍在「{ln.enrolled_school_name}」，不在本校"))
        elif ln.status not in ON_ROLL:
            out.append(Conflict(ln.id, "not_on_roll", f"学籍状态为“{ln.status_label or ln.status}”，已不在校，不应享受资助"))
        if programme and ln.stage and ln.stage not in programme.stages:
            out.append(Conflict(ln.id, "stage_mismatch",
                                f"「{programme.short}」适用于{programme.stage_label}，该生为{STAGE_LABELS.get(ln.stage, ln.stage)}"))
    return out


def by_line(conflicts: Iterable[Conflict]) -> dict[int, list[Conflict]]:
    out: dict[int, list[Conflict]] = defaultdict(list)
    for c in conflicts:
        out[c.line_id].append(c)
    return dict(out)
