from django.apps import AppConfig


class StaffingConfig(AppConfig):
    name = "jiaoguan.staffing"
    label = "staffing"
    verbose_name = "教师队伍"

    def ready(self):
        from . import importers  # noqa: F401 - registers the "training" import kind
