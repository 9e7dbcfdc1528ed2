from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jiaoguan.registry"
    label = "registry"
    verbose_name = "学校与师生"

    def ready(self):
        from . import importers  # noqa: F401 - registers the import kinds
