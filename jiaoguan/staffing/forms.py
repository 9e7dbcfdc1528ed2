"""Forms of the workforce pages. They parse and look up within the user's scope; the change
itself is actions.record_rotation."""
from __future__ import annotations

from django import forms

from jiaoguan.core import idnumbers
from jiaoguan.core.models import SchoolYear
from jiaoguan.registry.models import School, Teacher

from .models import RotationKind


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.code}）"


class RotationForm(forms.Form):
    id_number = forms.CharField(label="教师身份证号", max_length=18, required=False,
                                help_text="从计划明细登记时已自动带出教师")
    teacher = forms.IntegerField(widget=forms.HiddenInput, required=False)
    line = forms.IntegerField(widget=forms.HiddenInput, required=False)
    year = forms.ModelChoiceField(SchoolYear.objects.all(), label="学年", empty_label=None, to_field_name="code")
    kind = forms.ChoiceField(label="交流方式", choices=RotationKind.choices)
    to_school = SchoolChoiceField(School.objects.none(), label="调入学校")
    start = forms.DateField(label="开始日期", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    end = forms.DateField(label="结束日期", required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
                          help_text="支教、轮岗填写期满日期；空白表示长期（人事关系随迁）")
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["to_school"].queryset = School.objects.restrict(user).filter(is_active=True).order_by("code")
        self.teacher_obj = None

    def clean(self):
        data = super().clean()
        teachers = Teacher.objects.restrict(self.user)
        if data.get("teacher"):
            self.teacher_obj = teachers.filter(pk=data["teacher"]).first()
            if self.teacher_obj is None:
                self.add_error("id_number", "该教师不在您的管辖范围内")
        elif data.get("id_number"):
            idn = data["id_number"].strip().upper()
            message = idnumbers.check_id_number(idn, region=False)
            if message:
                self.add_error("id_number", message)
            else:
                self.teacher_obj = teachers.filter(id_number=idn).first()
                if self.teacher_obj is None:
                    self.add_error("id_number", "在您的管辖范围内没有这个身份证号的教师")
        else:
            self.add_error("id_number", "请填写教师身份证号")
        return data
