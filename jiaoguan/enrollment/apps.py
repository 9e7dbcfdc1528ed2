from django.apps import AppConfig


class EnrollmentConfig(AppConfig):
    name = "jiaoguan.enrollment"
    label = "enrollment"
    verbose_name = "新生入学"

    def ready(self):
        from . import importers  # noqa: F401 - registers the "zones" import kind
