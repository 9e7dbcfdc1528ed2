from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, AuditLog, ImportJob, OrgUnit, SchoolYear, User

admin.site.site_header = "教管 系统管理"
admin.site.site_title = "教管"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "section", "org_unit", "school", "is_active", "locked_until")
    list_filter = ("role", "section", "is_active")
    search_fields = ("username", "first_name", "last_name", "phone")
    autocomplete_fields = ("org_unit", "school")
    filter_horizontal = ("inspected_schools", "groups", "user_permissions")
    fieldsets = BaseUserAdmin.fieldsets + (("角色与数据范围", {"fields": ("role", "section", "org_unit", "school", "inspected_schools", "phone")}),)
    actions = ["unlock"]

    @admin.action(description="解除锁定")
    def unlock(self, request, queryset):
        queryset.update(locked_until=None, failed_logins=0)


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ("code", "start", "end", "is_current")


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "action", "object_type", "object_repr", "row_count", "ip")
    list_filter = ("action",)
    search_fields = ("username", "object_repr")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "user", "created", "expires", "last_used")
    readonly_fields = ("prefix", "digest", "created", "last_used")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("started_at", "user", "kind", "filename", "status", "total", "created", "updated")
    list_filter = ("kind", "status")
