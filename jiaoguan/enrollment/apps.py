from django.apps import AppConfig


class EnrollmentConfig(AppConfig):
    name = "jiaoguan.enrollment"
    label = "enrollment"
    verbose_name = "新生入学"
