"""Evidence of family hardship: other departments' lists and the school's 认定."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jiaoguan.core.models import SchoolYear
from jiaoguan.registry.models import Enrolment, Pupil, School

from .scope import AidQuerySet


class ListKind(models.TextChoices):
    DIBAO = "dibao", "低保"
    TEKUN = "tekun", "特困供养"
    MONITORING = "monitoring", "防返贫监测对象"
    DISABILITY = "disability", "残疾证"
    ORPHAN = "orphan", "孤儿"


# The difficulty category (programmes.toml [categories]) each list gives, and the department
# that keeps it (the source named in an entitlement's basis).
LIST_CATEGORY = {
    ListKind.DIBAO: "dibao", ListKind.TEKUN: "tekun", ListKind.MONITORING: "registered_poor",
    ListKind.DISABILITY: "disabled", ListKind.ORPHAN: "orphan",
}
LIST_DEPARTMENT = {
    ListKind.DIBAO: "民政部门低保名单", ListKind.TEKUN: "民政部门特困供养名单", ListKind.MONITORING: "乡村振兴部门防返贫监测名单",
    ListKind.DISABILITY: "残联残疾证名单", ListKind.ORPHAN: "民政部门孤儿名单",
}


class DifficultyRecord(models.Model):
    """A pupil on another department's list, matched by 身份证号; one row per pupil and list,
    refreshed by each import of that list."""

    pupil = models.ForeignKey(Pupil, models.CASCADE, related_name="difficulty_records", verbose_name="学生")
    kind = models.CharField("名单类型", max_length=12, choices=ListKind.choices)
    name_on_list = models.CharField("名单上的姓名", max_length=40)
    certificate_no = models.CharField("证件或文号", max_length=40, blank=True)
    valid_from = models.DateField("有效期起", null=True, blank=True)
    valid_to = models.DateField("有效期止", null=True, blank=True)
    department = models.CharField("提供部门", max_length=60, blank=True)
    imported_at = models.DateTimeField("导入时间", default=timezone.now)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name="导入人")

    objects = AidQuerySet.as_manager()
    scope_pupil_field = "pupil"

    class Meta:
        verbose_name = verbose_name_plural = "部门名单记录"
        constraints = [models.UniqueConstraint(fields=["pupil", "kind"], name="aid_record_one_per_list")]
        ordering = ["kind", "pupil__name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name_on_list}"

    @property
    def category(self) -> str:
        return LIST_CATEGORY[self.kind]


class RecognitionLevel(models.TextChoices):
    SPECIAL = "special", "特别困难"
    DIFFICULT = "difficult", "比较困难"
    GENERAL = "general", "一般困难"


class SchoolRecognition(models.Model):
    """The school's 认定 of a pupil as 家庭经济困难 for a school year, with its evidence
    (民主评议, 家访, 申请表…)."""

    pupil = models.ForeignKey(Pupil, models.CASCADE, related_name="aid_recognitions", verbose_name="学生")
    year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name="学年")
    school = models.ForeignKey(School, models.PROTECT, related_name="aid_recognitions", verbose_name="认定学校")
    enrolment = models.ForeignKey(Enrolment, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="学籍")
    level = models.CharField("困难等级", max_length=10, choices=RecognitionLevel.choices, default=RecognitionLevel.DIFFICULT)
    evidence = models.TextField("认定依据和证据")
    recognised_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="认定人")
    recognised_at = models.DateTimeField("认定时间", default=timezone.now)

    objects = AidQuerySet.as_manager()
    scope_school_field = "school"

    class Meta:
        verbose_name = verbose_name_plural = "学校认定"
        constraints = [models.UniqueConstraint(fields=["pupil", "year"], name="aid_recognition_one_per_year")]
        ordering = ["-recognised_at"]

    def __str__(self) -> str:
        return f"{self.pupil} {self.year} {self.get_level_display()}"
