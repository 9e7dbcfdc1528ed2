"""Disbursement: bank accounts, batches sent to the bank, and each payment's result."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jiaoguan.core.models import OrgUnit
from jiaoguan.registry.models import Pupil

from .lists import Entitlement
from .scope import AidQuerySet
from .terms import Term


class BankAccount(models.Model):
    """The account a pupil's aid is paid into (usually the guardian's 惠民惠农一卡通)."""

    pupil = models.OneToOneField(Pupil, models.CASCADE, related_name="aid_account", verbose_name="学生")
    holder = models.CharField("开户人", max_length=40)
    bank = models.CharField("开户银行", max_length=60)
    number = models.CharField("银行账号", max_length=30)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    objects = AidQuerySet.as_manager()
    scope_pupil_field = "pupil"

    class Meta:
        verbose_name = verbose_name_plural = "资助银行账户"

    def __str__(self) -> str:
        return f"{self.holder} {self.bank}"


class BatchStatus(models.TextChoices):
    CREATED = "created", "待导出"
    EXPORTED = "exported", "已导出待回盘"
    SETTLED = "settled", "已回盘"


class BatchQuerySet(models.QuerySet):
    def restrict(self, user):
        """Batches of the counties under the user's unit; none for school-level users."""
        from jiaoguan.core.scope import unrestricted

        if unrestricted(user):
            return self
        if user.role in ("leader", "staff") and user.org_unit_id:
            return self.filter(county__path__startswith=user.org_unit.path)
        return self.none()


class Batch(models.Model):
    """A disbursement batch of a county and term: the bank file goes out, the results come back."""

    county = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="县区")
    term = models.ForeignKey(Term, models.PROTECT, related_name="batches", verbose_name="学期")
    number = models.CharField("批次号", max_length=30, unique=True)
    reissue = models.BooleanField("补发批次", default=False)
    status = models.CharField("状态", max_length=10, choices=BatchStatus.choices, default=BatchStatus.CREATED)
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="经办人")
    exported_at = models.DateTimeField("导出时间", null=True, blank=True)
    settled_at = models.DateTimeField("回盘时间", null=True, blank=True)
    rows = models.PositiveIntegerField("银行代发笔数", default=0)
    amount = models.DecimalField("银行代发金额（元）", max_digits=14, decimal_places=2, default=0)
    school_rows = models.PositiveIntegerField("拨付学校或免收笔数", default=0)
    school_amount = models.DecimalField("拨付学校或免收金额（元）", max_digits=14, decimal_places=2, default=0)

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "发放批次"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.number


class PaymentResult(models.TextChoices):
    PENDING = "pending", "待回盘"
    PAID = "paid", "成功"
    FAILED = "failed", "失败"


class Payment(models.Model):
    """One bank transfer of a batch, with the account it went to (kept as sent)."""

    batch = models.ForeignKey(Batch, models.CASCADE, related_name="payments", verbose_name="批次")
    entitlement = models.ForeignKey(Entitlement, models.PROTECT, related_name="payments", verbose_name="资助记录")
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2)
    holder = models.CharField("开户人", max_length=40)
    bank = models.CharField("开户银行", max_length=60)
    account_number = models.CharField("银行账号", max_length=30)
    result = models.CharField("结果", max_length=10, choices=PaymentResult.choices, default=PaymentResult.PENDING)
    reason = models.CharField("失败原因", max_length=200, blank=True)
    settled_at = models.DateTimeField("回盘时间", null=True, blank=True)

    objects = AidQuerySet.as_manager()
    scope_school_field = "entitlement__school"

    class Meta:
        verbose_name = verbose_name_plural = "银行代发记录"
        constraints = [models.UniqueConstraint(fields=["batch", "entitlement"], name="aid_payment_once_per_batch")]

    def __str__(self) -> str:
        return f"{self.batch} {self.entitlement_id}"
