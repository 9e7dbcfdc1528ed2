"""The workforce figures of a school year in one dictionary: what `jiaoguan staffing stats`
prints and what the annual report can quote. Keys are stable; numbers are unrounded."""
from __future__ import annotations

from . import rotation_stats, structure, training_stats
from .rules import RotationRule


def staffing_stats(year, schools=None, *, eligible_years: int | None = None) -> dict:
    rotation = rotation_stats.rotation_figures(year, schools, RotationRule.from_rules(eligible_years=eligible_years))
    training = training_stats.training_summary(year, schools)
    spending = training_stats.spending_summary(training_stats.school_spending(year, schools))
    age = structure.age_structure(year, schools)
    return {
        "year": year.start.year,
        "school_year": year.code,
        "rotation": rotation,
        "training": {
            "teachers": training["teachers"],
            "behind_360_hours": training["behind_360_hours"],
            "schools_under_5_percent": spending["under"],
            "schools_with_budget": spending["schools"],
            "completed_360_hours": training["completed_360_hours"],
            "on_pace_share": training["on_pace_share"],
            "mean_year_hours": training["mean_year_hours"],
            "cycle": training["cycle"],
            "by_level": training["by_level"],
        },
        "age": {k: v for k, v in age.items() if k not in ("pyramid", "on")},
    }
