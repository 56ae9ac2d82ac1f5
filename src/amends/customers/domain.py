"""Customers, internal and external, and what they need from us. Pure rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from amends.core.errors import ValidationError


class CustomerKind(StrEnum):
    PERSON = "person"  # external: a member of the public, a client
    ORGANISATION = "organisation"  # external: a business customer
    DEPARTMENT = "department"  # internal: a department downstream of us
    COLLEAGUE = "colleague"  # internal: a colleague we serve


INTERNAL_KINDS = frozenset({CustomerKind.DEPARTMENT, CustomerKind.COLLEAGUE})


class ContactChannel(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    LETTER = "letter"
    PORTAL = "portal"
    SMS = "sms"
    IN_PERSON = "in_person"


class ContactFormat(StrEnum):
    STANDARD = "standard"
    LARGE_PRINT = "large_print"
    EASY_READ = "easy_read"
    BRAILLE = "braille"
    AUDIO = "audio"
    BSL_VIDEO = "bsl_video"


class Adjustment(StrEnum):
    """Reasonable adjustments (Equality Act 2010 s.20) a customer has asked for."""

    LARGE_PRINT = "large_print"
    EASY_READ = "easy_read"
    BSL = "bsl"  # British Sign Language interpreter
    BRAILLE = "braille"
    AUDIO = "audio"
    TEXT_RELAY = "text_relay"
    EXTRA_TIME = "extra_time"
    NAMED_CONTACT = "named_contact"
    CALL_INSTEAD_OF_WRITING = "call_instead_of_writing"


class VulnerabilityDriver(StrEnum):
    """The four drivers of vulnerability in FCA FG21/1."""

    HEALTH = "health"
    LIFE_EVENTS = "life_events"
    RESILIENCE = "resilience"
    CAPABILITY = "capability"


class VulnerabilityBasis(StrEnum):
    """Why we may hold the detail (UK GDPR Art 9 condition for health data)."""

    EXPLICIT_CONSENT = "explicit_consent"
    SAFEGUARDING = "safeguarding"  # DPA 2018 Sch 1: safeguarding of individuals at risk
    VITAL_INTERESTS = "vital_interests"
    LEGAL_CLAIMS = "legal_claims"


class LawfulBasis(StrEnum):
    """UK GDPR Art 6 basis for holding the customer's record."""

    LEGAL_OBLIGATION = "legal_obligation"
    CONTRACT = "contract"
    LEGITIMATE_INTERESTS = "legitimate_interests"
    PUBLIC_TASK = "public_task"
    CONSENT = "consent"


class Relationship(StrEnum):
    FAMILY_MEMBER = "family_member"
    ADVOCATE = "advocate"
    POWER_OF_ATTORNEY = "power_of_attorney"
    CLAIMS_FIRM = "claims_firm"
    SOLICITOR = "solicitor"
    OTHER = "other"


class AuthorityScope(StrEnum):
    ALL_MATTERS = "all_matters"  # may act on any matter, including new complaints
    COMPLAINTS = "complaints"  # may raise and pursue complaints
    SPECIFIC_CASES = "specific_cases"  # only the cases named in the evidence
    INFORMATION_ONLY = "information_only"  # may be told about progress, may not decide


def normalise_email(raw: str) -> str:
    """A syntactically valid address, normalised and lower-cased (no network look-ups).

    Mail systems treat the part before the @ case-insensitively in practice, so one customer
    writing as Priya.Patel@ and priya.patel@ is one customer."""
    try:
        return str(validate_email(raw.strip(), check_deliverability=False).normalized).lower()
    except EmailNotValidError as exc:
        raise ValidationError(
            f"{raw!r} is not a valid email address.", fields={"email": str(exc)}
        ) from None


def normalise_phone(raw: str, default_region: str = "GB", field: str = "phone") -> str:
    """A valid UK or international number in E.164 form (+447700900123)."""
    try:
        number = phonenumbers.parse(raw.strip(), default_region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            f"{raw!r} is not a phone number.", fields={field: str(exc.args[0])}
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            f"{raw!r} is not a valid phone number.",
            fields={field: "not a valid number for its country; international numbers need +"},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    number = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def check_vulnerability_basis(basis: VulnerabilityBasis, consent_given: bool) -> None:
    """Detail held on the basis of consent needs the consent to be recorded."""
    if basis is VulnerabilityBasis.EXPLICIT_CONSENT and not consent_given:
        raise ValidationError(
            "Vulnerability details held with consent need the customer's explicit consent.",
            fields={"consent_given": "record the customer's explicit consent, or another basis"},
        )


@dataclass(frozen=True)
class AuthorityFacts:
    scope: AuthorityScope
    valid_from: date | None
    expires_on: date | None
    revoked: bool
    evidence: str


def authority_problem(facts: AuthorityFacts, on: date, *, to_raise_complaint: bool) -> str | None:
    """Why a representative may not act on ``on`` (None when they may)."""
    if facts.revoked:
        return "the authority has been revoked"
    if not facts.evidence.strip():
        return "no evidence of authority is recorded"
    if facts.valid_from and on < facts.valid_from:
        return f"the authority starts on {facts.valid_from.isoformat()}"
    if facts.expires_on and on > facts.expires_on:
        return f"the authority expired on {facts.expires_on.isoformat()}"
    if to_raise_complaint and facts.scope is AuthorityScope.INFORMATION_ONLY:
        return "the authority covers receiving information only"
    return None


@dataclass(frozen=True)
class VulnerabilityDraft:
    driver: VulnerabilityDriver
    basis: VulnerabilityBasis
    consent_given: bool = False
    detail: str = ""
    support_needed: str = ""
    review_on: date | None = None


@dataclass(frozen=True)
class RepresentativeDraft:
    name: str
    relationship: Relationship
    authority_evidence: str
    scope: AuthorityScope
    organisation_name: str = ""
    email: str = ""
    phone: str = ""
    evidence_verified: bool = False
    valid_from: date | None = None
    expires_on: date | None = None


@dataclass(frozen=True)
class ContactDetails:
    """The editable part of a customer record."""

    name: str
    organisation_name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""
    preferred_channel: ContactChannel = ContactChannel.EMAIL
    preferred_format: ContactFormat = ContactFormat.STANDARD
    preferred_language: str = "en"
    adjustments: tuple[Adjustment, ...] = ()
    adjustments_note: str = ""
    segment: str = ""
    external_id: str = ""


_CHANNEL_NEEDS = {
    ContactChannel.EMAIL: "email",
    ContactChannel.PHONE: "phone",
    ContactChannel.SMS: "phone",
    ContactChannel.LETTER: "address",
}


def clean_contact(details: ContactDetails, kind: CustomerKind, phone_region: str) -> ContactDetails:
    """Validate and normalise contact details, naming every field that is wrong."""
    problems: dict[str, str] = {}
    name = details.name.strip()
    if not name:
        problems["name"] = "must not be empty"
    email = phone = ""
    if details.email.strip():
        try:
            email = normalise_email(details.email)
        except ValidationError as exc:
            problems.update({k: v[0] for k, v in exc.fields.items()})
    if details.phone.strip():
        try:
            phone = normalise_phone(details.phone, phone_region)
        except ValidationError as exc:
            problems.update({k: v[0] for k, v in exc.fields.items()})
    address = details.address.strip()
    present = {"email": email, "phone": phone, "address": address}
    internal = kind in INTERNAL_KINDS
    if not internal and not any(present.values()) and not problems.keys() & present.keys():
        problems["email"] = "give at least one of email, phone or address"
    needed = _CHANNEL_NEEDS.get(details.preferred_channel)
    reachable = not internal or any(present.values())
    if needed and reachable and not present[needed] and needed not in problems:
        article = "an" if needed[0] in "aeiou" else "a"
        problems["preferred_channel"] = (
            f"{details.preferred_channel.value} needs {article} {needed}"
        )
    if problems:
        raise ValidationError("The customer's details are not valid.", fields=problems)
    return ContactDetails(
        name=name,
        organisation_name=details.organisation_name.strip(),
        email=email,
        phone=phone,
        address=address,
        postcode=details.postcode.strip().upper(),
        preferred_channel=details.preferred_channel,
        preferred_format=details.preferred_format,
        preferred_language=details.preferred_language.strip() or "en",
        adjustments=tuple(dict.fromkeys(details.adjustments)),
        adjustments_note=details.adjustments_note.strip(),
        segment=details.segment.strip(),
        external_id=details.external_id.strip(),
    )


def clean_representative(draft: RepresentativeDraft, phone_region: str) -> RepresentativeDraft:
    problems: dict[str, str] = {}
    if not draft.name.strip():
        problems["name"] = "must not be empty"
    if not draft.authority_evidence.strip():
        problems["authority_evidence"] = "describe the evidence of authority seen"
    if draft.valid_from and draft.expires_on and draft.expires_on < draft.valid_from:
        problems["expires_on"] = "must not be before valid_from"
    email = phone = ""
    try:
        email = normalise_email(draft.email) if draft.email.strip() else ""
    except ValidationError as exc:
        problems["email"] = exc.fields["email"][0]
    try:
        phone = normalise_phone(draft.phone, phone_region) if draft.phone.strip() else ""
    except ValidationError as exc:
        problems["phone"] = exc.fields["phone"][0]
    if problems:
        raise ValidationError("The representative's details are not valid.", fields=problems)
    return RepresentativeDraft(
        name=draft.name.strip(),
        relationship=draft.relationship,
        authority_evidence=draft.authority_evidence.strip(),
        scope=draft.scope,
        organisation_name=draft.organisation_name.strip(),
        email=email,
        phone=phone,
        evidence_verified=draft.evidence_verified,
        valid_from=draft.valid_from,
        expires_on=draft.expires_on,
    )
