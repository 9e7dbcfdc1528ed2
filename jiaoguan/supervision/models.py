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


class CountyYearFigures(models.Model):
    """Figures that come from outside the registry, entered per county and year."""

    county = models.ForeignKey(OrgUnit, models.PROTECT, verbose_name="县区")
    year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name="学年")
    population_3_5 = models.PositiveIntegerField("3–5周岁常住人口", null=True, blank=True, help_text="计算学前三年毛入园率（统计或公安部门数据）")
    disabled_6_15 = models.PositiveIntegerField("6–15周岁适龄残疾儿童少年数", null=True, blank=True, help_text="计算残疾儿童少年入学率（残联持证数据）")
    satisfaction = models.DecimalField("社会认可度（%）", max_digits=5, decimal_places=2, null=True, blank=True, help_text="满意度调查结果，达标要求85%")
    survey_note = models.CharField("调查说明", max_length=200, blank=True, help_text="调查方式、样本量、调查机构")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "县域年度外部数据"
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="figures_once_per_county_year")]

    def as_dict(self) -> dict:
        return {"population_3_5": self.population_3_5, "disabled_6_15": self.disabled_6_15}


class ChecklistAnswer(models.Model):
    """A manually assessed checklist item, with its evidence."""

    county = models.ForeignKey(OrgUnit, models.PROTECT, verbose_name="县区")
    year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name="学年")
    item = models.CharField("条目", max_length=10)
    met = models.BooleanField("是否达到", null=True)
    note = models.TextField("说明", blank=True)
    evidence = models.FileField("佐证材料", upload_to="supervision/evidence/%Y/", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "督导评估条目"
        constraints = [models.UniqueConstraint(fields=["county", "year", "item"], name="checklist_answer_once")]
