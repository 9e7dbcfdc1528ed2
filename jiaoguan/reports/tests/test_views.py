"""The report editor: reading, saving a wording, exports, who may do what."""
from django.test import Client

from jiaoguan.core.models import AuditLog
from jiaoguan.reports.models import ReportDraft
from tests.factories import PASSWORD, add_pupil, build_world


def login(name):
    c = Client()
    assert c.login(username=name, password=PASSWORD)
    return c


def test_editor_save_and_export(db):
    w = build_world()
    add_pupil(w["schools"][0], w["years"][1], seq=1)
    c = login("jiaoji")
    page = c.get("/reports/").content.decode()
    assert "湘潭县教育局2026年工作总结" in page and "{pupils}" in page
    response = c.post("/reports/430321/", {"year": "2026-2027", "text_registry_overview": "全县在校生{pupils}。\n\n第二段{teachers}。", "plan": "1. 计划一"})
    assert response.status_code == 302
    draft = ReportDraft.objects.get()
    assert draft.texts["registry_overview"] == ["全县在校生{pupils}。", "第二段{teachers}。"]
    assert "全县在校生1人。" in c.get("/reports/430321/").content.decode()
    for kind, magic in (("docx", b"PK"), ("pdf", b"%PDF"), ("xlsx", b"PK")):
        r = c.get(f"/reports/430321/export.{kind}")
        assert r.status_code == 200 and r.content[:len(magic)] == magic
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT, object_type="年度报告").count() == 3


def test_roles(db):
    build_world()
    assert login("leader").get("/reports/").status_code == 200
    assert login("leader").post("/reports/430321/", {"plan": "x"}).status_code == 403
    assert login("school_a").get("/reports/").status_code == 404
    assert login("jiaoji").get("/reports/430121/").status_code == 404  # a county outside the user's unit
