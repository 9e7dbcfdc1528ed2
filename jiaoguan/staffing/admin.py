from django.contrib import admin

from . import models as m


class SessionInline(admin.TabularInline):
    model = m.Session
    extra = 0


@admin.register(m.Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "year", "organizer", "school")
    list_filter = ("level", "year")
    search_fields = ("name", "organizer")
    inlines = [SessionInline]
    raw_id_fields = ("school",)


@admin.register(m.Rotation)
class RotationAdmin(admin.ModelAdmin):
    list_display = ("teacher", "year", "kind", "from_school", "to_school", "start", "end", "backbone", "eligible")
    list_filter = ("kind", "year", "eligible")
    raw_id_fields = ("teacher", "from_school", "to_school", "plan_line", "recorded_by")
    search_fields = ("teacher__name",)


@admin.register(m.RotationPlan)
class RotationPlanAdmin(admin.ModelAdmin):
    list_display = ("org_unit", "year", "eligible", "required", "backbone_required", "created_by", "created_at")
