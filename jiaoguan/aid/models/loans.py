"""生源地信用助学贷款: application records (the bank lends; the county keeps the record)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jiaoguan.core.models import SchoolYear
from jiaoguan.registry.models import Pupil, School

from .scope import AidQuerySet


class LoanStatus(models.TextChoices):
    APPLIED = "applied", "已受理"
    GRANTED = "granted", "已放贷"
    REJECTED = "rejected", "未通过"


class LoanApplication(models.Model):
    pupil = models.ForeignKey(Pupil, models.PROTECT, related_name="aid_loans", verbose_name="学生")
    year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name="贷款学年")
    school = models.ForeignKey(School, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="毕业高中")
    university = models.CharField("就读高校", max_length=60)
    amount = models.DecimalField("贷款金额（元）", max_digits=10, decimal_places=2)
    contract_no = models.CharField("合同编号", max_length=40, blank=True)
    status = models.CharField("状态", max_length=10, choices=LoanStatus.choices, default=LoanStatus.APPLIED)
    applied_at = models.DateField("受理日期", default=timezone.localdate)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="经办人")

    objects = AidQuerySet.as_manager()
    scope_pupil_field = "pupil"

    class Meta:
        verbose_name = verbose_name_plural = "生源地信用助学贷款"
        constraints = [models.UniqueConstraint(fields=["pupil", "year"], name="aid_loan_one_per_year")]
        ordering = ["-applied_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.pupil} {self.year} {self.amount}"
