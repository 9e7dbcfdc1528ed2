"""Row-level scope: a user sees the schools under its org unit, its one school, or the
schools it inspects, and every row that hangs off them (NetBox's RestrictedQuerySet idea).

Pages, exports and the API all call `.restrict(user)`; nothing relies on hiding links.
"""
from __future__ import annotations

from django.db import models


def unrestricted(user) -> bool:
    return bool(user.is_superuser or getattr(user, "role", None) == "admin")


def scoped_school_ids(user):
    """A queryset of the ids of the schools the user may see (unrestricted users: None)."""
    from jiaoguan.registry.models import School

    if not user or not user.is_authenticated:
        return School.objects.none().values("pk")
    if unrestricted(user):
        return None
    if user.role == "school_admin":
        return School.objects.filter(pk=user.school_id).values("pk") if user.school_id else School.objects.none().values("pk")
    if user.role == "inspector":
        return user.inspected_schools.values("pk")
    if user.org_unit_id:
        return School.objects.filter(org_unit__path__startswith=user.org_unit.path).values("pk")
    return School.objects.none().values("pk")


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user):
        schools = scoped_school_ids(user)
        if schools is None:
            return self
        field = self.model.scope_school_field
        if field == "pk":
            return self.filter(pk__in=schools)
        if "__" in field:
            # a to-many path (pupil → enrolments → school): filter by subquery, no duplicates
            related, _, rest = field.partition("__")
            rel = self.model._meta.get_field(related)
            sub = rel.related_model.objects.filter(**{f"{rest}__in": schools}).values(rel.field.name)
            return self.filter(pk__in=sub)
        return self.filter(**{f"{field}__in": schools})
