from django.urls import path

from . import views as v

urlpatterns = [
    path("", v.editor, name="report_editor"),
    path("<str:code>/", v.editor, name="report_editor_county"),
    path("<str:code>/export.<str:kind>", v.export, name="report_export"),
]
