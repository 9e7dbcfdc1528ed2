"""Sections' figures equal the registry's; empty sections say so; problems found in the data;
the report written to Word and PDF by the CLI."""
import io
import shutil
import subprocess

import pytest
from django.core.management import call_command
from docx import Document

from jiaoguan.registry import models as m
from jiaoguan.reports.base import discover
from jiaoguan.reports.builder import build
from jiaoguan.reports.models import ReportDraft
from tests.factories import add_pupil, build_world


@pytest.fixture
def world(db):
    w = build_world()
    a, b, c = w["schools"]
    y1, y2 = w["years"]
    for i in range(60):                                  # one 大班额 class this year
        add_pupil(a, y2, seq=2 * i + 1, name=f"甲{i}", cls="1班")
    for i in range(10):
        add_pupil(b, y2, seq=200 + 2 * i + 1, name=f"乙{i}", cls="1班", migrant=True)
    for i in range(20):                                  # last year: fewer pupils, no 大班额
        add_pupil(a, y1, seq=400 + 2 * i + 1, name=f"丙{i}", cls="1班")
    add_pupil(c, y2, seq=901, name="外县")               # another county: not counted
    return w


def overview(report):
    return next(s for s in report.sections if s.id == "registry_overview")


def test_figures_equal_the_registry(world):
    county, year = world["county"], world["years"][1]
    report = build(county, year)
    s = overview(report)
    assert s.figures["pupils"].value == 70 == m.Enrolment.objects.filter(year=year, school__org_unit__path__startswith=county.path).count()
    assert s.figures["pupils_primary"].value == 70 and s.figures["migrant"].value == 10
    assert s.figures["large_classes"].value == 1 and s.figures["classes"].value == 2
    assert s.figures["large_share"].value == 0.5
    text = " ".join(s.paragraphs)
    assert "在校学生70人，比去年（20人）增加50人，增长250.0%" in text
    assert "大班额由上年的0个增加到1个" in text


def test_problems_from_data_and_empty_section_says_so(world):
    county, year = world["county"], world["years"][1]
    report = build(county, year)
    assert any(p.startswith("大班额尚未全部消除：全县仍有大班额1个") for p in report.problems)
    balance = next(s for s in report.sections if s.id == "supervision_balance")
    assert balance.content.empty and "尚未进行校际均衡测算" in balance.paragraphs[0]
    import datetime

    later = world["years"][0].__class__.objects.create(code="2027-2028", start=datetime.date(2027, 9, 1), end=datetime.date(2028, 8, 31))
    empty_year = build(county, later)
    assert "暂无学籍数据" in overview(empty_year).paragraphs[0]


def test_draft_wording_keeps_figures_linked(world):
    county, year = world["county"], world["years"][1]
    ReportDraft.objects.create(county=county, year=year, texts={"registry_overview": ["今年全县在校生{pupils}，随迁子女{migrant}，{nonsense}。"]},
                               plan="一、继续化解大班额。")
    report = build(county, year, ReportDraft.objects.get())
    assert overview(report).paragraphs == ["今年全县在校生70人，随迁子女10人，{nonsense}。"]
    assert report.unknown_placeholders == ["教育事业基本情况：{nonsense}"]
    assert report.plan == ["一、继续化解大班额。"]
    add_pupil(world["schools"][0], year, seq=801, name="新生")   # the data changes: the wording follows
    assert "在校生71人" in overview(build(county, year, ReportDraft.objects.get())).paragraphs[0]


def test_every_app_section_discovered(db):
    ids = [s.id for s in discover()]
    assert "registry_overview" in ids and "supervision_balance" in ids


def test_cli_writes_docx_and_pdf(world, tmp_path):
    docx_path, pdf_path, figures = tmp_path / "r.docx", tmp_path / "r.pdf", tmp_path / "f.xlsx"
    call_command("report", "--county", "430321", "--year", "2026", "--out", str(docx_path), "--figures", str(figures), stdout=io.StringIO())
    text = "\n".join(p.text for p in Document(str(docx_path)).paragraphs)
    assert "湘潭县教育局2026年工作总结" in text and "二、存在的主要问题" in text and "三、2027年工作计划" in text
    assert "在校学生70人" in text
    call_command("report", "--county", "430321", "--year", "2026", "--out", str(pdf_path), stdout=io.StringIO())
    assert pdf_path.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True).stdout
        assert "在校学生70人" in out.replace("\n", "")
    import fastexcel

    frame = fastexcel.read_excel(str(figures)).load_sheet(0, dtypes="string").to_polars()
    row = frame.filter(frame["编号"] == "pupils").row(0, named=True)
    assert row["本年数值"] == "70人" and "学籍" in row["计算口径（查询）"]
