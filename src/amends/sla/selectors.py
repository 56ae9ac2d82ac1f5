from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from amends.sla.models import CaseClock, Notification

if TYPE_CHECKING:
    from amends.accounts.models import User
    from amends.cases.models import Case


def list_clocks(case: Case) -> QuerySet[CaseClock]:
    return CaseClock.objects.filter(case=case).order_by("pack", "due_on", "id")


def list_notifications(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    found = Notification.objects.filter(user=user).select_related("case")
    if unread_only:
        found = found.filter(read_at__isnull=True)
    return found.order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
