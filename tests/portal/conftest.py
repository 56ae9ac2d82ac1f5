from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from amends.core import clock
from amends.customers.models import Customer
from amends.portal import links

LINK = re.compile(r"/portal/sign-in/([A-Za-z0-9_-]+)/")


def token_from(message: Any) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def emailed_token(customer: Customer) -> str:
    """Issue a link the way the portal does and read its token from the email sent."""
    link = links.issue_link(customer=customer, now=clock.now())
    before = len(mail.outbox)
    assert links.send_link(link_id=link.pk, now=clock.now())
    assert len(mail.outbox) == before + 1
    return token_from(mail.outbox[-1])


@pytest.fixture
def signed_in(db: Any) -> Callable[[Customer], Client]:
    """A browser-like client with a portal session for ``customer``, opened by a real link."""

    def make(customer: Customer) -> Client:
        client = Client()
        response = client.post(f"/portal/sign-in/{emailed_token(customer)}/")
        assert response.status_code == 302, response.content
        return client

    return make
