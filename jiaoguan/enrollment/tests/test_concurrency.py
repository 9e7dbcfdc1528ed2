"""One application per child even when the same form arrives many times at once."""
import datetime
import threading

import pytest
from django.db import close_old_connections

from jiaoguan.enrollment import actions
from jiaoguan.enrollment.models import Application, Campaign
from tests.factories import build_world, make_id


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_make_one_application(settings, tmp_path):
    settings.SMS_FILE = tmp_path / "sms.log"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    world = build_world()
    campaign = Campaign.objects.create(county=world["county"], year=world["years"][1], stage="primary", name="c",
                                       policy={"categories": [{"id": "A", "all": []}]}, status=Campaign.Status.OPEN)
    data = {"child_id_number": make_id("430321", datetime.date(2020, 3, 1), 1), "child_name": "张小明"}
    errors, results = [], []

    def submit():
        try:
            results.append(actions.submit(campaign, dict(data), "13800000000"))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert Application.objects.count() == 1
    assert sum(1 for _, created in results if created) == 1
