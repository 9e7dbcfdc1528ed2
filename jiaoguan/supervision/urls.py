from django.urls import path

from . import views as v
from . import views_checklist as c

urlpatterns = [
    path("", v.county_page, name="supervision_home"),
    path("school/<str:code>/", v.school_page, name="supervision_school"),
    path("<str:code>/", v.county_page, name="supervision_county"),
    path("<str:code>/run/", v.run_now, name="supervision_run"),
    path("<str:code>/checklist/", c.checklist_page, name="supervision_checklist"),
    path("<str:code>/summary.docx", c.summary_docx, name="supervision_summary"),
    path("<str:code>/<str:standard>/cv.xlsx", c.cv_workbook, name="supervision_cv_workbook"),
    path("<str:code>/<str:standard>/<str:stage>/<str:indicator>/", v.indicator_page, name="supervision_indicator"),
]
