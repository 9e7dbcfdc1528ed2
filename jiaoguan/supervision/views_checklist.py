"""The 2017 checklist (government 15 + quality 9 items), the county's rates, the figures entered
from outside the registry, and the exports an inspection asks for."""
from __future__ import annotations

import io
from urllib.parse import quote

import polars as pl
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from jiaoguan.core.audit import audit
from jiaoguan.core.models import AuditLog
from jiaoguan.indicators import balance

from . import checklist
from .models import ChecklistAnswer, CountyYearFigures, Run
from .views import can_run, county_or_404, selected_year, sees_whole


class FiguresForm(forms.ModelForm):
    class Meta:
        model = CountyYearFigures
        fields = ["population_3_5", "disabled_6_15", "satisfaction", "survey_note"]

    def clean_satisfaction(self):
        v = self.cleaned_data["satisfaction"]
        if v is not None and not 0 <= v <= 100:
            raise forms.ValidationError("应在0到100之间")
        return v


MAX_EVIDENCE = 10 * 1024 * 1024


def checklist_page(request, code):
    county = county_or_404(request.user, code)
    if not sees_whole(request.user, county):
        raise Http404
    year = selected_year(request)
    figures = CountyYearFigures.objects.filter(county=county, year=year).first() or CountyYearFigures(county=county, year=year)
    editable = can_run(request.user)
    form = FiguresForm(request.POST or None, instance=figures, prefix="f")
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("只有督导室、基础教育股和系统管理员可以填写")
        manual = [i for g in ("government", "quality") for i in checklist.items()[g] if not i.get("auto")]
        errors = []
        for f in request.FILES.values():
            if f.size > MAX_EVIDENCE:
                errors.append(f"佐证材料“{f.name}”超过10 MB")
        if form.is_valid() and not errors:
            with transaction.atomic():
                obj = form.save(commit=False)
                obj.updated_by = request.user
                obj.save()
                for item in manual:
                    met = request.POST.get(f"met_{item['id']}", "")
                    note = request.POST.get(f"note_{item['id']}", "").strip()
                    upload = request.FILES.get(f"evidence_{item['id']}")
                    if not (met or note or upload) and not ChecklistAnswer.objects.filter(county=county, year=year, item=item["id"]).exists():
                        continue
                    answer, _ = ChecklistAnswer.objects.get_or_create(county=county, year=year, item=item["id"])
                    answer.met = {"yes": True, "no": False}.get(met)
                    answer.note = note
                    if upload:
                        answer.evidence = upload
                    answer.updated_by = request.user
                    answer.save()
                audit(request.user, AuditLog.Action.UPDATE, object_type="督导评估条目", object_repr=f"{county.name} {year}")
            messages.success(request, "已保存")
            return redirect(f"{request.path}?year={year.code}")
        for e in errors:
            messages.error(request, e)
    answers = {a.item: a for a in ChecklistAnswer.objects.filter(county=county, year=year)}
    result = checklist.evaluate(county, year, answers, figures.as_dict() if figures.pk else {})
    counts = {g: {"met": sum(1 for r in result[g] if r["met"] is True), "total": len(result[g]),
                  "open": sum(1 for r in result[g] if r["met"] is None)} for g in ("government", "quality")}
    return render(request, "supervision/checklist.html", {
        "county": county, "year": year, "result": result, "counts": counts, "form": form, "figures": figures,
        "editable": editable, "source": checklist.items()["source"], "rates": result["rates"],
        "stages": [("primary", "小学"), ("junior", "初中"), ("senior", "高中"), ("preschool", "学前")],
    })


def _run_or_404(county, year, standard):
    run = Run.latest(county, year, standard)
    if run is None:
        raise Http404("尚未测算")
    return run


def cv_workbook(request, code, standard):
    """The 校际差异系数计算表 of the stored run (recomputed from the run's own facts table)."""
    from jiaoguan.indicators.export import write_cv_workbook

    county = county_or_404(request.user, code)
    if not sees_whole(request.user, county):
        raise Http404
    year = selected_year(request)
    run = _run_or_404(county, year, standard)
    ev = balance.evaluate_frame(pl.DataFrame(run.facts, infer_schema_length=None), standard, teaching_points=None if run.settings.get("teaching_points") in (None, "default") else run.settings["teaching_points"])
    buffer = io.BytesIO()
    write_cv_workbook(buffer, ev, county_names={county.code: county.name})
    audit(request.user, AuditLog.Action.EXPORT, object_type="校际差异系数计算表", object_repr=f"{county.name} {year} {standard}", row_count=len(run.facts))
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{county.name}{year}校际差异系数计算表（{standard}）.xlsx')}"
    return response


def summary_docx(request, code):
    """A Word summary of the verdicts, failing indicators, gaps and checklist for the application file."""
    from .summary import write_summary

    county = county_or_404(request.user, code)
    if not sees_whole(request.user, county):
        raise Http404
    year = selected_year(request)
    runs = {s: Run.latest(county, year, s) for s in ("basic-2012", "quality-2017")}
    if not any(runs.values()):
        raise Http404("尚未测算")
    figures = CountyYearFigures.objects.filter(county=county, year=year).first()
    answers = {a.item: a for a in ChecklistAnswer.objects.filter(county=county, year=year)}
    result = checklist.evaluate(county, year, answers, figures.as_dict() if figures else {})
    buffer = io.BytesIO()
    write_summary(buffer, county, year, runs, result, figures)
    audit(request.user, AuditLog.Action.EXPORT, object_type="督导评估摘要", object_repr=f"{county.name} {year}")
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{county.name}{year}学年义务教育均衡发展测算摘要.docx')}"
    return response
