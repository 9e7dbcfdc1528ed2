"""The 2017 checklist page, its automatic items, the figures form and the exports."""
import io

import fastexcel
import pytest
from django.core.management import call_command
from django.test import Client
from docx import Document

from jiaoguan.core.models import AuditLog, OrgUnit, SchoolYear
from jiaoguan.supervision.actions import run_evaluation
from jiaoguan.supervision.models import ChecklistAnswer, CountyYearFigures

PASSWORD = "Jiaoguan@2026"


@pytest.fixture
def county(db):
    call_command("demo", "--seed", "5", "--scale", "0.05", "--quiet", "--registry-only", stdout=io.StringIO())
    county = OrgUnit.objects.get(code="430321")
    run_evaluation(county, SchoolYear.current())
    return county


def client(username):
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def test_automatic_items_and_saving_answers(county, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    c = client("jiaoji")
    page = c.get("/supervision/430321/checklist/").content.decode()
    assert "小学、初中所有班级学生数分别不超过45人、50人" in page and "自动" in page
    assert "专任教师" in page and "持证" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = c.post("/supervision/430321/checklist/", {
        "f-population_3_5": "1200", "f-disabled_6_15": "40", "f-satisfaction": "91.5", "f-survey_note": "问卷2,000份",
        "met_g1": "yes", "note_g1": "县规划（2021–2035）", "evidence_g1": SimpleUploadedFile("规划.pdf", b"%PDF-1.4"),
        "met_g7": "no", "note_g7": "特教学校生均5,200元",
    })
    assert response.status_code == 302
    assert ChecklistAnswer.objects.get(item="g1").met is True and ChecklistAnswer.objects.get(item="g7").met is False
    assert float(CountyYearFigures.objects.get().satisfaction) == 91.5
    page = c.get("/supervision/430321/checklist/").content.decode()
    assert "91.5" in page and "特教学校生均5,200元" in page and "佐证材料" in page
    assert AuditLog.objects.filter(object_type="督导评估条目").exists()


def test_only_supervision_staff_edit(county):
    assert client("leader").post("/supervision/430321/checklist/", {"met_g1": "yes"}).status_code == 403
    assert client("leader").get("/supervision/430321/checklist/").status_code == 200
    assert client("school").get("/supervision/430321/checklist/").status_code == 404


def test_bad_satisfaction_rejected(county):
    response = client("jiaoji").post("/supervision/430321/checklist/", {"f-satisfaction": "120"})
    assert response.status_code == 200 and "应在0到100之间" in response.content.decode()
    assert not CountyYearFigures.objects.exists()


def test_exports(county, tmp_path):
    c = client("jiaoji")
    response = c.get("/supervision/430321/quality-2017/cv.xlsx")
    assert response.status_code == 200
    path = tmp_path / "cv.xlsx"
    path.write_bytes(response.content)
    assert fastexcel.read_excel(str(path)).sheet_names[0] == "湘潭县小学"
    response = c.get("/supervision/430321/summary.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "湘潭县" in text and "综合差异系数" in text and "要求不大于0.65" in text
    assert len(doc.tables) >= 4
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT, object_type="督导评估摘要").exists()
