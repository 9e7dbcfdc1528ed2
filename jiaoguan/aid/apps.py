from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "jiaoguan.aid"
    label = "aid"
    verbose_name = "学生资助"
