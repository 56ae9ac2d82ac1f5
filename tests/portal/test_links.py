"""Signing in to the portal with an emailed link: single use, expiring, not revealing."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.test import Client

from amends.core.models import Event
from amends.customers.services import customer_stream
from amends.portal import links, session
from amends.portal.models import PortalLink
from tests.portal.conftest import emailed_token, token_from


def test_a_known_address_is_emailed_a_link_after_commit(
    customer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/portal/", {"email": customer.email.upper()})
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert callbacks, "the email goes out only after the transaction commits"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [customer.email]
    token = token_from(mail.outbox[0])
    link = PortalLink.objects.get(customer=customer)
    assert link.token_hash and token not in link.token_hash  # only a hash is kept
    assert Event.objects.filter(stream=customer_stream(customer), type="portal.link_issued")


def test_an_unknown_address_gets_the_same_answer_and_no_email(
    customer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/portal/", {"email": customer.email})
        unknown = client.post("/portal/", {"email": "nobody@example.com"})
    assert unknown.status_code == known.status_code == 200
    strip = (customer.email, "nobody@example.com")
    assert known.content.decode().replace(strip[0], "X") == unknown.content.decode().replace(
        strip[1], "X"
    )
    assert [m.to for m in mail.outbox] == [[customer.email]]


def test_a_blank_or_malformed_address_is_explained_beside_the_field(db: Any) -> None:
    response = Client().post("/portal/", {"email": "not an address"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_email"' in page
    assert "Enter an email address like name@example.com." in page
    assert 'value="not an address"' in page


def test_a_link_signs_the_customer_in_once_and_cycles_the_session_key(customer: Any) -> None:
    token = emailed_token(customer)
    client = Client()
    client.get("/portal/")
    first_key = client.session.session_key
    page = client.get(f"/portal/sign-in/{token}/")
    assert page.status_code == 200 and "Continue" in page.content.decode()
    assert PortalLink.objects.get().used_at is None, "opening the link does not spend it"
    response = client.post(f"/portal/sign-in/{token}/")
    assert response.status_code == 302 and response["Location"] == "/portal/cases/"
    assert client.session[session.CUSTOMER] == customer.pk
    assert client.session.session_key != first_key
    assert "_auth_user_id" not in client.session, "not a staff sign-in"
    event = Event.objects.get(stream=customer_stream(customer), type="portal.signed_in")
    assert event.actor_label == "customer"

    again = Client().post(f"/portal/sign-in/{token}/")
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert "Get a new link" in again.content.decode()


def test_an_expired_link_is_refused_with_a_way_to_get_a_new_one(customer: Any, now: Any) -> None:
    link = links.issue_link(customer=customer, now=now)  # NOW is weeks ago
    assert links.send_link(link_id=link.pk, now=now)
    token = token_from(mail.outbox[-1])
    for response in (
        Client().get(f"/portal/sign-in/{token}/"),
        Client().post(f"/portal/sign-in/{token}/"),
    ):
        assert response.status_code == 410
        page = response.content.decode()
        assert "This link has expired." in page and 'href="/portal/#follow"' in page
    assert PortalLink.objects.get().used_at is None


def test_a_tampered_link_is_refused(customer: Any) -> None:
    token = emailed_token(customer)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = Client().post(f"/portal/sign-in/{tampered}/")
    assert response.status_code == 404
    assert "not one we sent" in response.content.decode()
    assert PortalLink.objects.get().used_at is None


def test_a_link_expires_after_the_configured_minutes(
    customer: Any, now: Any, settings: Any
) -> None:
    settings.AMENDS_PORTAL_LINK_MINUTES = 10
    link = links.issue_link(customer=customer, now=now)
    assert (link.expires_at - now).total_seconds() == 600
    assert not links.send_link(link_id=link.pk, now=link.expires_at), "nothing sent once expired"


def test_asking_for_too_many_links_is_limited_per_address(
    customer: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.AMENDS_PORTAL_LINKS_PER_HOUR = 3
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            Client(REMOTE_ADDR=f"10.0.0.{n}").post("/portal/", {"email": customer.email})
            for n in range(4)
        ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert "Please wait before asking again" in answers[-1].content.decode()
    assert len(mail.outbox) == 3


def test_asking_for_too_many_links_is_limited_per_ip_address(db: Any, settings: Any) -> None:
    settings.AMENDS_PORTAL_LINKS_PER_HOUR = 2
    client = Client(REMOTE_ADDR="192.0.2.9")
    codes = [client.post("/portal/", {"email": f"p{n}@example.com"}).status_code for n in range(3)]
    assert codes == [200, 200, 429]
    assert (
        Client(REMOTE_ADDR="192.0.2.10").post("/portal/", {"email": "p9@example.com"}).status_code
        == 200
    )


def test_the_portal_session_ends_after_the_configured_idle_minutes(
    customer: Any, signed_in: Any
) -> None:
    client = signed_in(customer)
    assert client.get("/portal/cases/").status_code == 200
    stored = client.session
    stored[session.UNTIL] = 0
    stored.save()
    response = client.get("/portal/cases/")
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert session.CUSTOMER not in client.session


def test_signing_out_ends_the_portal_session(customer: Any, signed_in: Any) -> None:
    client = signed_in(customer)
    response = client.post("/portal/sign-out/")
    assert response.status_code == 302
    assert client.get("/portal/cases/").status_code == 302
