"""The API's requests go through only the middleware that applies to them.

Sessions, CSRF, messages, sign-in lockouts, htmx, static files and the pages' content security
policy are for people using pages; the API is JSON with a bearer token. Each layer of Django
middleware costs every request a few microseconds whether it applies or not, and eleven of them
cost an API request about 0.07 ms, more than the whole of ``GET /api/v1/me`` does itself. So
``amends.wsgi`` sends paths under ``/api/`` to a handler built from ``settings.API_MIDDLEWARE``
(security headers and the NUL refusal), and every other path to Django's usual handler. The
tests' API client uses the same handler, so what they check is what runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

API_PREFIX = "/api/"


class ApiMiddleware:
    """Mix into a Django handler (before it) to build its chain from ``API_MIDDLEWARE``."""

    def load_middleware(self, is_async: bool = False) -> None:
        everything = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.API_MIDDLEWARE  # read once, here, while the chain is built
        try:
            super().load_middleware(is_async)  # type: ignore[misc]
        finally:
            settings.MIDDLEWARE = everything


class ApiHandler(ApiMiddleware, WSGIHandler):
    pass


def dispatch(
    pages: WSGIHandler, api: WSGIHandler
) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    """One WSGI application: the API's paths to ``api``, everything else to ``pages``."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        handler = api if environ.get("PATH_INFO", "").startswith(API_PREFIX) else pages
        return handler(environ, start_response)

    return application
