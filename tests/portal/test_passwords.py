"""A customer who signed in with a link may choose a password and sign in with it next time;
a wrong address and a wrong password get the same answer, and attempts are limited."""

from __future__ import annotations

from typing import Any

from django.test import Client

from amends.core.models import Event
from amends.customers.models import Customer
from amends.customers.services import customer_stream
from amends.portal.models import PortalAccount

PASSWORD = "plum-orchard-lantern"


def sign_in(client: Client, email: str, password: str) -> Any:
    return client.post("/portal/sign-in/", {"password-email": email, "password-password": password})


def test_a_customer_chooses_a_password_and_signs_in_with_it(
    make_customer: Any, signed_in: Any
) -> None:
    sam: Customer = make_customer("Sam Okafor", email="sam@example.com")
    client = signed_in(sam)
    page = client.get("/portal/cases/").content.decode()
    assert "Sign in with a password next time" in page
    response = client.post(
        "/portal/password/", {"choose-password": PASSWORD, "choose-again": PASSWORD}
    )
    assert response.status_code == 302
    account = PortalAccount.objects.get(customer=sam)
    assert account.password_hash.startswith("argon2") and PASSWORD not in account.password_hash
    event = Event.objects.get(stream=customer_stream(sam), type="portal.password_set")
    assert PASSWORD not in str(event.data) and "argon2" not in str(event.data)

    fresh = Client()
    assert sign_in(fresh, " SAM@example.com ", PASSWORD).status_code == 302
    assert "Your cases" in fresh.get("/portal/cases/").content.decode()
    assert PortalAccount.objects.get(customer=sam).last_sign_in_at is not None


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(
    make_customer: Any, signed_in: Any
) -> None:
    sam: Customer = make_customer("Sam Okafor", email="sam@example.com")
    signed_in(sam).post(
        "/portal/password/", {"choose-password": PASSWORD, "choose-again": PASSWORD}
    )
    wrong = sign_in(Client(), "sam@example.com", "not-the-password-1")
    unknown = sign_in(Client(), "nobody@example.com", PASSWORD)
    no_account = sign_in(Client(), make_customer("Lee", email="lee@example.com").email, PASSWORD)
    for response in (wrong, unknown, no_account):
        assert response.status_code == 401
        assert "do not match" in response.content.decode()
    assert "plum-orchard" not in wrong.content.decode()  # the password is never shown back


def test_weak_or_mismatched_passwords_are_refused_beside_the_field(
    make_customer: Any, signed_in: Any
) -> None:
    client = signed_in(make_customer("Sam Okafor", email="sam@example.com"))
    short = client.post("/portal/password/", {"choose-password": "abc", "choose-again": "abc"})
    assert short.status_code == 422 and "too short" in short.content.decode()
    mismatch = client.post(
        "/portal/password/", {"choose-password": PASSWORD, "choose-again": PASSWORD + "x"}
    )
    assert mismatch.status_code == 422 and "not the same" in mismatch.content.decode()
    assert not PortalAccount.objects.exists()


def test_password_attempts_are_limited_per_address(
    make_customer: Any, signed_in: Any, settings: Any
) -> None:
    settings.AMENDS_PORTAL_LINKS_PER_HOUR = 3
    sam: Customer = make_customer("Sam Okafor", email="sam@example.com")
    signed_in(sam).post(
        "/portal/password/", {"choose-password": PASSWORD, "choose-again": PASSWORD}
    )
    answers = [
        sign_in(Client(), "sam@example.com", "guess-number-one").status_code for _ in range(3)
    ]
    assert answers == [401, 401, 401]
    # Even the right password waits now: the limit is not a hint.
    assert sign_in(Client(), "sam@example.com", PASSWORD).status_code == 429


def test_signing_in_needs_a_session_to_choose_a_password(db: Any) -> None:
    response = Client().post(
        "/portal/password/", {"choose-password": PASSWORD, "choose-again": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert not PortalAccount.objects.exists()
