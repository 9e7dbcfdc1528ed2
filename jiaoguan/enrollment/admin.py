"""Campaign set-up in the admin site: campaigns with their schools and policy, zones and their
address units (the Excel import on the zones page is the usual way), department records."""
from django.contrib import admin

from . import models as m


class CampaignSchoolInline(admin.TabularInline):
    model = m.CampaignSchool
    extra = 0
    autocomplete_fields = ["school"]


@admin.register(m.Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "county", "year", "stage", "status"]
    list_filter = ["stage", "status"]
    inlines = [CampaignSchoolInline]
    readonly_fields = ["roster_hash", "frozen_at", "entropy", "seed", "drawn_at"]


class AddressUnitInline(admin.TabularInline):
    model = m.AddressUnit
    extra = 0


@admin.register(m.Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign"]
    list_filter = ["campaign"]
    filter_horizontal = ["schools"]
    inlines = [AddressUnitInline]


@admin.register(m.DepartmentRecord)
class DepartmentRecordAdmin(admin.ModelAdmin):
    list_display = ["kind", "id_number", "imported_at"]
    list_filter = ["kind"]
    search_fields = ["id_number"]
