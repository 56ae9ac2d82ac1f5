from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings

from amends.accounts.models import Team, User
from amends.cases.models import Case, Interaction
from amends.customers.models import Customer
from amends.integrations.models import IntakeLink

FORM = {
    "channel": "web_form",
    "customer": {"name": "Sam Jones", "email": "Sam.Jones@Example.com"},
    "what_happened": "My meter reading was ignored and the bill is double what it should be.",
    "what_they_want": "A corrected bill.",
    "external_reference": "form-1234",
}


@pytest.fixture(autouse=True)
def _intake_team(team: Team, settings: Any) -> None:
    settings.AMENDS_INTAKE_TEAM = team.slug


@pytest.fixture
def api(api_as: Callable[[User], Any], agent: User) -> Any:
    return api_as(agent)


def error(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()["error"]
    return body


def test_a_web_form_contact_becomes_a_case_with_the_customers_words_as_first_message(
    api: Any, team: Team
) -> None:
    response = api.post("/intake", FORM)
    assert response.status_code == 201
    body = response.json()
    case = Case.objects.get(reference=body["reference"])
    assert body["status"] == "received"
    assert body["kind"] == "complaint"
    assert body["channel"] == "web_form"
    assert body["external_reference"] == "form-1234"
    assert body["links"] == {
        "case": f"/api/v1/cases/{case.reference}",
        "page": f"/cases/{case.reference}/",
    }
    assert case.team == team
    assert case.remedy_sought == "A corrected bill."
    message = Interaction.objects.get(pk=body["message"])
    assert message.case == case
    assert message.direction == "inbound"
    assert message.body == FORM["what_happened"]
    assert message.counterpart == "sam.jones@example.com"
    assert IntakeLink.objects.get(case=case).external_reference == "form-1234"
    # The case reads back through the ordinary API with the same token.
    path = body["links"]["case"].removeprefix("/api/v1")
    assert api.get(path).json()["reference"] == case.reference


def test_a_new_customer_is_recorded_when_no_one_matches(api: Any) -> None:
    body = api.post("/intake", FORM).json()
    customer = Customer.objects.get(reference=body["customer"])
    assert customer.name == "Sam Jones"
    assert customer.email == "sam.jones@example.com"
    assert customer.preferred_channel == "email"


def test_an_existing_customer_is_found_by_email(
    api: Any, make_customer: Callable[..., Customer]
) -> None:
    known = make_customer("Samantha Jones", email="sam.jones@example.com")
    body = api.post("/intake", FORM).json()
    assert body["customer"] == known.reference
    assert Customer.objects.count() == 1


def test_an_existing_customer_is_found_by_external_id_before_email(
    api: Any, make_customer: Callable[..., Customer]
) -> None:
    by_id = make_customer("Sam J", email="old@example.com", external_id="crm-77")
    make_customer("Other Sam", email="sam.jones@example.com")
    form = {**FORM, "customer": {**FORM["customer"], "external_id": "crm-77"}}
    assert api.post("/intake", form).json()["customer"] == by_id.reference


def test_a_customer_with_only_a_phone_number_prefers_the_phone(api: Any) -> None:
    form = {**FORM, "channel": "sms", "customer": {"name": "Ola", "phone": "020 7946 0018"}}
    body = api.post("/intake", form).json()
    customer = Customer.objects.get(reference=body["customer"])
    assert customer.phone == "+442079460018"
    assert customer.preferred_channel == "phone"
    assert body["channel"] == "sms"


def test_the_same_idempotency_key_and_body_return_the_first_case_with_200(api: Any) -> None:
    first = api.post("/intake", FORM, **{"Idempotency-Key": "chat-9"})
    again = api.post("/intake", FORM, **{"Idempotency-Key": "chat-9"})
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Case.objects.count() == 1
    assert Customer.objects.count() == 1


def test_an_idempotency_key_reused_with_a_different_body_is_409(api: Any) -> None:
    api.post("/intake", FORM, **{"Idempotency-Key": "chat-9"})
    other = api.post(
        "/intake", {**FORM, "what_happened": "Something else."}, **{"Idempotency-Key": "chat-9"}
    )
    assert other.status_code == 409
    assert error(other)["code"] == "idempotency_key_reused"
    assert Case.objects.count() == 1


def test_without_a_key_each_request_is_a_new_case(api: Any) -> None:
    api.post("/intake", FORM)
    api.post("/intake", FORM)
    assert Case.objects.count() == 2
    assert Customer.objects.count() == 1  # the second contact found the first one's record


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"what_happened": None}, "what_happened"),
        ({"what_happened": "   "}, "what_happened"),
        ({"channel": "pigeon"}, "channel"),
        ({"customer": {"email": "sam@example.com"}}, "customer.name"),
        ({"customer": {"name": "Sam", "email": "not-an-address"}}, "customer.email"),
        ({"customer": {"name": "Sam", "phone": "12"}}, "customer.phone"),
        ({"customer": {"name": "Sam"}}, "customer.email"),
        ({"customer": {"name": "Sam", "email": "s@example.com", "adjustments": ["x"]}}, None),
        ({"received_at": "2026-11-01T09:00:00"}, "received_at"),
        ({"received_at": "2099-11-01T09:00:00Z"}, "received_at"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_bad_field_is_refused_with_422_naming_it(
    api: Any, change: dict[str, Any], field: str | None
) -> None:
    form = {k: v for k, v in {**FORM, **change}.items() if v is not None}
    response = api.post("/intake", form)
    assert response.status_code == 422
    fields = error(response)["fields"]
    assert error(response)["code"] == "validation_error"
    if field is None:
        assert any(name.startswith("customer.adjustments") for name in fields), fields
    else:
        assert field in fields, fields
    assert Case.objects.count() == 0
    assert Customer.objects.count() == 0


def test_without_a_token_intake_is_401() -> None:
    response = Client().post("/api/v1/intake", FORM, content_type="application/json")
    assert response.status_code == 401
    assert error(response)["code"] == "unauthenticated"


@pytest.mark.parametrize("who", ["auditor", "dpo", "other_agent"])
def test_roles_that_cannot_log_cases_in_the_intake_team_get_403(
    api_as: Callable[[User], Any], who: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    response = api_as(user).post("/intake", FORM)
    assert response.status_code == 403
    assert error(response)["code"] == "forbidden"
    assert Case.objects.count() == 0


@pytest.mark.parametrize("who", ["agent", "lead", "manager"])
def test_intake_team_members_and_managers_may_pass_contacts_on(
    api_as: Callable[[User], Any], who: str, request: pytest.FixtureRequest
) -> None:
    assert api_as(request.getfixturevalue(who)).post("/intake", FORM).status_code == 201


def test_with_no_intake_team_the_error_says_so(api: Any) -> None:
    with override_settings(AMENDS_INTAKE_TEAM="nowhere"):
        response = api.post("/intake", FORM)
    assert response.status_code == 422
    assert "AMENDS_INTAKE_TEAM" in error(response)["message"]
