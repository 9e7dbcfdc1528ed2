from django.urls import path

from . import import_views as v

urlpatterns = [
    path("<slug:kind>/", v.import_page, name="import"),
    path("<slug:kind>/template.xlsx", v.download_template, name="import_template"),
    path("job/<int:pk>/", v.import_job, name="import_job"),
    path("job/<int:pk>/errors.xlsx", v.import_errors, name="import_errors"),
]
