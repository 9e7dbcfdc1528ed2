"""Background work: large imports run here, reporting progress to their ImportJob row."""
from __future__ import annotations

import logging
from pathlib import Path

from django.tasks import task
from django.utils import timezone

log = logging.getLogger(__name__)


def execute_import(job_id: int) -> None:
    from .importing import ImportContext, run_import
    from .models import ImportJob

    job = ImportJob.objects.select_related("user", "year").get(pk=job_id)
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])

    def progress(done, total, phase):
        ImportJob.objects.filter(pk=job_id).update(done=done, total=total or job.total, phase=phase)

    try:
        result = run_import(job.kind, Path(job.stored), ImportContext(user=job.user, year=job.year, progress=progress))
    except Exception as exc:  # noqa: BLE001 - the page must show something, the log has the trace
        log.exception("import %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED, message=f"导入出错，未写入任何数据：{exc}", finished_at=timezone.now()
        )
        return
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.DONE if result.ok else ImportJob.Status.REJECTED,
        total=result.total, done=result.total, created=result.created, updated=result.updated,
        unchanged=result.unchanged, message=result.summary(), error_lines=result.error_lines(),
        warning_lines=[f"第{i + 2}行：{'；'.join(m)}" for i, m in sorted(result.warnings.items())[:50]],
        error_file=str(result.error_file or ""), finished_at=timezone.now(), phase="完成",
    )


@task()
def import_file(job_id: int) -> None:
    execute_import(job_id)
