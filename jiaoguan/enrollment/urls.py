from django.urls import path

from . import views as v

urlpatterns = [
    path("", v.campaign_list, name="enrol_home"),
    path("<int:pk>/", v.overview, name="enrol_overview"),
    path("<int:pk>/advance/", v.advance, name="enrol_advance"),
    path("<int:pk>/review/", v.review_queue, name="enrol_review"),
    path("<int:pk>/applications/", v.application_list, name="enrol_applications"),
    path("<int:pk>/zones/", v.zones_page, name="enrol_zones"),
    path("<int:pk>/zones/template.xlsx", v.zones_template, name="enrol_zones_template"),
    path("<int:pk>/zones/rematch/", v.rematch, name="enrol_rematch"),
    path("<int:pk>/ceremony/", v.ceremony_page, name="enrol_ceremony"),
    path("<int:pk>/ceremony/<slug:action>/", v.ceremony_action, name="enrol_ceremony_action"),
    path("<int:pk>/roster.txt", v.roster_download, name="enrol_roster"),
    path("<int:pk>/published.csv", v.published_csv, name="enrol_published"),
    path("a/<str:token>/", v.application_detail, name="enrol_application"),
    path("a/<str:token>/zone/", v.set_zone, name="enrol_set_zone"),
    path("a/<str:token>/override/", v.override, name="enrol_override"),
    path("doc/<int:pk>/review/", v.review_document, name="enrol_review_document"),
    path("doc/<int:pk>/file/", v.document_file, name="enrol_document_file"),
]
