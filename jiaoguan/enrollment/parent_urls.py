from django.urls import path

from . import parent_views as v

urlpatterns = [
    path("", v.home, name="ruxue_home"),
    path("login/", v.login, name="ruxue_login"),
    path("logout/", v.logout, name="ruxue_logout"),
    path("apply/<int:pk>/", v.apply, name="ruxue_apply"),
    path("apply/<int:pk>/lookup/", v.lookup, name="ruxue_lookup"),
    path("a/<str:token>/", v.status, name="ruxue_status"),
    path("a/<str:token>/upload/", v.upload, name="ruxue_upload"),
    path("gongshi/<int:pk>/", v.result, name="ruxue_result"),
    path("gongshi/<int:pk>/published.csv", v.result_csv, name="ruxue_result_csv"),
]
