"""On PostgreSQL, a kept connection the server has ended is found before a request uses it,
without a round trip to ask."""

from __future__ import annotations

import time

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's health check"),
]


def test_a_connection_the_server_ended_is_replaced_before_the_next_request_uses_it() -> None:
    kept = connections.create_connection("default")  # outside the test's own transaction
    try:
        kept.ensure_connection()
        assert kept.is_usable()
        with kept.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 5
        while kept.is_usable() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not kept.is_usable()
        # What Django does at the start of a request with health checks on.
        kept.health_check_done = False
        kept.close_if_health_check_failed()
        with kept.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone()[0] == 1
    finally:
        kept.close()


def test_the_health_check_sends_nothing_to_the_server() -> None:
    kept = connections.create_connection("default")
    try:
        kept.ensure_connection()
        with kept.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid() AS before_the_checks")
            pid = cursor.fetchone()[0]
        assert all(kept.is_usable() for _ in range(20))
        with connection.cursor() as cursor:
            # The last statement the server had from that connection is still the one above.
            cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
            assert "before_the_checks" in cursor.fetchone()[0]
    finally:
        kept.close()
