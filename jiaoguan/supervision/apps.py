from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "jiaoguan.supervision"
    label = "supervision"
    verbose_name = "督导评估"
