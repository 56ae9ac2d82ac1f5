"""The sweep that warns owners before a deadline and escalates a breach, each exactly once,
and the in-app (and emailed) notifications it sends."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from amends.accounts import selectors as account_selectors
from amends.core import timeline
from amends.sla.models import CaseClock, Notification
from amends.sla.services.clocks import organisation_calendar

if TYPE_CHECKING:
    from amends.accounts.models import User
    from amends.cases.models import Case


log = logging.getLogger(__name__)


@dataclass
class SweepResult:
    warned: int = 0
    breached: int = 0


def _leads_of(case: Case) -> list[int]:
    return account_selectors.team_lead_ids(case.team_id)


def notify(*, user_ids: list[int], case: Case, kind: str, message: str, now: datetime) -> None:
    """Tell these people, in the app and by email after commit."""
    _notify(user_ids, case, kind, message, now)


def _notify(user_ids: list[int], case: Case, kind: str, message: str, now: datetime) -> None:
    Notification.objects.bulk_create(
        [
            Notification(user_id=u, case=case, kind=kind, message=message, created_at=now)
            for u in user_ids
        ]
    )
    addresses = account_selectors.email_addresses(user_ids)
    if addresses:
        transaction.on_commit(lambda: _send(addresses, message))


def _send(addresses: list[str], message: str) -> None:
    try:
        send_mail(
            subject=message[:120],
            message=message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=addresses,
        )
    except Exception:  # the in-app notification stands; a mail failure is logged, not lost
        log.exception("could not email %s", addresses)


def _claim(pk: int, field: str, now: datetime) -> CaseClock | None:
    """Set ``field`` on the clock if nobody has yet: the one way a sweep acts on a clock."""
    if not CaseClock.objects.filter(pk=pk, **{f"{field}__isnull": True}).update(**{field: now}):
        return None
    return CaseClock.objects.select_related("case").get(pk=pk)


def _record(clock: CaseClock, event_type: str, now: datetime, **extra: object) -> None:
    timeline.record_event(
        stream=clock.case.stream,
        type=event_type,
        actor=None,
        now=now,
        data={
            "pack": clock.pack,
            "rule": clock.rule,
            "due": clock.due_on.isoformat() if clock.due_on else None,
            **extra,
        },
    )


def sweep(*, now: datetime, limit: int = 10_000) -> SweepResult:
    """Warn owners of clocks past their warning share, and escalate breached clocks to the
    team leads, each exactly once: a clock is claimed by a conditional update, so two workers
    running the same sweep never both act on it."""
    today = organisation_calendar().local_date(now)
    result = SweepResult()
    # Two range reads on the running-clocks index (an OR of the two would scan them all):
    # days already past, and today's working-hours clocks whose moment has gone.
    running = CaseClock.objects.filter(stopped_at__isnull=True, breached_at__isnull=True)
    due_ids = list(running.filter(due_on__lt=today).values_list("pk", flat=True)[:limit])
    due_ids += list(
        running.filter(due_on=today, due_at__lt=now).values_list("pk", flat=True)[:limit]
    )
    for pk in due_ids:
        with transaction.atomic():
            clock = _claim(pk, "breached_at", now)
            if clock is None:
                continue
            case = clock.case
            leads = _leads_of(case)
            _record(clock, "clock.breached", now, escalated_to=leads)
            message = (
                f"{case.reference}: {clock.title} was due on {clock.due_on:%d %b %Y} and has "
                "not been met."
            )
            owners = [case.assignee_id] if case.assignee_id else []
            _notify(sorted(set(leads + owners)), case, "breach", message, now)
            result.breached += 1
    warn_ids = list(
        CaseClock.objects.filter(
            stopped_at__isnull=True, warned_at__isnull=True, warn_on__lte=today, due_on__gte=today
        ).values_list("pk", flat=True)[:limit]
    )
    for pk in warn_ids:
        with transaction.atomic():
            clock = _claim(pk, "warned_at", now)
            if clock is None:
                continue
            case = clock.case
            _record(clock, "clock.warned", now)
            recipients = [case.assignee_id] if case.assignee_id else _leads_of(case)
            message = f"{case.reference}: {clock.title} is due on {clock.due_on:%d %b %Y}."
            _notify(recipients, case, "warning", message, now)
            result.warned += 1
    return result


def mark_notifications_read(*, user: User, now: datetime) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now)
