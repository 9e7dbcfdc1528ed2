"""A suggested rotation plan (交流轮岗建议方案): pure computation, no Django.

Input: one `Unit` per school and section (pupils, teachers per subject, the teachers eligible
to move), the 编制 ratios, the subjects every school must have, and the rotation rule.
Output: a `Plan` of individual moves, found in three passes, each deterministic:

1. 学科补缺 — a school without a teacher of a required subject (体育, 音乐, 美术, 英语, 信息科技)
   gets one from a school of the same section that is over its 编制 standard and has two or
   more teachers of that subject;
2. 缺编补充 — schools under their standard (pupils ÷ ratio, rounded up) get teachers from
   schools over it, the worst pupil-teacher ratio first, the largest surplus sending first;
3. 对口交流 — while the plan is still short of the required number (10% of the eligible),
   pairs of eligible teachers swap between a school with many eligible teachers and a rural (or
   thin) school of the same section, so neither school's headcount changes.

While 骨干 are fewer than 20% of the planned moves, a 骨干 is preferred whenever a sender has
one; a last pass swaps planned non-骨干 movers for 骨干 of the same sender and subject.
With `keep_rural` (the default), rural schools send teachers to town and urban schools only in
exchange pairs: rotation moves teachers towards the villages.

Guarantees (tested with hypothesis): every mover is eligible and moves once; no school loses
its last teacher of a required subject; no rural school loses a teacher to a town or urban one
outside an exchange pair; no school ends below the lesser of its headcount
before and its standard (the plan never creates or deepens a shortage); the same input in any
order gives the same plan.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

LOCATION_RANK = {"rural": 0, "town": 1, "urban": 2}  # receiving order: rural schools first

SUBJECT_GAP, SHORTAGE, EXCHANGE = "subject", "shortage", "exchange"


@dataclass(frozen=True)
class Candidate:
    teacher: int
    subject: str
    backbone: bool = False


@dataclass
class Unit:
    """One school's section as the plan sees it."""

    school: str
    section: str
    pupils: int
    teachers: dict[str, int]                   # subject → teachers (all of them, eligible or not)
    eligible: list[Candidate] = field(default_factory=list)
    location: str = "urban"
    needs_subjects: bool = True                # required-subject coverage applies to this unit

    @property
    def key(self) -> tuple[str, str]:
        return (self.school, self.section)

    @property
    def headcount(self) -> int:
        return sum(self.teachers.values())


@dataclass(frozen=True)
class Move:
    teacher: int
    section: str
    subject: str
    from_school: str
    to_school: str
    backbone: bool
    reason: str          # SUBJECT_GAP | SHORTAGE | EXCHANGE


@dataclass
class UnitResult:
    school: str
    section: str
    pupils: int
    standard: int | None
    before: int
    after: int
    missing_before: list[str]
    missing_after: list[str]

    @property
    def shortage_before(self) -> int:
        return max(0, (self.standard or 0) - self.before)

    @property
    def shortage_after(self) -> int:
        return max(0, (self.standard or 0) - self.after)

    @property
    def surplus_before(self) -> int:
        return max(0, self.before - self.standard) if self.standard is not None else 0


@dataclass
class Plan:
    eligible: int
    required: int
    target: int
    backbone_required: int
    moves: list[Move]
    units: list[UnitResult]

    @property
    def backbone(self) -> int:
        return sum(1 for m in self.moves if m.backbone)

    @property
    def short_of_target(self) -> int:
        return max(0, self.target - len(self.moves))

    def count(self, reason: str) -> int:
        return sum(1 for m in self.moves if m.reason == reason)


def standard_teachers(pupils: int, ratio: float | None) -> int | None:
    """Teachers the 编制 standard gives a section: pupils ÷ ratio, rounded up (None: no standard)."""
    if not ratio:
        return None
    return math.ceil(pupils / ratio - 1e-9) if pupils > 0 else 0


def ceil_share(n: int, share: float) -> int:
    return max(0, math.ceil(n * share - 1e-9))


class _State:
    """Counts as the plan changes them."""

    def __init__(self, units: list[Unit], ratios: dict[str, float], required_subjects: tuple[str, ...]):
        self.units = {u.key: u for u in units}
        self.order = sorted(self.units)
        self.required = required_subjects
        self.standard = {k: standard_teachers(u.pupils, ratios.get(u.section)) for k, u in self.units.items()}
        self.subj = {k: dict(u.teachers) for k, u in self.units.items()}
        self.count = {k: u.headcount for k, u in self.units.items()}
        # remaining candidates, 骨干 first, then by teacher id (stable whatever the input order)
        self.pool: dict[tuple, list[Candidate]] = {}
        seen: set[int] = set()
        for k in self.order:
            pool = []
            for c in sorted(self.units[k].eligible, key=lambda c: (not c.backbone, c.teacher)):
                if c.teacher not in seen:  # a teacher is a candidate once
                    seen.add(c.teacher)
                    pool.append(c)
            self.pool[k] = pool
        self.moves: list[Move] = []
        self.exchanged: dict[tuple, int] = {}  # exchange pairs each school has received

    def surplus(self, k) -> int:
        std = self.standard[k]
        return self.count[k] - std if std is not None else 0

    def missing(self, k) -> list[str]:
        if not self.units[k].needs_subjects:
            return []
        return [s for s in self.required if self.subj[k].get(s, 0) == 0]

    def can_spare(self, k, subject: str) -> bool:
        """Sending a teacher of `subject` leaves the school a teacher of it if it is required."""
        return subject not in self.required or self.subj[k].get(subject, 0) >= 2

    def pick(self, k, *, subject: str | None = None, want_backbone: bool = False) -> Candidate | None:
        options = [c for c in self.pool[k] if (subject is None or c.subject == subject) and self.can_spare(k, c.subject)]
        if not options:
            return None
        if subject is None:
            # the subject the sender has most of (it misses it least), then 骨干 as wanted
            options.sort(key=lambda c: (-self.subj[k].get(c.subject, 0), c.backbone != want_backbone, c.teacher))
        else:
            options.sort(key=lambda c: (c.backbone != want_backbone, c.teacher))
        return options[0]

    def move(self, c: Candidate, src, dst, reason: str) -> None:
        self.pool[src].remove(c)
        self.subj[src][c.subject] = self.subj[src].get(c.subject, 0) - 1
        self.subj[dst][c.subject] = self.subj[dst].get(c.subject, 0) + 1
        self.count[src] -= 1
        self.count[dst] += 1
        self.moves.append(Move(c.teacher, src[1], c.subject, src[0], dst[0], c.backbone, reason))


def suggest(units: list[Unit], *, ratios: dict[str, float], required_subjects: tuple[str, ...] | list[str] = (),
            share: float = 0.10, backbone_share: float = 0.20, target: int | None = None,
            keep_rural: bool = True) -> Plan:
    """The suggested plan. `target` (default: the required share of the eligible) is how many
    moves the plan aims at; subject and shortage moves count towards it and may exceed it."""
    required_subjects = tuple(required_subjects)
    st = _State(units, ratios, required_subjects)
    eligible = sum(len(p) for p in st.pool.values())
    required = ceil_share(eligible, share)
    target = required if target is None else target
    before = {k: st.count[k] for k in st.order}
    missing_before = {k: st.missing(k) for k in st.order}

    def want_backbone() -> bool:
        planned = max(target, len(st.moves) + 1)
        return sum(1 for m in st.moves if m.backbone) < ceil_share(planned, backbone_share)

    def senders_for(k):
        """Schools that may send to k outside an exchange pair."""
        rural_dst = st.units[k].location == "rural"
        return [o for o in st.order if o[1] == k[1] and o[0] != k[0] and st.surplus(o) >= 1 and st.pool[o]
                and (rural_dst or not keep_rural or st.units[o].location != "rural")]

    # 1. 学科补缺
    gaps = [(k, s) for k in st.order for s in missing_before[k]]
    gaps.sort(key=lambda g: (LOCATION_RANK.get(st.units[g[0]].location, 3), -max(0, -st.surplus(g[0])), g[0],
                             required_subjects.index(g[1])))
    for k, subject in gaps:
        if st.subj[k].get(subject, 0) > 0:
            continue
        senders = sorted(senders_for(k), key=lambda o: (-st.surplus(o), -st.subj[o].get(subject, 0), o))
        for src in senders:
            c = st.pick(src, subject=subject, want_backbone=want_backbone())
            if c is not None:
                st.move(c, src, k, SUBJECT_GAP)
                break

    # 2. 缺编补充: the worst pupil-teacher ratio first, one teacher at a time
    while True:
        short = [k for k in st.order if st.standard[k] is not None and st.surplus(k) < 0]
        moved = False
        for k in sorted(short, key=lambda k: (-st.units[k].pupils / max(st.count[k], 1),
                                              LOCATION_RANK.get(st.units[k].location, 3), k)):
            senders = sorted(senders_for(k), key=lambda o: (-st.surplus(o), -LOCATION_RANK.get(st.units[o].location, 0), o))
            for src in senders:
                c = st.pick(src, want_backbone=want_backbone())
                if c is not None:
                    st.move(c, src, k, SHORTAGE)
                    moved = True
                    break
            if moved:
                break
        if not moved:
            break

    # 3. 对口交流: pairs that keep both headcounts, until the target is met
    while len(st.moves) < target:
        pair = _exchange_pair(st, want_backbone())
        if pair is None:
            break
        (a, src, dst), (b, _, _) = pair
        st.move(a, src, dst, EXCHANGE)
        st.move(b, dst, src, EXCHANGE)

    _backbone_swaps(st, backbone_share)

    results = [UnitResult(school=k[0], section=k[1], pupils=st.units[k].pupils, standard=st.standard[k], before=before[k],
                          after=st.count[k], missing_before=missing_before[k], missing_after=st.missing(k))
               for k in st.order]
    return Plan(eligible=eligible, required=required, target=target,
                backbone_required=ceil_share(len(st.moves), backbone_share), moves=st.moves, units=results)


def _exchange_pair(st: _State, want_backbone: bool):
    """The sender with the most candidates left, paired with the most rural, thinnest school of
    the same section that can send one back."""
    senders = sorted((k for k in st.order if st.pool[k]),
                     key=lambda k: (-len(st.pool[k]), -LOCATION_RANK.get(st.units[k].location, 0), k))
    for src in senders:
        receivers = sorted((o for o in st.order if o[1] == src[1] and o[0] != src[0] and st.pool[o]),
                           key=lambda o: (st.exchanged.get(o, 0), LOCATION_RANK.get(st.units[o].location, 3),
                                          -(st.units[o].pupils / max(st.count[o], 1)), o))
        for dst in receivers:
            a = st.pick(src, want_backbone=want_backbone)
            if a is None:
                break
            # the one coming back: the same subject if possible, so both schools keep their mix
            b = st.pick(dst, subject=a.subject) or st.pick(dst)
            if b is None:
                continue
            st.exchanged[dst] = st.exchanged.get(dst, 0) + 1
            return (a, src, dst), (b, dst, src)
    return None


def _backbone_swaps(st: _State, backbone_share: float) -> None:
    """Swap planned non-骨干 movers for 骨干 of the same sender and subject until 骨干 reach the share."""
    for i, m in enumerate(st.moves):
        if sum(1 for x in st.moves if x.backbone) >= ceil_share(len(st.moves), backbone_share):
            return
        if m.backbone:
            continue
        src = (m.from_school, m.section)
        alt = next((c for c in st.pool[src] if c.backbone and c.subject == m.subject), None)
        if alt is None:
            continue
        st.pool[src].remove(alt)
        st.pool[src].append(Candidate(m.teacher, m.subject, False))
        st.pool[src].sort(key=lambda c: (not c.backbone, c.teacher))
        st.moves[i] = Move(alt.teacher, m.section, m.subject, m.from_school, m.to_school, True, m.reason)
