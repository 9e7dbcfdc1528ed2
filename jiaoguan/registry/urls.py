from django.urls import path

from . import views as v

urlpatterns = [
    path("", v.org_tree, name="org_tree"),
    path("schools/", v.school_list, name="school_list"),
    path("schools/<str:code>/", v.school_detail, name="school_detail"),
    path("schools/<str:code>/edit/", v.school_edit, name="school_edit"),
    path("schools/<str:code>/facts/<str:year>/", v.facts_edit, name="facts_edit"),
    path("classes/", v.class_list, name="class_list"),
    path("pupils/", v.pupil_list, name="pupil_list"),
    path("pupils/<int:pk>/", v.pupil_detail, name="pupil_detail"),
    path("pupils/<int:pk>/edit/", v.pupil_edit, name="pupil_edit"),
    path("teachers/", v.teacher_list, name="teacher_list"),
    path("teachers/<int:pk>/", v.teacher_detail, name="teacher_detail"),
]
