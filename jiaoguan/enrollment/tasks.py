from django.tasks import task


def _load(application_id: int):
    from .models import Application

    return Application.objects.select_related("campaign", "campaign__year", "campaign__county").filter(pk=application_id).first()


@task()
def follow_up_submissions() -> int:
    """The applications submitted or changed since the last run (see actions.follow_up)."""
    from .actions import follow_up

    return follow_up()


@task()
def verify_application(application_id: int) -> None:
    from .actions import record_submission, verify

    app = _load(application_id)
    if app is not None:
        if app.status == app.Status.SUBMITTED:  # a follow-up cut short: its event and SMS, once
            record_submission(app)
        verify(app)
