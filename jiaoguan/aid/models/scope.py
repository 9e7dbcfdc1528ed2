"""Scope for aid rows: through a chain of foreign keys to the school, or through the pupil."""
from __future__ import annotations

from jiaoguan.core.scope import ScopedQuerySet, scoped_school_ids


class AidQuerySet(ScopedQuerySet):
    """`scope_school_field` is a chain of foreign keys ("entitlement__school"), so a plain
    filter never duplicates rows; `scope_pupil_field` scopes by the pupil's enrolments."""

    def restrict(self, user):
        schools = scoped_school_ids(user)
        if schools is None:
            return self
        pupil_field = getattr(self.model, "scope_pupil_field", None)
        if pupil_field:
            from django.db.models import Exists, OuterRef

            from jiaoguan.registry.models import Enrolment

            # EXISTS per row uses the (pupil, year) index; an IN over every enrolment in scope does not
            return self.filter(Exists(Enrolment.objects.filter(pupil=OuterRef(pupil_field), school__in=schools)))
        return self.filter(**{f"{self.model.scope_school_field}__in": schools})
