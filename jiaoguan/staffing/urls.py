from django.urls import path

from .views import overview, rotation, teacher, training

urlpatterns = [
    path("", overview.home, name="staffing_home"),
    path("structure/", overview.structure_page, name="staffing_structure"),
    path("rotation/", rotation.plan_page, name="staffing_rotation"),
    path("rotation/adopt/", rotation.adopt_plan, name="staffing_rotation_adopt"),
    path("rotation/record/", rotation.record, name="staffing_rotation_record"),
    path("rotation/<int:pk>/cancel/", rotation.cancel, name="staffing_rotation_cancel"),
    path("training/", training.training_page, name="staffing_training"),
    path("teachers/<int:pk>/", teacher.teacher_page, name="staffing_teacher"),
]
