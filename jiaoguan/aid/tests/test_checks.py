"""Each duplicate/conflict rule with its reason (pure: plain lines, no database)."""
from hypothesis import given, settings
from hypothesis import strategies as st

from jiaoguan.aid.checks import Line, by_line, find_conflicts
from jiaoguan.aid.programmes import programmes

TABLE = programmes()


def line(id, pupil=1, programme="nonboarding_subsidy", school=1, name="甲校", **kw):
    defaults = dict(enrolled_school_id=school, enrolled_school_name=name, status="studying", status_label="在读", stage="primary")
    return Line(id=id, pupil_id=pupil, programme=programme, school_id=school, school_name=name, **(defaults | kw))


def kinds(lines):
    return {(c.line_id, c.kind) for c in find_conflicts(lines, TABLE)}


def reasons(lines):
    return {c.kind: c.reason for c in find_conflicts(lines, TABLE)}


def test_a_clean_list_has_no_conflicts():
    assert find_conflicts([line(1), line(2, pupil=2), line(3, programme="nutrition")], TABLE) == []


def test_paid_twice_in_the_same_programme_and_term():
    lines = [line(1), line(2)]
    assert kinds(lines) == {(1, "duplicate"), (2, "duplicate")}
    assert "该生本学期「非寄宿生生活补助」共有2条记录（甲校），同一项目每学期只能享受一次" == reasons(lines)["duplicate"]


def test_paid_at_two_schools():
    lines = [line(1), line(2, programme="nutrition", school=2, name="乙校", enrolled_school_id=1, enrolled_school_name="甲校")]
    found = kinds(lines)
    assert (1, "two_schools") in found and (2, "two_schools") in found
    assert (2, "not_on_roll") in found and (1, "not_on_roll") not in found
    texts = [c.reason for c in find_conflicts(lines, TABLE) if c.line_id == 2]
    assert "该生本学期同时在「甲校」享受资助，只能由学籍所在学校申报" in texts
    assert "该生本学年学籍在「甲校」，不在本校" in texts


def test_paid_while_transferred_out_or_dropped_out():
    assert reasons([line(1, status="transferred_out", status_label="转出")]) == {
        "not_on_roll": "学籍状态为“转出”，已不在校，不应享受资助"}
    assert "辍学" in reasons([line(1, status="dropped_out", status_label="辍学")])["not_on_roll"]
    assert "没有学籍记录" in reasons([line(1, status=None, enrolled_school_id=None)])["not_on_roll"]


def test_programme_not_matching_the_stage():
    assert reasons([line(1, programme="senior_grant", stage="junior")]) == {
        "stage_mismatch": "「高中国家助学金」适用于高中，该生为初中"}
    assert kinds([line(1, programme="boarding_subsidy", stage="junior")]) == set()


def test_struck_out_lines_do_not_conflict():
    assert kinds([line(1), line(2, live=False)]) == set()


def test_one_line_can_break_several_rules():
    lines = [line(1, programme="senior_grant", stage="junior", status="transferred_out", status_label="转出"),
             line(2, programme="senior_grant", school=2, name="乙校", stage="junior")]
    assert {k for i, k in kinds(lines) if i == 1} == {"duplicate", "two_schools", "not_on_roll", "stage_mismatch"}
    assert len(by_line(find_conflicts(lines, TABLE))[1]) == 4


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.sampled_from(["nonboarding_subsidy", "nutrition", "senior_grant"]),
                          st.integers(1, 3)), max_size=12))
def test_conflicts_come_in_pairs_for_duplicates_and_never_for_unique_lines(specs):
    lines = [line(i, pupil=p, programme=prog, school=s, name=f"校{s}", enrolled_school_id=s, enrolled_school_name=f"校{s}",
                  stage="senior" if prog == "senior_grant" else "primary") for i, (p, prog, s) in enumerate(specs)]
    found = find_conflicts(lines, TABLE)
    dup = {c.line_id for c in found if c.kind == "duplicate"}
    for ln in lines:
        same = [o for o in lines if o.pupil_id == ln.pupil_id and o.programme == ln.programme]
        assert (ln.id in dup) == (len(same) > 1)
    two = {c.line_id for c in found if c.kind == "two_schools"}
    for ln in lines:
        assert (ln.id in two) == (len({o.school_id for o in lines if o.pupil_id == ln.pupil_id}) > 1)
