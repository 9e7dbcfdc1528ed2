from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "jiaoguan.reports"
    label = "reports"
    verbose_name = "概览与年度报告"
