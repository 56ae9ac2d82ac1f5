"""Customer use cases against the database: records, events, versions, representatives."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from amends.core import timeline
from amends.core.errors import StaleVersionError, ValidationError
from amends.core.models import Event
from amends.customers import services as customer_services
from amends.customers.domain import (
    Adjustment,
    AuthorityScope,
    ContactChannel,
    ContactDetails,
    CustomerKind,
    Relationship,
    RepresentativeDraft,
    VulnerabilityBasis,
    VulnerabilityDraft,
    VulnerabilityDriver,
)
from amends.customers.models import Customer, Representative, Vulnerability

pytestmark = pytest.mark.django_db

DETAIL = "Recently diagnosed with early-onset dementia; struggles with phone calls."
SUPPORT = "Write, never call; copy letters to her daughter."

VULNERABILITY = VulnerabilityDraft(
    driver=VulnerabilityDriver.HEALTH,
    basis=VulnerabilityBasis.EXPLICIT_CONSENT,
    consent_given=True,
    detail=DETAIL,
    support_needed=SUPPORT,
    review_on=date(2027, 5, 1),
)
REPRESENTATIVE = RepresentativeDraft(
    name="Sam Patel",
    relationship=Relationship.FAMILY_MEMBER,
    authority_evidence="Signed third-party authority form",
    scope=AuthorityScope.COMPLAINTS,
    phone="020 7946 0018",
    evidence_verified=True,
    valid_from=date(2026, 1, 1),
    expires_on=date(2027, 1, 1),
)


def _stream(customer: Customer) -> list[Event]:
    return list(timeline.events_for(f"customer:{customer.reference}"))


def _types(customer: Customer) -> list[str]:
    return [e.type for e in _stream(customer)]


# --- creating -------------------------------------------------------------------------------


def test_creating_a_customer_writes_a_customer_created_event(agent, now):
    customer = customer_services.create_customer(
        kind=CustomerKind.PERSON,
        details=ContactDetails(
            name=" Priya Patel ",
            email="Priya@Example.com",
            phone="020 7946 0018",
            adjustments=(Adjustment.LARGE_PRINT,),
        ),
        actor=agent,
        now=now,
        lawful_basis="legal_obligation",
    )
    (event,) = _stream(customer)
    assert event.type == "customer.created"
    assert event.actor_id == agent.pk
    assert event.occurred_at == now
    assert event.data["kind"] == "person"
    assert event.data["name"] == "Priya Patel"
    assert event.data["email"] == "priya@example.com"
    assert event.data["phone"] == "+442079460018"
    assert event.data["adjustments"] == ["large_print"]
    assert event.data["lawful_basis"] == "legal_obligation"
    assert timeline.verify().ok


def test_a_new_customer_is_stored_clean_with_a_reference_and_version_one(customer, now):
    stored = Customer.objects.get(pk=customer.pk)
    assert stored.reference == customer.reference
    assert stored.reference.startswith("CU-")
    assert stored.version == 1
    assert stored.created_at == stored.updated_at == now
    assert stored.lawful_basis == "legitimate_interests"
    assert not stored.is_internal


def test_each_customer_gets_its_own_reference(make_customer):
    references = {make_customer().reference for _ in range(3)}
    assert len(references) == 3


def test_an_internal_department_is_marked_internal(make_customer):
    department = make_customer("Finance Operations", kind=CustomerKind.DEPARTMENT)
    assert department.is_internal


def test_invalid_details_save_nothing_and_record_nothing(now):
    with pytest.raises(ValidationError) as caught:
        customer_services.create_customer(
            kind=CustomerKind.PERSON,
            details=ContactDetails(name="Priya", email="priya@", phone="12345"),
            actor=None,
            now=now,
        )
    assert set(caught.value.fields) == {"email", "phone"}
    assert not Customer.objects.exists()
    assert not Event.objects.filter(stream__startswith="customer:").exists()


def test_a_vulnerability_without_the_consent_it_relies_on_stops_the_whole_creation(now):
    draft = VulnerabilityDraft(
        driver=VulnerabilityDriver.HEALTH, basis=VulnerabilityBasis.EXPLICIT_CONSENT
    )
    with pytest.raises(ValidationError) as caught:
        customer_services.create_customer(
            kind=CustomerKind.PERSON,
            details=ContactDetails(name="Priya", email="priya@example.com"),
            actor=None,
            now=now,
            vulnerabilities=[draft],
        )
    assert list(caught.value.fields) == ["consent_given"]
    assert not Customer.objects.exists()
    assert not Vulnerability.objects.exists()


def test_vulnerabilities_and_representatives_given_at_creation_are_recorded(agent, now):
    customer = customer_services.create_customer(
        kind=CustomerKind.PERSON,
        details=ContactDetails(name="Priya", email="priya@example.com"),
        actor=agent,
        now=now,
        vulnerabilities=[VULNERABILITY],
        representatives=[REPRESENTATIVE],
    )
    assert _types(customer) == [
        "customer.created",
        "customer.vulnerability_recorded",
        "customer.representative_added",
    ]
    vulnerability = customer.vulnerabilities.get()
    assert (vulnerability.detail, vulnerability.consent_given_at) == (DETAIL, now)
    assert vulnerability.recorded_by == agent
    assert customer.representatives.get().phone == "+442079460018"


# --- vulnerability --------------------------------------------------------------------------


def test_recording_a_vulnerability_keeps_the_detail_on_the_record(customer, lead, now):
    vulnerability = customer_services.record_vulnerability(
        customer=customer, draft=VULNERABILITY, actor=lead, now=now
    )
    stored = Vulnerability.objects.get(pk=vulnerability.pk)
    assert (stored.driver, stored.basis) == ("health", "explicit_consent")
    assert (stored.detail, stored.support_needed) == (DETAIL, SUPPORT)
    assert stored.consent_given_at == now
    assert stored.review_on == date(2027, 5, 1)
    assert stored.ended_at is None


def test_vulnerability_events_never_contain_the_detail_text(agent, lead, now):
    customer = customer_services.create_customer(
        kind=CustomerKind.PERSON,
        details=ContactDetails(name="Priya", email="priya@example.com"),
        actor=agent,
        now=now,
        vulnerabilities=[VULNERABILITY],
    )
    second = customer_services.record_vulnerability(
        customer=customer,
        draft=VulnerabilityDraft(
            driver=VulnerabilityDriver.LIFE_EVENTS,
            basis=VulnerabilityBasis.SAFEGUARDING,
            detail="Partner died in September; finances now chaotic.",
            support_needed="Named contact only.",
        ),
        actor=lead,
        now=now,
    )
    customer_services.end_vulnerability(
        vulnerability=second, reason="reviewed", actor=lead, now=now + timedelta(days=30)
    )
    events = _stream(customer)
    assert [e.type for e in events] == [
        "customer.created",
        "customer.vulnerability_recorded",
        "customer.vulnerability_recorded",
        "customer.vulnerability_ended",
    ]
    recorded = json.dumps([e.data for e in Event.objects.all()], ensure_ascii=False)
    for secret in [DETAIL, SUPPORT, "Partner died", "Named contact only", "dementia"]:
        assert secret not in recorded
    assert events[1].data == {
        "id": customer.vulnerabilities.order_by("id").first().pk,
        "driver": "health",
        "basis": "explicit_consent",
    }


def test_a_vulnerability_on_consent_without_the_consent_is_refused_and_not_saved(customer, now):
    draft = VulnerabilityDraft(
        driver=VulnerabilityDriver.CAPABILITY, basis=VulnerabilityBasis.EXPLICIT_CONSENT
    )
    with pytest.raises(ValidationError) as caught:
        customer_services.record_vulnerability(customer=customer, draft=draft, actor=None, now=now)
    assert list(caught.value.fields) == ["consent_given"]
    assert not customer.vulnerabilities.exists()
    assert _types(customer) == ["customer.created"]


def test_ending_a_vulnerability_twice_records_it_once(customer, lead, now):
    vulnerability = customer_services.record_vulnerability(
        customer=customer, draft=VULNERABILITY, actor=lead, now=now
    )
    later = now + timedelta(days=1)
    customer_services.end_vulnerability(
        vulnerability=vulnerability, reason="no longer applies", actor=lead, now=later
    )
    customer_services.end_vulnerability(
        vulnerability=vulnerability, reason="again", actor=lead, now=later + timedelta(days=1)
    )
    assert Vulnerability.objects.get(pk=vulnerability.pk).ended_at == later
    assert _types(customer).count("customer.vulnerability_ended") == 1


# --- contact details and versions -----------------------------------------------------------


def test_updating_contact_details_bumps_the_version_and_records_before_and_after(
    customer, agent, now
):
    later = now + timedelta(hours=1)
    customer_services.update_contact_details(
        customer=customer,
        details=ContactDetails(
            name="Priya Patel",
            email=customer.email,
            phone="020 7946 0018",
            preferred_channel=ContactChannel.PHONE,
        ),
        expected_version=1,
        actor=agent,
        now=later,
    )
    stored = Customer.objects.get(pk=customer.pk)
    assert (stored.version, stored.updated_at, stored.phone) == (2, later, "+442079460018")
    assert customer.version == 2
    event = _stream(customer)[-1]
    assert event.type == "customer.updated"
    assert event.actor_id == agent.pk
    assert event.data == {
        "before": {"phone": "", "preferred_channel": "email"},
        "after": {"phone": "+442079460018", "preferred_channel": "phone"},
    }


def test_an_update_with_a_stale_version_raises_and_changes_nothing(customer, agent, now):
    stale_copy = Customer.objects.get(pk=customer.pk)
    customer_services.update_contact_details(
        customer=customer,
        details=ContactDetails(name="Priya Patel", email="new@example.com"),
        expected_version=1,
        actor=agent,
        now=now,
    )
    events_before = _types(customer)
    with pytest.raises(StaleVersionError) as caught:
        customer_services.update_contact_details(
            customer=stale_copy,
            details=ContactDetails(name="Priya P", email="other@example.com"),
            expected_version=stale_copy.version,
            actor=agent,
            now=now + timedelta(minutes=5),
        )
    assert caught.value.details["current_version"] == 2
    assert "version" in caught.value.fields
    stored = Customer.objects.get(pk=customer.pk)
    assert (stored.version, stored.name, stored.email) == (2, "Priya Patel", "new@example.com")
    assert (stale_copy.name, stale_copy.version) == ("Priya Patel", 1)
    assert _types(customer) == events_before


def test_an_update_that_changes_nothing_records_nothing_and_keeps_the_version(customer, now):
    customer_services.update_contact_details(
        customer=customer,
        details=ContactDetails(name=f"  {customer.name} ", email=f" {customer.email} "),
        expected_version=1,
        actor=None,
        now=now + timedelta(hours=1),
    )
    stored = Customer.objects.get(pk=customer.pk)
    assert (stored.version, stored.updated_at) == (1, now)
    assert _types(customer) == ["customer.created"]


def test_an_invalid_update_changes_nothing(customer, now):
    with pytest.raises(ValidationError) as caught:
        customer_services.update_contact_details(
            customer=customer,
            details=ContactDetails(name="Priya", email="", preferred_channel=ContactChannel.SMS),
            expected_version=1,
            actor=None,
            now=now,
        )
    assert "email" in caught.value.fields
    assert Customer.objects.get(pk=customer.pk).version == 1
    assert _types(customer) == ["customer.created"]


# --- representatives ------------------------------------------------------------------------


def test_adding_a_representative_stores_it_and_records_an_event(customer, agent, now):
    representative = customer_services.add_representative(
        customer=customer, draft=REPRESENTATIVE, actor=agent, now=now
    )
    stored = Representative.objects.get(pk=representative.pk)
    assert (stored.name, stored.relationship, stored.scope) == (
        "Sam Patel",
        "family_member",
        "complaints",
    )
    assert stored.phone == "+442079460018"
    assert stored.evidence_verified_at == now
    assert stored.revoked_at is None
    event = _stream(customer)[-1]
    assert event.type == "customer.representative_added"
    assert event.actor_id == agent.pk
    assert event.data == {
        "id": representative.pk,
        "name": "Sam Patel",
        "relationship": "family_member",
        "scope": "complaints",
        "valid_from": "2026-01-01",
        "expires_on": "2027-01-01",
        "evidence_verified": True,
    }


def test_an_unverified_representative_has_no_verification_time(customer, now):
    draft = RepresentativeDraft(
        name="Claims Co",
        relationship=Relationship.CLAIMS_FIRM,
        authority_evidence="Letter of authority (unsigned copy)",
        scope=AuthorityScope.SPECIFIC_CASES,
    )
    representative = customer_services.add_representative(
        customer=customer, draft=draft, actor=None, now=now
    )
    assert representative.evidence_verified_at is None


def test_an_invalid_representative_is_refused_naming_the_field_and_not_saved(customer, now):
    draft = RepresentativeDraft(
        name="Sam Patel",
        relationship=Relationship.ADVOCATE,
        authority_evidence="Form",
        scope=AuthorityScope.COMPLAINTS,
        valid_from=date(2026, 6, 1),
        expires_on=date(2026, 5, 31),
    )
    with pytest.raises(ValidationError) as caught:
        customer_services.add_representative(customer=customer, draft=draft, actor=None, now=now)
    assert list(caught.value.fields) == ["expires_on"]
    assert not customer.representatives.exists()
    assert _types(customer) == ["customer.created"]


def test_revoking_a_representative_records_the_reason(customer, agent, now):
    representative = customer_services.add_representative(
        customer=customer, draft=REPRESENTATIVE, actor=agent, now=now
    )
    later = now + timedelta(days=2)
    customer_services.revoke_representative(
        representative=representative, reason="customer withdrew consent", actor=agent, now=later
    )
    assert Representative.objects.get(pk=representative.pk).revoked_at == later
    event = _stream(customer)[-1]
    assert event.type == "customer.representative_revoked"
    assert event.data == {"id": representative.pk, "reason": "customer withdrew consent"}
    assert event.occurred_at == later


def test_revoking_a_representative_twice_records_it_once(customer, now):
    representative = customer_services.add_representative(
        customer=customer, draft=REPRESENTATIVE, actor=None, now=now
    )
    for _ in range(2):
        customer_services.revoke_representative(
            representative=representative, reason="withdrawn", actor=None, now=now
        )
    customer_services.revoke_representative(
        representative=Representative.objects.get(pk=representative.pk),
        reason="withdrawn",
        actor=None,
        now=now,
    )
    assert _types(customer).count("customer.representative_revoked") == 1


def test_every_customer_stream_still_verifies_after_a_busy_history(customer, agent, now):
    representative = customer_services.add_representative(
        customer=customer, draft=REPRESENTATIVE, actor=agent, now=now
    )
    customer_services.record_vulnerability(
        customer=customer, draft=VULNERABILITY, actor=agent, now=now
    )
    customer_services.revoke_representative(
        representative=representative, reason="withdrawn", actor=agent, now=now
    )
    assert timeline.verify().ok
