"""The pages: what each role sees and may do; scope (a school sees only its own teachers, another
school's teacher page is 404); masking; the figures on the pages equal the computed ones."""
import datetime
import json
import re

import pytest
from django.urls import reverse

from jiaoguan.core.models import AuditLog
from jiaoguan.registry import models as m
from jiaoguan.staffing.models import Rotation, RotationPlan

from .conftest import add_pupils, add_teacher
from .test_training import attend

D = datetime.date


def login(client, world, username):
    client.force_login(world["users"][username])
    return client


def text(response) -> str:
    return response.content.decode()


def json_script(response, element_id):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', text(response), re.S)
    assert match, f"no json_script #{element_id}"
    return json.loads(match.group(1))


@pytest.fixture
def county(world):
    """Ten eligible teachers at A (one moved to B), two at B, one at the other county's C."""
    a, b, c = world["schools"]
    y = world["years"][1]
    add_pupils(a, y, 100)
    add_pupils(b, y, 60)
    teachers = [add_teacher(a, y, name=f"甲校{i}", since=D(2015, 9, 1), backbone="county" if i == 0 else "") for i in range(10)]
    b_teachers = [add_teacher(b, y, name=f"乙校{i}", since=D(2012, 9, 1)) for i in range(2)]
    other = add_teacher(c, y, name="外县教师", since=D(2012, 9, 1))
    attend(teachers[0], a, y, 80)
    m.SchoolFacts.objects.create(school=a, year=y, public_funds_budget=100000, training_spend=3000)
    m.SchoolFacts.objects.create(school=b, year=y, public_funds_budget=100000, training_spend=6000)
    from jiaoguan.staffing import actions

    actions.record_rotation(world["users"]["renshi"], teacher=teachers[0], year=y, kind="support", to_school=b,
                            start=D(2026, 9, 1), end=D(2027, 8, 31))
    return {"a": teachers, "b": b_teachers, "other": other, "year": y}


def test_home_shows_the_scopes_figures(world, county, client):
    login(client, world, "leader")
    page = text(client.get(reverse("staffing_home")))
    assert "湘潭县 · 教师队伍（2026-2027学年）" in page
    # 1 of 12 eligible moved (A's ten including the mover, B's two): 8.3%, short of 10%
    assert "8.3%" in page and "未达到10%" in page and "符合条件 <b>12</b> 人" in page and "至少应交流 <b>2</b> 人" in page
    pyramid = json_script(client.get(reverse("staffing_home")), "pyramid-data")
    assert sum(pyramid["pyramid"]["all"]["all"]["male"]) == 12  # the other county's teacher is not in the leader's scope
    assert "vendor/echarts-6.1.0.min.js" in page and "cdn" not in page.lower()


def test_school_admin_sees_only_its_own_teachers(world, county, client):
    a, b, c = world["schools"]
    login(client, world, "school_b")
    page = text(client.get(reverse("staffing_training") + "?status=all"))
    assert "乙校0" in page and "甲校1" not in page and "外县教师" not in page
    # the teacher who came to B this year is B's now
    assert "甲校0" in page
    assert client.get(reverse("staffing_teacher", args=[county["b"][0].pk])).status_code == 200
    assert client.get(reverse("staffing_teacher", args=[county["a"][1].pk])).status_code == 404
    assert client.get(reverse("staffing_teacher", args=[county["other"].pk])).status_code == 404
    home = json_script(client.get(reverse("staffing_home")), "pyramid-data")
    assert sum(home["pyramid"]["all"]["all"]["male"]) == 3
    # read-only
    assert client.get(reverse("staffing_rotation_record")).status_code == 403
    assert client.post(reverse("staffing_rotation_adopt"), {"year": county["year"].code}).status_code == 403
    rotation = text(client.get(reverse("staffing_rotation")))
    assert "登记交流轮岗</a>" not in rotation and "建议方案" not in rotation
    assert "甲校0" in rotation  # the move into B is B's business too


def test_teacher_page_masks_and_audits_the_full_view(world, county, client):
    t = county["a"][0]
    login(client, world, "renshi")
    page = text(client.get(reverse("staffing_teacher", args=[t.pk])))
    assert t.id_number not in page and t.id_number[:6] + "********" + t.id_number[-4:] in page
    assert "139****5678" in page and "支教" in page and "易俗河镇第一小学 → 花石镇中心小学" in page
    assert "80" in page and "国培" not in page and "县培" in page
    page = text(client.post(reverse("staffing_teacher", args=[t.pk]), {"reveal": "1"}))
    assert t.id_number in page
    assert AuditLog.objects.filter(action=AuditLog.Action.VIEW_PII, object_id=str(t.pk)).count() == 1
    login(client, world, "leader")
    assert client.post(reverse("staffing_teacher", args=[t.pk]), {"reveal": "1"}).status_code == 403


def test_personnel_records_a_move_from_the_page(world, county, client):
    a, b, _ = world["schools"]
    t = county["a"][1]
    login(client, world, "leader")
    assert client.get(reverse("staffing_rotation_record")).status_code == 403
    login(client, world, "renshi")
    url = reverse("staffing_rotation_record")
    form = text(client.get(url))
    assert "教师身份证号" in form and "星沙第一小学" not in form  # only the county's schools
    response = client.post(url, {"id_number": t.id_number, "year": county["year"].code, "kind": "exchange", "to_school": b.pk,
                                 "start": "2026-09-01", "end": "", "note": ""})
    assert response.status_code == 302, text(response)
    assert Rotation.objects.filter(teacher=t, to_school=b).exists()
    # the same teacher twice: the action's message is shown on the form
    again = client.post(url, {"id_number": t.id_number, "year": county["year"].code, "kind": "exchange", "to_school": a.pk,
                              "start": "2026-09-01"})
    assert again.status_code == 200 and "一名教师每学年只能登记一次" in text(again)
    outsider = client.post(url, {"id_number": county["other"].id_number, "year": county["year"].code, "kind": "exchange",
                                 "to_school": b.pk, "start": "2026-09-01"})
    assert "在您的管辖范围内没有这个身份证号的教师" in text(outsider)
    page = text(client.get(reverse("staffing_rotation")))
    assert "已登记 <b>2</b> 人" in page


def test_adopt_the_suggested_plan_and_record_a_line(world, county, client):
    a, b, _ = world["schools"]
    y = county["year"]
    login(client, world, "renshi")
    page = text(client.get(reverse("staffing_rotation")))
    assert "建议方案" in page and "采用为年度计划" in page
    assert "本学年至少应交流 2 人，已登记 1 人，还需 1 人。建议再交流" in page
    response = client.post(reverse("staffing_rotation_adopt"), {"year": y.code})
    assert response.status_code == 302
    plan = RotationPlan.objects.get(org_unit=world["county"], year=y)
    # the year's figures (12 eligible, 2 required); the plan proposes what is still missing after the one move
    assert (plan.eligible, plan.required) == (12, 2) and plan.lines.exists()
    line = plan.lines.first()
    page = text(client.get(reverse("staffing_rotation")))
    assert "年度计划" in page and f"?line={line.pk}" in page
    form = client.get(reverse("staffing_rotation_record") + f"?line={line.pk}")
    assert line.teacher.name in text(form)
    response = client.post(reverse("staffing_rotation_record") + f"?line={line.pk}", {
        "teacher": line.teacher_id, "line": line.pk, "year": y.code, "kind": "exchange", "to_school": line.to_school_id,
        "start": "2026-09-01"})
    assert response.status_code == 302
    assert Rotation.objects.get(teacher=line.teacher).plan_line == line
    login(client, world, "leader")
    page = text(client.get(reverse("staffing_rotation")))
    assert "已登记（交流）" in page and "采用为年度计划" not in page


def test_cancel_a_move(world, county, client):
    r = Rotation.objects.get()
    login(client, world, "school_b")
    assert client.post(reverse("staffing_rotation_cancel", args=[r.pk])).status_code == 403
    login(client, world, "renshi")
    assert client.post(reverse("staffing_rotation_cancel", args=[r.pk])).status_code == 302
    assert not Rotation.objects.exists()
    assert m.Posting.objects.get(teacher=county["a"][0]).school == world["schools"][0]


def test_training_and_structure_pages(world, county, client):
    login(client, world, "leader")
    page = text(client.get(reverse("staffing_training")))
    assert "进度落后" in page and "易俗河镇第一小学" in page
    assert "导入培训学时" not in page  # leaders read
    export = client.get(reverse("staffing_training") + "?status=all&export=1")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT, object_type="培训学时账户").exists()
    login(client, world, "renshi")
    assert "导入培训学时" in text(client.get(reverse("staffing_training")))
    assert client.get(reverse("import", args=["training"])).status_code == 200
    page = text(client.get(reverse("staffing_structure")))
    assert "生师比与编制标准" in page and "国办发〔2001〕74号" in page


def test_inspector_and_unauthenticated(world, county, client):
    assert client.get(reverse("staffing_home")).status_code == 302
    login(client, world, "inspector")  # inspects B only
    page = text(client.get(reverse("staffing_training") + "?status=all"))
    assert "乙校1" in page and "甲校1" not in page
    assert client.get(reverse("staffing_teacher", args=[county["a"][2].pk])).status_code == 404
