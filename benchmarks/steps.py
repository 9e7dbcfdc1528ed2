"""Steps of the benchmark that run inside Django (called as `python -m benchmarks.steps STEP ARGS`
with the benchmark's own JIAOGUAN_VAR, so each runs in a fresh process and its peak memory is its own)."""
from __future__ import annotations

import os
import sys
import time


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiaoguan.settings")
    import django

    django.setup()


def export_pupils(out: str) -> None:
    """The current year's pupils as a filled-in pupils template (what schools send the bureau)."""
    from jiaoguan.core.excel import write_rows
    from jiaoguan.core.importing import get_importer
    from jiaoguan.core.models import SchoolYear
    from jiaoguan.indicators.grades import GRADE_LABELS
    from jiaoguan.registry import models as m

    year = SchoolYear.current()
    columns = get_importer("pupils").columns
    headers = [c.label for c in columns]
    status = dict(m.EnrolmentStatus.choices)
    disability = dict(m.Disability.choices)
    yes = lambda v: "是" if v else ""  # noqa: E731
    qs = m.Enrolment.objects.filter(year=year).select_related("pupil", "school", "school_class").order_by("school__code", "grade", "pk")

    def rows():
        for e in qs.iterator(chunk_size=5000):
            p = e.pupil
            values = {
                "school_code": e.school.code, "student_no": p.student_no, "id_number": p.id_number or "", "name": p.name,
                "sex": p.sex, "birth_date": p.birth_date.isoformat(), "ethnicity": p.ethnicity, "grade": GRADE_LABELS[e.grade],
                "class_name": e.school_class.name if e.school_class else "", "status": status[e.status], "hukou_code": p.hukou_code,
                "hukou_address": p.hukou_address, "guardian_name": p.guardian_name, "guardian_phone": p.guardian_phone,
                "left_behind": yes(e.left_behind), "migrant": yes(e.migrant), "disability": disability[e.disability] if e.disability else "",
                "registered_poor": yes(e.registered_poor), "dibao": yes(e.dibao), "tekun": yes(e.tekun), "orphan": yes(e.orphan),
                "boarding": yes(e.boarding),
            }
            yield [values[c.key] for c in columns]

    text = [i for i, c in enumerate(columns) if c.text]
    n = write_rows(out, "学生", headers, rows(), text_columns=text)
    print(n)


def wipe_year() -> None:
    """Remove the current year's enrolments and classes, and pupils left with no enrolment."""
    from django.db import transaction

    from jiaoguan.core.models import SchoolYear
    from jiaoguan.registry import models as m

    from django.db import connection

    year = SchoolYear.current()
    # plain SQL: the registry's post_delete signals would make the ORM load 120,000 rows first
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_enrolment WHERE year_id = %s", [year.pk])
        cursor.execute("DELETE FROM registry_schoolclass WHERE year_id = %s", [year.pk])
        cursor.execute("DELETE FROM registry_pupil WHERE id NOT IN (SELECT pupil_id FROM registry_enrolment)")


def import_file(path: str) -> None:
    from jiaoguan.core.importing import ImportContext, run_import
    from jiaoguan.core.models import SchoolYear, User

    ctx = ImportContext(user=User.objects.filter(is_superuser=True).first(), year=SchoolYear.current())
    started = time.perf_counter()
    result = run_import("pupils", path, ctx)
    seconds = time.perf_counter() - started
    assert result.ok, result.summary() + "\n" + "\n".join(result.error_lines(10))
    print(f"{result.total} {seconds:.3f} {result.created} {result.updated} {result.unchanged}")


def naive_import(path: str, limit: str) -> None:
    """The baseline: openpyxl row by row and one ORM save per pupil and enrolment."""
    import openpyxl
    from django.db import transaction

    from jiaoguan.core.excel import parse_date
    from jiaoguan.core.idnumbers import check_id_number
    from jiaoguan.core.models import SchoolYear
    from jiaoguan.indicators.grades import parse_grade
    from jiaoguan.registry import models as m

    year = SchoolYear.current()
    schools = {s.code: s for s in m.School.objects.all()}
    started = time.perf_counter()
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows)
    col = {h: i for i, h in enumerate(header)}
    n = 0
    with transaction.atomic():
        for row in rows:
            if n >= int(limit):
                break
            idn = row[col["身份证号"]] or None
            if idn:
                check_id_number(idn)
            pupil, _ = m.Pupil.objects.update_or_create(
                student_no=row[col["全国学籍号"]],
                defaults={"id_number": idn, "name": row[col["姓名"]], "sex": row[col["性别"]],
                          "birth_date": parse_date(str(row[col["出生日期"]]))},
            )
            m.Enrolment.objects.update_or_create(
                pupil=pupil, year=year,
                defaults={"school": schools[row[col["学校标识码"]]], "grade": parse_grade(row[col["年级"]])},
            )
            n += 1
    seconds = time.perf_counter() - started
    print(f"{n} {seconds:.3f}")


def report_and_dashboard(out_dir: str) -> None:
    """Time the annual report (Word and PDF) and the dashboard (cold, then warm cache)."""
    import json
    import statistics

    from django.core.cache import cache
    from django.test import Client

    from jiaoguan.core.models import OrgUnit, SchoolYear, User
    from jiaoguan.reports.builder import build
    from jiaoguan.reports.render import write_docx, write_pdf
    from jiaoguan.supervision.actions import run_evaluation

    county, year = OrgUnit.objects.get(code="430321"), SchoolYear.current()
    t = time.perf_counter()
    run_evaluation(county, year)
    supervise = time.perf_counter() - t
    t = time.perf_counter()
    report = build(county, year)
    write_docx(report, f"{out_dir}/report.docx")
    docx_s = time.perf_counter() - t
    t = time.perf_counter()
    write_pdf(build(county, year), f"{out_dir}/report.pdf")
    pdf_s = time.perf_counter() - t
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(username="leader"))
    cache.clear()
    t = time.perf_counter()
    assert client.get("/").status_code == 200
    cold = time.perf_counter() - t
    warm = []
    for _ in range(20):
        t = time.perf_counter()
        client.get("/")
        warm.append(time.perf_counter() - t)
    print(json.dumps({"supervise_s": supervise, "docx_s": docx_s, "pdf_s": pdf_s, "dashboard_cold_ms": cold * 1000,
                      "dashboard_warm_ms": statistics.median(warm) * 1000, "dashboard_warm_max_ms": max(warm) * 1000}))


if __name__ == "__main__":
    setup()
    step, *args = sys.argv[1:]
    {"export_pupils": export_pupils, "wipe_year": wipe_year, "import": import_file, "naive": naive_import,
     "report": report_and_dashboard}[step](*args)
