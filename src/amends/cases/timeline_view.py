"""The case timeline in words: each stored event as a title, a body and its changes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from amends.core.templatetags.amends import label

TITLES = {
    "case.created": "Case logged",
    "case.details_changed": "Details changed",
    "case.assigned": "Ownership changed",
    "case.kind_changed": "Kind changed",
    "case.acknowledged": "Acknowledged",
    "case.investigation_started": "Investigation started",
    "case.solution_proposed": "Solution proposed",
    "case.paused": "Waiting for the customer",
    "case.resumed": "Resumed",
    "case.escalated": "Escalated",
    "case.resolved": "Resolved",
    "case.follow_up_started": "Follow-up started",
    "case.closed": "Closed",
    "case.reopened": "Reopened",
    "case.withdrawn": "Withdrawn",
    "case.message_received": "Message from the customer",
    "case.message_sent": "Message to the customer",
    "case.note_added": "Internal note",
    "case.attachment_added": "Attachment added",
    "case.stakeholder_added": "Stakeholder added",
    "case.stakeholder_removed": "Stakeholder removed",
    "case.linked": "Linked to another case",
    "case.linked_from": "Another case linked to this one",
    "case.unlinked": "Link removed",
    "case.follow_up_recorded": "Follow-up attempt",
    "case.email_queued": "Email queued for sending",
    "case.email_sent": "Email handed to the mail server",
    "case.email_failed": "Email not sent",
    "case.letter_prepared": "Letter prepared",
    "case.letter_printed": "Letter printed",
    "clock.warned": "Deadline approaching",
    "clock.breached": "Deadline missed",
    "clock.extended": "Deadline extended",
    "rca.why_added": "Why? (5 Whys)",
    "rca.cause_added": "Cause added to the fishbone",
    "rca.root_marked": "Root cause marked",
    "plan.task_added": "Task added to the action plan",
    "plan.task_done": "Task done",
    "option.added": "Solution option added",
    "option.chosen": "Solution chosen",
    "redress.offered": "Redress offered",
    "redress.approval_requested": "Redress awaiting approval",
    "redress.approved": "Redress approved and offered",
    "redress.accepted": "Redress accepted by the customer",
    "redress.refused": "Redress refused by the customer",
    "redress.paid": "Redress paid",
    "case.problem_linked": "Linked to a problem record",
    "survey.sent": "Satisfaction survey sent",
    "survey.answered": "The customer answered the survey",
    "problem.created": "Problem recorded",
    "problem.case_linked": "Case linked",
    "problem.actions_planned": "Corrective and preventive actions planned",
    "problem.effectiveness_checked": "Effectiveness checked",
}

# Fields shown as "name: value" lines under a title, in this order, when present.
FACTS = (
    "to",
    "subject",
    "status",
    "attempt",
    "error",
    "template",
    "format",
    "kind",
    "channel",
    "category",
    "severity",
    "priority",
    "reason",
    "level",
    "outcome",
    "resolution_summary",
    "root_cause",
    "customer_confirmed",
    "follow_up_attempts",
    "result",
    "role",
    "user",
    "team",
    "target",
    "filename",
    "rule",
    "due",
    "extension",
    "text",
    "evidence",
    "title",
    "owner",
    "blocking",
    "outcome",
    "customer_update",
    "weighted",
    "justification",
    "factors",
    "amount",
    "basis",
    "problem",
    "case",
    "corrective_action",
    "preventive_action",
    "effectiveness_check_on",
    "effective",
    "result",
    "solved",
    "csat_outcome",
    "csat_handling",
    "ces",
    "nps",
    "comment",
)


@dataclass
class Entry:
    seq: int
    type: str
    title: str
    actor: str
    at: datetime
    body: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{label(k)}: {_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    text = str(value)
    return label(text) if text.replace("_", "").isalpha() and text.islower() else text


def entry(event: Any) -> Entry:
    data: dict[str, Any] = event.data or {}
    out = Entry(
        seq=event.seq,
        type=event.type,
        title=TITLES.get(event.type, label(event.type.split(".", 1)[-1])),
        actor=(event.actor.get_full_name() if event.actor_id else "") or event.actor_label,
        at=event.occurred_at,
    )
    if event.type == "case.created":
        out.body = str(data.get("description", ""))
    elif event.type in ("case.message_received", "case.message_sent", "case.note_added"):
        out.body = str(data.get("body", ""))
    elif event.type == "case.follow_up_recorded":
        out.body = str(data.get("note", ""))
    before, after = data.get("before"), data.get("after")
    if isinstance(before, dict) and isinstance(after, dict):
        for name in after:
            if before.get(name) != after.get(name):
                out.changes.append((label(name), _text(before.get(name)), _text(after.get(name))))
    elif "from" in data and "to" in data:
        out.changes.append(("Status", _text(data["from"]), _text(data["to"])))
    shown_as_change = set(before or {}) | ({"to"} if "from" in data else set())
    for name in FACTS:
        if name in shown_as_change:
            continue
        if name in data and data[name] not in (None, "", [], {}):
            out.facts.append((label(name), _text(data[name])))
    return out


def entries(events: Iterable[Any]) -> list[Entry]:
    """Newest first, as a handler reads a case."""
    return [entry(e) for e in reversed(list(events))]
