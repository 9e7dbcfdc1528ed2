"""Verification backends, pluggable the way Django's e-mail backends are: settings name a class
(VERIFICATION_BACKEND) and its options (VERIFICATION_OPTIONS)."""
from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from .base import BaseBackend, Result  # noqa: F401

KINDS = ("hukou", "property", "residence", "social_insurance")


def get_backend() -> BaseBackend:
    path = getattr(settings, "VERIFICATION_BACKEND", "jiaoguan.enrollment.verification.local.LocalBackend")
    return import_string(path)(**getattr(settings, "VERIFICATION_OPTIONS", {}))
