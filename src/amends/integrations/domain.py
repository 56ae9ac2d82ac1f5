"""Rules for channels to other systems: webhook signatures, event patterns, retries, payloads.

Pure Python. A receiver can copy :func:`verify` (it needs only the standard library).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from amends.core.errors import ValidationError

SIGNATURE_HEADER = "Amends-Signature"
EVENT_HEADER = "Amends-Event"
DELIVERY_HEADER = "Amends-Delivery"
# How old a signed timestamp a receiver should accept, in seconds (replays older are refused).
DEFAULT_TOLERANCE = 300
SECRET_PREFIX = "whsec_"  # noqa: S105 - a label, not a secret

# Attempt n (1-based) failed: wait RETRY_BASE * RETRY_FACTOR ** (n - 1), at most RETRY_CAP.
RETRY_BASE = timedelta(seconds=30)
RETRY_FACTOR = 4
RETRY_CAP = timedelta(hours=6)
MAX_ATTEMPTS = 8  # 30 s, 2 min, 8 min, 32 min, 2 h 8 min, 6 h, 6 h: about 15 hours in all

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


# --- signatures ---------------------------------------------------------------------------


def generate_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The header value: ``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


class SignatureError(ValueError):
    """The signature is missing, malformed, wrong, or too old."""


def _parse(header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise SignatureError("the signature header needs t=<unix seconds> and v1=<hex digest>")
    return timestamp, signatures


def verify(
    secret: str,
    header: str,
    body: bytes,
    now: datetime | float,
    tolerance: int = DEFAULT_TOLERANCE,
) -> int:
    """Check a delivery's signature; return its timestamp or raise :class:`SignatureError`.

    ``body`` is the raw request body, byte for byte; ``now`` an aware datetime or Unix seconds.
    Several ``v1=`` values may be present (while a secret is rotated); one must match.
    """
    timestamp, signatures = _parse(header)
    current = now.timestamp() if isinstance(now, datetime) else float(now)
    if abs(current - timestamp) > tolerance:
        raise SignatureError(f"the signature is more than {tolerance} seconds old or ahead")
    expected = sign(secret, timestamp, body).partition(",v1=")[2]
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise SignatureError("the signature does not match the body and secret")
    return timestamp


# --- endpoints ----------------------------------------------------------------------------


def parse_patterns(raw: str) -> tuple[str, ...]:
    """``"case.created, case.closed"`` or ``"case.*"`` or ``"*"``: event-type patterns."""
    patterns = tuple(dict.fromkeys(p.strip() for p in raw.split(",") if p.strip()))
    if not patterns:
        raise ValidationError(
            "Say which events to send.", fields={"events": "give at least one pattern"}
        )
    for pattern in patterns:
        stem = pattern.removesuffix(".*")
        if pattern != "*" and (not stem or not all(p.isidentifier() for p in stem.split("."))):
            raise ValidationError(
                f"{pattern!r} is not an event pattern.",
                fields={"events": "use types like case.created, prefixes like case.*, or *"},
            )
    return patterns


def matches(patterns: tuple[str, ...] | str, event_type: str) -> bool:
    if isinstance(patterns, str):
        patterns = tuple(p.strip() for p in patterns.split(",") if p.strip())
    for pattern in patterns:
        if pattern in ("*", event_type):
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False


def check_url(url: str, *, allow_http: bool) -> str:
    """Webhooks go over HTTPS; plain HTTP only to this machine, unless allowed."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        raise ValidationError(
            f"{url!r} is not a web address.", fields={"url": "give an https:// address"}
        )
    if parts.username or parts.password:
        raise ValidationError(
            "Put credentials in the receiver's check of our signature, not in the address.",
            fields={"url": "must not contain a user name or password"},
        )
    if parts.scheme == "http" and not allow_http and not _is_local(host):
        raise ValidationError(
            "Webhooks must use HTTPS (plain HTTP is allowed only to localhost).",
            fields={"url": "use https://"},
        )
    return parts.geturl()


def _is_local(host: str) -> bool:
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# --- deliveries ---------------------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt."""
    delay = RETRY_BASE * RETRY_FACTOR ** max(attempts - 1, 0)
    return min(delay, RETRY_CAP)


@dataclass(frozen=True)
class AttemptResult:
    status_code: int | None  # None: no HTTP answer (refused, timed out, TLS failure)
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def after_attempt(
    result: AttemptResult, *, attempts: int, now: datetime, max_attempts: int = MAX_ATTEMPTS
) -> tuple[DeliveryStatus, datetime | None]:
    """A delivery's status after its ``attempts``-th attempt, and when to try again."""
    if result.ok:
        return DeliveryStatus.DELIVERED, None
    if attempts >= max_attempts:
        return DeliveryStatus.FAILED, None
    return DeliveryStatus.PENDING, now + retry_delay(attempts)


def case_payload(
    *,
    event_id: int,
    event_type: str,
    occurred_at: str,
    seq: int,
    reference: str,
    status: str,
    kind: str,
    url: str,
) -> dict[str, Any]:
    """What a receiver is told: which event, on which case. No personal data: a receiver that
    needs more fetches the case through the API with its own token."""
    return {
        "event": {"id": event_id, "type": event_type, "occurred_at": occurred_at, "seq": seq},
        "case": {"reference": reference, "status": status, "kind": kind, "url": url},
    }


def body_bytes(payload: Mapping[str, Any]) -> bytes:
    """The exact bytes sent (and signed): compact JSON with sorted keys."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
