"""Reply templates, edited by the organisation. A template that lacks a mandatory item of its
pack's communication, or uses an unknown merge field, is refused with the reason on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from amends.comms import services
from amends.comms.domain import MERGE_FIELDS, Purpose, Section, Structure
from amends.comms.models import Letter, OutboundEmail, ReplyTemplate
from amends.core import clock
from amends.core.errors import AmendsError


def content_of(data: dict[str, Any]) -> services.TemplateContent:
    items = data.get("items") or {}
    return services.TemplateContent(
        code=data.get("code") or "",
        name=data.get("name") or "",
        purpose=Purpose(data.get("purpose") or Purpose.ACKNOWLEDGEMENT.value),
        structure=Structure(data.get("structure") or Structure.LAST.value),
        sections={s.value: data.get(s.value) or "" for s in Section},
        items={str(k): str(v) for k, v in items.items()} if isinstance(items, dict) else {},
        communication=data.get("communication") or "",
        subject=data.get("subject") or "",
        active=bool(data.get("active")),
    )


class ReplyTemplateForm(forms.ModelForm):
    class Meta:
        model = ReplyTemplate
        fields = (
            "code",
            "name",
            "purpose",
            "structure",
            "communication",
            "subject",
            "opening",
            "what_i_heard",
            "empathy",
            "apology",
            "solution",
            "thanks",
            "closing",
            "items",
            "active",
        )
        help_texts = {
            "what_i_heard": "Merge fields: " + ", ".join("{" + f + "}" for f in MERGE_FIELDS),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk:
            data["code"] = self.instance.code
        items = data.get("items")
        if items is not None and not isinstance(items, dict):
            self.add_error("items", 'Write the items as {"item_id": "paragraph text"}.')
            return data
        try:
            services.validate_template(content_of(data))
        except AmendsError as error:
            for name, problems in error.fields.items():
                field = name if name in self.fields else None
                if field is None and name.startswith("items"):
                    field = "items"
                for problem in problems:
                    self.add_error(field, problem)
            if not error.fields or error.message not in str(self.non_field_errors()):
                self.add_error(None, error.message)
        return data


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    form = ReplyTemplateForm
    list_display = ("name", "code", "purpose", "structure", "communication", "active")
    list_filter = ("purpose", "structure", "active")
    search_fields = ("name", "code", "communication")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("code",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = dict(form.cleaned_data)
        data["code"] = obj.code
        saved = services.save_template(
            content=content_of(data),
            actor=request.user,  # type: ignore[arg-type]
            now=clock.now(),
        )
        obj.pk, obj.updated_at = saved.pk, saved.updated_at


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ("case", "to", "subject", "status", "attempts", "sent_at")
    list_filter = ("status",)
    search_fields = ("case__reference", "to", "message_id")
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ("case", "to_name", "format", "status", "created_at", "printed_at")
    list_filter = ("status", "format")
    search_fields = ("case__reference", "to_name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
