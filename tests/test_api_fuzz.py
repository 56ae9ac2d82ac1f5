"""Schemathesis generates requests from our own OpenAPI document: none may cause a 500, and every
response must match the document."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from amends.accounts import services as account_services
from amends.wsgi import application
from tests.conftest import NOW

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def keep_test_connection():  # type: ignore[no-untyped-def]
    """Calls straight into the WSGI app would close the test's connection after each request;
    Django's own test client avoids that the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@pytest.mark.django_db
def test_generated_requests_never_cause_a_server_error(
    case, agent, make_case, keep_test_connection
):  # type: ignore[no-untyped-def]
    make_case()  # something to find, change and move
    _, token = account_services.issue_token(user=agent, name="fuzz", actor=None, now=NOW)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error]
    )
