from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiaoguan.core"
    label = "core"
    verbose_name = "基础"
