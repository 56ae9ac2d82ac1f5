"""The portal's words: each status and each happening in plain English."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from amends.portal.domain import PORTAL_ADJUSTMENTS
from amends.portal.selectors import Happening

NOUNS = {"complaint": "complaint"}  # every other kind of case is a "request" to the customer

STATUS_NOW = {
    "received": "We have received your {noun}",
    "acknowledged": "We have received your {noun} and will look into it",
    "investigating": "We are looking into it",
    "solution_proposed": "We have proposed a solution",
    "awaiting_customer": "We are waiting to hear from you",
    "escalated": "A senior colleague is looking into it",
    "resolved": "We have given you our answer",
    "follow_up": "We are checking that the problem is solved",
    "closed": "Your {noun} is closed",
    "reopened": "We have reopened your {noun}",
    "withdrawn": "Your {noun} is withdrawn",
}

WHAT_NEXT = {
    "received": "We will write to you soon to say who is dealing with it.",
    "acknowledged": "We will tell you what we find. You can send us more information below.",
    "investigating": "We will tell you what we find. You can send us more information below.",
    "solution_proposed": "Please tell us whether the solution works for you.",
    "awaiting_customer": "Please reply below so we can carry on.",
    "escalated": "We will write to you when we have looked at it again.",
    "resolved": "If the problem is not solved, reply below and tell us.",
    "follow_up": "If the problem is not solved, reply below and tell us.",
    "closed": "If the problem comes back, you can raise it again.",
    "reopened": "We will tell you what we find.",
    "withdrawn": "We are not taking any further action on it.",
}

STATUS_EVENTS = {
    "case.created": "We received your {noun}",
    "case.acknowledged": "We wrote to say we have your {noun}",
    "case.investigation_started": "We started looking into it",
    "case.solution_proposed": "We proposed a solution",
    "case.paused": "We asked you for more information",
    "case.resumed": "We carried on looking into it",
    "case.escalated": "A senior colleague started looking into it",
    "case.resolved": "We gave you our answer",
    "case.follow_up_started": "We asked whether the problem is solved",
    "case.closed": "We closed your {noun}",
    "case.reopened": "We reopened your {noun}",
    "case.withdrawn": "Your {noun} was withdrawn",
}

CHANNELS = {
    "email": "by email",
    "phone": "by phone",
    "letter": "by letter",
    "portal": "on this website",
    "web_form": "on our website",
    "sms": "by text message",
    "in_person": "in person",
    "chat": "by chat",
    "social_media": "on social media",
}

ADJUSTMENT_LABELS = {
    "large_print": "Large print",
    "easy_read": "Easy read",
    "bsl": "A British Sign Language (BSL) interpreter",
    "named_contact": "One named person to deal with",
    "extra_time": "More time to reply",
    "call_instead_of_writing": "A phone call instead of writing",
}
ADJUSTMENT_CHOICES = [(a.value, ADJUSTMENT_LABELS[a.value]) for a in PORTAL_ADJUSTMENTS]


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    title: str
    body: str = ""
    css: str = ""
    document_id: int | None = None
    filename: str = ""


def noun(kind: str) -> str:
    return NOUNS.get(kind, "request")


def status_now(status: str, kind: str) -> str:
    return STATUS_NOW.get(status, "We are dealing with it").format(noun=noun(kind))


def what_next(status: str) -> str:
    return WHAT_NEXT.get(status, "")


def history(happenings: list[Happening], kind: str) -> list[HistoryLine]:
    lines = []
    for h in happenings:
        if h.kind == "message":
            how = CHANNELS.get(h.channel, "")
            title = f"You wrote to us {how}" if h.inbound else f"We wrote to you {how}"
            if not h.inbound and h.channel == "phone":
                title = "We spoke on the phone"
            lines.append(HistoryLine(h.at, title.strip(), h.body, "you" if h.inbound else "us"))
        elif h.kind == "document":
            title = f"You sent us a document: {h.filename}"
            lines.append(HistoryLine(h.at, title, document_id=h.document_id, filename=h.filename))
        elif h.event_type == "case.withdrawn" and h.by_customer:
            lines.append(HistoryLine(h.at, f"You withdrew your {noun(kind)}", h.reason, "you"))
        else:
            wording = STATUS_EVENTS.get(h.event_type)
            if wording:
                lines.append(HistoryLine(h.at, wording.format(noun=noun(kind))))
    return lines
