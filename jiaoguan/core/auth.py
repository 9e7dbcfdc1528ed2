"""Log-in lockout after repeated failures and the password rule (等保 level 3)."""
from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.utils import timezone

from .audit import audit


class LockoutModelBackend(ModelBackend):
    """Counts failed log-ins per account; after LOGIN_MAX_FAILURES the account is locked for
    LOGIN_LOCK_MINUTES, even for the right password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        from .models import AuditLog, User

        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            User().set_password(password)  # same cost as a real check: no user enumeration by timing
            audit(None, AuditLog.Action.LOGIN_FAILED, request=request, object_repr=str(username)[:100])
            return None
        if user.is_locked:
            audit(user, AuditLog.Action.LOGIN_FAILED, request=request, object_repr="账号锁定期间尝试登录")
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            if user.failed_logins:
                user.failed_logins = 0
                user.save(update_fields=["failed_logins"])
            return user
        user.failed_logins += 1
        fields = ["failed_logins"]
        if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
            user.locked_until = timezone.now() + datetime.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
            user.failed_logins = 0
            fields.append("locked_until")
            audit(user, AuditLog.Action.LOCKED, request=request, object_repr=f"连续{settings.LOGIN_MAX_FAILURES}次密码错误")
        else:
            audit(user, AuditLog.Action.LOGIN_FAILED, request=request)
        user.save(update_fields=fields)
        return None


class CharacterClassValidator:
    """At least three of: upper case, lower case, digits, symbols."""

    def validate(self, password, user=None):
        classes = sum(
            [any(c.isupper() for c in password), any(c.islower() for c in password),
             any(c.isdigit() for c in password), any(not c.isalnum() for c in password)]
        )
        if classes < 3:
            raise ValidationError("密码须包含大写字母、小写字母、数字、符号中的至少三类。", code="password_classes")

    def get_help_text(self):
        return "密码须包含大写字母、小写字母、数字、符号中的至少三类。"
