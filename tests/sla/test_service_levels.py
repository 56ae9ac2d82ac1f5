"""The organisation's own service levels, on top of the packs: the most specific wins."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from amends.accounts.models import User
from amends.cases import services as case_services
from amends.cases.domain import Channel, Direction, Priority, Status, TransitionRequest
from amends.cases.models import Case
from amends.sla.domain import ServiceLevel, Target, Unit, choose_service_levels
from amends.sla.models import CaseClock, ServiceLevelPolicy
from tests.conftest import NOW


def level(name: str, target: Target = Target.FIRST_RESPONSE, **match: Any) -> ServiceLevel:
    return ServiceLevel(name=name, target=target, count=1, unit=Unit.WORKING_DAYS, **match)


def test_the_most_specific_level_wins_then_the_lowest_position() -> None:
    levels = [
        level("everyone"),
        level("complaints", kind="complaint"),
        level("urgent complaints", kind="complaint", priority="urgent"),
        level("urgent complaints again", kind="complaint", priority="urgent", position=5),
        level("resolve", Target.RESOLUTION),
    ]
    facts = {"kind": "complaint", "priority": "urgent", "severity": 2}
    chosen = {lv.target: lv.name for lv in choose_service_levels(levels, facts)}
    assert chosen == {Target.FIRST_RESPONSE: "urgent complaints", Target.RESOLUTION: "resolve"}
    facts = {"kind": "query", "priority": "urgent", "severity": 2}
    assert choose_service_levels(levels, facts)[0].name == "everyone"


@pytest.fixture
def policies(db: Any) -> None:
    ServiceLevelPolicy.objects.create(name="First response", target="first_response", count=3)
    ServiceLevelPolicy.objects.create(
        name="Urgent first response", target="first_response", count=1, priority="urgent"
    )
    ServiceLevelPolicy.objects.create(name="Keep them updated", target="next_update", count=5)


def sl_clocks(case: Case) -> dict[str, CaseClock]:
    return {c.rule: c for c in CaseClock.objects.filter(case=case, pack="service-level")}


def test_a_case_gets_the_levels_that_cover_it(
    policies: None, make_case: Callable[..., Case], agent: User
) -> None:
    normal = make_case()
    assert sl_clocks(normal)["first_response"].due_on == date(2026, 11, 5)
    assert sl_clocks(normal)["first_response"].title == "First response"
    urgent = make_case()
    case_services.update_case_details(
        case=urgent,
        details=_details(urgent, priority=Priority.URGENT),
        expected_version=urgent.version,
        actor=agent,
        now=NOW,
    )
    first = sl_clocks(urgent)["first_response"]
    assert (first.title, first.due_on) == ("Urgent first response", date(2026, 11, 3))


def test_the_next_update_clock_restarts_with_each_message_to_the_customer(
    policies: None, make_case: Callable[..., Case], agent: User
) -> None:
    case = make_case()
    assert sl_clocks(case)["next_update"].due_on == date(2026, 11, 9)
    case_services.record_message(
        case=case,
        direction=Direction.OUTBOUND,
        channel=Channel.EMAIL,
        body="We are looking into it.",
        actor=agent,
        now=NOW + timedelta(days=3),  # Thursday 5th
    )
    clocks = sl_clocks(case)
    assert clocks["next_update"].due_on == date(2026, 11, 12)
    assert clocks["first_response"].met is True
    case_services.transition_case(
        case=case,
        request=TransitionRequest(to=Status.ACKNOWLEDGED),
        expected_version=case.version,
        actor=agent,
        now=NOW + timedelta(days=4),
    )
    case.refresh_from_db()
    assert case.next_due_on == date(2026, 11, 12)


def _details(case: Case, **changes: Any) -> Any:
    from amends.cases.domain import CaseDetails

    values = {
        "summary": case.summary,
        "description": case.description,
        "channel": Channel(case.channel),
        "category": case.category.slug if case.category else None,
        "severity": case.severity,
        "priority": Priority(case.priority),
    }
    values.update(changes)
    return CaseDetails(**values)


def test_a_changed_policy_applies_to_the_next_case_at_once(
    policies: None, make_case: Callable[..., Case]
) -> None:
    assert sl_clocks(make_case())["first_response"].due_on == date(2026, 11, 5)  # now cached
    policy = ServiceLevelPolicy.objects.get(name="First response")
    policy.count = 5
    policy.save()
    assert sl_clocks(make_case())["first_response"].due_on == date(2026, 11, 9)
    policy.delete()
    ServiceLevelPolicy.objects.filter(priority="urgent").delete()
    assert "first_response" not in sl_clocks(make_case())
