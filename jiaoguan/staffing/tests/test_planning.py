"""The suggested rotation plan: hand-checked counties, then properties over random ones."""
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from jiaoguan.staffing.planning import EXCHANGE, SHORTAGE, SUBJECT_GAP, Candidate as C, Move, Unit, standard_teachers, suggest

REQUIRED = ("pe", "music", "art", "english", "it")
RATIOS = {"primary": 19.0, "junior": 13.5}


def test_standard_teachers_rounds_up():
    assert standard_teachers(380, 19) == 20
    assert standard_teachers(300, 19) == 16  # 15.8
    assert standard_teachers(0, 19) == 0
    assert standard_teachers(100, None) is None
    assert standard_teachers(27, 13.5) == 2


def hand_made_county():
    return [
        Unit("A", "primary", 380, {"chinese": 12, "math": 8, "pe": 2, "music": 2, "art": 2, "english": 2, "it": 1},
             [C(1, "chinese"), C(2, "chinese", True), C(3, "chinese"), C(4, "chinese", True), C(5, "chinese"), C(6, "chinese"),
              C(20, "music"), C(21, "pe")], location="urban"),
        Unit("R", "primary", 300, {"chinese": 8, "math": 5}, [C(30, "chinese"), C(31, "math")], location="rural"),
        Unit("T", "primary", 190, {"chinese": 5, "math": 4, "pe": 1, "music": 1, "art": 1, "english": 1, "it": 1},
             [C(40, "chinese"), C(41, "math"), C(42, "chinese", True)], location="town"),
    ]


def test_subject_gaps_then_shortage_on_a_hand_made_county():
    plan = suggest(hand_made_county(), ratios=RATIOS, required_subjects=REQUIRED)
    # 13 eligible → at least 2 must move; 20% of them 骨干
    assert (plan.eligible, plan.required, plan.target) == (13, 2, 2)
    assert plan.moves == [
        # the rural school has no PE or music teacher: the urban school, 9 over its standard of 20, sends its spare ones
        Move(21, "primary", "pe", "A", "R", False, SUBJECT_GAP),
        Move(20, "primary", "music", "A", "R", False, SUBJECT_GAP),
        # still one short of 16 (300 ÷ 19): a chinese teacher, a 骨干 since none has moved yet
        Move(2, "primary", "chinese", "A", "R", True, SHORTAGE),
    ]
    assert plan.backbone == 1 and plan.backbone_required == 1
    units = {u.school: u for u in plan.units}
    assert (units["A"].standard, units["A"].before, units["A"].after) == (20, 29, 26)
    assert (units["R"].standard, units["R"].before, units["R"].after, units["R"].shortage_after) == (16, 13, 16, 0)
    assert units["R"].missing_before == list(REQUIRED)
    assert units["R"].missing_after == ["art", "english", "it"]  # nobody eligible teaches them
    assert (units["T"].before, units["T"].after) == (14, 14)
    assert plan.short_of_target == 0


def test_rural_schools_do_not_send_teachers_to_town_outside_exchanges():
    units = [Unit("A", "primary", 380, {"chinese": 15}, [], location="urban"),
             Unit("R", "primary", 40, {"chinese": 6}, [C(50, "chinese"), C(51, "chinese")], location="rural")]
    plan = suggest(units, ratios=RATIOS)
    assert plan.moves == [] and plan.required == 1 and plan.short_of_target == 1
    loose = suggest(units, ratios=RATIOS, keep_rural=False)
    assert [(m.teacher, m.from_school, m.to_school, m.reason) for m in loose.moves] == [(50, "R", "A", SHORTAGE), (51, "R", "A", SHORTAGE)]


def test_exchange_pairs_meet_the_share_without_changing_headcounts():
    units = [
        Unit("U", "primary", 190, {"chinese": 6, "math": 4},
             [C(1, "chinese", True)] + [C(i, "chinese") for i in range(2, 7)] + [C(i, "math") for i in range(7, 11)], location="urban"),
        Unit("V", "primary", 190, {"chinese": 6, "math": 4},
             [C(i, "chinese") for i in range(11, 17)] + [C(i, "math") for i in range(17, 21)], location="rural"),
    ]
    plan = suggest(units, ratios=RATIOS)
    assert plan.required == 2
    assert plan.moves == [Move(1, "primary", "chinese", "U", "V", True, EXCHANGE), Move(11, "primary", "chinese", "V", "U", False, EXCHANGE)]
    assert all(u.before == u.after for u in plan.units)
    # a larger target gives more pairs, spread over the receivers
    assert len(suggest(units, ratios=RATIOS, target=6).moves) == 6


def test_backbone_preferred_while_below_a_fifth():
    units = [
        Unit("U", "primary", 19, {"chinese": 12}, [C(i, "chinese") for i in range(1, 6)] + [C(9, "chinese", True)], location="urban"),
        Unit("V", "primary", 300, {"chinese": 10}, [], location="rural"),
    ]
    # 6 short at V, 11 over at U: the first move takes the 骨干, then the rest
    plan = suggest(units, ratios=RATIOS)
    assert [m.teacher for m in plan.moves][0] == 9
    assert plan.backbone == 1 and len(plan.moves) == 6 and plan.count(SHORTAGE) == 6


# ---------------------------------------------------------------------------- properties

SUBJECTS = ("chinese", "math", "pe", "music", "art", "english", "it")


@st.composite
def counties(draw):
    n = draw(st.integers(2, 6))
    ids = iter(range(1, 10_000))
    units = []
    for i in range(n):
        section = draw(st.sampled_from(("primary", "junior")))
        teachers, eligible = {}, []
        for subject in SUBJECTS:
            k = draw(st.integers(0, 6))
            if k:
                teachers[subject] = k
                for _ in range(draw(st.integers(0, k))):
                    eligible.append(C(next(ids), subject, draw(st.booleans())))
        units.append(Unit(f"S{i:02d}", section, draw(st.integers(0, 400)), teachers, eligible,
                          location=draw(st.sampled_from(("urban", "town", "rural"))), needs_subjects=draw(st.booleans())))
    required = tuple(s for s in REQUIRED if draw(st.booleans()))
    target = draw(st.one_of(st.none(), st.integers(0, 30)))
    return units, required, target


@settings(max_examples=300, deadline=None)
@given(counties())
def test_plan_properties(county):
    units, required, target = county
    plan = suggest(units, ratios=RATIOS, required_subjects=required, target=target)
    by_key = {(u.school, u.section): u for u in units}
    eligible_at = {c.teacher: (u.school, u.section, c) for u in units for c in u.eligible}
    movers = [m.teacher for m in plan.moves]
    assert len(movers) == len(set(movers)), "a teacher moves once"
    counts = {k: dict(u.teachers) for k, u in by_key.items()}
    for m in plan.moves:
        school, section, c = eligible_at[m.teacher]
        assert (m.from_school, m.section, m.subject, m.backbone) == (school, section, c.subject, c.backbone), "movers are eligible"
        assert m.from_school != m.to_school and (m.to_school, m.section) in by_key
        if m.reason != EXCHANGE:
            assert not (by_key[(m.from_school, m.section)].location == "rural" and by_key[(m.to_school, m.section)].location != "rural")
        counts[(m.from_school, m.section)][m.subject] -= 1
        counts[(m.to_school, m.section)][m.subject] = counts[(m.to_school, m.section)].get(m.subject, 0) + 1
    for r in plan.units:
        u = by_key[(r.school, r.section)]
        assert r.after == sum(counts[(r.school, r.section)].values()), "unit results match the moves"
        if r.standard is not None:
            assert r.after >= min(r.before, r.standard), "no shortage is created or deepened"
        for s in required:
            if u.teachers.get(s, 0) > 0:
                assert counts[(r.school, r.section)].get(s, 0) >= 1, "no school loses its last teacher of a required subject"
    assert plan.target == (plan.required if target is None else target)
    # the same county in another order gives the same plan
    shuffled = [Unit(u.school, u.section, u.pupils, dict(reversed(list(u.teachers.items()))), random.Random(1).sample(u.eligible, len(u.eligible)),
                     u.location, u.needs_subjects) for u in reversed(units)]
    assert suggest(shuffled, ratios=RATIOS, required_subjects=required, target=target).moves == plan.moves


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 6), st.integers(2, 8), st.integers(0, 20))
def test_enough_candidates_meet_the_target(schools, per_school, target):
    """With only non-required subjects and equal staffing, pairs alone reach any target the pool allows."""
    ids = iter(range(1, 10_000))
    units = [Unit(f"S{i}", "primary", 190, {"chinese": 10}, [C(next(ids), "chinese") for _ in range(per_school)],
                  location=("urban", "rural")[i % 2]) for i in range(schools)]
    plan = suggest(units, ratios=RATIOS, required_subjects=REQUIRED, target=target)
    assert min(target, 2 * per_school) <= len(plan.moves) <= target + 1
    assert all(m.reason == EXCHANGE for m in plan.moves)
