"""Email in, as pure rules: read a raw message, find its new words, tell a person's mail from an
automatic one, and find the case it answers. No Django, no I/O.

Parsing never raises: a message that cannot be read cleanly comes back with ``defects``, and
:func:`serious_defects` says whether content was lost (the message is then kept raw and flagged
for a person, never turned into a case from half its text).
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import Message
from email.utils import parseaddr
from enum import StrEnum

import nh3
from mailparser_reply import EmailReplyParser  # type: ignore[import-untyped]

from amends.core.errors import ValidationError
from amends.customers.domain import normalise_email


class Source(StrEnum):
    SMTP = "smtp"
    IMAP = "imap"


class InboundStatus(StrEnum):
    THREADED = "threaded"  # added to an existing case
    CREATED = "created"  # started a new case
    IGNORED = "ignored"  # an auto-reply, a bounce or our own message: never answered
    FLAGGED = "flagged"  # malformed: kept raw for a person to look at
    REJECTED = "rejected"  # refused (too large): nothing of it kept but this record


@dataclass(frozen=True)
class MailAttachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class ParsedEmail:
    message_id: str
    message_id_synthesised: bool
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    from_address: str
    from_name: str
    subject: str
    date: datetime | None
    text: str  # the whole text body (HTML turned to text when there is no plain part)
    reply_text: str  # the new words: quoted history and signature removed
    attachments: tuple[MailAttachment, ...]
    defects: tuple[str, ...]
    # Lower-cased header name -> value, for the headers classification reads.
    signals: dict[str, str] = field(default_factory=dict)
    is_report: bool = False  # a delivery or read report (multipart/report, delivery-status)


# Defects after which the text we read is not the text that was sent.
_CONTENT_LOST = {
    "StartBoundaryNotFoundDefect",
    "CloseBoundaryNotFoundDefect",
    "NoBoundaryInMultipartDefect",
    "MultipartInvariantViolationDefect",
    "InvalidBase64PaddingDefect",
    "InvalidBase64CharactersDefect",
    "InvalidBase64LengthDefect",
    "MisplacedEnvelopeHeaderDefect",
}
MISSING_FROM = "no usable From address"
MAX_ID_LENGTH = 500
NO_CONTENT = "no readable text or attachment"
UNDECODABLE = "UndecodablePart"

_SIGNAL_HEADERS = (
    "auto-submitted",
    "precedence",
    "x-autoreply",
    "x-autorespond",
    "auto-response-suppress",
    "x-auto-response-suppress",
    "x-loop",
    "content-type",
)
_ID_RE = re.compile(r"<([^<>\s]+)>")
REFERENCE_IN_TEXT = re.compile(r"\bC-(\d{4})-(\d{6,})\b", re.IGNORECASE)
_BLOCK_END = re.compile(r"<\s*(br|/p|/div|/li|/tr|/h[1-6]|/blockquote|/table)\b[^>]*>", re.I)
_BOTS = {"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"}


def _header(msg: Message, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:  # a header too broken to parse is treated as absent
        return ""
    return "" if value is None else " ".join(str(value).split())


def _ids(value: str) -> tuple[str, ...]:
    found = _ID_RE.findall(value)
    if not found and value.strip():
        found = [v.strip("<>") for v in value.split() if "@" in v]
    return tuple(dict.fromkeys(found))


def html_to_text(markup: str) -> str:
    """Readable text from HTML: scripts and styles dropped with their content, tags removed."""
    marked = _BLOCK_END.sub("\n", markup)
    cleaned = nh3.clean(marked, tags=set(), clean_content_tags={"script", "style", "head"})
    text = html.unescape(cleaned).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def reply_part(text: str) -> str:
    """The newest words of an email: quoted history and signature removed."""
    if not text.strip():
        return ""
    replies = EmailReplyParser(languages=["en"]).read(text).replies
    newest = str(replies[0].body).strip() if replies else ""
    # A line of '>' quotes that the parser left at the end is history, not new words.
    lines = newest.splitlines()
    while lines and (lines[-1].startswith(">") or not lines[-1].strip()):
        lines.pop()
    return "\n".join(lines).strip() or text.strip()


def _text_of(part: Message, defects: list[str]) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, UnicodeError, ValueError, AssertionError):
        payload = part.get_payload(decode=True)
        defects.append(f"{UNDECODABLE}: {part.get_content_type()} text in an unknown charset")
        return payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def _walk(msg: Message, defects: list[str]) -> tuple[str, str, list[MailAttachment], bool]:
    plain: list[str] = []
    markup: list[str] = []
    attachments: list[MailAttachment] = []
    is_report = msg.get_content_type() == "multipart/report"
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            is_report = True
        if part.is_multipart():
            defects.extend(type(d).__name__ for d in part.defects)
            continue
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        if filename or disposition == "attachment":
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            attachments.append(MailAttachment(filename or "attachment", ctype, data))
        elif ctype == "text/plain":
            plain.append(_text_of(part, defects))
        elif ctype == "text/html":
            markup.append(_text_of(part, defects))
        # Decoding adds its defects (bad base64) to the part, so read them afterwards.
        defects.extend(type(d).__name__ for d in part.defects)
    return "\n\n".join(plain).strip(), "\n".join(markup), attachments, is_report


def parse(raw: bytes) -> ParsedEmail:
    """Read a raw RFC 5322 message. Never raises; problems are listed in ``defects``."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    defects: list[str] = []
    try:
        plain, markup, attachments, is_report = _walk(msg, defects)
    except Exception as exc:  # the stdlib gave up on this structure: keep the raw, flag it
        defects.append(f"{UNDECODABLE}: {type(exc).__name__}")
        plain, markup, attachments, is_report = "", "", [], False
    text = plain or (html_to_text(markup) if markup else "")
    name, address = parseaddr(_header(msg, "From"))
    address = address.strip().lower() if "@" in address else ""
    if not address:
        defects.append(MISSING_FROM)
    subject = _header(msg, "Subject")[:300]
    if not text and not attachments and not subject:
        defects.append(NO_CONTENT)
    message_id = next(iter(_ids(_header(msg, "Message-ID"))), "")
    if len(message_id) > MAX_ID_LENGTH:  # longer than we can index: a stable stand-in
        message_id = f"{hashlib.sha256(message_id.encode()).hexdigest()}@long-id.amends.invalid"
    date: datetime | None = None
    try:
        header = msg["Date"]
        found = getattr(header, "datetime", None)
        date = found if isinstance(found, datetime) and found.tzinfo is not None else None
    except Exception:
        date = None
    return ParsedEmail(
        message_id=message_id or f"{hashlib.sha256(raw).hexdigest()}@amends.invalid",
        message_id_synthesised=not message_id,
        in_reply_to=_ids(_header(msg, "In-Reply-To")),
        references=_ids(_header(msg, "References")),
        from_address=address,
        from_name=name.strip(),
        subject=subject,
        date=date,
        text=text,
        reply_text=reply_part(text),
        attachments=tuple(attachments),
        defects=tuple(dict.fromkeys(defects)),
        signals={h: _header(msg, h).lower() for h in _SIGNAL_HEADERS if _header(msg, h)},
        is_report=is_report,
    )


def serious_defects(parsed: ParsedEmail) -> list[str]:
    """The defects after which the message cannot be trusted as read: it is flagged, not used."""
    return [
        d
        for d in parsed.defects
        if d in _CONTENT_LOST or d in (MISSING_FROM, NO_CONTENT) or d.startswith(UNDECODABLE)
    ]


# The last part of the left side of every Message-ID we make (``email.utils.make_msgid(
# MESSAGE_ID_MARK, domain=AMENDS_MAIL_DOMAIN)``). The domain alone is not enough: colleagues'
# mail, an internal customer's, may carry the organisation's domain in its Message-IDs too.
MESSAGE_ID_MARK = "amends"


def is_our_message_id(message_id: str, our_domain: str) -> bool:
    """Whether Amends made this Message-ID (given without angle brackets)."""
    local, _, domain = message_id.strip().strip("<>").rpartition("@")
    wanted = our_domain.strip().lower()
    return bool(wanted) and domain.lower() == wanted and local.endswith(f".{MESSAGE_ID_MARK}")


def automatic_reason(parsed: ParsedEmail, *, our_domain: str, our_addresses: Sequence[str]) -> str:
    """Why this message was sent by a machine (and must never be answered), or ``""``.

    Auto-replies (RFC 3834 Auto-Submitted, Precedence, X-Autoreply), bounces (delivery reports,
    mailer-daemon), and our own messages come back to us (a loop)."""
    signals = parsed.signals
    domain = our_domain.strip().lower()
    if is_our_message_id(parsed.message_id, our_domain):
        return "loop: our own message came back"
    ours = {parseaddr(a)[1].strip().lower() for a in our_addresses} - {""}
    if parsed.from_address and parsed.from_address in ours:
        return "loop: sent from our own address"
    if parsed.is_report:
        return "bounce: a delivery report"
    if parsed.from_address.partition("@")[0] in _BOTS:
        return f"bounce: sent by {parsed.from_address}"
    submitted = signals.get("auto-submitted", "").split(";")[0].strip()
    if submitted and submitted != "no":
        return f"auto-reply: Auto-Submitted {submitted}"
    precedence = signals.get("precedence", "")
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"auto-reply: Precedence {precedence}"
    for name in ("x-autoreply", "x-autorespond"):
        if name in signals:
            return f"auto-reply: {name.title()}"
    if "x-loop" in signals and domain and domain in signals["x-loop"]:
        return "loop: X-Loop names us"
    return ""


def asks_no_auto_reply(parsed: ParsedEmail) -> bool:
    """The sender asked not to be answered automatically (Outlook's Auto-Response-Suppress).

    A person's message may carry it, so the message still counts; only automatic answers
    (acknowledgements) must not go to it."""
    return any(h in parsed.signals for h in ("auto-response-suppress", "x-auto-response-suppress"))


def case_reference(subject: str) -> str:
    """The first case reference (``C-2026-000123``) in a subject, upper-cased, or ``""``."""
    found = REFERENCE_IN_TEXT.search(subject)
    return f"C-{found.group(1)}-{found.group(2)}" if found else ""


def thread_ids(parsed: ParsedEmail) -> list[str]:
    """The Message-IDs this message answers, nearest first (In-Reply-To, then References from
    the newest back)."""
    return list(dict.fromkeys([*parsed.in_reply_to, *reversed(parsed.references)]))


@dataclass(frozen=True)
class Limits:
    message_bytes: int
    attachment_bytes: int
    our_domain: str
    our_addresses: tuple[str, ...]


def verdict(parsed: ParsedEmail, size: int, limits: Limits) -> tuple[InboundStatus | None, str]:
    """What to do with a message before looking for its case: refuse it, ignore it, flag it,
    or ``(None, "")`` to file it on a case. In this order, so an auto-reply is never answered
    even with a notice that it was too large."""
    if size > limits.message_bytes:
        return InboundStatus.REJECTED, (
            f"The email is {size:,} bytes; the limit is {limits.message_bytes:,} bytes."
        )
    automatic = automatic_reason(
        parsed, our_domain=limits.our_domain, our_addresses=limits.our_addresses
    )
    if automatic:
        return InboundStatus.IGNORED, automatic
    serious = serious_defects(parsed)
    if serious:
        return InboundStatus.FLAGGED, f"Malformed: {', '.join(serious)}."
    try:
        normalise_email(parsed.from_address)
    except ValidationError:
        return InboundStatus.FLAGGED, f"The sender address {parsed.from_address!r} is not valid."
    for item in parsed.attachments:
        if len(item.data) > limits.attachment_bytes:
            return InboundStatus.REJECTED, (
                f"The attachment {item.filename} is {len(item.data):,} bytes; the limit for an "
                f"attachment is {limits.attachment_bytes:,} bytes."
            )
    return None, ""


def received_time(parsed: ParsedEmail, now: datetime, *, trust: timedelta) -> datetime:
    """When the customer sent it: the Date header when it is plausible (not in the future, not
    older than ``trust``; a mailbox polled after an outage), else when it reached us."""
    if parsed.date is not None and now - trust <= parsed.date <= now:
        return parsed.date
    return now
