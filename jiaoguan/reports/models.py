from django.conf import settings
from django.db import models

from jiaoguan.core.models import OrgUnit, SchoolYear


class ReportDraft(models.Model):
    """Staff's wording of a county's annual report: paragraph templates per section (figures
    stay as {placeholders}, filled from the data on every export) and the next-year plan."""

    county = models.ForeignKey(OrgUnit, models.PROTECT, verbose_name="县区")
    year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name="学年")
    texts = models.JSONField("各节文字", default=dict, blank=True)
    plan = models.TextField("下一年工作计划", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度报告草稿"
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="one_draft_per_county_year")]

    def plan_lines(self) -> list[str]:
        return [line.strip() for line in self.plan.splitlines() if line.strip()]
