from django import forms

from jiaoguan.core.idnumbers import check_phone

from . import models as m


class SchoolForm(forms.ModelForm):
    class Meta:
        model = m.School
        fields = ["name", "type", "location", "ownership", "address", "principal", "phone"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.role == "school_admin":
            # the school's category is the bureau's decision, not the school's
            for name in ("type", "location", "ownership"):
                self.fields[name].disabled = True

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        err = check_phone(value)
        if err:
            raise forms.ValidationError(err)
        return value


class FactsForm(forms.ModelForm):
    class Meta:
        model = m.SchoolFacts
        exclude = ["school", "year"]

    def clean(self):
        data = super().clean()
        for name, value in data.items():
            if value is not None and value < 0:
                self.add_error(name, "不能为负数")
        return data


class PupilForm(forms.ModelForm):
    """A pupil's own data; the ID number is checked the same way as in imports."""

    class Meta:
        model = m.Pupil
        fields = ["name", "id_number", "sex", "birth_date", "ethnicity", "hukou_code", "hukou_address", "guardian_name", "guardian_phone"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_id_number(self):
        from jiaoguan.core.idnumbers import check_id_number

        value = (self.cleaned_data.get("id_number") or "").strip().upper() or None
        if value:
            err = check_id_number(value)
            if err:
                raise forms.ValidationError(err)
        return value

    def clean_guardian_phone(self):
        value = self.cleaned_data["guardian_phone"]
        err = check_phone(value)
        if err:
            raise forms.ValidationError(err)
        return value

    def clean(self):
        from jiaoguan.core.idnumbers import id_birth_date, id_sex

        data = super().clean()
        idn = data.get("id_number")
        if idn and data.get("sex") and id_sex(idn) != data["sex"]:
            self.add_error("sex", "与身份证号第17位（单数男、双数女）不符")
        if idn and data.get("birth_date") and id_birth_date(idn) != data["birth_date"]:
            self.add_error("birth_date", "与身份证号中的出生日期不符")
        return data


class EnrolmentForm(forms.ModelForm):
    """This year's place: grade, class (of the same school and year), status and flags."""

    class Meta:
        model = m.Enrolment
        fields = ["grade", "school_class", "status", "left_behind", "migrant", "disability", "registered_poor", "dibao",
                  "tekun", "orphan", "boarding"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        e = self.instance
        self.fields["school_class"].queryset = m.SchoolClass.objects.filter(school_id=e.school_id, year_id=e.year_id)

    def clean(self):
        data = super().clean()
        klass = data.get("school_class")
        if klass and data.get("grade") is not None and klass.grade != data["grade"]:
            self.add_error("school_class", f"所选班级属于{klass.get_grade_display()}，与年级不一致")
        return data
