"""Registry pages. Every queryset starts from `.restrict(request.user)`; exports too."""
from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from jiaoguan.core.audit import audit
from jiaoguan.core.excel import write_rows
from jiaoguan.core.idnumbers import mask_id, mask_phone, mask_student_no
from jiaoguan.core.models import AuditLog, OrgUnit, SchoolYear
from jiaoguan.indicators.grades import FLAG_LABELS, GRADE_LABELS, class_size_flag

from . import filtersets, forms, models as m, tables
from .stats import class_size_counts, pupils_by_stage

PER_PAGE = 25


def selected_year(request) -> SchoolYear:
    code = request.GET.get("year")
    year = SchoolYear.objects.filter(code=code).first() if code else None
    return year or SchoolYear.current()


def _xlsx_response(buffer: io.BytesIO, filename: str) -> HttpResponse:
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _export(request, title, headers, rows, text_columns=(), personal=False, filters=None):
    full = personal and request.GET.get("full") == "1"
    if full and not request.user.can_view_pii:
        raise PermissionDenied("您的角色不能导出完整的身份证号和电话号码")
    buffer = io.BytesIO()
    n = write_rows(buffer, title, headers, rows(full), text_columns=text_columns)
    action = AuditLog.Action.EXPORT_PII if full else AuditLog.Action.EXPORT
    audit(request.user, action, request=request, object_type=title, object_repr=f"{title}导出", row_count=n,
          filters={k: v for k, v in request.GET.items() if k not in ("export", "full")})
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _xlsx_response(buffer, f"{title}_{stamp}.xlsx")


def _table_page(request, table, per_page=PER_PAGE):
    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    return table


# ---------------------------------------------------------------------------- tree

def org_tree(request):
    """County → townships → schools, with pupils, classes and teachers counted per school."""
    year = selected_year(request)
    schools = (
        m.School.objects.restrict(request.user).filter(is_active=True).select_related("org_unit")
        .annotate(
            pupils=Count("enrolments", filter=Q(enrolments__year=year, enrolments__status__in=m.ON_ROLL), distinct=True),
        )
        .order_by("org_unit__path", "type", "code")
    )
    classes = dict(m.SchoolClass.objects.restrict(request.user).filter(year=year).values_list("school").annotate(n=Count("pk")))
    teachers = dict(m.Posting.objects.restrict(request.user).filter(year=year).values_list("school").annotate(n=Count("teacher", distinct=True)))
    units: dict[int, dict] = {}
    for s in schools:
        s.classes_n = classes.get(s.pk, 0)
        s.teachers_n = teachers.get(s.pk, 0)
        u = units.setdefault(s.org_unit_id, {"unit": s.org_unit, "schools": [], "pupils": 0})
        u["schools"].append(s)
        u["pupils"] += s.pupils
    groups = sorted(units.values(), key=lambda g: g["unit"].path)
    counties = {}
    for g in groups:
        county = g["unit"].county or g["unit"]
        counties.setdefault(county.pk, {"county": county, "units": [], "pupils": 0, "schools": 0})
        counties[county.pk]["units"].append(g)
        counties[county.pk]["pupils"] += g["pupils"]
        counties[county.pk]["schools"] += len(g["schools"])
    return render(request, "registry/tree.html", {"counties": list(counties.values()), "year": year, "years": SchoolYear.objects.all()})


# ---------------------------------------------------------------------------- schools

def school_list(request):
    year = selected_year(request)
    qs = m.School.objects.restrict(request.user).select_related("org_unit").annotate(
        n_pupils=Coalesce(Subquery(
            m.Enrolment.objects.filter(school=OuterRef("pk"), year=year, status__in=m.ON_ROLL)
            .values("school").annotate(n=Count("pk")).values("n")), 0),
        n_classes=Coalesce(Subquery(
            m.SchoolClass.objects.filter(school=OuterRef("pk"), year=year).values("school").annotate(n=Count("pk")).values("n")), 0),
        n_teachers=Coalesce(Subquery(
            m.Posting.objects.filter(school=OuterRef("pk"), year=year).values("school").annotate(n=Count("teacher", distinct=True)).values("n")), 0),
    )
    f = filtersets.SchoolFilterSet(request.GET, queryset=qs)
    if request.GET.get("export"):
        def rows(full):
            for s in f.qs.iterator(chunk_size=1000):
                yield [s.code, s.name, s.org_unit.name, s.get_type_display(), s.get_location_display(),
                       s.get_ownership_display(), s.n_pupils, s.n_classes, s.n_teachers, s.address, s.principal, s.phone]
        return _export(request, "学校名录", ["学校标识码", "学校名称", "乡镇（街道）", "学校类型", "城乡分类", "办学性质",
                                          "在校生数", "班级数", "教师数", "地址", "校长", "联系电话"], rows, text_columns=[0])
    table = _table_page(request, tables.SchoolTable(f.qs))
    return render(request, "registry/list.html", {"title": "学校", "filter": f, "table": table, "year": year,
                                                  "years": SchoolYear.objects.all(), "import_kind": "schools"})


def school_detail(request, code):
    school = get_object_or_404(m.School.objects.restrict(request.user).select_related("org_unit", "parent"), code=code)
    year = selected_year(request)
    facts = list(school.facts.select_related("year").order_by("-year__start"))
    classes = list(m.class_sizes(school.classes.filter(year=year)).order_by("grade", "name"))
    for c in classes:
        c.flag = class_size_flag(c.size, c.grade)
        c.flag_label = FLAG_LABELS[c.flag]
    enrolments = m.Enrolment.objects.filter(school=school, year=year)
    by_grade = dict(enrolments.filter(status__in=m.ON_ROLL).values_list("grade").annotate(n=Count("pk")))
    grades = [(GRADE_LABELS[g], n, sum(1 for c in classes if c.grade == g)) for g, n in sorted(by_grade.items())]
    postings = m.Posting.objects.filter(school=school, year=year)
    sections = postings.values_list("section").annotate(n=Count("pk")).order_by("section")
    section_labels = dict(m.Section.choices)
    context = {
        "school": school, "year": year, "years": SchoolYear.objects.all(), "facts": facts, "classes": classes,
        "grades": grades, "pupils": pupils_by_stage(enrolments), "pupils_total": sum(by_grade.values()),
        "teachers": [(section_labels[s], n) for s, n in sections], "teachers_total": postings.values("teacher").distinct().count(),
        "class_counts": class_size_counts(school.classes.filter(year=year)),
        "teaching_points": school.teaching_points.all(),
        "can_edit": request.user.can_edit_registry,
        "self_check_types": ("primary", "junior", "nine_year", "complete_secondary", "twelve_year", "teaching_point"),
        "fact_fields": [f for f in m.SchoolFacts._meta.fields if f.name not in ("id", "school", "year")],
    }
    return render(request, "registry/school_detail.html", context)


def school_edit(request, code):
    school = get_object_or_404(m.School.objects.restrict(request.user), code=code)
    if not request.user.can_edit_registry:
        raise PermissionDenied("您的角色不能修改学校信息")
    form = forms.SchoolForm(request.POST or None, instance=school, user=request.user)
    if request.method == "POST" and form.is_valid():
        changed = form.changed_data
        form.save()
        audit(request.user, AuditLog.Action.UPDATE, request=request, obj=school, fields=changed)
        messages.success(request, "学校信息已保存")
        return redirect("school_detail", code=school.code)
    return render(request, "registry/form.html", {"form": form, "title": f"修改学校信息：{school.name}", "back": school})


def facts_edit(request, code, year):
    school = get_object_or_404(m.School.objects.restrict(request.user), code=code)
    if not request.user.can_edit_registry:
        raise PermissionDenied("您的角色不能修改办学条件")
    year = get_object_or_404(SchoolYear, code=year)
    facts = m.SchoolFacts.objects.filter(school=school, year=year).first() or m.SchoolFacts(school=school, year=year)
    form = forms.FactsForm(request.POST or None, instance=facts)
    if request.method == "POST" and form.is_valid():
        created = facts.pk is None
        form.save()
        audit(request.user, AuditLog.Action.CREATE if created else AuditLog.Action.UPDATE, request=request, obj=facts, fields=form.changed_data)
        messages.success(request, f"{year}学年办学条件已保存")
        return redirect("school_detail", code=school.code)
    return render(request, "registry/form.html", {"form": form, "title": f"{school.name} {year}学年办学条件", "back": school})


# ---------------------------------------------------------------------------- classes

def class_list(request):
    year = selected_year(request)
    qs = m.class_sizes(m.SchoolClass.objects.restrict(request.user).filter(year=year).select_related("school"))
    f = filtersets.ClassFilterSet(request.GET, queryset=qs)
    if request.GET.get("export"):
        def rows(full):
            for c in f.qs.iterator(chunk_size=2000):
                yield [c.school.code, c.school.name, GRADE_LABELS[c.grade], c.name, c.head_teacher, c.size,
                       FLAG_LABELS[class_size_flag(c.size, c.grade)]]
        return _export(request, "班级", ["学校标识码", "学校名称", "年级", "班级", "班主任", "班额", "班额标记"], rows, text_columns=[0])
    table = _table_page(request, tables.ClassTable(f.qs.order_by("-size")))
    return render(request, "registry/list.html", {"title": "班级", "filter": f, "table": table, "year": year,
                                                  "years": SchoolYear.objects.all(), "import_kind": "classes"})


# ---------------------------------------------------------------------------- pupils

def pupil_list(request):
    year = selected_year(request)
    qs = m.Enrolment.objects.restrict(request.user).filter(year=year).select_related("pupil", "school", "school_class")
    f = filtersets.PupilFilterSet(request.GET, queryset=qs)
    if request.GET.get("export"):
        def rows(full):
            for e in f.qs.iterator(chunk_size=2000):
                p = e.pupil
                yield [
                    e.school.code, e.school.name, p.student_no if full else mask_student_no(p.student_no),
                    p.id_number if full else mask_id(p.id_number), p.name, p.sex, p.birth_date, GRADE_LABELS[e.grade],
                    e.school_class.name if e.school_class else "", e.get_status_display(), p.guardian_name,
                    p.guardian_phone if full else mask_phone(p.guardian_phone),
                    "是" if e.left_behind else "", "是" if e.migrant else "", e.get_disability_display() if e.disability else "",
                    "是" if e.boarding else "",
                ]
        headers = ["学校标识码", "学校名称", "全国学籍号", "身份证号", "姓名", "性别", "出生日期", "年级", "班级", "学籍状态",
                   "监护人", "监护人电话", "留守儿童", "随迁子女", "残疾类别", "寄宿生"]
        return _export(request, "学生", headers, rows, text_columns=[0, 2, 3, 11], personal=True)
    table = _table_page(request, tables.PupilTable(f.qs.order_by("school__code", "grade", "school_class__name", "pupil__name")))
    return render(request, "registry/list.html", {"title": "学生", "filter": f, "table": table, "year": year, "personal": True,
                                                  "years": SchoolYear.objects.all(), "import_kind": "pupils"})


def pupil_detail(request, pk):
    pupil = get_object_or_404(m.Pupil.objects.restrict(request.user), pk=pk)
    enrolments = pupil.enrolments.select_related("year", "school", "school_class").order_by("-year__start")
    reveal = request.method == "POST" and request.POST.get("reveal") == "1"
    if reveal:
        if not request.user.can_view_pii:
            raise PermissionDenied("您的角色不能查看完整的身份证号和电话号码")
        audit(request.user, AuditLog.Action.VIEW_PII, request=request, obj=pupil, row_count=1)
    return render(request, "registry/pupil_detail.html", {
        "pupil": pupil, "enrolments": enrolments, "reveal": reveal,
        "id_number": pupil.id_number if reveal else mask_id(pupil.id_number),
        "student_no": pupil.student_no if reveal else mask_student_no(pupil.student_no),
        "guardian_phone": pupil.guardian_phone if reveal else mask_phone(pupil.guardian_phone),
    })


def pupil_edit(request, pk):
    """Edit a pupil and this year's enrolment (school administrators: their own pupils only)."""
    if not request.user.can_edit_registry:
        raise PermissionDenied("您的角色不能修改学生信息")
    pupil = get_object_or_404(m.Pupil.objects.restrict(request.user), pk=pk)
    year = selected_year(request)
    enrolment = get_object_or_404(m.Enrolment.objects.restrict(request.user), pupil=pupil, year=year)
    pupil_form = forms.PupilForm(request.POST or None, instance=pupil, prefix="p")
    enrol_form = forms.EnrolmentForm(request.POST or None, instance=enrolment, prefix="e")
    if request.method == "POST" and pupil_form.is_valid() and enrol_form.is_valid():
        from django.db import transaction

        with transaction.atomic():
            pupil_form.save()
            enrol_form.save()
            audit(request.user, AuditLog.Action.UPDATE, request=request, obj=pupil,
                  fields=pupil_form.changed_data + enrol_form.changed_data, year=str(year))
        messages.success(request, "学生信息已保存")
        return redirect("pupil_detail", pk=pupil.pk)
    return render(request, "registry/pupil_form.html", {"pupil": pupil, "year": year, "forms": [pupil_form, enrol_form]})


# ---------------------------------------------------------------------------- teachers

def teacher_list(request):
    year = selected_year(request)
    qs = m.Posting.objects.restrict(request.user).filter(year=year).select_related("teacher", "school")
    f = filtersets.TeacherFilterSet(request.GET, queryset=qs)
    if request.GET.get("export"):
        def rows(full):
            for p in f.qs.iterator(chunk_size=2000):
                t = p.teacher
                yield [p.school.code, p.school.name, t.id_number if full else mask_id(t.id_number), t.name, t.sex, t.birth_date,
                       t.phone if full else mask_phone(t.phone), p.get_section_display(), p.get_subject_display(),
                       p.get_education_display(), p.get_title_display(), p.get_backbone_display() if p.backbone else "",
                       p.get_staffing_display(), "是" if p.certified else "否"]
        headers = ["学校标识码", "学校名称", "身份证号", "姓名", "性别", "出生日期", "手机号", "任教学段", "主教学科", "最高学历",
                   "职称", "骨干教师", "编制", "持教师资格证"]
        return _export(request, "教师", headers, rows, text_columns=[0, 2, 6], personal=True)
    table = _table_page(request, tables.TeacherTable(f.qs.order_by("school__code", "section", "teacher__name")))
    return render(request, "registry/list.html", {"title": "教师", "filter": f, "table": table, "year": year, "personal": True,
                                                  "years": SchoolYear.objects.all(), "import_kind": "teachers"})


def teacher_detail(request, pk):
    teacher = get_object_or_404(m.Teacher.objects.restrict(request.user), pk=pk)
    postings = teacher.postings.select_related("year", "school").order_by("-year__start")
    reveal = request.method == "POST" and request.POST.get("reveal") == "1"
    if reveal:
        if not request.user.can_view_pii:
            raise PermissionDenied("您的角色不能查看完整的身份证号和电话号码")
        audit(request.user, AuditLog.Action.VIEW_PII, request=request, obj=teacher, row_count=1)
    return render(request, "registry/teacher_detail.html", {
        "teacher": teacher, "postings": postings, "reveal": reveal,
        "id_number": teacher.id_number if reveal else mask_id(teacher.id_number),
        "phone": teacher.phone if reveal else mask_phone(teacher.phone),
    })
