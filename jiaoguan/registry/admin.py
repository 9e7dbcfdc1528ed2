from django.contrib import admin

from . import models as m


@admin.register(m.School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "org_unit", "type", "location", "ownership", "is_active")
    list_filter = ("type", "location", "ownership")
    search_fields = ("code", "name", "initials")
    autocomplete_fields = ("parent",)
