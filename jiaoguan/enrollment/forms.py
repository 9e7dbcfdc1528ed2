from __future__ import annotations

from django import forms

from .models import Document

RELATIONS = [("父亲", "父亲"), ("母亲", "母亲"), ("祖父母", "祖父母"), ("外祖父母", "外祖父母"), ("其他监护人", "其他监护人")]
MAX_UPLOAD = 5 * 1024 * 1024
MAGIC = {b"%PDF": "pdf", b"\x89PNG": "png", b"\xff\xd8\xff": "jpg"}


class PhoneForm(forms.Form):
    phone = forms.CharField(label="手机号", max_length=20, widget=forms.TextInput(attrs={
        "inputmode": "numeric", "autocomplete": "tel", "placeholder": "请输入11位手机号"}))


class ApplicationForm(forms.Form):
    child_id_number = forms.CharField(label="儿童身份证号", max_length=18, widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "18位居民身份证号"}))
    child_name = forms.CharField(label="儿童姓名", max_length=40)
    guardian_name = forms.CharField(label="监护人姓名", max_length=40)
    guardian_relation = forms.ChoiceField(label="与儿童关系", choices=RELATIONS)
    guardian_id_number = forms.CharField(label="监护人身份证号", max_length=18, help_text="用于向不动产、居住证和社保部门核验，无需上传证件")
    hukou_address = forms.CharField(label="户籍地址", max_length=200, required=False,
                                    help_text="可不填：系统会向公安部门调取儿童的户籍地址")
    property_address = forms.CharField(label="房产地址", max_length=200, required=False,
                                       help_text="有房产请填写（含自建房），如“湘潭县易俗河镇金霞路88号”；系统会向不动产登记部门核验")
    residence_address = forms.CharField(label="实际居住地址", max_length=200, required=False,
                                        help_text="租房居住、随迁子女请填写")
    choices = forms.TypedMultipleChoiceField(label="民办学校志愿（可不选）", required=False, coerce=int,
                                             widget=forms.CheckboxSelectMultiple,
                                             help_text="公民同招：民办学校超额时电脑随机录取；未录取的，仍按片区在对口公办学校录取")
    promise = forms.BooleanField(label="本人承诺所填信息真实，同意教育部门向公安、不动产登记、人社等部门核验上述信息")

    def __init__(self, *args, private_schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choices"].choices = [(cs.pk, cs.school.name) for cs in private_schools]
        if not private_schools:
            del self.fields["choices"]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="材料类型", choices=Document.Kind.choices)
    file = forms.FileField(label="文件", help_text="照片（JPG、PNG）或PDF，不超过5 MB")
    note = forms.CharField(label="说明（可不填）", max_length=200, required=False)

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError(f"文件过大（{f.size / 1048576:.1f} MB），请不超过5 MB；照片可以先压缩再上传")
        head = f.read(8)
        f.seek(0)
        if not any(head.startswith(m) for m in MAGIC):
            raise forms.ValidationError("只能上传JPG、PNG照片或PDF文件")
        return f


class ZoneSchoolForm(forms.Form):
    school = forms.TypedChoiceField(label="对口学校", coerce=int)
    ties = forms.MultipleChoiceField(label="经核实的片区关系", required=False, widget=forms.CheckboxSelectMultiple,
                                     choices=[("hukou_in_zone", "户籍在该片区"), ("property_in_zone", "房产在该片区（含经核实的自建房）")])
    reason = forms.CharField(label="理由", max_length=200, widget=forms.TextInput(attrs={"placeholder": "如：已核实宅基地使用证，地址属金霞片区"}))

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [("", "请选择")] + [(cs.pk, cs.school.name) for cs in schools if not cs.private]


class OverrideForm(forms.Form):
    school = forms.TypedChoiceField(label="学校", coerce=int)
    rank = forms.TypedChoiceField(label="调整为类别", coerce=int)
    reason = forms.CharField(label="理由", max_length=200)

    def __init__(self, *args, schools=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [(cs.pk, cs.school.name) for cs in schools]
        self.fields["rank"].choices = [(i, f"{c['id']}类：{c.get('name', c['id'])}") for i, c in enumerate(categories, start=1)] + \
            [(len(categories) + 1, "统筹（不符合任何类别）")]


class EntropyPlanForm(forms.Form):
    text = forms.CharField(label="熵来源（每行一项：名称 | 承诺值SHA-256，可不填承诺值）", widget=forms.Textarea(attrs={"rows": 4}))


class ZonesUploadForm(forms.Form):
    file = forms.FileField(label="Excel文件", help_text="请使用本页下载的模板（.xlsx）")
