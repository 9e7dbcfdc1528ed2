from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "jiaoguan.aid"
    label = "aid"
    verbose_name = "学生资助"

    def ready(self):
        from . import importers  # noqa: F401 - registers aid_lists, aid_returns, aid_payments
