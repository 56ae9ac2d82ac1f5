"""The one error hierarchy. Every error a user can cause carries an ``ErrorCode``.

Pure Python: domain layers raise these, and ``amends.api`` maps each code to an HTTP status in one
table. The CLI prints the message and exits non-zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    VALIDATION = "validation_error"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    UNAUTHENTICATED = "unauthenticated"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    STALE_VERSION = "stale_version"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    ATTACHMENT_TOO_LARGE = "attachment_too_large"
    ATTACHMENT_TYPE_NOT_ALLOWED = "attachment_type_not_allowed"
    CONFLICT = "conflict"
    MISSING_CONTENT = "missing_content"
    INTERNAL = "internal_error"


class AmendsError(Exception):
    """Base of every error raised on purpose. ``fields`` maps a field name to what is wrong."""

    code: ErrorCode = ErrorCode.INTERNAL

    def __init__(
        self,
        message: str,
        *,
        code: ErrorCode | None = None,
        fields: Mapping[str, str | Sequence[str]] | None = None,
        **details: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.fields: dict[str, list[str]] = {
            name: [problem] if isinstance(problem, str) else list(problem)
            for name, problem in (fields or {}).items()
        }
        self.details = details

    def __str__(self) -> str:
        return self.message


class ValidationError(AmendsError):
    code = ErrorCode.VALIDATION


class NotFoundError(AmendsError):
    code = ErrorCode.NOT_FOUND


class PermissionDeniedError(AmendsError):
    code = ErrorCode.FORBIDDEN


class AuthenticationError(AmendsError):
    code = ErrorCode.UNAUTHENTICATED


class TransitionNotAllowedError(AmendsError):
    """A lifecycle move that the rules forbid, or whose guard is not met.

    ``missing`` names each field the guard needs and did not get.
    """

    code = ErrorCode.TRANSITION_NOT_ALLOWED

    def __init__(self, message: str, *, missing: Sequence[str] = (), **details: Any) -> None:
        super().__init__(
            message, fields={name: "required for this transition" for name in missing}, **details
        )
        self.missing = list(missing)


class StaleVersionError(AmendsError):
    code = ErrorCode.STALE_VERSION


class IdempotencyKeyReusedError(AmendsError):
    code = ErrorCode.IDEMPOTENCY_KEY_REUSED


class ConflictError(AmendsError):
    code = ErrorCode.CONFLICT


class PolicyViolationError(AmendsError):
    """Something a policy pack requires is missing (``missing`` names each item)."""

    code = ErrorCode.MISSING_CONTENT

    def __init__(self, message: str, *, missing: Sequence[str] = (), **details: Any) -> None:
        super().__init__(
            message, fields={"content_items": [f"missing: {item}" for item in missing]}, **details
        )
        self.missing = list(missing)


class AttachmentRejectedError(AmendsError):
    code = ErrorCode.ATTACHMENT_TYPE_NOT_ALLOWED


def error_body(
    code: str, message: str, fields: Mapping[str, Sequence[str]] | None = None
) -> dict[str, Any]:
    """The one error shape of the API: ``{"error": {"code", "message", "fields"}}``."""
    return {
        "error": {
            "code": code,
            "message": message,
            "fields": {k: list(v) for k, v in (fields or {}).items()},
        }
    }
