"""The county registry: schools, their per-year facts and classes, pupils with per-year
enrolments, teachers with per-year postings.

Headcounts are never stored: class sizes, pupils per school and stage and teachers per
section are counted from enrolments and postings.
"""
from django.db import models
from django.db.models import Count, Q

from jiaoguan.core.models import OrgUnit, SchoolYear
from jiaoguan.core.scope import ScopedQuerySet
from jiaoguan.indicators.grades import GRADE_LABELS, class_size_flag, FLAG_LABELS

GRADE_CHOICES = sorted(GRADE_LABELS.items())


class SchoolType(models.TextChoices):
    KINDERGARTEN = "kindergarten", "幼儿园"
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    NINE_YEAR = "nine_year", "九年一贯制学校"
    COMPLETE_SECONDARY = "complete_secondary", "完全中学"
    TWELVE_YEAR = "twelve_year", "十二年一贯制学校"
    SENIOR = "senior", "高级中学"
    VOCATIONAL = "vocational", "中等职业学校"
    SPECIAL = "special", "特殊教育学校"
    TEACHING_POINT = "teaching_point", "教学点"


class Location(models.TextChoices):
    URBAN = "urban", "城区"
    TOWN = "town", "镇区"
    RURAL = "rural", "乡村"


class Ownership(models.TextChoices):
    PUBLIC = "public", "公办"
    PRIVATE = "private", "民办"
    PRIVATE_INCLUSIVE = "private_inclusive", "普惠性民办"


class School(models.Model):
    code = models.CharField("学校标识码", max_length=10, unique=True)
    name = models.CharField("学校名称", max_length=100)
    initials = models.CharField("拼音首字母", max_length=100, blank=True, db_index=True, editable=False)
    org_unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="schools", verbose_name="所在乡镇（街道）")
    type = models.CharField("学校类型", max_length=20, choices=SchoolType.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="teaching_points", verbose_name="所属学校（教学点）")
    location = models.CharField("城乡分类", max_length=10, choices=Location.choices)
    ownership = models.CharField("办学性质", max_length=20, choices=Ownership.choices, default=Ownership.PUBLIC)
    address = models.CharField("地址", max_length=200, blank=True)
    principal = models.CharField("校长", max_length=30, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    is_active = models.BooleanField("在办", default=True)

    objects = ScopedQuerySet.as_manager()
    scope_school_field = "pk"

    class Meta:
        verbose_name = verbose_name_plural = "学校"
        ordering = ["org_unit__path", "code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from jiaoguan.core.text import initials

        self.initials = initials(self.name)
        super().save(*args, **kwargs)


class SchoolFacts(models.Model):
    """A school's facilities and finances in one school year (the figures 督导评估 uses)."""

    school = models.ForeignKey(School, models.CASCADE, related_name="facts", verbose_name="学校")
    year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name="学年")
    land_area = models.DecimalField("占地面积（㎡）", max_digits=12, decimal_places=2, null=True, blank=True)
    building_area = models.DecimalField("校舍建筑面积（㎡）", max_digits=12, decimal_places=2, null=True, blank=True)
    teaching_area = models.DecimalField("教学及辅助用房面积（㎡）", max_digits=12, decimal_places=2, null=True, blank=True)
    sports_area = models.DecimalField("体育运动场馆面积（㎡）", max_digits=12, decimal_places=2, null=True, blank=True)
    equipment_value = models.DecimalField("教学仪器设备值（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    computers = models.PositiveIntegerField("计算机台数", null=True, blank=True)
    books = models.PositiveIntegerField("图书册数", null=True, blank=True)
    multimedia_rooms = models.PositiveIntegerField("网络多媒体教室间数", null=True, blank=True)
    music_rooms = models.PositiveIntegerField("音乐专用教室间数", null=True, blank=True)
    art_rooms = models.PositiveIntegerField("美术专用教室间数", null=True, blank=True)
    public_funds_budget = models.DecimalField("公用经费预算（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    training_spend = models.DecimalField("教师培训支出（元）", max_digits=14, decimal_places=2, null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_school_field = "school"

    class Meta:
        verbose_name = verbose_name_plural = "学校办学条件"
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="facts_one_per_school_year")]
        ordering = ["school__code", "-year__start"]

    def __str__(self) -> str:
        return f"{self.school} {self.year}"


class SchoolClass(models.Model):
    school = models.ForeignKey(School, models.CASCADE, related_name="classes", verbose_name="学校")
    year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name="学年")
    grade = models.SmallIntegerField("年级", choices=GRADE_CHOICES)
    name = models.CharField("班级名称", max_length=30)
    head_teacher = models.CharField("班主任", max_length=30, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_school_field = "school"

    class Meta:
        verbose_name = verbose_name_plural = "班级"
        constraints = [models.UniqueConstraint(fields=["school", "year", "grade", "name"], name="class_unique_name")]
        ordering = ["school__code", "grade", "name"]

    def __str__(self) -> str:
        return f"{self.get_grade_display()}{self.name}"

    @property
    def size_flag_label(self) -> str:
        size = getattr(self, "size", None)
        return FLAG_LABELS[class_size_flag(size, self.grade)] if size is not None else ""


class Sex(models.TextChoices):
    MALE = "男", "男"
    FEMALE = "女", "女"


class Pupil(models.Model):
    """A child, once, across all years (学籍号 is for life); where and how it studies each
    year is its Enrolment."""

    student_no = models.CharField("全国学籍号", max_length=19, unique=True)
    id_number = models.CharField("身份证号", max_length=18, null=True, blank=True, unique=True)
    name = models.CharField("姓名", max_length=40)
    initials = models.CharField("拼音首字母", max_length=40, blank=True, db_index=True, editable=False)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    ethnicity = models.CharField("民族", max_length=10, blank=True, default="汉族")
    hukou_code = models.CharField("户籍地区划代码", max_length=6, blank=True)
    hukou_address = models.CharField("户籍地址", max_length=200, blank=True)
    guardian_name = models.CharField("监护人", max_length=40, blank=True)
    guardian_phone = models.CharField("监护人电话", max_length=20, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_school_field = "enrolments__school"

    class Meta:
        verbose_name = verbose_name_plural = "学生"
        ordering = ["student_no"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from jiaoguan.core.text import initials

        self.initials = initials(self.name, person=True)  # bulk imports set it themselves
        super().save(*args, **kwargs)


class EnrolmentStatus(models.TextChoices):
    STUDYING = "studying", "在读"
    TRANSFERRED_IN = "transferred_in", "转入"
    TRANSFERRED_OUT = "transferred_out", "转出"
    SUSPENDED = "suspended", "休学"
    DROPPED_OUT = "dropped_out", "辍学"
    GRADUATED = "graduated", "毕业"
    DECEASED = "deceased", "死亡"


# Pupils who count in a school's headcount and its class sizes.
ON_ROLL = (EnrolmentStatus.STUDYING, EnrolmentStatus.TRANSFERRED_IN)


class Disability(models.TextChoices):
    NONE = "", "无"
    VISUAL = "visual", "视力残疾"
    HEARING = "hearing", "听力残疾"
    SPEECH = "speech", "言语残疾"
    PHYSICAL = "physical", "肢体残疾"
    INTELLECTUAL = "intellectual", "智力残疾"
    MENTAL = "mental", "精神残疾"
    MULTIPLE = "multiple", "多重残疾"


class Enrolment(models.Model):
    """A pupil's place in one school year: school, grade, class, status and the year's flags
    (they change from year to year, so a 2024 report keeps counting 2024's 留守 pupils)."""

    # pupil, year and class are the leading columns of the composite indexes below, so their
    # own single-column indexes would only slow down 100,000-row imports
    pupil = models.ForeignKey(Pupil, models.CASCADE, related_name="enrolments", verbose_name="学生", db_index=False)
    year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name="学年", db_index=False)
    school = models.ForeignKey(School, models.PROTECT, related_name="enrolments", verbose_name="学校")
    grade = models.SmallIntegerField("年级", choices=GRADE_CHOICES)
    school_class = models.ForeignKey(SchoolClass, models.SET_NULL, null=True, blank=True, related_name="enrolments", verbose_name="班级", db_index=False)
    status = models.CharField("学籍状态", max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.STUDYING)
    left_behind = models.BooleanField("留守儿童", default=False)
    migrant = models.BooleanField("随迁子女", default=False)
    disability = models.CharField("残疾类别", max_length=20, choices=Disability.choices, blank=True, default="")
    registered_poor = models.BooleanField("建档立卡", default=False)
    dibao = models.BooleanField("低保", default=False)
    tekun = models.BooleanField("特困供养", default=False)
    orphan = models.BooleanField("孤儿", default=False)
    boarding = models.BooleanField("寄宿生", default=False)

    objects = ScopedQuerySet.as_manager()
    scope_school_field = "school"

    class Meta:
        verbose_name = verbose_name_plural = "学籍"
        constraints = [models.UniqueConstraint(fields=["pupil", "year"], name="enrolment_one_school_per_year")]
        indexes = [models.Index(fields=["year", "school", "grade"]), models.Index(fields=["school_class", "status"])]

    def __str__(self) -> str:
        return f"{self.pupil} {self.year} {self.school}"


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", "研究生"
    BACHELOR = "bachelor", "本科"
    COLLEGE = "college", "专科"
    SECONDARY = "secondary", "高中（中专）及以下"


class Title(models.TextChoices):
    SENIOR_FULL = "senior_full", "正高级"
    SENIOR = "senior", "高级"
    FIRST = "first", "一级"
    SECOND = "second", "二级"
    THIRD = "third", "三级"
    NONE = "none", "未定级"


# 中级及以上 = 一级 and above (the 2012 #8 indicator).
MID_TITLE_OR_ABOVE = (Title.SENIOR_FULL, Title.SENIOR, Title.FIRST)


class Backbone(models.TextChoices):
    NONE = "", "非骨干"
    SCHOOL = "school", "校级"
    COUNTY = "county", "县级"
    CITY = "city", "市级"
    PROVINCE = "province", "省级"
    NATIONAL = "national", "国家级"


# 县级以上骨干 (the 2017 #2 indicator).
COUNTY_BACKBONE_OR_ABOVE = (Backbone.COUNTY, Backbone.CITY, Backbone.PROVINCE, Backbone.NATIONAL)


class Staffing(models.TextChoices):
    ESTABLISHED = "established", "在编"
    CONTRACT = "contract", "聘任制"
    SUBSTITUTE = "substitute", "代课"
    PART_TIME = "part_time", "兼职"


class Section(models.TextChoices):
    PRESCHOOL = "preschool", "幼儿园"
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "高中"
    VOCATIONAL = "vocational", "中职"
    SPECIAL = "special", "特教"


class Subject(models.TextChoices):
    CHINESE = "chinese", "语文"
    MATH = "math", "数学"
    ENGLISH = "english", "英语"
    MORALITY = "morality", "道德与法治"
    SCIENCE = "science", "科学"
    PHYSICS = "physics", "物理"
    CHEMISTRY = "chemistry", "化学"
    BIOLOGY = "biology", "生物"
    HISTORY = "history", "历史"
    GEOGRAPHY = "geography", "地理"
    PE = "pe", "体育与健康"
    MUSIC = "music", "音乐"
    ART = "art", "美术"
    IT = "it", "信息科技"
    PRESCHOOL = "preschool", "学前教育"
    SPECIAL = "special", "特殊教育"
    VOCATIONAL = "vocational", "专业课"
    OTHER = "other", "其他"


PE_ART_SUBJECTS = (Subject.PE, Subject.MUSIC, Subject.ART)


class Teacher(models.Model):
    """A teacher's identity; what they are each year (school, section, title…) is a Posting."""

    id_number = models.CharField("身份证号", max_length=18, unique=True)
    name = models.CharField("姓名", max_length=40)
    initials = models.CharField("拼音首字母", max_length=40, blank=True, db_index=True, editable=False)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    phone = models.CharField("手机号", max_length=20, blank=True)
    work_start = models.DateField("参加工作时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_school_field = "postings__school"

    class Meta:
        verbose_name = verbose_name_plural = "教师"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from jiaoguan.core.text import initials

        self.initials = initials(self.name, person=True)
        super().save(*args, **kwargs)


class Posting(models.Model):
    """A teacher at a school in one year, in one section, with that year's qualifications."""

    teacher = models.ForeignKey(Teacher, models.CASCADE, related_name="postings", verbose_name="教师", db_index=False)
    year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name="学年", db_index=False)
    school = models.ForeignKey(School, models.PROTECT, related_name="postings", verbose_name="学校")
    section = models.CharField("任教学段", max_length=12, choices=Section.choices)
    role = models.CharField("岗位", max_length=20, default="专任教师")
    subject = models.CharField("主教学科", max_length=20, choices=Subject.choices)
    education = models.CharField("最高学历", max_length=20, choices=Education.choices)
    title = models.CharField("职称", max_length=20, choices=Title.choices, default=Title.NONE)
    backbone = models.CharField("骨干教师", max_length=10, choices=Backbone.choices, blank=True, default="")
    staffing = models.CharField("编制", max_length=20, choices=Staffing.choices, default=Staffing.ESTABLISHED)
    certified = models.BooleanField("持教师资格证", default=True)
    at_school_since = models.DateField("到本校时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_school_field = "school"

    class Meta:
        verbose_name = verbose_name_plural = "任教记录"
        constraints = [models.UniqueConstraint(fields=["teacher", "year", "section"], name="posting_one_per_section_year")]
        indexes = [models.Index(fields=["year", "school", "section"])]

    def __str__(self) -> str:
        return f"{self.teacher} {self.year} {self.school}"


def class_sizes(queryset):
    """Annotate classes with `size`, the pupils on roll counted from enrolments."""
    return queryset.annotate(size=Count("enrolments", filter=Q(enrolments__status__in=ON_ROLL)))
