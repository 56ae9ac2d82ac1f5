"""Configuration pages for the case taxonomy and complaint definitions."""

from __future__ import annotations

from django.contrib import admin

from amends.cases.models import Category, ComplaintDefinition


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "parent", "active")
    list_filter = ("active",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(ComplaintDefinition)
class ComplaintDefinitionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "active")
    search_fields = ("code", "name")
