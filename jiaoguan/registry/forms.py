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
