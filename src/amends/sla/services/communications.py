"""The communications the organisation's packs require, and the check of their content."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings

from amends.core.errors import PolicyViolationError, ValidationError
from amends.policies.packs import get_pack
from amends.sla.domain import (
    missing_items,
)

if TYPE_CHECKING:
    pass


def communication_choices() -> list[tuple[str, str]]:
    """The communications the organisation's packs require, as ``pack/id`` and a title."""
    return [
        (f"{pack_id}/{c.id}", f"{c.title} ({pack_id})")
        for pack_id in settings.AMENDS_POLICY_PACKS
        for c in get_pack(pack_id).communications
    ]


def content_item_choices() -> list[str]:
    return sorted(
        {
            item
            for pack_id in settings.AMENDS_POLICY_PACKS
            for c in get_pack(pack_id).communications
            for item in c.mandatory_items
        }
    )


def check_communication(name: str, content_items: Sequence[str]) -> None:
    """Refuse a required communication that lacks a mandatory content item, naming each."""
    pack_id, _, comm_id = name.partition("/")
    pack = get_pack(pack_id)
    communication = next((c for c in pack.communications if c.id == comm_id), None)
    if communication is None:
        known = ", ".join(f"{pack.id}/{c.id}" for c in pack.communications) or "none"
        raise ValidationError(
            f"Pack {pack.id} requires no communication {comm_id!r}.",
            fields={"communication": f"one of: {known}"},
        )
    missing = missing_items(communication, content_items)
    if missing:
        raise PolicyViolationError(
            f"The {communication.title.lower()} cannot be sent without: "
            f"{', '.join(m.replace('_', ' ') for m in missing)} ({communication.source}).",
            missing=missing,
            communication=name,
        )
