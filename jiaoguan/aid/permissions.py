"""Who may do what in 学生资助. Views and actions both ask here; actions raise AidDenied.

- 学生资助中心 staff (section `aid`) and system administrators run the workflow in their scope;
- a school administrator declares its own school's list (confirm/object, 认定, submit);
- leaders, other sections and inspectors read within their scope.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied

from jiaoguan.core.models import Role, Section
from jiaoguan.core.scope import unrestricted
from jiaoguan.registry.models import School


class AidDenied(PermissionDenied):
    """The user's role may not do this (message in Chinese)."""


class AidError(ValueError):
    """The action is not possible in the current state (message in Chinese)."""


def is_aid_office(user) -> bool:
    if not user or not user.is_authenticated:
        return False
    return unrestricted(user) or (user.role == Role.STAFF and user.section == Section.AID)


def is_school_admin(user) -> bool:
    return bool(user and user.is_authenticated and not unrestricted(user) and user.role == Role.SCHOOL_ADMIN)


def in_scope(user, school) -> bool:
    return School.objects.restrict(user).filter(pk=school.pk).exists()


def can_declare(user, school) -> bool:
    """Confirm, object, 认定 and submit for this school: its own administrator or the office."""
    if is_school_admin(user):
        return user.school_id == school.pk
    return is_aid_office(user) and in_scope(user, school)


def require_office(user, what: str) -> None:
    if not is_aid_office(user):
        raise AidDenied(f"只有学生资助中心可以{what}")


def require_declarer(user, school, what: str) -> None:
    if not can_declare(user, school):
        raise AidDenied(f"只有{school.name}的学校管理员或学生资助中心可以{what}")


def require_office_for(user, school, what: str) -> None:
    require_office(user, what)
    if not in_scope(user, school):
        raise AidDenied(f"{school.name}不在您的管辖范围内")
