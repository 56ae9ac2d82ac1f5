"""The person's notifications: clocks about to run out, breaches escalated to them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from amends.accounts.auth import web_user
from amends.core import clock
from amends.sla import selectors, services

SHOWN = 100


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    user = web_user(request)
    items = list(selectors.list_notifications(user)[:SHOWN])
    return render(request, "sla/notifications.html", {"items": items, "nav": "notifications"})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    services.mark_notifications_read(user=web_user(request), now=clock.now())
    return redirect("notifications")
