"""The annual report editor and its exports; the county is the user's own (or chosen)."""
from __future__ import annotations

import io
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from jiaoguan.core.audit import audit
from jiaoguan.core.models import AuditLog, OrgUnit, Role, SchoolYear
from jiaoguan.core.scope import unrestricted

from .base import discover
from .builder import build
from .models import ReportDraft
from .render import write_docx, write_figures, write_pdf


def counties_for(user) -> list[OrgUnit]:
    counties = OrgUnit.objects.filter(level=OrgUnit.Level.COUNTY).order_by("path")
    if unrestricted(user):
        return list(counties)
    if user.role in (Role.LEADER, Role.STAFF) and user.org_unit_id:
        return [c for c in counties if c.path.startswith(user.org_unit.path)]
    return []


def can_edit(user) -> bool:
    return unrestricted(user) or user.role == Role.STAFF


def _context(request, code):
    counties = counties_for(request.user)
    if not counties:
        raise Http404("年度报告由局领导和股室使用")
    county = next((c for c in counties if c.code == code), None) if code else counties[0]
    if county is None:
        raise Http404
    year = SchoolYear.objects.filter(code=request.GET.get("year") or request.POST.get("year")).first() or SchoolYear.current()
    return counties, county, year


def editor(request, code=None):
    counties, county, year = _context(request, code)
    draft = ReportDraft.objects.filter(county=county, year=year).first()
    if request.method == "POST":
        if not can_edit(request.user):
            raise PermissionDenied("局领导可以查看和导出报告；文字由股室修改")
        draft = draft or ReportDraft(county=county, year=year)
        texts = {}
        for s in discover():
            raw = request.POST.get(f"text_{s.id}", "")
            paragraphs = [p.strip() for p in raw.replace("\r\n", "\n").split("\n\n") if p.strip()]
            if paragraphs and request.POST.get(f"reset_{s.id}") != "1":
                texts[s.id] = paragraphs
        draft.texts = texts
        draft.plan = request.POST.get("plan", "").strip()
        draft.updated_by = request.user
        draft.save()
        audit(request.user, AuditLog.Action.UPDATE, obj=draft, object_type="年度报告草稿", object_repr=f"{county.name} {year}")
        messages.success(request, "草稿已保存；数字仍与数据关联，导出时按最新数据填写")
        return redirect(f"{request.path}?year={year.code}")
    report = build(county, year, draft)
    sections = [{"s": s, "template": "\n\n".join(s.templates), "figures": list(s.figures.values()), "edited": bool(draft and draft.texts.get(s.id))}
                for s in report.sections]
    return render(request, "reports/editor.html", {
        "report": report, "sections": sections, "county": county, "counties": counties, "year": year, "years": SchoolYear.objects.all(),
        "plan": draft.plan if draft and draft.plan else "\n".join(report.plan), "draft": draft, "editable": can_edit(request.user),
    })


def export(request, code, kind):
    counties, county, year = _context(request, code)
    report = build(county, year, ReportDraft.objects.filter(county=county, year=year).first())
    buffer = io.BytesIO()
    if kind == "docx":
        write_docx(report, buffer)
        ctype, name = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", f"{report.title}（草稿）.docx"
    elif kind == "pdf":
        write_pdf(report, buffer)
        ctype, name = "application/pdf", f"{report.title}（草稿）.pdf"
    elif kind == "xlsx":
        write_figures(report, buffer)
        ctype, name = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"{report.title}数据来源表.xlsx"
    else:
        raise Http404
    audit(request.user, AuditLog.Action.EXPORT, object_type="年度报告", object_repr=name)
    response = HttpResponse(buffer.getvalue(), content_type=ctype)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
