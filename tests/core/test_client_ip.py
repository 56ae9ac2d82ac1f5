from __future__ import annotations

from typing import Any

from django.test import RequestFactory

from amends.core.web import client_ip


def _request(**meta: str) -> Any:
    return RequestFactory().get("/", REMOTE_ADDR=meta.pop("remote", "10.0.0.5"), **meta)


def test_without_proxies_the_connections_address_counts_and_the_header_is_ignored(
    settings: Any,
) -> None:
    settings.AMENDS_PROXY_COUNT = 0
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="1.2.3.4")) == "10.0.0.5"


def test_behind_one_proxy_the_address_it_saw_counts_not_one_the_client_wrote(
    settings: Any,
) -> None:
    settings.AMENDS_PROXY_COUNT = 1
    forged = _request(HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(forged) == "203.0.113.9"
    assert client_ip(_request()) == "10.0.0.5"  # no header: the connection's address


def test_the_portal_limits_per_client_behind_a_proxy(settings: Any, client: Any, db: Any) -> None:
    settings.AMENDS_PROXY_COUNT = 1
    settings.AMENDS_PORTAL_LINKS_PER_HOUR = 2
    answers = [
        client.post(
            "/portal/", {"email": f"p{i}@example.com"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{i % 2}"
        ).status_code
        for i in range(6)
    ]
    # Two clients behind the same proxy: each gets its own two links an hour.
    assert answers == [200, 200, 200, 200, 429, 429]
