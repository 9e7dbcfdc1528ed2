from django.tasks import task


@task()
def verify_application(application_id: int) -> None:
    from .actions import verify
    from .models import Application

    app = Application.objects.select_related("campaign", "campaign__year", "campaign__county").filter(pk=application_id).first()
    if app is not None:
        verify(app)
