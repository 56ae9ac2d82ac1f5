"""Configuration of webhook endpoints, and a read-only view of what was sent to them."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from amends.accounts.models import User
from amends.core import clock
from amends.core.errors import ValidationError
from amends.integrations import domain, services
from amends.integrations.models import WebhookDelivery, WebhookEndpoint
from amends.integrations.tasks import deliver_webhook_task


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


class EndpointForm(forms.ModelForm):
    class Meta:
        model = WebhookEndpoint
        fields = ("name", "url", "events", "active")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            if data.get("url"):
                domain.check_url(data["url"], allow_http=services.http_allowed())
            domain.parse_patterns(data.get("events") or "")
        except ValidationError as exc:
            for name, problems in exc.fields.items():
                self.add_error(
                    name if name in self.fields else None, f"{exc.message} {problems[0]}"
                )
        return data


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Endpoints are created and changed through services; the secret is shown once."""

    form = EndpointForm
    list_display = ("name", "url", "events", "active", "created_at")
    list_filter = ("active",)
    readonly_fields = ("secret_hint", "created_at")
    actions = ("rotate_secrets",)

    @admin.display(description="signing secret")
    def secret_hint(self, obj: WebhookEndpoint) -> str:
        if not obj.secret:
            return "generated when the endpoint is saved"
        return f"{obj.secret[:6]}…{obj.secret[-4:]} (rotate it to see a new one)"

    def save_model(
        self, request: HttpRequest, obj: WebhookEndpoint, form: forms.ModelForm, change: bool
    ) -> None:
        data = form.cleaned_data
        if change:
            services.change_endpoint(
                endpoint=obj,
                name=data["name"],
                url=data["url"],
                events=data["events"],
                active=data["active"],
                actor=_actor(request),
                now=clock.now(),
            )
            return
        created = services.create_endpoint(
            name=data["name"],
            url=data["url"],
            events=data["events"],
            active=data["active"],
            actor=_actor(request),
            now=clock.now(),
        )
        obj.pk, obj.secret, obj.created_at = created.pk, created.secret, created.created_at
        messages.warning(
            request,
            f"Signing secret for {created.name}: {created.secret} — copy it into the receiver "
            "now; it is not shown again.",
        )

    @admin.action(description="Rotate the signing secret of the selected endpoints")
    def rotate_secrets(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            secret = services.rotate_secret(
                endpoint=endpoint, actor=_actor(request), now=clock.now()
            )
            messages.warning(request, f"New signing secret for {endpoint.name}: {secret}")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "endpoint",
        "event_type",
        "stream",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = ("status", "endpoint", "event_type")
    search_fields = ("stream", "uuid")
    actions = ("retry",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Send the selected deliveries again")
    def retry(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        now = clock.now()
        for delivery in queryset:
            with transaction.atomic():
                services.retry_delivery(delivery=delivery, now=now)
                transaction.on_commit(partial(deliver_webhook_task, delivery.pk))
        messages.info(request, f"{queryset.count()} deliveries queued to be sent again.")
