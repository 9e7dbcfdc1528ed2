"""Entitlement lists: one per school and term, with one line per pupil and programme."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jiaoguan.registry.models import Enrolment, Pupil, School

from .scope import AidQuerySet
from .terms import Term


class ListStatus(models.TextChoices):
    DRAFT = "draft", "学校申报中"
    SUBMITTED = "submitted", "待资助中心审核"
    APPROVED = "approved", "已审核待公示"
    PUBLISHED = "published", "公示中"
    PAID = "paid", "已发放"


# The four steps the page shows, and the statuses at or after each.
STEPS = [
    ("学校申报", ListStatus.DRAFT), ("资助中心审核", ListStatus.SUBMITTED), ("公示", ListStatus.PUBLISHED),
    ("发放", ListStatus.PAID),
]
ORDER = [ListStatus.DRAFT, ListStatus.SUBMITTED, ListStatus.APPROVED, ListStatus.PUBLISHED, ListStatus.PAID]


class EntitlementList(models.Model):
    term = models.ForeignKey(Term, models.PROTECT, related_name="lists", verbose_name="学期")
    school = models.ForeignKey(School, models.PROTECT, related_name="aid_lists", verbose_name="学校")
    status = models.CharField("状态", max_length=10, choices=ListStatus.choices, default=ListStatus.DRAFT)
    generated_at = models.DateTimeField("生成时间", default=timezone.now)
    submitted_at = models.DateTimeField("申报时间", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="申报人")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="审核人")
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    publicity_until = models.DateField("公示截止", null=True, blank=True)
    paid_at = models.DateTimeField("发放时间", null=True, blank=True)
    returned_reason = models.CharField("退回原因", max_length=300, blank=True)

    objects = AidQuerySet.as_manager()
    scope_school_field = "school"

    class Meta:
        verbose_name = verbose_name_plural = "资助名单"
        constraints = [models.UniqueConstraint(fields=["term", "school"], name="aid_list_one_per_school_term")]
        ordering = ["-term__index", "school__code"]

    def __str__(self) -> str:
        return f"{self.school} {self.term}资助名单"

    def reached(self, status: str) -> bool:
        return ORDER.index(self.status) >= ORDER.index(status)


class Origin(models.TextChoices):
    GENERATED = "generated", "系统生成"
    SCHOOL_RETURN = "school_return", "学校申报"


class Decision(models.TextChoices):
    PENDING = "pending", "待学校确认"
    CONFIRMED = "confirmed", "学校已确认"
    OBJECTED = "objected", "学校有异议"


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", "未发放"
    PENDING = "pending", "发放中"
    PAID = "paid", "已发放"
    FAILED = "failed", "发放失败"


class Entitlement(models.Model):
    """One pupil's entitlement to one programme in one term, with the rule that gave it; or,
    for a programme paid to the school (营养膳食补助), the school's line for a stage: no pupil,
    the head count of entitled pupils and their total."""

    entitlement_list = models.ForeignKey(EntitlementList, models.CASCADE, related_name="entries", verbose_name="名单")
    term = models.ForeignKey(Term, models.PROTECT, related_name="+", verbose_name="学期", db_index=False)
    school = models.ForeignKey(School, models.PROTECT, related_name="+", verbose_name="学校")
    pupil = models.ForeignKey(Pupil, models.PROTECT, null=True, blank=True, related_name="aid_entitlements", verbose_name="学生")
    enrolment = models.ForeignKey(Enrolment, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="学籍",
                                  db_index=False)
    programme = models.CharField("资助项目", max_length=40)
    stage = models.CharField("学段", max_length=12)
    grade = models.SmallIntegerField("年级", null=True, blank=True)
    headcount = models.PositiveIntegerField("人数", default=1)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    tier = models.CharField("档次", max_length=20, blank=True)
    categories = models.CharField("困难类别", max_length=120, blank=True)
    basis = models.TextField("认定依据", blank=True)
    origin = models.CharField("来源", max_length=15, choices=Origin.choices, default=Origin.GENERATED)
    decision = models.CharField("学校确认", max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decision_reason = models.CharField("异议理由", max_length=300, blank=True)
    excluded = models.BooleanField("资助中心核减", default=False)
    excluded_reason = models.CharField("核减理由", max_length=300, blank=True)
    payment_status = models.CharField("发放状态", max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID)
    paid_at = models.DateTimeField("发放时间", null=True, blank=True)
    batch = models.ForeignKey("aid.Batch", models.SET_NULL, null=True, blank=True, related_name="entitlements", verbose_name="发放批次",
                              db_index=False)

    objects = AidQuerySet.as_manager()
    scope_school_field = "school"

    class Meta:
        verbose_name = verbose_name_plural = "资助记录"
        # few indexes: a county term is ~80,000 lines, written in bulk
        indexes = [models.Index(fields=["term", "programme", "payment_status"])]
        ordering = ["entitlement_list", "grade", "pupil__name"]

    def __str__(self) -> str:
        return f"{self.pupil} {self.term} {self.programme}"

    @property
    def is_school_line(self) -> bool:
        return self.pupil_id is None

    @property
    def live(self) -> bool:
        return self.decision != Decision.OBJECTED and not self.excluded


LIVE = ~models.Q(decision=Decision.OBJECTED) & models.Q(excluded=False)
