"""The 督导评估 pages: verdicts equal the stored run, who may compute, chart data, the exact gap a
failing school sees, and scope (another school's or another county's pages are 404)."""
import datetime
import json
import re

import pytest
from django.urls import reverse

from jiaoguan.core.models import OrgUnit, Role, User
from jiaoguan.registry import models as m
from jiaoguan.supervision import present
from jiaoguan.supervision.actions import run_evaluation
from jiaoguan.supervision.models import Run
from tests.factories import PASSWORD, add_pupil, build_world, make_id


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def text(response) -> str:
    return response.content.decode()


def json_script(response, element_id):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', text(response), re.S)
    assert match, f"no json_script #{element_id}"
    return json.loads(match.group(1))


# ---------------------------------------------------------------------------- the county page

def test_county_page_shows_the_stored_verdicts(demo, client):
    county, year = demo
    runs = {r.standard: r for r in run_evaluation(county, year, user=User.objects.get(username="jiaoji"))}
    login(client, "leader")
    response = client.get(reverse("supervision_home"))
    assert response.status_code == 302 and response.url == f"/supervision/430321/?year={year.code}"
    response = client.get(response.url)
    assert response.status_code == 200
    page = text(response)
    assert "测算人 <b>李晓燕</b>" in page
    for standard, run in runs.items():
        for st in run.result["counties"][0]["stages"]:
            for item in st["indicators"]:
                assert f"{round(item['cv'], 4):.4f}" in page, (standard, st["stage"], item["id"])
            if standard == "basic-2012":
                assert f"{round(st['composite_cv'], 4):.4f}" in page
            else:
                within = sum(1 for i in st["indicators"] if i["passed"])
                assert f"{within}<small>/ 7 项</small>" in page
                schools = [x for x in run.result["schools"] if x["stage"] == st["stage"]]
                ok = sum(1 for x in schools if x["passed"])
                assert f"学校达标 <b>{ok} / {len(schools)}</b> 所" in page
    # leaders look, they do not compute
    assert ">重新测算</button>" not in page and ">立即测算</button>" not in page
    # every indicator row links to its page
    assert reverse("supervision_indicator", args=["430321", "quality-2017", "primary", "teaching_area_per_pupil"]) in page
    # the 教学点 left out are listed with the reason
    for e in runs["quality-2017"].result["excluded"]:
        assert e["reason"] in page


def test_run_now_creates_two_runs_for_staff_only(demo, client):
    county, year = demo
    url = reverse("supervision_run", args=[county.code])
    for username in ("school", "leader", "dudao"):
        login(client, username)
        assert client.post(url, {"year": year.code}).status_code == 403, username
    assert Run.objects.count() == 0

    login(client, "jiaoji")
    page = text(client.get(reverse("supervision_county", args=[county.code])))
    assert "还没有测算结果" in page and ">立即测算</button>" in page
    response = client.post(url, {"year": year.code})
    assert response.status_code == 302 and response.url == f"/supervision/430321/?year={year.code}"
    runs = Run.objects.filter(county=county, year=year)
    assert sorted(runs.values_list("standard", flat=True)) == ["basic-2012", "quality-2017"]
    assert {r.user.username for r in runs} == {"jiaoji"}
    page = text(client.get(response.url))
    verdicts = [f"{label}{'达到' if ok else '未达到'}" for r in runs.order_by("standard")
                for label, ok in present.run_verdicts(r.result, r.standard, county.code)]
    assert f"已完成湘潭县{year.code}学年校际均衡测算：{'，'.join(verdicts)}。" in page
    assert "已完成湘潭县" in page and ">重新测算</button>" in page and ">立即测算</button>" not in page
    assert client.get(url).status_code == 405  # computing is a POST


def test_indicator_page_has_the_chart_data(demo, client):
    county, year = demo
    run = {r.standard: r for r in run_evaluation(county, year)}["quality-2017"]
    st = run.result["counties"][0]["stages"][0]
    item = next((i for i in st["indicators"] if i["passed"] is False), st["indicators"][0])
    login(client, "jiaoji")
    response = client.get(reverse("supervision_indicator", args=[county.code, "quality-2017", st["stage"], item["id"]]), {"year": year.code})
    assert response.status_code == 200
    page = text(response)
    assert "vendor/echarts-6.1.0.min.js" in page and "cdn" not in page.lower()
    chart = json_script(response, "chart-data")
    schools = [s for s in run.result["schools"] if s["stage"] == st["stage"]]
    assert len(chart["values"]) == len(schools) == st["schools"]
    assert chart["values"] == sorted(chart["values"])
    assert chart["county_value"] == item["county_value"]
    assert chart["threshold"] == present.indicator_def("quality-2017", item["id"])["threshold"][st["stage"]]
    assert chart["below"] == [v < chart["threshold"] - 1e-9 for v in chart["values"]]
    assert f"{round(item['cv'], 4):.4f}" in page
    assert "拉高差异系数的学校" in page
    if item.get("plan"):
        assert "贪心算法给出的参考方案，不保证最少" in page
    assert "一个学年的测算结果" in page  # one year only: said in words, no one-point chart
    assert 'id="trend-data"' not in page

    # a second year's run draws the trend
    other = run.year.__class__.objects.exclude(pk=year.pk).order_by("-start").first()
    run_evaluation(county, other)
    response = client.get(response.request["PATH_INFO"], {"year": year.code})
    trend = json_script(response, "trend-data")
    assert trend["years"] == [other.code, year.code] and trend["cvs"][-1] == round(item["cv"], 4)


def test_basic_indicator_uses_four_decimals_for_teacher_ratios(demo, client):
    county, year = demo
    run = {r.standard: r for r in run_evaluation(county, year)}["basic-2012"]
    st = run.result["counties"][0]["stages"][0]
    item = next(i for i in st["indicators"] if i["id"] == "teachers_per_pupil")
    login(client, "jiaoji")
    page = text(client.get(reverse("supervision_indicator", args=[county.code, "basic-2012", st["stage"], "teachers_per_pupil"])))
    assert f"{item['county_value']:.4f} 人" in page
    assert client.get(reverse("supervision_indicator", args=[county.code, "basic-2012", "primary", "no_such"])).status_code == 404
    assert client.get(reverse("supervision_indicator", args=[county.code, "quality-2017", "senior", "books_per_pupil"])).status_code == 404


# ---------------------------------------------------------------------------- a hand-made county

def add_teacher(school, year, seq, *, education=m.Education.BACHELOR, subject=m.Subject.CHINESE, section="primary"):
    idn = make_id("430321", datetime.date(1985, 1, 1), seq)
    teacher = m.Teacher.objects.create(id_number=idn, name=f"教师{seq}", sex="女", birth_date=datetime.date(1985, 1, 1))
    return m.Posting.objects.create(teacher=teacher, year=year, school=school, section=section, subject=subject, education=education)


@pytest.fixture
def hand_made(db):
    """Two primaries of 100 pupils in 湘潭县: A has 4.0 ㎡ of teaching space a pupil (standard 4.5)
    and 3 graduate-level teachers (standard 4.2 per 100 pupils); B meets both."""
    world = build_world()
    a, b, _ = world["schools"]
    year = world["years"][1]
    for i in range(100):
        add_pupil(a, year, seq=i + 1)
        add_pupil(b, year, seq=i + 101)
    m.SchoolFacts.objects.create(school=a, year=year, teaching_area=400, sports_area=800, equipment_value=250000,
                                 computers=12, books=3000, multimedia_rooms=3)
    m.SchoolFacts.objects.create(school=b, year=year, teaching_area=600, sports_area=900, equipment_value=260000,
                                 computers=12, books=3000, multimedia_rooms=3)
    for i in range(3):
        add_teacher(a, year, i + 1)
    for i in range(6):
        add_teacher(b, year, i + 11, subject=m.Subject.PE if i == 0 else m.Subject.CHINESE)
    world["runs"] = {r.standard: r for r in run_evaluation(world["county"], year)}
    return world


def test_self_check_shows_the_exact_gap(hand_made, client):
    a = hand_made["schools"][0]
    entry = next(s for s in hand_made["runs"]["quality-2017"].result["schools"] if s["school_code"] == a.code)
    gaps = {i["id"]: i["gap"] for i in entry["indicators"]}
    assert gaps["teaching_area_per_pupil"] == pytest.approx(50.0)
    assert gaps["qualified_teachers_per_100"] == 2

    login(client, "school_a")
    response = client.get(reverse("supervision_school", args=[a.code]))
    assert response.status_code == 200
    page = text(response)
    assert "还差 50.0 ㎡教学及辅助用房" in page
    assert "还差 2 名高于规定学历教师" in page
    assert "4.00" in page and "4.50" in page and "88.9%" in page   # 4.0 of 4.5
    assert "71.4%" in page                                            # 3.0 of 4.2 per 100 pupils
    assert f"7项指标中{entry['met_count']}项达标" in page and "未达标" in page
    # the 2012 values next to the county's
    assert "基本均衡（2012）八项指标" in page and "5.00" in page      # county 生均教学及辅助用房 (400+600)/200


def test_school_admin_sees_only_its_own_school(hand_made, client):
    a, b, c = hand_made["schools"]
    login(client, "school_a")
    assert client.get(reverse("supervision_school", args=[b.code])).status_code == 404
    assert client.get(reverse("supervision_school", args=[c.code])).status_code == 404
    # the county pages send a school administrator to its own self-check
    response = client.get(reverse("supervision_home"))
    assert response.status_code == 302 and response.url.startswith(reverse("supervision_school", args=[a.code]))
    response = client.get(reverse("supervision_indicator", args=["430321", "quality-2017", "primary", "books_per_pupil"]))
    assert response.status_code == 302 and reverse("supervision_school", args=[a.code]) in response.url


def test_leader_of_another_county_gets_404(hand_made, client):
    other = OrgUnit.objects.get(code="430121")
    User.objects.create_user("leader_cs", password=PASSWORD, role=Role.LEADER, org_unit=other)
    a = hand_made["schools"][0]
    login(client, "leader_cs")
    assert client.get(reverse("supervision_county", args=["430321"])).status_code == 404
    assert client.get(reverse("supervision_indicator", args=["430321", "quality-2017", "primary", "books_per_pupil"])).status_code == 404
    assert client.get(reverse("supervision_school", args=[a.code])).status_code == 404
    assert client.post(reverse("supervision_run", args=["430321"])).status_code == 403  # a leader never computes
    # its own county: no run yet, and no button for a leader
    response = client.get(reverse("supervision_home"))
    assert response.status_code == 302 and "/supervision/430121/" in response.url
    page = text(client.get(response.url))
    assert "还没有测算结果" in page and ">立即测算</button>" not in page


def test_staff_of_another_county_cannot_compute_this_one(hand_made, client):
    other = OrgUnit.objects.get(code="430121")
    User.objects.create_user("jiaoji_cs", password=PASSWORD, role=Role.STAFF, section="supervision", org_unit=other)
    login(client, "jiaoji_cs")
    assert client.post(reverse("supervision_run", args=["430321"])).status_code == 404
    assert Run.objects.count() == 2


def test_inspector_sees_the_county_but_only_its_schools_by_name(hand_made, client):
    a, b, _ = hand_made["schools"]
    login(client, "inspector")   # inspects b only
    response = client.get(reverse("supervision_home"))
    assert response.status_code == 302 and "/supervision/430321/" in response.url
    page = text(client.get(response.url))
    assert b.name in page and a.name not in page
    response = client.get(reverse("supervision_indicator", args=["430321", "quality-2017", "primary", "teaching_area_per_pupil"]))
    chart = json_script(response, "chart-data")
    assert a.name not in text(response) and "范围外学校1" in chart["full_names"]
    assert client.get(reverse("supervision_school", args=[b.code])).status_code == 200
    assert client.get(reverse("supervision_school", args=[a.code])).status_code == 404


def test_admin_without_a_unit_picks_a_county(hand_made, client):
    login(client, "admin")
    response = client.get(reverse("supervision_home"))
    assert response.status_code == 200
    page = text(response)
    assert "选择县区" in page and "湘潭县" in page and "长沙县" in page


# ---------------------------------------------------------------------------- formatting

def test_amounts_in_natural_units():
    ind = {i: present.indicator_def("quality-2017", i) for i in
           ("teaching_area_per_pupil", "equipment_value_per_pupil", "multimedia_rooms_per_100")}
    assert present.amount_text(1234.5, ind["teaching_area_per_pupil"]) == "1,234.5 ㎡教学及辅助用房"
    assert present.amount_text(105156.34, ind["equipment_value_per_pupil"]) == "10.52 万元教学仪器设备"
    assert present.amount_text(9000, ind["equipment_value_per_pupil"]) == "9,000 元教学仪器设备"
    assert present.amount_text(3, ind["multimedia_rooms_per_100"]) == "3 间网络多媒体教室"
    assert present.value_digits(present.indicator_def("basic-2012", "teachers_per_pupil")) == 4
    assert present.value_digits(present.indicator_def("quality-2017", "qualified_teachers_per_100")) == 2
