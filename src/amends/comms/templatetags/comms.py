"""The case page's "Letters and emails" panel: outbound emails with their delivery status,
letters waiting to be printed, and the way into the composer."""

from __future__ import annotations

from typing import Any

from django import template

from amends.comms import selectors
from amends.comms.domain import DELIVERY_ATTEMPTS, LetterStatus

register = template.Library()


@register.inclusion_tag("comms/_correspondence.html", takes_context=True)
def correspondence(context: template.Context, case: Any) -> dict[str, Any]:
    letters = list(selectors.list_letters(case))
    return {
        "case": case,
        "csrf_token": context.get("csrf_token"),
        "can_change": context.get("can_change", False),
        "finished": context.get("finished", False),
        "emails": list(selectors.list_emails(case)),
        "attempts": DELIVERY_ATTEMPTS,
        "to_print": [item for item in letters if item.status == LetterStatus.TO_PRINT.value],
        "printed": [item for item in letters if item.status == LetterStatus.PRINTED.value],
    }


@register.simple_tag
def deliveries(case: Any) -> dict[int, tuple[str, str]]:
    """How each message sent on the case went out, by timeline event: see ``delivery_of``."""
    return selectors.deliveries_by_event(case)


@register.filter
def delivery_of(found: dict[int, tuple[str, str]], seq: int) -> tuple[str, str] | None:
    return found.get(seq) if isinstance(found, dict) else None
