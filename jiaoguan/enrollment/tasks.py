from django.tasks import task


def _load(application_id: int):
    from .models import Application

    return Application.objects.select_related("campaign", "campaign__year", "campaign__county").filter(pk=application_id).first()


@task()
def after_submit(application_id: int, created: bool, at: str) -> None:
    """What follows a parent's submission, off the request: its event and SMS, then the checks."""
    import datetime

    from .actions import record_submission, verify

    app = _load(application_id)
    if app is not None:
        record_submission(app, created, datetime.datetime.fromisoformat(at))
        verify(app)


@task()
def verify_application(application_id: int) -> None:
    from .actions import verify

    app = _load(application_id)
    if app is not None:
        verify(app)
