"""The JSON API at /api/v1, and the one table that turns errors into HTTP responses."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

import orjson
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from ninja import NinjaAPI
from ninja.errors import AuthenticationError as NinjaAuthenticationError
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import BaseRenderer

from amends.accounts.api import router as accounts_router
from amends.accounts.auth import TokenAuth
from amends.cases.api import router as cases_router
from amends.comms.api import router as comms_router
from amends.core.errors import AmendsError, ErrorCode, error_body
from amends.customers.api import router as customers_router
from amends.integrations.api import router as integrations_router
from amends.policies.api import router as policies_router
from amends.resolution.api import router as resolution_router
from amends.sla.api import router as sla_router

log = logging.getLogger(__name__)

STATUS_FOR = {
    ErrorCode.VALIDATION: 422,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.TRANSITION_NOT_ALLOWED: 409,
    ErrorCode.STALE_VERSION: 409,
    ErrorCode.IDEMPOTENCY_KEY_REUSED: 409,
    ErrorCode.CONFLICT: 409,
    ErrorCode.MISSING_CONTENT: 422,
    ErrorCode.ATTACHMENT_TOO_LARGE: 413,
    ErrorCode.ATTACHMENT_TYPE_NOT_ALLOWED: 422,
    ErrorCode.INTERNAL: 500,
}


class JSONRenderer(BaseRenderer):
    """orjson: several times faster than the standard library for a page of cases."""

    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return orjson.dumps(data, default=_default, option=orjson.OPT_UTC_Z)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Promise):
        return str(value)
    raise TypeError(f"cannot render {type(value).__name__} as JSON")


api = NinjaAPI(
    renderer=JSONRenderer(),
    title="Amends API",
    version="1",
    description=(
        "Complaint and customer-problem resolution. Authenticate with "
        "`Authorization: Bearer <token>` (create one with `amends token NAME`). Every error has "
        'the shape `{"error": {"code": ..., "message": ..., "fields": {...}}}`.'
    ),
    auth=TokenAuth(),
    urls_namespace="api-v1",
)
api.add_router("", accounts_router)
api.add_router("", customers_router)
api.add_router("", cases_router)
api.add_router("", policies_router)
api.add_router("", resolution_router)
api.add_router("", sla_router)
api.add_router("", comms_router)
api.add_router("", integrations_router)


def _respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, body, status=status)


@api.exception_handler(AmendsError)
def on_amends_error(request: HttpRequest, exc: AmendsError) -> HttpResponse:
    body = error_body(exc.code.value, exc.message, exc.fields)
    if exc.details:
        body["error"]["details"] = exc.details
    return _respond(request, STATUS_FOR[exc.code], body)


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "form", "file", "cookie"}:
        parts = parts[1:]
        if len(parts) > 1 and parts[0] in {"payload", "filters"}:
            parts = parts[1:]
    return ".".join(parts) or "body"


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        name = _field_name(error.get("loc", ()))
        fields.setdefault(name, []).append(str(error.get("msg", "invalid")))
    names = ", ".join(sorted(fields))
    return _respond(
        request,
        422,
        error_body(ErrorCode.VALIDATION.value, f"The request is not valid: check {names}.", fields),
    )


@api.exception_handler(NinjaAuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = _respond(
        request,
        401,
        error_body(
            ErrorCode.UNAUTHENTICATED.value,
            "Send a valid API token as 'Authorization: Bearer <token>'.",
        ),
    )
    response["WWW-Authenticate"] = 'Bearer realm="amends"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {400: ErrorCode.VALIDATION, 404: ErrorCode.NOT_FOUND, 403: ErrorCode.FORBIDDEN}.get(
        exc.status_code, ErrorCode.VALIDATION if exc.status_code < 500 else ErrorCode.INTERNAL
    )
    status = 422 if exc.status_code == 400 else exc.status_code
    return _respond(request, status, error_body(code.value, str(exc)))


@api.exception_handler(IntegrityError)
def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    log.warning("integrity error on %s: %s", request.path, exc)
    return _respond(
        request,
        409,
        error_body(
            ErrorCode.CONFLICT.value,
            "The change conflicts with another one made at the same time; nothing was saved. "
            "Try again.",
        ),
    )


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("unexpected error on %s %s", request.method, request.path)
    return _respond(
        request,
        500,
        error_body(
            ErrorCode.INTERNAL.value, "Something went wrong on our side; nothing was saved."
        ),
    )
