"""What every app's REST endpoints share (each app's `api.py` holds its ninja Router; the root
`jiaoguan/api.py` puts them together under /api/): token auth, the error schema, the school year
of a request, and masking with its audit.

Token auth (`Authorization: Bearer jg_…`), the same scope as the pages: every endpoint starts
from `.restrict(user)` or the app's permissions module. ID and phone numbers are masked unless
the role may see them and the caller asks with `full=true`, which is audited.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone
from ninja import Schema
from ninja.security import HttpBearer

from jiaoguan.core.audit import audit
from jiaoguan.core.models import ApiToken, AuditLog, SchoolYear


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        row = ApiToken.objects.select_related("user").filter(digest=ApiToken.hash(token)).first()
        if row is None or not row.user.is_active or (row.expires and row.expires < timezone.now()):
            return None
        if not row.last_used or timezone.now() - row.last_used > datetime.timedelta(minutes=5):
            ApiToken.objects.filter(pk=row.pk).update(last_used=timezone.now())
        request.user = row.user
        return row.user


class Error(Schema):
    detail: str


def year_or_current(code: str | None) -> SchoolYear | None:
    """The school year of that code ("2025-2026"); the current one when none or unknown."""
    return (SchoolYear.objects.filter(code=code).first() if code else None) or SchoolYear.current()


def full_view(request, full: bool, what: str, rows: int) -> bool:
    """Show full ID and phone numbers? Only when asked and the role allows it; then audited."""
    if not full:
        return False
    if not request.user.can_view_pii:
        return False
    audit(request.user, AuditLog.Action.VIEW_PII, request=request, object_type=what, object_repr=f"API {request.path}", row_count=rows)
    return True


class MaskedPage:
    """A queryset the paginator slices lazily, so masking and auditing see only that page.

    `row(obj, full)` turns one object into the output schema, masked unless `full`."""

    def __init__(self, qs, request, full: bool, what: str, row: Callable):
        self.qs, self.request, self.full, self.what, self.row = qs, request, full, what, row

    def count(self):
        return self.qs.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        rows = list(self.qs[item])
        full = full_view(self.request, self.full, self.what, len(rows))
        return [self.row(obj, full) for obj in rows]
