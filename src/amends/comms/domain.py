"""Reply templates, letters and email out: the pure rules. No Django, no I/O, no clock.

A reply template is structured on LAST (listen, apologise, solve, thank) or LEAP (listen,
empathise, apologise, partner): one text per section, with merge fields from the case written
``{case.reference}``. A template for a communication a policy pack requires (``fca-disp/
final_response``) carries one paragraph per mandatory content item; an item counts as covered
when its paragraph is not blank.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from amends.core.errors import ValidationError
from amends.sla.domain import Communication, missing_items


class Purpose(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    HOLDING_RESPONSE = "holding_response"
    REQUEST_FOR_INFORMATION = "request_for_information"
    SOLUTION_PROPOSAL = "solution_proposal"
    FINAL_RESPONSE = "final_response"
    FOLLOW_UP = "follow_up"
    CLOSURE = "closure"


class Structure(StrEnum):
    LAST = "last"  # Listen, Apologise, Solve, Thank
    LEAP = "leap"  # Listen, Empathise, Apologise, Partner


class Section(StrEnum):
    OPENING = "opening"
    WHAT_I_HEARD = "what_i_heard"
    EMPATHY = "empathy"
    APOLOGY = "apology"
    SOLUTION = "solution"
    THANKS = "thanks"
    CLOSING = "closing"


SECTION_LABELS = {
    Section.OPENING: "Opening",
    Section.WHAT_I_HEARD: "What I heard (listen)",
    Section.EMPATHY: "Empathy",
    Section.APOLOGY: "Apology",
    Section.SOLUTION: "What we will do, and by when",
    Section.THANKS: "Thanks",
    Section.CLOSING: "Closing",
}

# The sections of each structure, in the order they are written. The mandatory items of a
# required communication follow the solution.
SECTIONS: dict[Structure, tuple[Section, ...]] = {
    Structure.LAST: (
        Section.OPENING,
        Section.WHAT_I_HEARD,
        Section.APOLOGY,
        Section.SOLUTION,
        Section.THANKS,
        Section.CLOSING,
    ),
    Structure.LEAP: (
        Section.OPENING,
        Section.WHAT_I_HEARD,
        Section.EMPATHY,
        Section.APOLOGY,
        Section.SOLUTION,
        Section.THANKS,
        Section.CLOSING,
    ),
}


class EmailStatus(StrEnum):
    READY = "ready"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


# How many times the job tries to send one email (the first try and its retries).
DELIVERY_ATTEMPTS = 6


class LetterStatus(StrEnum):
    TO_PRINT = "to_print"
    PRINTED = "printed"


class Delivery(StrEnum):
    EMAIL = "email"
    LETTER = "letter"


# The merge fields a template may use, and what each stands for.
MERGE_FIELDS: dict[str, str] = {
    "case.reference": "the case reference, such as C-2026-000123",
    "case.kind": "what the customer raised, in a word: complaint, report, question, request",
    "case.summary": "the case's one-line summary",
    "case.description": "the problem in the customer's words",
    "case.remedy_sought": "what the customer asked us to do",
    "case.received_on": "the date we received the case",
    "case.outcome": "our decision: upheld, partly upheld or not upheld",
    "case.resolution_summary": "what we did to put things right",
    "customer.name": "the customer's name",
    "deadline.next": "the earliest date something is due on the case",
    "deadline.final_response": "the date our final response is due",
    "handler.name": "the name of the person writing",
    "organisation.name": "our organisation's name",
    "today": "today's date",
}

# A seeded template's prompt to the handler, such as "[write the reasons]": never sent as is.
_PROMPT_RE = re.compile(r"\[(?:write|list|say)\b[^\]]*\]", re.IGNORECASE)
_MERGE_RE = re.compile(r"\{([a-z_]+(?:\.[a-z_]+)?)\}")

# Formats that a letter is printed in; any other accessible format is noted on the letter.
PRINT_FORMATS = frozenset({"standard", "large_print", "easy_read"})
_LETTER_CHANNELS = frozenset({"phone", "in_person", "letter"})
_LETTER_FORMATS = frozenset({"large_print", "easy_read", "braille", "audio", "bsl_video"})


def check_no_prompts(body: str) -> None:
    """Refuse a reply that still holds a template's bracketed prompt for the handler."""
    prompts = _PROMPT_RE.findall(body)
    if prompts:
        raise ValidationError(
            f"Replace the template's prompts with your own words before sending: "
            f"{', '.join(prompts)}.",
            fields={"body": [f"still to write: {p}" for p in prompts]},
        )


def merge_fields_in(text: str) -> list[str]:
    return _MERGE_RE.findall(text)


def unknown_fields(texts: Mapping[str, str]) -> dict[str, str]:
    """Each text (by name) that uses a merge field we do not know, with a message naming it."""
    problems: dict[str, str] = {}
    for name, text in texts.items():
        unknown = sorted({f for f in merge_fields_in(text) if f not in MERGE_FIELDS})
        if unknown:
            listed = ", ".join("{" + f + "}" for f in unknown)
            problems[name] = f"unknown merge field {listed}"
    return problems


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each merge field replaced by its value (blank when the case lacks it)."""
    problems = unknown_fields({"text": text})
    if problems:
        raise ValidationError(f"The text uses an {problems['text']}.", fields=problems)
    return _MERGE_RE.sub(lambda m: values.get(m.group(1), ""), text)


@dataclass(frozen=True)
class TemplateDraft:
    """A template's content, as the admin or a service hands it over."""

    structure: Structure
    sections: Mapping[str, str]
    items: Mapping[str, str]
    subject: str = ""


# How a case's kind reads to the customer ("We have received your question").
KIND_NOUNS = {
    "complaint": "complaint",
    "service_failure": "report",
    "query": "question",
    "service_request": "request",
    "compliment": "compliment",
}


def check_template(draft: TemplateDraft, communication: Communication | None) -> None:
    """Refuse a template with an unknown merge field, no content, or (for a required
    communication) a mandatory item without a paragraph, naming what is wrong."""
    allowed = {s.value for s in SECTIONS[draft.structure]}
    problems = unknown_fields({k: v for k, v in draft.sections.items() if k in allowed})
    problems.update(unknown_fields({f"items.{k}": v for k, v in draft.items.items()}))
    problems.update(unknown_fields({"subject": draft.subject}))
    if problems:
        names = "; ".join(f"{k}: {v}" for k, v in sorted(problems.items()))
        raise ValidationError(
            f"The template uses merge fields we do not know ({names}).", fields=problems
        )
    if not any(draft.sections.get(s, "").strip() for s in allowed):
        raise ValidationError(
            "A template needs at least one section with text.",
            fields={Section.WHAT_I_HEARD.value: "write at least one section"},
        )
    if communication is not None:
        covered = [k for k, v in draft.items.items() if v.strip()]
        missing = missing_items(communication, covered)
        if missing:
            listed = ", ".join(m.replace("_", " ") for m in missing)
            raise ValidationError(
                f"The {communication.title.lower()} template lacks a paragraph for: {listed} "
                f"({communication.source}).",
                fields={"items": [f"missing: {m}" for m in missing]},
                missing=missing,
            )


@dataclass(frozen=True)
class Rendered:
    sections: tuple[tuple[str, str], ...]  # (section or item id, filled text), non-blank only
    body: str
    content_items: tuple[str, ...]


def assemble(
    *, structure: Structure, sections: Mapping[str, str], items: Mapping[str, str]
) -> Rendered:
    """Sections and item paragraphs as written (no merge fields applied), joined into a
    plain-text body; the items with a paragraph are the content items it covers."""
    parts: list[tuple[str, str]] = []
    covered: list[str] = []
    for section in SECTIONS[structure]:
        text = sections.get(section.value, "").strip()
        if text:
            parts.append((section.value, text))
        if section is Section.SOLUTION:
            for item, paragraph in items.items():
                if paragraph.strip():
                    parts.append((item, paragraph.strip()))
                    covered.append(item)
    return Rendered(
        sections=tuple(parts),
        body="\n\n".join(text for _, text in parts),
        content_items=tuple(covered),
    )


def render(
    *,
    structure: Structure,
    sections: Mapping[str, str],
    items: Mapping[str, str],
    values: Mapping[str, str],
) -> Rendered:
    """Sections and item paragraphs with the merge fields filled, joined into a body."""
    return assemble(
        structure=structure,
        sections={k: fill(v, values) for k, v in sections.items()},
        items={k: fill(v, values) for k, v in items.items()},
    )


def choose_delivery(
    *, preferred_channel: str, preferred_format: str, email: str, case_channel: str
) -> Delivery:
    """Email when the customer prefers it and has an address; a printed letter for letter,
    large print or easy read, and for cases that came by phone, in person or by post."""
    if preferred_channel == "letter" or preferred_format in _LETTER_FORMATS:
        return Delivery.LETTER
    if email and preferred_channel == "email":
        return Delivery.EMAIL
    if case_channel in _LETTER_CHANNELS or not email:
        return Delivery.LETTER
    return Delivery.EMAIL


def tag_subject(subject: str, reference: str) -> str:
    """The subject with the case reference in square brackets, once."""
    subject = " ".join(subject.split())
    tag = f"[{reference}]"
    return subject if tag in subject else f"{subject} {tag}".strip()


def reply_subject(*, given: str, inbound_subject: str, summary: str, reference: str) -> str:
    """What we write, or "Re:" the customer's own subject, tagged with the case reference."""
    if given.strip():
        return tag_subject(given, reference)
    if inbound_subject.strip():
        base = inbound_subject.strip()
        if not base.lower().startswith("re:"):
            base = f"Re: {base}"
        return tag_subject(base, reference)
    return tag_subject(f"Your complaint: {summary}", reference)


@dataclass(frozen=True)
class Threading:
    in_reply_to: str
    references: tuple[str, ...]


def thread_headers(previous: Iterable[tuple[str, str]], *, limit: int = 20) -> Threading:
    """In-Reply-To and References from the case's earlier messages, given oldest first as
    (direction, message_id): we reply to the latest message from the customer, or failing
    that to our own latest one; References are the thread up to it, oldest first (RFC 5322
    3.6.4), at most ``limit`` of them."""
    ids = [(d, m) for d, m in previous if m]
    if not ids:
        return Threading("", ())
    inbound = [i for i, (d, _) in enumerate(ids) if d == "inbound"]
    at = inbound[-1] if inbound else len(ids) - 1
    chain: list[str] = []
    for _, m in ids[: at + 1]:
        if m not in chain:
            chain.append(m)
    return Threading(ids[at][1], tuple(chain[-limit:]))
