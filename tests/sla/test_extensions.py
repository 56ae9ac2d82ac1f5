"""Extending a case's deadline: within the pack's cap, and only with the required notice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from amends.accounts.models import User
from amends.cases import services as case_services
from amends.cases.domain import Status, TransitionRequest
from amends.cases.models import Case
from amends.core.models import Event
from tests.conftest import NOW

NOTICE = ["reasons_for_extension", "expected_timescale", "ombudsman_contact_details"]


@pytest.fixture
def acknowledged(settings: Any, make_case: Callable[..., Case], agent: User) -> Case:
    settings.AMENDS_POLICY_PACKS = ["housing-ombudsman-2024"]
    case = make_case()
    case_services.transition_case(
        case=case,
        request=TransitionRequest(to=Status.ACKNOWLEDGED),
        expected_version=case.version,
        actor=agent,
        now=NOW + timedelta(days=2),  # Wednesday 4 November
    )
    return case


def extend(api: Any, case: Case, amount: int, items: list[str] = NOTICE) -> Any:
    return api.post(
        f"/cases/{case.reference}/clocks/housing-ombudsman-2024/stage1_response/extensions",
        {"amount": amount, "reason": "Waiting for the contractor's report", "notice_items": items},
    )


def stage1(api: Any, case: Case) -> dict[str, Any]:
    clocks = api.get(f"/cases/{case.reference}/clocks").json()
    return next(c for c in clocks if c["rule"] == "stage1_response")


def test_an_extension_within_the_cap_moves_the_deadline_and_is_on_the_timeline(
    acknowledged: Case, agent: User, api_as: Callable[[User], Any]
) -> None:
    api = api_as(agent)
    assert stage1(api, acknowledged)["due_on"] == "2026-11-18"
    response = extend(api, acknowledged, 6)
    assert response.status_code == 200, response.content
    assert stage1(api, acknowledged)["due_on"] == "2026-11-26"
    assert extend(api, acknowledged, 4).status_code == 200
    assert stage1(api, acknowledged)["due_on"] == "2026-12-02"
    event = Event.objects.filter(stream=acknowledged.stream, type="clock.extended").last()
    assert event is not None and event.data["extended_by"] == 10
    acknowledged.refresh_from_db()
    assert acknowledged.next_due_on == date(2026, 12, 2)


def test_extensions_together_cannot_pass_the_cap(
    acknowledged: Case, agent: User, api_as: Callable[[User], Any]
) -> None:
    api = api_as(agent)
    assert extend(api, acknowledged, 8).status_code == 200
    refused = extend(api, acknowledged, 3)
    assert refused.status_code == 422
    assert "at most 10" in refused.json()["error"]["message"]
    assert stage1(api, acknowledged)["extended_by"] == 8


def test_an_extension_needs_the_notice_the_pack_requires(
    acknowledged: Case, agent: User, api_as: Callable[[User], Any]
) -> None:
    refused = extend(api_as(agent), acknowledged, 5, items=["reasons_for_extension"])
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "missing_content"
    assert "missing: ombudsman_contact_details" in error["fields"]["content_items"]
    assert not Event.objects.filter(stream=acknowledged.stream, type="clock.extended").exists()


def test_a_deadline_without_extensions_cannot_be_extended(
    acknowledged: Case, agent: User, api_as: Callable[[User], Any]
) -> None:
    response = api_as(agent).post(
        f"/cases/{acknowledged.reference}/clocks/housing-ombudsman-2024/stage1_acknowledgement/extensions",
        {"amount": 1, "reason": "x", "notice_items": NOTICE},
    )
    assert response.status_code == 422
