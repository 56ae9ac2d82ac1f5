"""Clocks on cases: started, paused and stopped by the lifecycle; swept for warnings and
breaches exactly once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amends.accounts.models import User
from amends.cases import services as case_services
from amends.cases.domain import CaseKind, Status, TransitionRequest
from amends.cases.models import Case
from amends.core.models import Event
from amends.sla import services as sla_services
from amends.sla.models import CaseClock, Notification
from tests.conftest import NOW


def clocks(case: Case) -> dict[str, CaseClock]:
    return {c.rule: c for c in CaseClock.objects.filter(case=case)}


def move(case: Case, to: Status, actor: User, days: int = 0, **fields: Any) -> None:
    case_services.transition_case(
        case=case,
        request=TransitionRequest(to=to, **fields),
        expected_version=case.version,
        actor=actor,
        now=NOW + timedelta(days=days),
    )


def test_a_logged_complaint_gets_the_packs_clocks_and_a_next_due_date(
    make_case: Callable[..., Case],
) -> None:
    case = make_case()
    found = clocks(case)
    assert set(found) == {"acknowledgement", "response", "follow_up"}
    assert found["acknowledgement"].due_on == date(2026, 11, 4)
    assert found["response"].due_on == date(2026, 11, 30)
    assert found["follow_up"].due_on is None  # starts when the case is resolved
    assert found["response"].source.startswith("ISO 10002")
    case.refresh_from_db()
    assert case.next_due_on == date(2026, 11, 4)


def test_acknowledging_stops_its_clock_and_moves_the_next_due_date(
    make_case: Callable[..., Case], agent: User
) -> None:
    case = make_case()
    move(case, Status.ACKNOWLEDGED, agent, days=1)
    ack = clocks(case)["acknowledgement"]
    assert ack.stopped_at is not None and ack.met is True
    case.refresh_from_db()
    assert case.next_due_on == date(2026, 11, 30)


def test_waiting_for_the_customer_pauses_the_response_clock_where_the_pack_allows(
    make_case: Callable[..., Case], agent: User
) -> None:
    case = make_case()
    move(case, Status.ACKNOWLEDGED, agent)
    move(case, Status.INVESTIGATING, agent)
    move(case, Status.AWAITING_CUSTOMER, agent, days=7)  # Monday 9th
    response = clocks(case)["response"]
    assert response.due_on is None and response.paused
    move(case, Status.INVESTIGATING, agent, days=14)  # Monday 16th: five working days later
    assert clocks(case)["response"].due_on == date(2026, 12, 7)


def test_the_fca_eight_weeks_do_not_pause(
    make_case: Callable[..., Case], agent: User, settings: Any
) -> None:
    settings.AMENDS_POLICY_PACKS = ["fca-disp"]
    case = make_case()
    assert set(clocks(case)) == {"summary_resolution", "final_response"}
    move(case, Status.ACKNOWLEDGED, agent)
    move(case, Status.INVESTIGATING, agent)
    move(case, Status.AWAITING_CUSTOMER, agent, days=7)
    assert clocks(case)["final_response"].due_on == date(2026, 12, 28)


def test_a_pack_applies_only_to_the_kinds_it_covers(make_case: Callable[..., Case]) -> None:
    assert clocks(make_case(CaseKind.COMPLIMENT)) == {}


def test_resolving_late_records_a_missed_deadline(
    make_case: Callable[..., Case], agent: User
) -> None:
    case = make_case()
    move(case, Status.ACKNOWLEDGED, agent, days=5)  # due on the 4th, done on the 7th
    assert clocks(case)["acknowledgement"].met is False


@pytest.fixture
def overdue(make_case: Callable[..., Case], lead: User, agent: User) -> Case:
    return make_case(assignee=agent)


def breach_events(case: Case) -> int:
    return Event.objects.filter(stream=case.stream, type="clock.breached").count()


def test_a_breach_is_escalated_to_the_team_lead_once(
    overdue: Case, lead: User, agent: User
) -> None:
    later = NOW + timedelta(days=3)  # Thursday 5th: acknowledgement was due on the 4th
    first = sla_services.sweep(now=later)
    second = sla_services.sweep(now=later + timedelta(minutes=5))
    assert first.breached == 1
    assert second.breached == 0
    assert breach_events(overdue) == 1
    event = Event.objects.get(stream=overdue.stream, type="clock.breached")
    assert event.data["rule"] == "acknowledgement"
    assert event.data["escalated_to"] == [lead.pk]
    notified = set(Notification.objects.filter(kind="breach").values_list("user_id", flat=True))
    assert notified == {lead.pk, agent.pk}


def test_breach_notices_are_emailed_after_commit(
    overdue: Case, lead: User, django_capture_on_commit_callbacks: Any
) -> None:
    lead.email = "leah@example.org"
    lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        sla_services.sweep(now=NOW + timedelta(days=3))
    assert [m.to for m in mail.outbox] == [["leah@example.org"]]
    assert overdue.reference in mail.outbox[0].subject


def test_owners_are_warned_before_the_deadline(overdue: Case, agent: User) -> None:
    # The response is due on 30 November; three quarters of the way is the 23rd.
    result = sla_services.sweep(now=NOW + timedelta(days=21))
    assert result.warned >= 1
    warned = Notification.objects.filter(kind="warning", user=agent)
    assert any("Respond with the outcome" in n.message for n in warned)
    assert sla_services.sweep(now=NOW + timedelta(days=21, hours=1)).warned == 0


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_escalate_each_breach_exactly_once(
    make_case: Callable[..., Case], lead: User
) -> None:
    cases = [make_case() for _ in range(6)]
    later = NOW + timedelta(days=3)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            sla_services.sweep(now=later)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert [breach_events(c) for c in cases] == [1] * 6


def test_a_refresh_writes_only_the_clocks_that_changed(
    make_case: Callable[..., Case], agent: User
) -> None:
    case = make_case()
    before = clocks(case)
    move(case, Status.ACKNOWLEDGED, agent, days=1)
    after = clocks(case)
    # Acknowledging stops one clock; the others keep their last change.
    assert after["acknowledgement"].updated_at == NOW + timedelta(days=1)
    assert after["response"].updated_at == before["response"].updated_at == NOW
    assert after["follow_up"].updated_at == NOW
    later = NOW + timedelta(days=2)
    with CaptureQueriesContext(connection) as queries:
        sla_services.refresh_clocks(case=case, now=later)
    assert not [q for q in queries if q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))]
    assert {c.updated_at for c in clocks(case).values()} <= {NOW, NOW + timedelta(days=1)}


def test_a_new_case_reads_nothing_to_start_its_clocks(
    make_case: Callable[..., Case], agent: User
) -> None:
    with CaptureQueriesContext(connection) as queries:
        case = make_case()
    read = [q["sql"] for q in queries if "sla_caseclock" in q["sql"] or "core_event" in q["sql"]]
    assert read and {s.split()[0] for s in read} == {"INSERT"}  # the event and the clocks
    assert set(clocks(case)) == {"acknowledgement", "response", "follow_up"}
