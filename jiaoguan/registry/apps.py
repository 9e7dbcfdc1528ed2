from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jiaoguan.registry"
    label = "registry"
    verbose_name = "学校与师生"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from jiaoguan.core.cache import bump

        from . import importers  # noqa: F401 - registers the import kinds
        from . import models as m

        for model in (m.School, m.SchoolFacts, m.SchoolClass, m.Pupil, m.Enrolment, m.Teacher, m.Posting):
            post_save.connect(bump, sender=model, dispatch_uid=f"bump-{model.__name__}")
            post_delete.connect(bump, sender=model, dispatch_uid=f"bump-del-{model.__name__}")
