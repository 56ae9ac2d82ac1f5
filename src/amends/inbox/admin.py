"""Staff see every email that came in, find the flagged and ignored ones, and download the
original of any that was kept. Read-only: what became of an email is decided by mail in."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import FileResponse, Http404, HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from amends.inbox import selectors
from amends.inbox.models import InboundEmail


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    list_display = ("received_at", "status", "from_address", "subject", "case", "reason")
    list_filter = ("status", "source")
    search_fields = ("message_id", "from_address", "subject")
    date_hierarchy = "received_at"
    ordering = ("-received_at",)
    readonly_fields = ("original",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Original email")
    def original(self, obj: InboundEmail) -> str:
        if not obj.storage_name:
            return "Not kept (the email was refused)."
        url = reverse("admin:inbox_inboundemail_original", args=[obj.pk])
        return format_html('<a href="{}" download>Download the original (.eml)</a>', url)

    def get_urls(self) -> list[URLPattern]:
        download = path(
            "<int:pk>/original/",
            self.admin_site.admin_view(self.download_original),
            name="inbox_inboundemail_original",
        )
        return [download, *super().get_urls()]

    def download_original(self, request: HttpRequest, pk: int) -> FileResponse:
        """The message exactly as it arrived, as a download (never shown in the browser)."""
        if not self.has_view_permission(request):
            raise Http404
        found = selectors.open_original(pk)
        if found is None:
            raise Http404("That email was not kept.")
        return FileResponse(
            found,
            as_attachment=True,
            filename=f"inbound-{pk}.eml",
            content_type="message/rfc822",
        )
