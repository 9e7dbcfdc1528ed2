"""The teaching workforce records the personnel office keeps beside the registry: yearly rotation
plans, the moves themselves (交流轮岗), and training (courses, sessions, attendance with hours).

Who teaches where each year stays in registry.Posting; recording a move updates those postings
(see actions.record_rotation), and a Rotation keeps what the posting no longer says: where the
teacher came from, how long they had been there, and whether they were a 骨干 at the time.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jiaoguan.core.models import OrgUnit, SchoolYear
from jiaoguan.core.scope import ScopedQuerySet, scoped_school_ids
from jiaoguan.registry.models import Backbone, School, Section, Subject, Teacher


class RotationKind(models.TextChoices):
    EXCHANGE = "exchange", "交流"
    SUPPORT = "support", "支教"
    ROTATION = "rotation", "轮岗"
    PRINCIPAL = "principal", "校长交流"


class EitherSchoolQuerySet(models.QuerySet):
    """Rows seen by the users of either school: the sending and the receiving one."""

    def restrict(self, user):
        schools = scoped_school_ids(user)
        if schools is None:
            return self
        return self.filter(Q(from_school__in=schools) | Q(to_school__in=schools))


class RotationPlan(models.Model):
    """The year's rotation plan of a unit (usually the county): what the rule requires and the
    moves the office adopted from the suggestion."""

    org_unit = models.ForeignKey(OrgUnit, models.PROTECT, verbose_name="单位")
    year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name="学年")
    eligible_years = models.PositiveSmallIntegerField("交流年限（年）")
    eligible = models.PositiveIntegerField("符合交流条件教师数")
    required = models.PositiveIntegerField("应交流人数")
    backbone_required = models.PositiveIntegerField("其中骨干教师应交流人数")
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name="制定人")
    created_at = models.DateTimeField("制定时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "交流轮岗计划"
        constraints = [models.UniqueConstraint(fields=["org_unit", "year"], name="rotation_plan_one_per_unit_year")]
        ordering = ["-year__start", "org_unit__path"]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year}学年交流轮岗计划"


class RotationPlanLine(models.Model):
    plan = models.ForeignKey(RotationPlan, models.CASCADE, related_name="lines", verbose_name="计划")
    teacher = models.ForeignKey(Teacher, models.CASCADE, related_name="+", verbose_name="教师")
    section = models.CharField("学段", max_length=12, choices=Section.choices)
    subject = models.CharField("学科", max_length=20, choices=Subject.choices)
    from_school = models.ForeignKey(School, models.CASCADE, related_name="+", verbose_name="调出学校")
    to_school = models.ForeignKey(School, models.CASCADE, related_name="+", verbose_name="调入学校")
    backbone = models.BooleanField("骨干教师", default=False)
    reason = models.CharField("理由", max_length=200)

    objects = EitherSchoolQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "交流轮岗计划明细"
        ordering = ["pk"]


class Rotation(models.Model):
    """One teacher's move in one school year."""

    teacher = models.ForeignKey(Teacher, models.PROTECT, related_name="rotations", verbose_name="教师")
    year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name="学年")
    kind = models.CharField("交流方式", max_length=12, choices=RotationKind.choices)
    section = models.CharField("学段", max_length=12, choices=Section.choices)
    subject = models.CharField("学科", max_length=20, choices=Subject.choices)
    from_school = models.ForeignKey(School, models.PROTECT, related_name="rotations_out", verbose_name="调出学校")
    to_school = models.ForeignKey(School, models.PROTECT, related_name="rotations_in", verbose_name="调入学校")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True, help_text="空白表示长期（人事关系随迁）")
    from_since = models.DateField("原校到校时间", null=True, blank=True)
    years_at_school = models.PositiveSmallIntegerField("原校任教年限", null=True, blank=True)
    eligible = models.BooleanField("符合交流条件", default=False)
    backbone = models.CharField("骨干教师", max_length=10, choices=Backbone.choices, blank=True, default="")
    plan_line = models.ForeignKey(RotationPlanLine, models.SET_NULL, null=True, blank=True, related_name="rotations", verbose_name="计划明细")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    objects = EitherSchoolQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "交流轮岗记录"
        constraints = [
            models.UniqueConstraint(fields=["teacher", "year"], name="rotation_one_per_teacher_year"),
            models.CheckConstraint(condition=~Q(from_school=models.F("to_school")), name="rotation_changes_school"),
        ]
        indexes = [models.Index(fields=["year", "from_school"]), models.Index(fields=["year", "to_school"])]
        ordering = ["-year__start", "-start", "pk"]

    def __str__(self) -> str:
        return f"{self.teacher} {self.year} {self.from_school}→{self.to_school}"

    @property
    def term_label(self) -> str:
        if self.end is None:
            return f"{self.start:%Y-%m-%d} 起（长期）"
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"


# ---------------------------------------------------------------------------- training

class TrainingLevel(models.TextChoices):
    NATIONAL = "national", "国培"
    PROVINCE = "province", "省培"
    CITY = "city", "市培"
    COUNTY = "county", "县培"
    SCHOOL = "school", "校本"


class Course(models.Model):
    """A training programme in one school year (国培计划某项目, 县级骨干教师研修班, 某校校本研修)."""

    year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name="学年")
    level = models.CharField("培训级别", max_length=10, choices=TrainingLevel.choices)
    name = models.CharField("培训项目", max_length=100)
    organizer = models.CharField("承办单位", max_length=100, blank=True)
    school = models.ForeignKey(School, models.PROTECT, null=True, blank=True, related_name="courses", verbose_name="校本研修学校")

    class Meta:
        verbose_name = verbose_name_plural = "培训项目"
        constraints = [
            models.UniqueConstraint(fields=["year", "level", "name"], condition=Q(school__isnull=True), name="course_unique_name"),
            models.UniqueConstraint(fields=["year", "level", "name", "school"], condition=Q(school__isnull=False),
                                    name="course_unique_name_school"),
        ]
        ordering = ["-year__start", "level", "name"]

    def __str__(self) -> str:
        return f"{self.get_level_display()}·{self.name}"


class Session(models.Model):
    """One 期次 of a course, with its dates."""

    course = models.ForeignKey(Course, models.CASCADE, related_name="sessions", verbose_name="培训项目")
    name = models.CharField("期次", max_length=30)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")

    class Meta:
        verbose_name = verbose_name_plural = "培训期次"
        constraints = [models.UniqueConstraint(fields=["course", "name"], name="session_unique_name")]
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return f"{self.course} {self.name}"


class Attendance(models.Model):
    """A teacher's attendance of a session and the 学时 credited. `school` is where the teacher
    was posted that year (it scopes the row)."""

    session = models.ForeignKey(Session, models.CASCADE, related_name="attendances", verbose_name="期次")
    teacher = models.ForeignKey(Teacher, models.CASCADE, related_name="trainings", verbose_name="教师")
    school = models.ForeignKey(School, models.PROTECT, related_name="+", verbose_name="所在学校")
    year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name="学年", db_index=False)
    hours = models.DecimalField("学时", max_digits=6, decimal_places=1)
    passed = models.BooleanField("考核合格", default=True)

    objects = ScopedQuerySet.as_manager()
    scope_school_field = "school"

    class Meta:
        verbose_name = verbose_name_plural = "培训学时"
        constraints = [models.UniqueConstraint(fields=["session", "teacher"], name="attendance_once_per_session")]
        indexes = [models.Index(fields=["year", "teacher"]), models.Index(fields=["year", "school"])]

    def __str__(self) -> str:
        return f"{self.teacher} {self.session} {self.hours}学时"
