import django_filters as df
from django.db.models import Q

from jiaoguan.core.models import OrgUnit
from jiaoguan.indicators.grades import GRADE_LABELS

from . import models as m


def _search(queryset, fields, value):
    value = value.strip()
    if not value:
        return queryset
    q = Q()
    for f in fields:
        q |= Q(**{f: value.lower() if "initials" in f else value})
    return queryset.filter(q)


class SchoolFilterSet(df.FilterSet):
    q = df.CharFilter(label="搜索", method="search", help_text="名称、拼音首字母或标识码")
    org_unit = df.ModelChoiceFilter(label="乡镇（街道）", queryset=OrgUnit.objects.filter(level="township"), field_name="org_unit")
    type = df.ChoiceFilter(label="学校类型", choices=m.SchoolType.choices)
    location = df.ChoiceFilter(label="城乡", choices=m.Location.choices)
    ownership = df.ChoiceFilter(label="办学性质", choices=m.Ownership.choices)

    class Meta:
        model = m.School
        fields = []

    def search(self, queryset, name, value):
        return _search(queryset, ["name__icontains", "initials__startswith", "code__startswith"], value)


class ClassFilterSet(df.FilterSet):
    school = df.CharFilter(label="学校标识码", field_name="school__code")
    grade = df.ChoiceFilter(label="年级", choices=sorted(GRADE_LABELS.items()))
    size = df.ChoiceFilter(label="班额", method="by_size", choices=[("large", "大班额（56–65人）"), ("huge", "超大班额（66人及以上）"), ("large_or_huge", "大班额及以上（≥56人）")])

    class Meta:
        model = m.SchoolClass
        fields = []

    def by_size(self, queryset, name, value):
        return {
            "large": queryset.filter(size__gte=56, size__lte=65),
            "huge": queryset.filter(size__gte=66),
            "large_or_huge": queryset.filter(size__gte=56),
        }[value]


class PupilFilterSet(df.FilterSet):
    """Filters over enrolments of one year (the pupil list is a list of enrolments)."""

    q = df.CharFilter(label="搜索", method="search", help_text="姓名、拼音首字母、身份证号或学籍号")
    school = df.CharFilter(label="学校标识码", field_name="school__code")
    grade = df.ChoiceFilter(label="年级", choices=sorted(GRADE_LABELS.items()))
    status = df.ChoiceFilter(label="学籍状态", choices=m.EnrolmentStatus.choices)
    flag = df.ChoiceFilter(label="类别", method="by_flag", choices=[
        ("left_behind", "留守儿童"), ("migrant", "随迁子女"), ("disabled", "残疾学生"), ("registered_poor", "建档立卡"),
        ("dibao", "低保"), ("tekun", "特困供养"), ("orphan", "孤儿"), ("boarding", "寄宿生"),
    ])

    class Meta:
        model = m.Enrolment
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value[:1].isdigit() or value[:1].upper() in "GJL" and value[1:2].isdigit():
            v = value.upper()
            return queryset.filter(Q(pupil__id_number__startswith=v) | Q(pupil__student_no__startswith=v))
        return queryset.filter(Q(pupil__name__contains=value) | Q(pupil__initials__startswith=value.lower()))

    def by_flag(self, queryset, name, value):
        if value == "disabled":
            return queryset.exclude(disability="")
        return queryset.filter(**{value: True})


class TeacherFilterSet(df.FilterSet):
    q = df.CharFilter(label="搜索", method="search", help_text="姓名、拼音首字母或身份证号")
    school = df.CharFilter(label="学校标识码", field_name="school__code")
    section = df.ChoiceFilter(label="学段", choices=m.Section.choices)
    subject = df.ChoiceFilter(label="学科", choices=m.Subject.choices)
    title = df.ChoiceFilter(label="职称", choices=m.Title.choices)
    education = df.ChoiceFilter(label="学历", choices=m.Education.choices)
    backbone = df.ChoiceFilter(label="骨干", choices=[c for c in m.Backbone.choices if c[0]])

    class Meta:
        model = m.Posting
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value[:1].isdigit():
            return queryset.filter(teacher__id_number__startswith=value.upper())
        return queryset.filter(Q(teacher__name__contains=value) | Q(teacher__initials__startswith=value.lower()))
