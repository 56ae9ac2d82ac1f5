"""Template filters shared by every page: labels for codes, ages, field errors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.forms import BoundField

from amends.core import clock

register = template.Library()

# Codes whose label is not simply the code in words.
LABELS = {
    "renewal_exit": "Renewal or exit",
    "in_person": "In person",
    "web_form": "Web form",
    "sms": "SMS",
    "bsl": "British Sign Language",
    "dpo": "Data protection officer",
    "solution_proposed": "Solution proposed",
    "follow_up": "Follow-up",
    "awaiting_customer": "Awaiting customer",
}


@register.filter
def label(code: Any) -> str:
    """``partly_upheld`` -> ``Partly upheld``."""
    if code is None or code == "":
        return "—"
    text = str(code)
    return LABELS.get(text, text.replace("_", " ").capitalize())


@register.filter
def age(moment: datetime | None) -> str:
    """How long ago, in the largest whole unit: ``3 days``, ``5 hours``, ``12 minutes``."""
    if moment is None:
        return "—"
    seconds = max(0, int((clock.now() - moment).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'' if n == 1 else 's'}"
    return "just now"


@register.filter
def ago(moment: datetime | None) -> str:
    """``3 days ago``, or ``just now``."""
    text = age(moment)
    return text if text in ("—", "just now") else f"{text} ago"


@register.filter
def described_by(field: BoundField) -> str:
    """The ids a field's ``aria-describedby`` should name: its hint and its error."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.filter
def widget(field: BoundField) -> str:
    """The field's input, tied to its hint and error for screen readers."""
    attrs: dict[str, str | bool] = {}
    ids = described_by(field)
    if ids:
        attrs["aria-describedby"] = ids
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
