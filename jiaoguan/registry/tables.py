import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from jiaoguan.core.idnumbers import mask_id, mask_phone, mask_student_no
from jiaoguan.indicators.grades import FLAG_LABELS, class_size_flag

from . import models as m


class SchoolTable(tables.Table):
    code = tables.Column("标识码")
    name = tables.Column("学校名称", linkify=lambda record: reverse("school_detail", args=[record.code]))
    org_unit = tables.Column("乡镇（街道）", accessor="org_unit__name", order_by="org_unit__path")
    type = tables.Column("类型")
    location = tables.Column("城乡")
    ownership = tables.Column("性质")
    n_pupils = tables.Column("在校生", attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    n_classes = tables.Column("班数", attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    n_teachers = tables.Column("教师", attrs={"td": {"class": "num"}, "th": {"class": "num"}})

    class Meta:
        model = m.School
        fields = ("code", "name", "org_unit", "type", "location", "ownership")
        sequence = ("code", "name", "org_unit", "type", "location", "ownership", "n_pupils", "n_classes", "n_teachers")
        attrs = {"class": "table"}
        empty_text = "没有符合条件的学校"


def size_badge(size, grade) -> str:
    flag = class_size_flag(size, grade)
    if not flag:
        return format_html("{}", size)
    return format_html('{} <span class="badge badge-{}">{}</span>', size, flag, FLAG_LABELS[flag])


class ClassTable(tables.Table):
    school = tables.Column("学校", accessor="school__name", linkify=lambda record: reverse("school_detail", args=[record.school.code]))
    grade = tables.Column("年级")
    name = tables.Column("班级")
    head_teacher = tables.Column("班主任")
    size = tables.Column("班额", attrs={"td": {"class": "num"}, "th": {"class": "num"}})

    class Meta:
        model = m.SchoolClass
        fields = ("school", "grade", "name", "head_teacher")
        sequence = ("school", "grade", "name", "head_teacher", "size")
        attrs = {"class": "table"}
        empty_text = "没有符合条件的班级"

    def render_size(self, value, record):
        return size_badge(value, record.grade)


class PupilTable(tables.Table):
    name = tables.Column("姓名", accessor="pupil__name", linkify=lambda record: reverse("pupil_detail", args=[record.pupil_id]))
    sex = tables.Column("性别", accessor="pupil__sex")
    student_no = tables.Column("全国学籍号", accessor="pupil__student_no")
    id_number = tables.Column("身份证号", accessor="pupil__id_number", orderable=False)
    birth_date = tables.DateColumn(format="Y-m-d", verbose_name="出生日期", accessor="pupil__birth_date")
    school = tables.Column("学校", accessor="school__name", order_by="school__code")
    grade = tables.Column("年级")
    school_class = tables.Column("班级", accessor="school_class__name", default="")
    status = tables.Column("状态")

    class Meta:
        model = m.Enrolment
        fields = ()
        sequence = ("name", "sex", "student_no", "id_number", "birth_date", "school", "grade", "school_class", "status")
        attrs = {"class": "table"}
        empty_text = "没有符合条件的学生"

    def render_id_number(self, value):
        return mask_id(value)

    def render_student_no(self, value):
        return mask_student_no(value)


class TeacherTable(tables.Table):
    name = tables.Column("姓名", accessor="teacher__name", linkify=lambda record: reverse("teacher_detail", args=[record.teacher_id]))
    sex = tables.Column("性别", accessor="teacher__sex")
    id_number = tables.Column("身份证号", accessor="teacher__id_number", orderable=False)
    phone = tables.Column("手机号", accessor="teacher__phone", orderable=False)
    school = tables.Column("学校", accessor="school__name", order_by="school__code")
    section = tables.Column("学段")
    subject = tables.Column("学科")
    education = tables.Column("学历")
    title = tables.Column("职称")
    backbone = tables.Column("骨干")

    class Meta:
        model = m.Posting
        fields = ()
        sequence = ("name", "sex", "id_number", "phone", "school", "section", "subject", "education", "title", "backbone")
        attrs = {"class": "table"}
        empty_text = "没有符合条件的教师"

    def render_id_number(self, value):
        return mask_id(value)

    def render_phone(self, value):
        return mask_phone(value)
