"""The local backend: lists imported from other departments (DepartmentRecord rows)."""
from __future__ import annotations

import time

from .base import BaseBackend, Result, facts_from


class LocalBackend(BaseBackend):
    name = "local"

    def __init__(self, **options):
        self.options = options

    def check(self, kind: str, id_number: str) -> Result:
        from jiaoguan.enrollment.models import DepartmentRecord

        started = time.perf_counter()
        record = DepartmentRecord.objects.filter(kind=kind, id_number=id_number).order_by("-imported_at").first()
        ms = int((time.perf_counter() - started) * 1000)
        request = {"kind": kind, "id_number": id_number}
        if record is None:
            return Result(kind, "not_found", request=request, milliseconds=ms)
        return Result(kind, "match", facts_from(kind, record.data), request=request, response=record.data, milliseconds=ms)
