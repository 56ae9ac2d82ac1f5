"""Configuration of the organisation's service levels."""

from __future__ import annotations

from django.contrib import admin

from amends.sla.models import ServiceLevelPolicy


@admin.register(ServiceLevelPolicy)
class ServiceLevelPolicyAdmin(admin.ModelAdmin):
    list_display = ("name", "target", "count", "unit", "kind", "priority", "severity", "active")
    list_filter = ("target", "active", "kind", "priority")
    search_fields = ("name", "category", "segment")
