"""Reply templates: checked when saved (merge fields, the pack's mandatory content) and
filled from a case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from amends.comms.domain import (
    KIND_NOUNS,
    SECTIONS,
    Purpose,
    Rendered,
    Section,
    Structure,
    TemplateDraft,
    check_template,
    render,
)
from amends.comms.models import ReplyTemplate
from amends.core import clock, timeline
from amends.core.errors import NotFoundError, ValidationError
from amends.policies.packs import get_pack
from amends.sla import selectors as sla_selectors
from amends.sla.domain import Communication

if TYPE_CHECKING:
    from amends.accounts.models import User
    from amends.cases.models import Case


@dataclass(frozen=True)
class TemplateContent:
    code: str
    name: str
    purpose: Purpose
    structure: Structure
    sections: dict[str, str] = field(default_factory=dict)
    items: dict[str, str] = field(default_factory=dict)
    communication: str = ""
    subject: str = ""
    active: bool = True


def find_communication(name: str) -> Communication | None:
    """The communication ``pack/id`` names; None for a blank name."""
    name = name.strip()
    if not name:
        return None
    pack_id, _, comm_id = name.partition("/")
    try:
        pack = get_pack(pack_id)
    except NotFoundError as error:
        raise ValidationError(error.message, fields={"communication": "unknown pack"}) from None
    communication = next((c for c in pack.communications if c.id == comm_id), None)
    if communication is None:
        known = ", ".join(f"{pack.id}/{c.id}" for c in pack.communications) or "none"
        raise ValidationError(
            f"Pack {pack.id} requires no communication {comm_id!r}.",
            fields={"communication": f"one of: {known}"},
        )
    return communication


def validate_template(content: TemplateContent) -> None:
    """Refuse unknown merge fields, an empty template, or a required communication whose
    mandatory items lack a paragraph (each missing item named)."""
    check_template(
        TemplateDraft(
            structure=content.structure,
            sections=content.sections,
            items=content.items,
            subject=content.subject,
        ),
        find_communication(content.communication),
    )


@transaction.atomic
def save_template(*, content: TemplateContent, actor: User | None, now: datetime) -> ReplyTemplate:
    """Create the template called ``content.code``, or replace its content."""
    validate_template(content)
    sections = {s.value: content.sections.get(s.value, "").strip() for s in Section}
    template, created = ReplyTemplate.objects.update_or_create(
        code=content.code,
        defaults={
            "name": content.name.strip(),
            "purpose": content.purpose.value,
            "structure": content.structure.value,
            "communication": content.communication.strip(),
            "subject": content.subject.strip(),
            "items": {k: v.strip() for k, v in content.items.items()},
            "active": content.active,
            "updated_at": now,
            **sections,
        },
    )
    timeline.record_event(
        stream=f"template:{template.code}",
        type="template.created" if created else "template.changed",
        actor=actor,
        now=now,
        data={
            "name": template.name,
            "purpose": template.purpose,
            "communication": template.communication,
            "active": template.active,
        },
    )
    return template


def _day(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def handler_name(actor: User | None) -> str:
    if actor is None:
        return f"The customer relations team, {settings.AMENDS_ORGANISATION_NAME}"
    return actor.get_full_name() or actor.get_username()


def merge_values(case: Case, *, handler: User | None, now: datetime) -> dict[str, str]:
    running = [c.due_on for c in sla_selectors.list_clocks(case) if c.due_on and not c.stopped_at]
    return {
        "case.reference": case.reference,
        "case.kind": KIND_NOUNS.get(case.kind, "message"),
        "case.summary": case.summary,
        "case.description": case.description,
        "case.remedy_sought": case.remedy_sought,
        "case.received_on": _day(clock.local_date(case.received_at)),
        "case.outcome": case.outcome.replace("_", " "),
        "case.resolution_summary": case.resolution_summary,
        "customer.name": case.customer.name,
        "deadline.next": _day(case.next_due_on),
        "deadline.final_response": _day(max(running) if running else None),
        "handler.name": handler_name(handler),
        "organisation.name": settings.AMENDS_ORGANISATION_NAME,
        "today": _day(clock.local_date(now)),
    }


def template_sections(template: ReplyTemplate) -> dict[str, str]:
    return {s.value: getattr(template, s.value) for s in SECTIONS[Structure(template.structure)]}


def render_template(
    template: ReplyTemplate, case: Case, *, handler: User | None, now: datetime
) -> Rendered:
    return render(
        structure=Structure(template.structure),
        sections=template_sections(template),
        items=dict(template.items or {}),
        values=merge_values(case, handler=handler, now=now),
    )
