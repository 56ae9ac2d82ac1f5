from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.test import override_settings

from amends.accounts import services as account_services
from amends.accounts.models import Team
from amends.cases import services as case_services
from amends.cases.domain import CaseKind, Channel
from amends.core.errors import ValidationError
from amends.core.models import Event
from amends.customers.domain import ContactDetails, CustomerKind

CONTACT = case_services.Contact(
    channel=Channel.EMAIL,
    description="My parcel never arrived and nobody answers the phone.",
    subject="Missing parcel",
    counterpart="sam@example.com",
    message_id="<abc@mail.example.com>",
)


def test_a_contact_becomes_a_complaint_in_the_intake_team_with_the_words_as_a_message(
    team: Team, now: datetime
) -> None:
    new = case_services.NewCustomer(
        kind=CustomerKind.PERSON, details=ContactDetails(name="Sam", email="sam@example.com")
    )
    case, message, created = case_services.log_contact(contact=CONTACT, customer=new, now=now)
    assert created
    assert case.team == team
    assert case.kind == CaseKind.COMPLAINT
    assert case.summary == "Missing parcel"
    assert "confirms the kind" in case.determination_rationale
    assert message.message_id == "abc@mail.example.com"
    assert message.direction == "inbound"
    types = list(
        Event.objects.filter(stream=f"case:{case.reference}")
        .order_by("seq")
        .values_list("type", flat=True)
    )
    assert types == ["case.created", "case.message_received"]


def test_the_intake_team_setting_chooses_the_team(team: Team, now: datetime) -> None:
    other = account_services.create_team(name="Web Desk", actor=None, now=now)
    new = case_services.NewCustomer(
        kind=CustomerKind.PERSON, details=ContactDetails(name="Sam", email="sam@example.com")
    )
    with override_settings(AMENDS_INTAKE_TEAM=other.slug):
        case, _, _ = case_services.log_contact(contact=CONTACT, customer=new, now=now)
    assert case.team == other


def test_an_unknown_intake_team_is_refused_and_nothing_is_written(
    team: Team, now: datetime
) -> None:
    new = case_services.NewCustomer(
        kind=CustomerKind.PERSON, details=ContactDetails(name="Sam", email="sam@example.com")
    )
    with override_settings(AMENDS_INTAKE_TEAM="nobody"), pytest.raises(ValidationError) as err:
        case_services.log_contact(contact=CONTACT, customer=new, now=now)
    assert "nobody" in err.value.message
    assert not Event.objects.filter(type__startswith="customer.").exists()


def test_an_empty_contact_is_refused(team: Team, now: datetime, db: Any) -> None:
    new = case_services.NewCustomer(
        kind=CustomerKind.PERSON, details=ContactDetails(name="Sam", email="sam@example.com")
    )
    blank = case_services.Contact(channel=Channel.PORTAL, description="  ")
    with pytest.raises(ValidationError) as err:
        case_services.log_contact(contact=blank, customer=new, now=now)
    assert "description" in err.value.fields


def test_an_integration_replaying_its_idempotency_key_gets_the_first_case(
    team: Team, agent: Any, now: datetime
) -> None:
    new = case_services.NewCustomer(
        kind=CustomerKind.PERSON, details=ContactDetails(name="Sam", email="sam@example.com")
    )
    first = case_services.log_contact(
        contact=CONTACT, customer=new, now=now, actor=agent, idempotency_key="k1"
    )
    again = case_services.log_contact(
        contact=CONTACT, customer=new, now=now, actor=agent, idempotency_key="k1"
    )
    assert again == (first[0], first[1], False)
    assert first[2]
