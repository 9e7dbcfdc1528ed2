from django.urls import path

from . import views as v

urlpatterns = [
    path("", v.home, name="aid_home"),
    path("programmes/", v.programme_list, name="aid_programmes"),
    path("lists/", v.list_index, name="aid_lists"),
    path("lists/generate/", v.generate, name="aid_generate"),
    path("lists/<int:pk>/", v.list_detail, name="aid_list"),
    path("lists/<int:pk>/<slug:step>/", v.list_step, name="aid_list_step"),
    path("entries/<int:pk>/<slug:step>/", v.entry_step, name="aid_entry_step"),
    path("conflicts/", v.conflict_list, name="aid_conflicts"),
    path("hardship/", v.hardship, name="aid_hardship"),
    path("hardship/recognise/", v.recognise, name="aid_recognise"),
    path("hardship/recognitions/<int:pk>/revoke/", v.revoke, name="aid_revoke"),
    path("batches/", v.batch_list, name="aid_batches"),
    path("batches/create/", v.batch_create, name="aid_batch_create"),
    path("batches/<int:pk>/", v.batch_detail, name="aid_batch"),
    path("batches/<int:pk>/bank.xlsx", v.batch_export, name="aid_batch_export"),
    path("accounts/<int:pk>/", v.account_update, name="aid_account"),
    path("loans/", v.loan_list, name="aid_loans"),
    path("imports/<slug:kind>/", v.import_file, name="aid_import"),
    path("imports/<slug:kind>/template.xlsx", v.download_template, name="aid_template"),
    path("imports/job/<int:pk>/", v.import_result, name="aid_import_result"),
]
