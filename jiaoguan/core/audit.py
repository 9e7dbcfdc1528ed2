"""Writing the audit log. Every full view, export and import of personal data goes here."""
from __future__ import annotations


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit(user, action, *, request=None, obj=None, object_type="", object_repr="", row_count=None, **detail):
    from .models import AuditLog

    if obj is not None:
        object_type = object_type or obj._meta.verbose_name
        object_repr = object_repr or str(obj)
    return AuditLog.objects.create(
        user=user if (user is not None and user.is_authenticated) else None,
        username=getattr(user, "username", "") or "",
        action=action,
        object_type=str(object_type)[:40],
        object_id=str(getattr(obj, "pk", "") or "")[:40],
        object_repr=str(object_repr)[:200],
        row_count=row_count,
        detail=detail,
        ip=client_ip(request),
    )
