"""Configuration pages for people and teams (Django admin, restricted to staff)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.forms import ModelForm
from django.http import HttpRequest

from amends.accounts.models import ApiToken, Team, User
from amends.core import clock

admin.site.site_header = "Amends configuration"
admin.site.site_title = "Amends configuration"
admin.site.index_title = "Teams, people, categories and definitions"


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "handles_cases")
    list_filter = ("handles_cases",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at",)

    def save_model(self, request: HttpRequest, obj: Team, form: ModelForm, change: bool) -> None:
        if obj.created_at is None:
            obj.created_at = clock.now()
        super().save_model(request, obj, form, change)


@admin.register(User)
class AmendsUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "role", "is_active")
    list_filter = ("role", "is_active", "teams")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Role in Amends", {"fields": ("role", "teams")}),
    )
    add_fieldsets = (
        *(UserAdmin.add_fieldsets or ()),
        ("Role in Amends", {"fields": ("role", "teams")}),
    )
    filter_horizontal = ("teams", "groups", "user_permissions")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with ``amends token``; here they can be seen and checked, not made."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
