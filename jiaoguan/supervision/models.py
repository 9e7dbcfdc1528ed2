"""Stored supervision runs: what the engine said for a county, a year and a standard, kept so
that next year's comparison and the annual report read the same figures the page showed."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from jiaoguan.core.models import OrgUnit, SchoolYear


class Run(models.Model):
    county = models.ForeignKey(OrgUnit, models.PROTECT, related_name="supervision_runs", verbose_name="县区")
    year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name="学年")
    standard = models.CharField("标准", max_length=30)
    created = models.DateTimeField("测算时间", default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name="测算人")
    settings = models.JSONField("测算设置", default=dict)
    facts = models.JSONField("测算表", default=list)     # the facts table rows the run was computed from
    result = models.JSONField("结果", default=dict)      # balance.to_dict output
    passed = models.JSONField("结论", default=dict)      # {"primary": true, "junior": false}

    class Meta:
        verbose_name = verbose_name_plural = "督导测算"
        ordering = ["-created"]
        indexes = [models.Index(fields=["county", "year", "standard", "-created"])]

    def __str__(self) -> str:
        return f"{self.county} {self.year} {self.standard}"

    @classmethod
    def latest(cls, county, year, standard) -> "Run | None":
        return cls.objects.filter(county=county, year=year, standard=standard).order_by("-created").first()
