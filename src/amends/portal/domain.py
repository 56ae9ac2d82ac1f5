"""The customer portal's rules: what a raised problem must hold, and how adjustments merge.

Pure Python: the messages here are shown to customers, so they are short and plain.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from amends.core.errors import ValidationError
from amends.customers.domain import (
    Adjustment,
    ContactChannel,
    normalise_email,
    normalise_phone,
)

# The adjustments a customer can ask for in the portal, in the order the form lists them.
PORTAL_ADJUSTMENTS: tuple[Adjustment, ...] = (
    Adjustment.LARGE_PRINT,
    Adjustment.EASY_READ,
    Adjustment.BSL,
    Adjustment.NAMED_CONTACT,
    Adjustment.EXTRA_TIME,
    Adjustment.CALL_INSTEAD_OF_WRITING,
)

# How a customer can ask us to contact them from the portal.
PORTAL_CHANNELS: tuple[ContactChannel, ...] = (
    ContactChannel.EMAIL,
    ContactChannel.PHONE,
    ContactChannel.LETTER,
)

MAX_TEXT = 10_000


@dataclass(frozen=True)
class ProblemDraft:
    """What a customer told us on the "raise a problem" form."""

    name: str
    what_happened: str
    contact_by: ContactChannel = ContactChannel.EMAIL
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""
    what_we_should_do: str = ""
    adjustments: tuple[Adjustment, ...] = ()
    anything_else: str = ""


def clean_draft(draft: ProblemDraft, phone_region: str) -> ProblemDraft:
    """The draft tidied, or a ValidationError naming each field that needs fixing."""
    problems: dict[str, str] = {}
    name = draft.name.strip()
    if not name:
        problems["name"] = "Enter your name."
    what = draft.what_happened.strip()
    if not what:
        problems["what_happened"] = "Tell us what happened."
    elif len(what) > MAX_TEXT:
        problems["what_happened"] = f"Use {MAX_TEXT:,} characters or fewer."
    if len(draft.what_we_should_do.strip()) > MAX_TEXT:
        problems["what_we_should_do"] = f"Use {MAX_TEXT:,} characters or fewer."
    email = phone = ""
    if draft.email.strip():
        try:
            email = normalise_email(draft.email)
        except ValidationError:
            problems["email"] = "Enter an email address like name@example.com."
    if draft.phone.strip():
        try:
            phone = normalise_phone(draft.phone, phone_region)
        except ValidationError:
            problems["phone"] = (
                "Enter a UK phone number, or an international number starting with +."
            )
    address = draft.address.strip()
    if not draft.email.strip() and not draft.phone.strip():
        problems["email"] = "Enter an email address or a phone number, so we can reply."
    needs = {
        ContactChannel.EMAIL: ("email", email, "an email address"),
        ContactChannel.PHONE: ("phone", phone, "a phone number"),
        ContactChannel.LETTER: ("address", address, "a postal address"),
    }.get(draft.contact_by)
    if needs and not needs[1] and needs[0] not in problems:
        problems[needs[0]] = f"Enter {needs[2]}, or choose another way to contact you."
    if problems:
        raise ValidationError("Some answers need fixing.", fields=problems)
    return replace(
        draft,
        name=name,
        what_happened=what,
        email=email,
        phone=phone,
        address=address,
        postcode=draft.postcode.strip().upper(),
        what_we_should_do=draft.what_we_should_do.strip(),
        adjustments=tuple(dict.fromkeys(draft.adjustments)),
        anything_else=draft.anything_else.strip(),
    )


def merge_adjustments(
    existing: Iterable[str], asked: Iterable[Adjustment]
) -> tuple[Adjustment, ...]:
    """The customer's adjustments with the new ones added; none is ever dropped."""
    known = {a.value for a in Adjustment}
    merged = [Adjustment(a) for a in existing if a in known]
    for adjustment in asked:
        if adjustment not in merged:
            merged.append(adjustment)
    return tuple(merged)


def merge_note(existing: str, added: str) -> str:
    """Append the customer's new words to the note we hold, unless we already have them."""
    existing, added = existing.strip(), added.strip()
    if not added or added in existing:
        return existing
    return f"{existing}\n{added}" if existing else added


def check_reply(body: str) -> str:
    text = body.strip()
    if not text:
        raise ValidationError("Write your message.", fields={"body": "Write your message."})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            "Your message is too long.", fields={"body": f"Use {MAX_TEXT:,} characters or fewer."}
        )
    return text


def check_withdrawal_reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise ValidationError(
            "Tell us why you want to withdraw.",
            fields={"reason": "Tell us why you want to withdraw."},
        )
    return text[:2000]
