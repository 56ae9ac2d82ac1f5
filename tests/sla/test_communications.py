"""Communications a policy pack requires cannot go out without their mandatory content."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from amends.accounts.models import User
from amends.cases import services as case_services
from amends.cases.domain import Channel, Direction
from amends.cases.models import Case, Interaction
from amends.core.errors import PolicyViolationError, ValidationError
from tests.conftest import NOW

FCA_FINAL = [
    "outcome_and_reasons",
    "fos_leaflet_enclosed",
    "fos_website_address",
    "right_to_refer_to_fos",
    "six_month_time_limit",
    "consent_to_waive_time_limits",
]


@pytest.fixture(autouse=True)
def _fca(settings: Any) -> None:
    settings.AMENDS_POLICY_PACKS = ["fca-disp"]


def send(
    case: Case, agent: User, items: list[str], communication: str = "fca-disp/final_response"
) -> Any:
    return case_services.record_message(
        case=case,
        direction=Direction.OUTBOUND,
        channel=Channel.LETTER,
        body="Our final response to your complaint.",
        actor=agent,
        now=NOW,
        communication=communication,
        content_items=items,
    )


def test_a_final_response_without_its_mandatory_items_is_refused_naming_them(
    make_case: Callable[..., Case], agent: User
) -> None:
    case = make_case()
    with pytest.raises(PolicyViolationError) as refused:
        send(case, agent, ["outcome_and_reasons", "fos_website_address"])
    assert refused.value.missing == [
        "fos_leaflet_enclosed",
        "right_to_refer_to_fos",
        "six_month_time_limit",
        "consent_to_waive_time_limits",
    ]
    assert "DISP 1.6.2R" in refused.value.message
    assert not Interaction.objects.filter(case=case).exists()


def test_a_complete_final_response_is_recorded_with_its_items(
    make_case: Callable[..., Case], agent: User
) -> None:
    case = make_case()
    message = send(case, agent, FCA_FINAL)
    assert message.pk
    from amends.core.models import Event

    event = Event.objects.get(stream=case.stream, type="case.message_sent")
    assert event.data["communication"] == "fca-disp/final_response"
    assert event.data["content_items"] == sorted(FCA_FINAL)


def test_an_unknown_communication_is_a_validation_error(
    make_case: Callable[..., Case], agent: User
) -> None:
    with pytest.raises(ValidationError, match="requires no communication"):
        send(make_case(), agent, [], communication="fca-disp/birthday_card")


def test_the_api_answers_422_missing_content(
    make_case: Callable[..., Case], agent: User, api_as: Callable[[User], Any]
) -> None:
    case = make_case()
    response = api_as(agent).post(
        f"/cases/{case.reference}/messages",
        {
            "direction": "outbound",
            "channel": "letter",
            "body": "Final response",
            "communication": "fca-disp/final_response",
            "content_items": ["outcome_and_reasons"],
        },
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "missing_content"
    assert "missing: fos_leaflet_enclosed" in error["fields"]["content_items"]


def test_the_page_shows_what_the_letter_lacks(make_case: Callable[..., Case], agent: User) -> None:
    case = make_case()
    client = Client()
    client.force_login(agent)
    response = client.post(
        f"/cases/{case.reference}/messages/",
        {
            "message-direction": "outbound",
            "message-channel": "letter",
            "message-body": "Dear Ms Patel, our final response...",
            "message-communication": "fca-disp/final_response",
            "message-content_items": ["outcome_and_reasons"],
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "cannot be sent without" in body
    assert "fos leaflet enclosed" in body
    assert "Dear Ms Patel" in body  # the draft is kept
