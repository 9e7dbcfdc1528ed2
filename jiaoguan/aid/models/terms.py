from __future__ import annotations

from django.db import models

from jiaoguan.core.models import SchoolYear

from ..programmes import ProgrammeError, TermKey


class Season(models.TextChoices):
    SPRING = "spring", "春季"
    AUTUMN = "autumn", "秋季"


class Term(models.Model):
    """A school term: 秋季 opens the school year, 春季 closes it (2026秋季 and 2027春季 are the
    two terms of 2026-2027). Aid is declared, approved and paid per term."""

    code = models.CharField("学期", max_length=8, unique=True)
    year = models.ForeignKey(SchoolYear, models.PROTECT, related_name="aid_terms", verbose_name="学年")
    season = models.CharField("季节", max_length=6, choices=Season.choices)
    index = models.PositiveIntegerField("序号", db_index=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "学期"
        ordering = ["-index"]
        constraints = [models.UniqueConstraint(fields=["year", "season"], name="aid_term_one_per_season")]

    def __str__(self) -> str:
        return self.code

    @property
    def key(self) -> TermKey:
        return TermKey.parse(self.code)

    @classmethod
    def for_code(cls, code: str) -> "Term":
        """The term of that code, created on first use; its school year must exist."""
        key = TermKey.parse(code)
        term = cls.objects.filter(code=key.code).first()
        if term:
            return term
        start = key.school_year_start
        year = (SchoolYear.objects.filter(code=f"{start}-{start + 1}").first()
                or SchoolYear.objects.filter(start__year=start).first())
        if year is None:
            raise ProgrammeError(f"{key.code}属于{start}-{start + 1}学年，该学年尚未建立")
        term, _ = cls.objects.get_or_create(code=key.code, defaults={"year": year, "season": key.season, "index": key.index})
        return term

    @classmethod
    def of_year(cls, year: SchoolYear) -> list["Term"]:
        """The autumn and spring terms of a school year (created on first use)."""
        autumn, spring = TermKey.of_school_year(year.start.year)
        return [cls.for_code(autumn.code), cls.for_code(spring.code)]
