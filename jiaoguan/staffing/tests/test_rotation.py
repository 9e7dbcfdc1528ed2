"""Rotation figures on hand-made staff, recording and cancelling a move, the plan from the registry."""
import datetime

import pytest

from jiaoguan.core.models import AuditLog
from jiaoguan.registry import models as m
from jiaoguan.staffing import actions, rotation_stats, structure
from jiaoguan.staffing.models import Rotation, RotationPlan
from jiaoguan.staffing.rules import RotationRule

from .conftest import add_posting, add_pupils, add_teacher

D = datetime.date


def figures(world, year=None, schools=None, **kw):
    return rotation_stats.rotation_figures(year or world["years"][1], schools, RotationRule.from_rules(**kw))


def test_eligibility_boundary_is_exactly_six_years(world):
    a, b, c = world["schools"]
    y = world["years"][1]  # 2026-2027, starts 2026-09-01
    add_teacher(a, y, since=D(2020, 9, 1))           # exactly 6 years: eligible
    add_teacher(a, y, since=D(2020, 9, 2))           # a day short
    add_teacher(a, y, since=D(2012, 3, 1))           # 14 years
    add_teacher(a, y, since=None)                    # unknown: not counted as eligible
    add_teacher(a, y, since=D(2010, 9, 1), staffing="contract")      # only 在编 teachers count
    add_teacher(a, y, since=D(2010, 9, 1), section="senior")         # only 义务教育 sections
    private = m.School.objects.create(code="4303210009", name="民办学校", org_unit=a.org_unit, type="primary", location="urban",
                                      ownership="private")
    add_teacher(private, y, since=D(2010, 9, 1))     # only public schools
    f = figures(world)
    assert f["eligible"] == 2
    assert f["since_unknown"] == 1
    assert f["teachers"] == 4  # 在编 primary/junior teachers of public schools
    assert f["required"] == 1 and f["rotated"] == 0 and f["share"] == 0 and not f["meets"]
    assert figures(world, eligible_years=5)["eligible"] == 3
    assert figures(world, eligible_years=15)["eligible"] == 0


def test_shares_of_teachers_and_of_backbone(world):
    a, b, c = world["schools"]
    y = world["years"][1]
    renshi = world["users"]["renshi"]
    teachers = [add_teacher(a, y, since=D(2015, 9, 1), backbone="county" if i == 0 else ("school" if i == 1 else "")) for i in range(10)]
    assert figures(world)["eligible"] == 10
    # one of ten moves: 10% exactly meets the rule; the mover is a county 骨干 → 100% of movers
    actions.record_rotation(renshi, teacher=teachers[0], year=y, kind="exchange", to_school=b, start=D(2026, 9, 1))
    f = figures(world)
    assert (f["eligible"], f["rotated"], f["share"], f["meets"]) == (10, 1, 0.1, True)
    assert (f["backbone_rotated"], f["backbone_share"], f["backbone_meets"]) == (1, 1.0, True)
    # four more, none a county 骨干 (a 校级骨干 does not count): 1 of 5 = 20% still meets
    for t in teachers[1:5]:
        actions.record_rotation(renshi, teacher=t, year=y, kind="support", to_school=b, start=D(2026, 9, 1), end=D(2027, 8, 31))
    f = figures(world)
    assert (f["rotated"], f["share"], f["backbone_rotated"], f["backbone_share"], f["backbone_meets"]) == (5, 0.5, 1, 0.2, True)
    assert f["by_kind"] == {"exchange": 1, "support": 4, "rotation": 0, "principal": 0}
    # a sixth without 骨干: 1 of 6 is below 20%
    actions.record_rotation(renshi, teacher=teachers[5], year=y, kind="rotation", to_school=b, start=D(2026, 9, 1))
    f = figures(world)
    assert f["backbone_share"] == pytest.approx(1 / 6) and not f["backbone_meets"] and f["backbone_required"] == 2
    # the sending school's share; the receiving school has no eligible teachers of its own
    only_b = m.School.objects.filter(pk=b.pk).values("pk")
    assert figures(world, schools=only_b)["eligible"] == 0
    rows = {r["school"].code: r for r in rotation_stats.rotation_by_school(y, None, RotationRule.from_rules())}
    assert (rows[a.code]["eligible"], rows[a.code]["rotated"], rows[b.code]["received"]) == (10, 6, 6)


def test_a_mover_not_yet_eligible_counts_as_rotated_only(world):
    a, b, _ = world["schools"]
    y = world["years"][1]
    t = add_teacher(a, y, since=D(2023, 9, 1))
    add_teacher(a, y, since=D(2010, 9, 1))
    actions.record_rotation(world["users"]["renshi"], teacher=t, year=y, kind="exchange", to_school=b, start=D(2026, 9, 1))
    f = figures(world)
    assert (f["eligible"], f["rotated"], f["rotated_eligible"]) == (1, 1, 0)
    assert Rotation.objects.get().years_at_school == 3


def test_record_rotation_moves_the_posting_and_writes_the_audit_entry(world):
    a, b, _ = world["schools"]
    y1, y2 = world["years"]
    renshi = world["users"]["renshi"]
    t = add_teacher(a, y1, since=D(2014, 9, 1), backbone="city", subject="math")
    later = add_posting(t, a, y2, since=D(2014, 9, 1), backbone="city", subject="math")  # carried forward by an import
    r = actions.record_rotation(renshi, teacher=t, year=y1, kind="exchange", to_school=b, start=D(2025, 9, 1), note="城乡交流")
    assert (r.from_school, r.to_school, r.section, r.subject, r.backbone, r.eligible, r.years_at_school) == (a, b, "primary", "math", "city", True, 11)
    assert r.from_since == D(2014, 9, 1) and r.recorded_by == renshi
    p1 = m.Posting.objects.get(teacher=t, year=y1)
    assert (p1.school, p1.at_school_since) == (b, D(2025, 9, 1))
    later.refresh_from_db()
    assert (later.school, later.at_school_since) == (b, D(2025, 9, 1)), "a move without an end date moves later years too"
    log = AuditLog.objects.get(action=AuditLog.Action.CREATE, object_type="交流轮岗")
    assert log.user == renshi and log.detail["later_postings_moved"] == 1 and "易俗河镇第一小学→花石镇中心小学" in log.object_repr


def test_a_one_year_support_term_leaves_the_next_year_at_home(world):
    a, b, _ = world["schools"]
    y1, y2 = world["years"]
    t = add_teacher(a, y1, since=D(2014, 9, 1))
    later = add_posting(t, a, y2, since=D(2014, 9, 1))
    actions.record_rotation(world["users"]["renshi"], teacher=t, year=y1, kind="support", to_school=b,
                            start=D(2025, 9, 1), end=D(2026, 7, 15))
    later.refresh_from_db()
    assert later.school == a and later.at_school_since == D(2014, 9, 1)


def test_the_next_years_posting_is_created_when_missing(world):
    a, b, _ = world["schools"]
    y1, y2 = world["years"]
    t = add_teacher(a, y1, since=D(2014, 9, 1), title="first", backbone="county")
    actions.record_rotation(world["users"]["renshi"], teacher=t, year=y2, kind="rotation", to_school=b, start=D(2026, 9, 1))
    p = m.Posting.objects.get(teacher=t, year=y2)
    assert (p.school, p.at_school_since, p.title, p.backbone, p.subject) == (b, D(2026, 9, 1), "first", "county", "chinese")
    assert m.Posting.objects.get(teacher=t, year=y1).school == a


@pytest.mark.parametrize("case, message", [
    ("same_school", "调入学校与"),
    ("other_county", "调入学校「星沙第一小学」不在您的管辖范围内"),
    ("wrong_section", "调入学校「花石镇中学」（初中）没有小学学段"),
    ("outside_year", "开始日期应在2026-2027学年内"),
    ("end_before_start", "结束日期应晚于开始日期"),
    ("twice", "已有交流轮岗记录"),
    ("no_posting", "没有任教记录"),
])
def test_record_rotation_refuses_bad_moves_and_writes_nothing(world, case, message):
    a, b, c = world["schools"]
    y = world["years"][1]
    renshi = world["users"]["renshi"]
    t = add_teacher(a, y, since=D(2014, 9, 1))
    kw = dict(teacher=t, year=y, kind="exchange", to_school=b, start=D(2026, 9, 1))
    if case == "same_school":
        kw["to_school"] = a
    elif case == "other_county":
        kw["to_school"] = c
    elif case == "wrong_section":
        kw["to_school"] = m.School.objects.create(code="4303210005", name="花石镇中学", org_unit=b.org_unit, type="junior", location="town")
    elif case == "outside_year":
        kw["start"] = D(2026, 8, 1)
    elif case == "end_before_start":
        kw["end"] = D(2026, 9, 1)
    elif case == "twice":
        actions.record_rotation(renshi, **kw)
        kw["to_school"] = a
    elif case == "no_posting":  # (outside every scope but an administrator's)
        renshi = world["users"]["admin"]
        kw["teacher"] = m.Teacher.objects.create(id_number="430321198001010011", name="无记录", sex="男", birth_date=D(1980, 1, 1))
    before = (Rotation.objects.count(), sorted(m.Posting.objects.values_list("pk", "school", "at_school_since")))
    with pytest.raises(actions.StaffingError, match=message):
        actions.record_rotation(renshi, **kw)
    assert (Rotation.objects.count(), sorted(m.Posting.objects.values_list("pk", "school", "at_school_since"))) == before


def test_only_personnel_and_admins_record(world):
    a, b, _ = world["schools"]
    y = world["years"][1]
    t = add_teacher(a, y, since=D(2014, 9, 1))
    for username in ("leader", "jiaoji", "school_a", "inspector"):
        with pytest.raises(actions.StaffingError, match="只有人事股"):
            actions.record_rotation(world["users"][username], teacher=t, year=y, kind="exchange", to_school=b, start=D(2026, 9, 1))
    actions.record_rotation(world["users"]["admin"], teacher=t, year=y, kind="exchange", to_school=b, start=D(2026, 9, 1))
    assert Rotation.objects.count() == 1


def test_cancel_restores_the_postings(world):
    a, b, _ = world["schools"]
    y1, y2 = world["years"]
    t = add_teacher(a, y1, since=D(2014, 9, 1))
    add_posting(t, a, y2, since=D(2014, 9, 1))
    r = actions.record_rotation(world["users"]["renshi"], teacher=t, year=y1, kind="exchange", to_school=b, start=D(2025, 9, 1))
    actions.cancel_rotation(world["users"]["renshi"], r)
    assert not Rotation.objects.exists()
    assert set(m.Posting.objects.filter(teacher=t).values_list("school", "at_school_since")) == {(a.pk, D(2014, 9, 1))}
    assert AuditLog.objects.filter(action=AuditLog.Action.DELETE, object_type="交流轮岗").count() == 1


def hand_made_county(world):
    """Urban A over its standard with spare PE and music teachers; town B short and without them."""
    a, b, _ = world["schools"]
    y = world["years"][1]
    add_pupils(a, y, 190)  # standard 10
    add_pupils(b, y, 190)  # standard 10
    for i in range(8):
        add_teacher(a, y, since=D(2012, 9, 1), subject="chinese", backbone="county" if i == 0 else "")
    for subject in ("pe", "pe", "music", "music", "art", "english", "it"):
        add_teacher(a, y, since=D(2012, 9, 1), subject=subject)
    for _ in range(6):
        add_teacher(b, y, since=D(2024, 9, 1), subject="chinese")
    return a, b, y


def test_plan_from_the_registry(world):
    a, b, y = hand_made_county(world)
    plan = structure.suggest_plan(y, None)
    assert (plan.eligible, plan.required) == (15, 2)
    moves = [(mv.subject, mv.from_school, mv.to_school, mv.reason, mv.backbone) for mv in plan.moves]
    assert moves == [
        ("pe", a.code, b.code, "subject", False),
        ("music", a.code, b.code, "subject", False),
        ("chinese", a.code, b.code, "shortage", True),   # the county 骨干 first: none has moved yet
        ("chinese", a.code, b.code, "shortage", False),
    ]
    units = {(u.school, u.section): u for u in plan.units}
    assert (units[(b.code, "primary")].before, units[(b.code, "primary")].after, units[(b.code, "primary")].standard) == (6, 10, 10)
    assert (units[(a.code, "primary")].before, units[(a.code, "primary")].after, units[(a.code, "primary")].standard) == (15, 11, 10)
    assert units[(b.code, "primary")].missing_after == ["art", "english", "it"]
    stored = actions.adopt_rotation_plan(world["users"]["renshi"], unit=world["county"], year=y, plan=plan)
    assert (stored.eligible, stored.required, stored.backbone_required, stored.lines.count()) == (15, 2, 1, 4)
    # adopting again replaces the plan
    actions.adopt_rotation_plan(world["users"]["renshi"], unit=world["county"], year=y, plan=plan)
    assert RotationPlan.objects.count() == 1
