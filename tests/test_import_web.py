"""Importing through the pages: upload, progress page, error workbook download; background for big files."""
import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jiaoguan.core.models import ImportJob
from jiaoguan.registry import models as m

from .factories import PASSWORD, make_id
from .xlsx import PUPIL_HEADERS, pupil_row, read_error_workbook, write_xlsx


def upload(client, path, year):
    with open(path, "rb") as fh:
        return client.post("/imports/pupils/", {"year": year.pk, "file": SimpleUploadedFile(path.name, fh.read())})


def test_upload_with_errors_offers_error_workbook(world, tmp_path):
    client = Client()
    client.login(username="school_a", password=PASSWORD)
    good = make_id("430321", datetime.date(2018, 3, 4), 1)
    rows = [pupil_row("4303210001", good), pupil_row("4303210001", good[:-1] + ("1" if good[-1] == "0" else "0"), "李四")]
    response = upload(client, write_xlsx(tmp_path / "pupils.xlsx", PUPIL_HEADERS, rows), world["years"][1])
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "导入被拒绝：共2行，其中1行有错误，未写入任何数据" in page
    assert "下载错误说明表" in page
    job = ImportJob.objects.get()
    download = client.get(f"/imports/job/{job.pk}/errors.xlsx")
    assert download.status_code == 200
    error_path = tmp_path / "errors.xlsx"
    error_path.write_bytes(b"".join(download.streaming_content))
    assert "身份证号校验位错误" in read_error_workbook(error_path)[3]
    assert m.Pupil.objects.count() == 0
    # another user cannot fetch this job's error file
    other = Client()
    other.login(username="school_b", password=PASSWORD)
    assert other.get(f"/imports/job/{job.pk}/errors.xlsx").status_code == 404


def test_big_upload_runs_as_background_task(world, tmp_path, settings):
    settings.IMPORT_BACKGROUND_BYTES = 1  # every file counts as big; tests run tasks immediately
    client = Client()
    client.login(username="jiaoji", password=PASSWORD)
    rows = [pupil_row("4303210001", make_id("430321", datetime.date(2018, 1, 1) + datetime.timedelta(days=i), 1)) for i in range(40)]
    response = upload(client, write_xlsx(tmp_path / "many.xlsx", PUPIL_HEADERS, rows), world["years"][1])
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and job.total == 40 and job.created == 40
    progress = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "导入成功：共40行，新增40行" in progress and "<html" not in progress


def test_leader_cannot_import(world):
    client = Client()
    client.login(username="leader", password=PASSWORD)
    assert client.get("/imports/pupils/").status_code == 403


def test_wrong_extension_refused_by_form(world, tmp_path):
    client = Client()
    client.login(username="jiaoji", password=PASSWORD)
    response = client.post("/imports/pupils/", {"year": world["years"][1].pk, "file": SimpleUploadedFile("a.csv", b"a,b\n")})
    assert "只能导入 .xlsx 或 .xls 格式的Excel文件" in response.content.decode()


def test_template_download(world):
    client = Client()
    client.login(username="jiaoji", password=PASSWORD)
    response = client.get("/imports/pupils/template.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
