"""Import pages: download a template, upload a file, follow its progress, get the errors."""
from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from .importing import IMPORTERS, get_importer, template
from .models import ImportJob, SchoolYear
from .tasks import execute_import, import_file

UPLOAD_DIR = settings.VAR_DIR / "imports"


class UploadForm(forms.Form):
    year = forms.ModelChoiceField(SchoolYear.objects.all(), label="学年", empty_label=None)
    file = forms.FileField(label="Excel文件", help_text="支持 .xlsx 和 .xls，请使用本系统下载的模板")

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"文件过大（{f.size / 1048576:.1f} MB），单次导入上限为{settings.IMPORT_MAX_BYTES / 1048576:.0f} MB，请按学校或年级拆分后分批导入"
            )
        if not f.name.lower().endswith((".xlsx", ".xls")):
            raise forms.ValidationError("只能导入 .xlsx 或 .xls 格式的Excel文件")
        return f


def _check_can_import(user):
    if not user.can_edit_registry:
        raise PermissionDenied("您的角色没有导入数据的权限")


def import_page(request, kind):
    _check_can_import(request.user)
    if kind not in IMPORTERS:
        raise Http404
    importer = get_importer(kind)
    form = UploadForm(request.POST or None, request.FILES or None, initial={"year": SchoolYear.current()})
    if request.method == "POST" and form.is_valid():
        UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
        upload = form.cleaned_data["file"]
        stored = UPLOAD_DIR / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
        with stored.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        job = ImportJob.objects.create(kind=kind, user=request.user, year=form.cleaned_data["year"],
                                       filename=upload.name[:200], stored=str(stored))
        # small files answer at once; big ones go to the worker and the page shows progress
        if upload.size < settings.IMPORT_BACKGROUND_BYTES:
            execute_import(job.pk)
        else:
            import_file.enqueue(job.pk)
        return redirect("import_job", pk=job.pk)
    jobs = ImportJob.objects.filter(user=request.user, kind=kind)[:10]
    return render(request, "core/import.html", {"importer": importer, "form": form, "jobs": jobs, "kinds": IMPORTERS})


def _own_job(request, pk) -> ImportJob:
    job = get_object_or_404(ImportJob, pk=pk)
    if job.user_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    return job


def import_job(request, pk):
    job = _own_job(request, pk)
    importer = get_importer(job.kind)
    template_name = "core/import_job.html#progress" if request.htmx else "core/import_job.html"
    return render(request, template_name, {"job": job, "importer": importer})


def import_errors(request, pk):
    job = _own_job(request, pk)
    if not job.error_file or not Path(job.error_file).exists():
        raise Http404
    name = f"{Path(job.filename).stem}_错误说明.xlsx"
    return FileResponse(open(job.error_file, "rb"), as_attachment=True, filename=name)


def download_template(request, kind):
    if kind not in IMPORTERS:
        raise Http404
    importer = get_importer(kind)
    tmp = Path(tempfile.mkdtemp()) / f"{kind}.xlsx"
    template(kind, tmp)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return FileResponse(open(tmp, "rb"), as_attachment=True, filename=f"{importer.title}导入模板_{stamp}.xlsx")
