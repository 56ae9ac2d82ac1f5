"""/api/v1/customers: creating, finding, reading, changing; who sees vulnerability details."""

from __future__ import annotations

from datetime import timedelta

import pytest

from amends.core import timeline
from amends.customers import services as customer_services
from amends.customers.domain import (
    CustomerKind,
    VulnerabilityBasis,
    VulnerabilityDraft,
    VulnerabilityDriver,
)
from amends.customers.models import Customer

pytestmark = pytest.mark.django_db

DETAIL = "Recently bereaved; finds phone calls very hard."
NEW_CUSTOMER = {
    "name": "Priya Patel",
    "email": "Priya.Patel@Example.com",
    "phone": "020 7946 0018",
    "address": "1 High Street, Leeds",
    "postcode": "ls1 4ap",
    "adjustments": ["large_print", "extra_time"],
}


def _error(response, status: int, code: str) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    return error["fields"]


@pytest.fixture
def admin(make_user):  # type: ignore[no-untyped-def]
    return make_user("ada", "admin")


@pytest.fixture
def vulnerable_customer(customer, lead, now):  # type: ignore[no-untyped-def]
    customer_services.record_vulnerability(
        customer=customer,
        draft=VulnerabilityDraft(
            driver=VulnerabilityDriver.LIFE_EVENTS,
            basis=VulnerabilityBasis.EXPLICIT_CONSENT,
            consent_given=True,
            detail=DETAIL,
            support_needed="Write rather than call.",
        ),
        actor=lead,
        now=now,
    )
    return customer


# --- creating -------------------------------------------------------------------------------


def test_an_agent_creates_a_customer_and_gets_the_clean_record_back(api_as, agent):
    response = api_as(agent).post("/customers", NEW_CUSTOMER)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("CU-")
    assert body["version"] == 1
    assert body["email"] == "priya.patel@example.com"
    assert body["phone"] == "+442079460018"
    assert body["postcode"] == "LS1 4AP"
    assert body["adjustments"] == ["large_print", "extra_time"]
    assert (body["kind"], body["internal"], body["vulnerable"]) == ("person", False, False)
    stored = Customer.objects.get(reference=body["reference"])
    assert stored.phone == "+442079460018"
    (event,) = timeline.events_for(f"customer:{stored.reference}")
    assert (event.type, event.actor_id) == ("customer.created", agent.pk)


def test_an_internal_department_is_created_as_internal(api_as, agent):
    response = api_as(agent).post(
        "/customers",
        {"name": "Finance Operations", "kind": "department", "preferred_channel": "in_person"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["internal"] is True


def test_a_customer_created_with_a_vulnerability_and_a_representative_has_both(api_as, lead):
    response = api_as(lead).post(
        "/customers",
        {
            **NEW_CUSTOMER,
            "vulnerabilities": [
                {"driver": "health", "consent_given": True, "detail": DETAIL},
            ],
            "representatives": [
                {
                    "name": "Sam Patel",
                    "relationship": "family_member",
                    "authority_evidence": "Signed authority form",
                    "phone": "07911 123456",
                },
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["vulnerable"] is True
    assert [v["detail"] for v in body["vulnerabilities"]] == [DETAIL]
    assert [(r["name"], r["phone"], r["scope"]) for r in body["representatives"]] == [
        ("Sam Patel", "+447911123456", "complaints")
    ]


def test_invalid_contact_details_are_refused_naming_each_bad_field(api_as, agent):
    response = api_as(agent).post(
        "/customers", {**NEW_CUSTOMER, "email": "priya@", "phone": "12345"}
    )
    fields = _error(response, 422, "validation_error")
    assert set(fields) == {"email", "phone"}
    assert all(fields[name][0] for name in fields)
    assert not Customer.objects.exists()


def test_a_customer_with_no_way_to_reach_them_is_refused(api_as, agent):
    response = api_as(agent).post("/customers", {"name": "Priya Patel"})
    fields = _error(response, 422, "validation_error")
    assert "email" in fields


def test_a_customer_without_a_name_is_refused_naming_the_name_field(api_as, agent):
    body = {key: value for key, value in NEW_CUSTOMER.items() if key != "name"}
    fields = _error(api_as(agent).post("/customers", body), 422, "validation_error")
    assert list(fields) == ["name"]


def test_an_unknown_adjustment_is_refused_naming_it(api_as, agent):
    response = api_as(agent).post(
        "/customers", {**NEW_CUSTOMER, "adjustments": ["large_print", "a_pony"]}
    )
    fields = _error(response, 422, "validation_error")
    assert list(fields) == ["adjustments.1"]
    assert not Customer.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("kind", "robot"), ("preferred_channel", "pigeon"), ("lawful_basis", "x")]
)
def test_an_unknown_choice_is_refused_naming_the_field(api_as, agent, field, value):
    response = api_as(agent).post("/customers", {**NEW_CUSTOMER, field: value})
    assert list(_error(response, 422, "validation_error")) == [field]


def test_an_unknown_field_is_refused_rather_than_ignored(api_as, agent):
    response = api_as(agent).post("/customers", {**NEW_CUSTOMER, "nickname": "Pri"})
    assert list(_error(response, 422, "validation_error")) == ["nickname"]
    assert not Customer.objects.exists()


def test_a_vulnerability_on_consent_without_consent_is_refused_and_nothing_saved(api_as, agent):
    response = api_as(agent).post(
        "/customers", {**NEW_CUSTOMER, "vulnerabilities": [{"driver": "health", "detail": DETAIL}]}
    )
    assert list(_error(response, 422, "validation_error")) == ["consent_given"]
    assert not Customer.objects.exists()


@pytest.mark.parametrize("role", ["auditor", "dpo"])
def test_roles_that_change_nothing_cannot_create_customers(api_as, make_user, role):
    response = api_as(make_user("reader", role)).post("/customers", NEW_CUSTOMER)
    _error(response, 403, "forbidden")
    assert not Customer.objects.exists()


# --- listing and searching ------------------------------------------------------------------


def _references(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [item["reference"] for item in response.json()["items"]]


@pytest.fixture
def three_customers(make_customer):  # type: ignore[no-untyped-def]
    return [
        make_customer("Priya Patel", email="Priya.Patel@example.com", phone="020 7946 0018"),
        make_customer("John Smith", email="john@example.org", phone="+33 1 42 68 53 00"),
        make_customer(
            "Acme Lettings", kind=CustomerKind.ORGANISATION, email="complaints@acme.example"
        ),
    ]


def test_the_list_shows_newest_first_with_no_further_page(api_as, auditor, three_customers):
    response = api_as(auditor).get("/customers")
    assert _references(response) == [c.reference for c in reversed(three_customers)]
    assert response.json()["next_cursor"] is None
    first = response.json()["items"][0]
    assert set(first) == {
        "reference",
        "kind",
        "name",
        "internal",
        "vulnerable",
        "adjustments",
        "preferred_channel",
        "preferred_format",
    }


@pytest.mark.parametrize("q", ["priya", "PATEL", "iya pat"])
def test_customers_are_found_by_part_of_their_name_in_any_case(api_as, agent, three_customers, q):
    assert _references(api_as(agent).get("/customers", q=q)) == [three_customers[0].reference]


def test_customers_are_found_by_email(api_as, agent, three_customers):
    found = _references(api_as(agent).get("/customers", q="john@example.org"))
    assert found == [three_customers[1].reference]


def test_customers_are_found_by_email_typed_in_another_case(api_as, agent, three_customers):
    found = _references(api_as(agent).get("/customers", q="priya.patel@example.com"))
    assert found == [three_customers[0].reference]


@pytest.mark.parametrize(
    "q", ["020 7946 0018", "02079460018", "+44 20 7946 0018", "(020) 7946-0018", "+442079460018"]
)
def test_customers_are_found_by_phone_written_in_any_format(api_as, agent, three_customers, q):
    assert _references(api_as(agent).get("/customers", q=q)) == [three_customers[0].reference]


def test_customers_are_found_by_an_international_number(api_as, agent, three_customers):
    found = _references(api_as(agent).get("/customers", q="+33 142 685 300"))
    assert found == [three_customers[1].reference]


def test_customers_are_found_by_reference_in_any_case(api_as, agent, three_customers):
    reference = three_customers[2].reference
    assert _references(api_as(agent).get("/customers", q=reference.lower())) == [reference]


def test_a_search_that_matches_nobody_returns_an_empty_page(api_as, agent, three_customers):
    response = api_as(agent).get("/customers", q="Zebedee")
    assert response.json() == {"items": [], "next_cursor": None}


def test_the_cursor_pages_through_every_customer_once(api_as, agent, make_customer):
    made = [make_customer(f"Customer {n}") for n in range(5)]
    client = api_as(agent)
    pages: list[list[str]] = []
    cursor = None
    while True:
        params = {"limit": 2} if cursor is None else {"limit": 2, "cursor": cursor}
        response = client.get("/customers", **params)
        pages.append(_references(response))
        cursor = response.json()["next_cursor"]
        if cursor is None:
            break
        assert len(pages) < 10
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [ref for page in pages for ref in page] == [c.reference for c in reversed(made)]


def test_a_page_that_exactly_fills_the_limit_has_no_next_cursor(api_as, agent, make_customer):
    for n in range(2):
        make_customer(f"Customer {n}")
    response = api_as(agent).get("/customers", limit=2)
    assert len(response.json()["items"]) == 2
    assert response.json()["next_cursor"] is None


def test_paging_combines_with_a_search(api_as, agent, make_customer):
    patels = [make_customer(f"Patel {n}") for n in range(3)]
    make_customer("Smith")
    client = api_as(agent)
    first = client.get("/customers", q="patel", limit=2).json()
    second = client.get("/customers", q="patel", limit=2, cursor=first["next_cursor"]).json()
    found = [item["reference"] for item in first["items"] + second["items"]]
    assert found == [c.reference for c in reversed(patels)]
    assert second["next_cursor"] is None


@pytest.mark.parametrize(("name", "value"), [("limit", 0), ("limit", 10_000), ("cursor", "abc")])
def test_bad_paging_parameters_are_refused_naming_them(api_as, agent, name, value):
    response = api_as(agent).get("/customers", **{name: value})
    assert list(_error(response, 422, "validation_error")) == [name]


# --- reading one, and vulnerability details -------------------------------------------------


def test_a_customer_is_read_by_reference(api_as, agent, customer):
    response = api_as(agent).get(f"/customers/{customer.reference.lower()}")
    assert response.status_code == 200
    body = response.json()
    assert (body["reference"], body["name"], body["email"]) == (
        customer.reference,
        "Priya Patel",
        customer.email,
    )
    assert (body["version"], body["vulnerable"], body["representatives"]) == (1, False, [])


def test_an_unknown_customer_is_not_found(api_as, agent):
    _error(api_as(agent).get("/customers/CU-9999999"), 404, "not_found")


@pytest.mark.parametrize("viewer", ["lead", "manager", "dpo", "admin"])
def test_leads_managers_dpo_and_admins_see_vulnerability_details(
    api_as, request, vulnerable_customer, viewer
):
    user = request.getfixturevalue(viewer)
    body = api_as(user).get(f"/customers/{vulnerable_customer.reference}").json()
    assert body["vulnerable"] is True
    assert [(v["driver"], v["detail"]) for v in body["vulnerabilities"]] == [
        ("life_events", DETAIL)
    ]


@pytest.mark.parametrize("viewer", ["agent", "auditor"])
def test_agents_and_auditors_see_that_a_customer_is_vulnerable_but_not_the_details(
    api_as, request, vulnerable_customer, viewer
):
    user = request.getfixturevalue(viewer)
    response = api_as(user).get(f"/customers/{vulnerable_customer.reference}")
    body = response.json()
    assert body["vulnerable"] is True
    assert body["vulnerabilities"] is None
    assert DETAIL not in response.content.decode()
    assert "Write rather than call" not in response.content.decode()


@pytest.mark.parametrize("viewer", ["agent", "auditor", "lead"])
def test_the_list_flags_vulnerable_customers_to_everyone_without_details(
    api_as, request, vulnerable_customer, make_customer, viewer
):
    other = make_customer("John Smith")
    user = request.getfixturevalue(viewer)
    response = api_as(user).get("/customers")
    flags = {item["reference"]: item["vulnerable"] for item in response.json()["items"]}
    assert flags == {vulnerable_customer.reference: True, other.reference: False}
    assert DETAIL not in response.content.decode()


def test_an_ended_vulnerability_no_longer_flags_the_customer(api_as, lead, customer, now):
    vulnerability = customer_services.record_vulnerability(
        customer=customer,
        draft=VulnerabilityDraft(
            driver=VulnerabilityDriver.HEALTH, basis=VulnerabilityBasis.SAFEGUARDING
        ),
        actor=lead,
        now=now,
    )
    customer_services.end_vulnerability(
        vulnerability=vulnerability, reason="reviewed", actor=lead, now=now + timedelta(days=1)
    )
    client = api_as(lead)
    body = client.get(f"/customers/{customer.reference}").json()
    assert (body["vulnerable"], body["vulnerabilities"]) == (False, [])
    assert client.get("/customers").json()["items"][0]["vulnerable"] is False


# --- changing contact details ---------------------------------------------------------------


def _patch_body(customer: Customer, **changes):  # type: ignore[no-untyped-def]
    return {"name": customer.name, "email": customer.email, "version": 1, **changes}


def test_patching_with_the_current_version_changes_the_customer(api_as, agent, customer):
    response = api_as(agent).patch(
        f"/customers/{customer.reference}",
        _patch_body(customer, phone="020 7946 0018", preferred_channel="phone"),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["version"], body["phone"], body["preferred_channel"]) == (
        2,
        "+442079460018",
        "phone",
    )
    assert Customer.objects.get(pk=customer.pk).phone == "+442079460018"


def test_patching_with_a_stale_version_is_a_conflict_and_changes_nothing(api_as, agent, customer):
    client = api_as(agent)
    first = client.patch(f"/customers/{customer.reference}", _patch_body(customer, name="Priya"))
    assert first.status_code == 200
    response = client.patch(
        f"/customers/{customer.reference}", _patch_body(customer, name="Someone Else")
    )
    fields = _error(response, 409, "stale_version")
    assert "version" in fields
    assert response.json()["error"]["details"] == {"current_version": 2}
    stored = Customer.objects.get(pk=customer.pk)
    assert (stored.name, stored.version) == ("Priya", 2)


def test_patching_without_a_version_is_refused_naming_it(api_as, agent, customer):
    body = _patch_body(customer, name="Priya")
    del body["version"]
    response = api_as(agent).patch(f"/customers/{customer.reference}", body)
    assert list(_error(response, 422, "validation_error")) == ["version"]


def test_patching_with_invalid_details_names_the_field(api_as, agent, customer):
    response = api_as(agent).patch(
        f"/customers/{customer.reference}", _patch_body(customer, phone="12345")
    )
    assert list(_error(response, 422, "validation_error")) == ["phone"]
    assert Customer.objects.get(pk=customer.pk).version == 1


def test_the_kind_of_a_customer_cannot_be_patched(api_as, agent, customer):
    response = api_as(agent).patch(
        f"/customers/{customer.reference}", _patch_body(customer, kind="department")
    )
    assert list(_error(response, 422, "validation_error")) == ["kind"]


def test_an_auditor_cannot_patch_a_customer(api_as, auditor, customer):
    response = api_as(auditor).patch(
        f"/customers/{customer.reference}", _patch_body(customer, name="Changed")
    )
    _error(response, 403, "forbidden")
    assert Customer.objects.get(pk=customer.pk).name == "Priya Patel"


def test_patching_an_unknown_customer_is_not_found(api_as, agent, customer):
    response = api_as(agent).patch("/customers/CU-9999999", _patch_body(customer))
    _error(response, 404, "not_found")


# --- vulnerabilities and representatives sub-resources --------------------------------------


def test_posting_a_vulnerability_records_it(api_as, agent, lead, customer):
    response = api_as(agent).post(
        f"/customers/{customer.reference}/vulnerabilities",
        {"driver": "capability", "basis": "safeguarding", "detail": DETAIL},
    )
    assert response.status_code == 201, response.content
    assert (response.json()["driver"], response.json()["basis"]) == ("capability", "safeguarding")
    body = api_as(lead).get(f"/customers/{customer.reference}").json()
    assert body["vulnerable"] is True
    assert [v["detail"] for v in body["vulnerabilities"]] == [DETAIL]
    types = [e.type for e in timeline.events_for(f"customer:{customer.reference}")]
    assert types == ["customer.created", "customer.vulnerability_recorded"]


def test_posting_a_vulnerability_on_consent_without_consent_is_refused(api_as, agent, customer):
    response = api_as(agent).post(
        f"/customers/{customer.reference}/vulnerabilities", {"driver": "health"}
    )
    assert list(_error(response, 422, "validation_error")) == ["consent_given"]
    assert not customer.vulnerabilities.exists()


def test_posting_a_vulnerability_with_an_unknown_driver_names_it(api_as, agent, customer):
    response = api_as(agent).post(
        f"/customers/{customer.reference}/vulnerabilities",
        {"driver": "astrology", "consent_given": True},
    )
    assert list(_error(response, 422, "validation_error")) == ["driver"]


@pytest.mark.parametrize("role", ["auditor", "dpo"])
def test_roles_that_change_nothing_cannot_record_a_vulnerability(api_as, make_user, customer, role):
    response = api_as(make_user("reader", role)).post(
        f"/customers/{customer.reference}/vulnerabilities",
        {"driver": "health", "basis": "safeguarding"},
    )
    _error(response, 403, "forbidden")
    assert not customer.vulnerabilities.exists()


def test_posting_a_representative_records_them(api_as, agent, customer):
    response = api_as(agent).post(
        f"/customers/{customer.reference}/representatives",
        {
            "name": "Sam Patel",
            "relationship": "power_of_attorney",
            "authority_evidence": "Registered LPA seen",
            "scope": "all_matters",
            "email": "Sam@Example.com",
            "phone": "020 7946 0018",
            "evidence_verified": True,
            "valid_from": "2026-01-01",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["relationship"], body["scope"]) == (
        "Sam Patel",
        "power_of_attorney",
        "all_matters",
    )
    assert (body["email"], body["phone"]) == ("sam@example.com", "+442079460018")
    assert body["evidence_verified_at"] is not None
    assert (body["valid_from"], body["expires_on"], body["revoked_at"]) == (
        "2026-01-01",
        None,
        None,
    )
    detail = api_as(agent).get(f"/customers/{customer.reference}").json()
    assert [r["name"] for r in detail["representatives"]] == ["Sam Patel"]
    *_, event = timeline.events_for(f"customer:{customer.reference}")
    assert (event.type, event.actor_id) == ("customer.representative_added", agent.pk)


def test_a_representative_without_evidence_of_authority_is_refused(api_as, agent, customer):
    response = api_as(agent).post(
        f"/customers/{customer.reference}/representatives",
        {"name": "Sam Patel", "relationship": "advocate", "authority_evidence": ""},
    )
    assert list(_error(response, 422, "validation_error")) == ["authority_evidence"]
    assert not customer.representatives.exists()


def test_a_representative_with_bad_dates_and_phone_is_refused_naming_both(api_as, agent, customer):
    response = api_as(agent).post(
        f"/customers/{customer.reference}/representatives",
        {
            "name": "Sam Patel",
            "relationship": "advocate",
            "authority_evidence": "Form",
            "phone": "12345",
            "valid_from": "2026-06-01",
            "expires_on": "2026-05-01",
        },
    )
    assert set(_error(response, 422, "validation_error")) == {"phone", "expires_on"}
    assert not customer.representatives.exists()


def test_an_auditor_cannot_add_a_representative(api_as, auditor, customer):
    response = api_as(auditor).post(
        f"/customers/{customer.reference}/representatives",
        {"name": "Sam Patel", "relationship": "advocate", "authority_evidence": "Form"},
    )
    _error(response, 403, "forbidden")
    assert not customer.representatives.exists()


def test_an_agent_records_vulnerability_but_does_not_get_the_detail_back(api_as, agent, customer):
    response = api_as(agent).post(
        f"/customers/{customer.reference}/vulnerabilities",
        {
            "driver": "health",
            "basis": "explicit_consent",
            "consent_given": True,
            "detail": "Recovering from surgery",
            "support_needed": "Calls after 2pm",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["driver"] == "health"
    assert body["detail"] is None
    assert body["support_needed"] is None
    assert customer.vulnerabilities.get().detail == "Recovering from surgery"
