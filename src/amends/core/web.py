"""What every HTML view shares: domain errors as pages, and domain errors on forms.

The API maps errors to JSON in ``amends.api``; this is the same table for people. A view that
re-shows a form catches the error and calls :func:`show_error`; anything it does not catch (no
access, nothing there) becomes a page that says so, with the right status.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from csp.middleware import CSPMiddleware
from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from amends.core.errors import (
    AmendsError,
    ErrorCode,
    NotFoundError,
    PermissionDeniedError,
    error_body,
)

# The HTTP status of a page re-shown because of each kind of error.
STATUS = {
    ErrorCode.VALIDATION: 422,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.TRANSITION_NOT_ALLOWED: 409,
    ErrorCode.STALE_VERSION: 409,
    ErrorCode.CONFLICT: 409,
    ErrorCode.MISSING_CONTENT: 422,
    ErrorCode.ATTACHMENT_TOO_LARGE: 413,
    ErrorCode.ATTACHMENT_TYPE_NOT_ALLOWED: 415,
}


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (and wants a fragment rather than a whole page)."""
    return bool(getattr(request, "htmx", False))


def status_for(error: AmendsError) -> int:
    return STATUS.get(error.code, 400)


def show_error(
    form: forms.BaseForm, error: AmendsError, *, aliases: dict[str, str] | None = None
) -> None:
    """Put ``error`` on ``form``: each named field's problem beside that field, the message on
    top. ``aliases`` maps a service's field name to the form's where they differ."""
    aliases = aliases or {}
    for name, problems in error.fields.items():
        field = aliases.get(name, name)
        if field in form.fields:
            for problem in problems:
                form.add_error(field, problem)
    form.add_error(None, error.message)


class DomainErrorPages:
    """Turn a domain error that escaped an HTML view into a page (403, 404, ...)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/") or not isinstance(exception, AmendsError):
            return None
        if isinstance(exception, PermissionDeniedError):
            template = "403.html"
        elif isinstance(exception, NotFoundError):
            template = "404.html"
        else:
            template = "error.html"
        return render(
            request, template, {"message": exception.message}, status=status_for(exception)
        )


def _has_nul(value: Any) -> str | None:
    """The path of the first string holding a NUL character, or None."""
    if isinstance(value, str):
        return "" if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in str(key):
                return str(key)
            found = _has_nul(item)
            if found is not None:
                return f"{key}.{found}".rstrip(".")
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _has_nul(item)
            if found is not None:
                return f"{index}.{found}".rstrip(".")
    return None


class RefuseNulCharacters:
    """No database stores a NUL character in text (PostgreSQL refuses it): say so at the edge,
    with the field, instead of failing deep inside. Pages get this from Django's forms; this
    covers the API's JSON bodies and every query string."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field: str | None = None
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "").lower():
            field = "query"
        elif (
            request.path.startswith("/api/")
            and request.content_type == "application/json"
            # JSON can carry a NUL only as the escape \u0000: no escape, nothing to find.
            and b"\\u0000" in request.body
        ):
            try:
                field = _has_nul(json.loads(request.body or b"null"))
            except (ValueError, UnicodeDecodeError):
                field = None  # the API reports malformed JSON itself
        if field is None:
            return self.get_response(request)
        body = error_body(
            ErrorCode.VALIDATION,
            "Text cannot contain the NUL character (\\u0000).",
            {field or "body": ["contains a NUL character"]},
        )
        return JsonResponse(body, status=422)


def client_ip(request: HttpRequest) -> str:
    """The address the request came from. Behind ``AMENDS_PROXY_COUNT`` trusted proxies (load
    balancers that append to X-Forwarded-For), the address the nearest proxy saw; otherwise the
    connection's own address. Addresses a client wrote into the header itself are never
    trusted, because each proxy appends and we count from the right."""
    proxies: int = settings.AMENDS_PROXY_COUNT
    remote = str(request.META.get("REMOTE_ADDR", ""))
    if proxies <= 0:
        return remote
    hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    hops = [h for h in hops if h]
    return hops[-proxies] if len(hops) >= proxies else remote


class ContentSecurityPolicy(CSPMiddleware):
    """django-csp's middleware, which builds the policy for every response before it looks at
    ``EXCLUDE_URL_PREFIXES``: the API's JSON answers skip it altogether."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        excluded = settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES", ())
        if request.path_info.startswith(tuple(excluded)):
            return response
        return super().process_response(request, response)
