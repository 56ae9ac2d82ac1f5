"""The WSGI application: the API's paths through the API's few middleware, pages through all."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from amends.wsgi import application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_test_connection() -> Iterator[None]:
    """Calls straight into the WSGI app would close the test's connection after each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def call(method: str, path: str, body: bytes = b"", **headers: str) -> tuple[int, dict[str, str]]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/json",
        **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
    }
    answer: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> None:
        answer["status"] = int(status.split()[0])
        answer["headers"] = {k.lower(): v for k, v in response_headers}

    b"".join(application(environ, start_response))
    return answer["status"], answer["headers"]


def test_api_answers_keep_the_security_headers_and_set_no_cookies(api_as: Any, agent: Any) -> None:
    token = api_as(agent).token
    status, headers = call("GET", "/api/v1/me", authorization=f"Bearer {token}")
    assert status == 200
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert "set-cookie" not in headers and "content-security-policy" not in headers
    assert call("GET", "/api/v1/me")[0] == 401


def test_api_bodies_with_a_nul_character_are_still_refused(api_as: Any, agent: Any) -> None:
    token = api_as(agent).token
    status, _ = call(
        "POST", "/api/v1/coach/reply", b'{"text": "a\\u0000b"}', authorization=f"Bearer {token}"
    )
    assert status == 422


def test_pages_keep_every_middleware() -> None:
    status, headers = call("GET", "/sign-in/")
    assert status == 200
    assert "content-security-policy" in headers and "csrftoken" in headers.get("set-cookie", "")
    assert headers["x-frame-options"] == "DENY"
