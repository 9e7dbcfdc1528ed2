from django.urls import path

from . import views as v

urlpatterns = [
    path("", v.county_page, name="supervision_home"),
    path("school/<str:code>/", v.school_page, name="supervision_school"),
    path("<str:code>/", v.county_page, name="supervision_county"),
    path("<str:code>/run/", v.run_now, name="supervision_run"),
    path("<str:code>/<str:standard>/<str:stage>/<str:indicator>/", v.indicator_page, name="supervision_indicator"),
]
