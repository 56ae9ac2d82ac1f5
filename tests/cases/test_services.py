"""Case services against the database: one transaction each, with their events."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction

from amends.cases import selectors
from amends.cases import services as case_services
from amends.cases.domain import (
    CaseDetails,
    CaseKind,
    Channel,
    Direction,
    FollowUpResult,
    LinkKind,
    Outcome,
    Priority,
    StakeholderRole,
    Status,
    TransitionRequest,
)
from amends.cases.models import Case, CaseLink, Category, IdempotencyKey
from amends.core import timeline
from amends.core.errors import (
    ConflictError,
    IdempotencyKeyReusedError,
    StaleVersionError,
    TransitionNotAllowedError,
    ValidationError,
)
from amends.core.models import Event
from amends.customers.domain import ContactDetails, CustomerKind

pytestmark = pytest.mark.django_db


def types(case: Case) -> list[str]:
    return [e.type for e in Event.objects.filter(stream=case.stream).order_by("seq")]


def test_a_new_case_gets_a_reference_for_its_year_and_a_created_event(make_case, now):
    first, second = make_case(), make_case()
    assert first.reference == "C-2026-000001"
    assert second.reference == "C-2026-000002"
    (event,) = Event.objects.filter(stream=first.stream)
    assert event.type == "case.created"
    assert event.data["kind"] == "complaint"
    assert event.data["description"].startswith("I was charged twice")
    assert event.data["determination"] == {
        "definition": "organisation",
        "rationale": "",
        "is_complaint": True,
    }
    assert event.actor.username == "alex"


def test_the_summary_defaults_to_the_customers_words_and_the_category_must_exist(make_case):
    case = make_case(description="Bill far higher than usual.\nPlease check the meter.")
    assert case.summary == "Bill far higher than usual. Please check the meter."
    with pytest.raises(ValidationError) as raised:
        make_case(category="no-such-category")
    assert "category" in raised.value.fields


def test_a_category_retired_in_this_process_cannot_be_used_at_once(make_case):
    make_case(category="billing-and-charges")  # read, and kept by this process
    category = Category.objects.get(slug="billing-and-charges")
    category.active = False
    category.save()
    with pytest.raises(ValidationError) as raised:
        make_case(category="billing-and-charges")
    assert raised.value.fields == {"category": ["unknown category"]}


def test_a_case_cannot_be_received_in_the_future(make_case, now):
    with pytest.raises(ValidationError):
        make_case(received_at=now + timedelta(minutes=5))


def test_a_new_customer_is_created_with_the_case_in_one_transaction(team, agent, now):
    new = case_services.NewCustomer(
        kind=CustomerKind.PERSON, details=ContactDetails(name="Sam Quinn", email="not-an-email")
    )
    with pytest.raises(ValidationError):
        case_services.create_case(
            kind=CaseKind.COMPLAINT,
            details=CaseDetails(summary="", description="Broken", channel=Channel.EMAIL),
            customer=new,
            team=team,
            actor=agent,
            now=now,
        )
    assert not Case.objects.exists()


def test_the_assignee_must_be_able_to_see_the_case(make_case, other_agent, lead):
    with pytest.raises(ValidationError) as raised:
        make_case(assignee=other_agent)
    assert raised.value.fields == {"assignee": ["not a member of the case's team"]}
    assert make_case(assignee=lead).assignee == lead


def test_the_same_idempotency_key_returns_the_first_case(make_case, agent):
    first = make_case(idempotency_key="abc-1", request_fingerprint="same")
    again = make_case(idempotency_key="abc-1", request_fingerprint="same")
    assert again.pk == first.pk
    assert Case.objects.count() == 1
    with pytest.raises(IdempotencyKeyReusedError):
        make_case(idempotency_key="abc-1", request_fingerprint="different")
    assert IdempotencyKey.objects.get().case == first


def test_the_lifecycle_writes_one_event_per_move_with_before_and_after(make_case, agent, now):
    case = make_case()
    steps = [
        TransitionRequest(to=Status.ACKNOWLEDGED),
        TransitionRequest(to=Status.INVESTIGATING),
        TransitionRequest(to=Status.AWAITING_CUSTOMER, reason="Need photos"),
        TransitionRequest(to=Status.INVESTIGATING),
        TransitionRequest(to=Status.ESCALATED, reason="Customer asked for a manager"),
        TransitionRequest(
            to=Status.RESOLVED,
            resolution_summary="Refunded",
            outcome=Outcome.PARTLY_UPHELD,
            root_cause="Migration bug",
        ),
        TransitionRequest(to=Status.FOLLOW_UP),
    ]
    for i, step in enumerate(steps):
        case_services.transition_case(
            case=case,
            request=step,
            expected_version=case.version,
            actor=agent,
            now=now + timedelta(hours=i),
        )
    case_services.record_follow_up_attempt(
        case=case,
        channel=Channel.PHONE,
        result=FollowUpResult.SATISFIED,
        actor=agent,
        now=now + timedelta(days=3),
    )
    case_services.transition_case(
        case=case,
        request=TransitionRequest(to=Status.CLOSED),
        expected_version=case.version,
        actor=agent,
        now=now + timedelta(days=3, hours=1),
    )
    case.refresh_from_db()
    assert case.status == "closed"
    assert case.acknowledged_at == now
    assert case.escalation_level == 1
    assert case.outcome == "partly_upheld"
    assert case.customer_confirmed_at == now + timedelta(days=3)
    assert types(case) == [
        "case.created",
        "case.acknowledged",
        "case.investigation_started",
        "case.paused",
        "case.resumed",
        "case.escalated",
        "case.resolved",
        "case.follow_up_started",
        "case.follow_up_recorded",
        "case.closed",
    ]
    paused = Event.objects.get(stream=case.stream, type="case.paused")
    assert paused.data == {
        "from": "investigating",
        "to": "awaiting_customer",
        "reason": "Need photos",
    }
    assert timeline.verify().ok


def test_a_refused_transition_changes_nothing_and_records_nothing(make_case, agent, now):
    case = make_case(status=Status.INVESTIGATING)
    before = types(case)
    with pytest.raises(TransitionNotAllowedError):
        case_services.transition_case(
            case=case,
            request=TransitionRequest(to=Status.RESOLVED, resolution_summary="done"),
            expected_version=case.version,
            actor=agent,
            now=now,
        )
    case.refresh_from_db()
    assert case.status == "investigating"
    assert types(case) == before


def test_a_stale_version_changes_nothing_and_says_who_changed_the_case(make_case, agent, lead, now):
    case = make_case()
    mine = Case.objects.get(pk=case.pk)
    theirs = Case.objects.get(pk=case.pk)
    case_services.transition_case(
        case=theirs,
        request=TransitionRequest(to=Status.ACKNOWLEDGED),
        expected_version=theirs.version,
        actor=lead,
        now=now,
    )
    with pytest.raises(StaleVersionError) as raised:
        case_services.update_case_details(
            case=mine,
            details=CaseDetails(summary="New", description="x", channel=Channel.EMAIL),
            expected_version=1,
            actor=agent,
            now=now,
        )
    assert "leah" in raised.value.message
    assert raised.value.details["current_version"] == 2
    case.refresh_from_db()
    assert case.summary != "New"
    assert types(case) == ["case.created", "case.acknowledged"]


def test_details_changes_record_only_what_changed(make_case, agent, now):
    case = make_case()
    case_services.update_case_details(
        case=case,
        details=CaseDetails(
            summary=case.summary,
            description=case.description,
            channel=Channel.EMAIL,
            category="billing-and-charges",
            severity=4,
            priority=Priority.URGENT,
        ),
        expected_version=case.version,
        actor=agent,
        now=now,
    )
    event = Event.objects.get(stream=case.stream, type="case.details_changed")
    assert event.data["fields"] == ["channel", "severity", "priority"]
    assert event.data["before"] == {"channel": "phone", "severity": 2, "priority": "normal"}
    assert event.data["after"] == {"channel": "email", "severity": 4, "priority": "urgent"}
    assert case.version == 2


def test_changing_the_kind_records_the_reason_and_the_new_determination(make_case, agent, now):
    case = make_case(kind=CaseKind.QUERY)
    case_services.change_kind(
        case=case,
        kind=CaseKind.COMPLAINT,
        reason="The customer says they are unhappy with the charge",
        expected_version=case.version,
        actor=agent,
        now=now,
        determination=case_services.Determination(
            definition="fca-disp", rationale="Alleges financial loss"
        ),
    )
    case.refresh_from_db()
    assert case.kind == "complaint"
    assert case.determination_definition.code == "fca-disp"
    event = Event.objects.get(stream=case.stream, type="case.kind_changed")
    assert event.data["before"]["kind"] == "query"
    assert event.data["after"]["determination"]["is_complaint"] is True
    assert event.data["reason"].startswith("The customer says")
    with pytest.raises(ValidationError):
        case_services.change_kind(
            case=case,
            kind=CaseKind.QUERY,
            reason="",
            expected_version=case.version,
            actor=agent,
            now=now,
        )


def test_assignment_records_before_and_after(make_case, agent, lead, other_team, other_agent, now):
    case = make_case()
    case_services.assign_case(
        case=case,
        team=case.team,
        assignee=lead,
        expected_version=case.version,
        actor=agent,
        now=now,
    )
    case_services.assign_case(
        case=case,
        team=other_team,
        assignee=other_agent,
        expected_version=case.version,
        actor=lead,
        now=now,
    )
    events = Event.objects.filter(stream=case.stream, type="case.assigned").order_by("seq")
    assert [e.data for e in events] == [
        {
            "before": {"team": "customer-relations", "assignee": None},
            "after": {"team": "customer-relations", "assignee": "leah"},
        },
        {
            "before": {"team": "customer-relations", "assignee": "leah"},
            "after": {"team": "billing", "assignee": "tom"},
        },
    ]
    with pytest.raises(ValidationError):
        case_services.assign_case(
            case=case,
            team=other_team,
            assignee=agent,
            expected_version=case.version,
            actor=lead,
            now=now,
        )


def test_finished_cases_cannot_be_edited_until_reopened(make_case, agent, now):
    case = make_case(status=Status.ACKNOWLEDGED)
    case_services.transition_case(
        case=case,
        request=TransitionRequest(to=Status.WITHDRAWN, reason="no longer needed"),
        expected_version=case.version,
        actor=agent,
        now=now,
    )
    with pytest.raises(TransitionNotAllowedError):
        case_services.update_case_details(
            case=case,
            details=CaseDetails(summary="x", description="y", channel=Channel.EMAIL),
            expected_version=case.version,
            actor=agent,
            now=now,
        )


def test_closing_counts_only_follow_ups_since_the_latest_resolution(make_case, agent, now):
    case = make_case(status=Status.RESOLVED)
    for _ in range(2):
        case_services.record_follow_up_attempt(
            case=case, channel=Channel.PHONE, result=FollowUpResult.NO_ANSWER, actor=agent, now=now
        )
    later = now + timedelta(hours=1)
    for step in (
        TransitionRequest(to=Status.REOPENED, reason="not fixed"),
        TransitionRequest(to=Status.INVESTIGATING),
        TransitionRequest(
            to=Status.RESOLVED,
            resolution_summary="Fixed again",
            outcome=Outcome.UPHELD,
            root_cause="Part failed",
        ),
    ):
        case_services.transition_case(
            case=case, request=step, expected_version=case.version, actor=agent, now=later
        )
    assert selectors.state_of(case).follow_up_attempts == 0
    with pytest.raises(TransitionNotAllowedError):
        case_services.transition_case(
            case=case,
            request=TransitionRequest(to=Status.CLOSED),
            expected_version=case.version,
            actor=agent,
            now=later,
        )


def test_messages_and_notes_are_events_with_their_text(make_case, agent, now):
    case = make_case()
    message = case_services.record_message(
        case=case,
        direction=Direction.INBOUND,
        channel=Channel.EMAIL,
        body="Any news?",
        counterpart="customer1@example.com",
        actor=agent,
        now=now,
    )
    case_services.add_note(case=case, body="Chased billing team", actor=agent, now=now)
    received = Event.objects.get(stream=case.stream, type="case.message_received")
    assert received.data["body"] == "Any news?"
    assert received.data["interaction"] == message.pk
    note = Event.objects.get(stream=case.stream, type="case.note_added")
    assert note.data["body"] == "Chased billing team"
    with pytest.raises(ValidationError):
        case_services.add_note(case=case, body="   ", actor=agent, now=now)
    with pytest.raises(ValidationError):
        case_services.record_message(
            case=case,
            direction=Direction.INBOUND,
            channel=Channel.EMAIL,
            body="x",
            occurred_at=now + timedelta(days=1),
            actor=agent,
            now=now,
        )


def test_stakeholders_may_be_users_or_internal_departments(make_case, lead, other_team, agent, now):
    case = make_case()
    case_services.add_stakeholder(
        case=case, role=StakeholderRole.APPROVER, user=lead, actor=agent, now=now
    )
    dept = case_services.add_stakeholder(
        case=case, role=StakeholderRole.CONTRIBUTOR, team=other_team, actor=agent, now=now
    )
    with pytest.raises(ConflictError):
        case_services.add_stakeholder(
            case=case, role=StakeholderRole.CONTRIBUTOR, team=other_team, actor=agent, now=now
        )
    with pytest.raises(ValidationError):
        case_services.add_stakeholder(
            case=case,
            role=StakeholderRole.INFORMED,
            user=lead,
            team=other_team,
            actor=agent,
            now=now,
        )
    case_services.remove_stakeholder(stakeholder=dept, actor=agent, now=now)
    assert types(case)[-3:] == [
        "case.stakeholder_added",
        "case.stakeholder_added",
        "case.stakeholder_removed",
    ]


def test_links_refuse_self_links_duplicates_and_cycles(make_case, agent, now):
    a, b, c = make_case(), make_case(), make_case()
    case_services.link_cases(case=a, target=b, kind=LinkKind.PARENT, actor=agent, now=now)
    case_services.link_cases(case=b, target=c, kind=LinkKind.PARENT, actor=agent, now=now)
    with pytest.raises(ValidationError):
        case_services.link_cases(case=c, target=a, kind=LinkKind.PARENT, actor=agent, now=now)
    with pytest.raises(ValidationError):
        case_services.link_cases(case=a, target=a, kind=LinkKind.RELATED, actor=agent, now=now)
    with pytest.raises(ConflictError):
        case_services.link_cases(case=a, target=c, kind=LinkKind.PARENT, actor=agent, now=now)
    case_services.link_cases(case=a, target=c, kind=LinkKind.RELATED, actor=agent, now=now)
    assert "case.linked_from" in types(c)
    link = CaseLink.objects.get(case=a, kind="related")
    case_services.unlink_cases(link=link, actor=agent, now=now)
    assert types(a)[-1] == "case.unlinked"


@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_from_the_same_version_let_exactly_one_win(make_case, agent, lead, now):
    case = make_case()
    barrier = threading.Barrier(2)
    results: list[str] = []

    def edit(actor, summary):  # type: ignore[no-untyped-def]
        mine = Case.objects.get(pk=case.pk)
        barrier.wait()
        try:
            case_services.update_case_details(
                case=mine,
                details=CaseDetails(
                    summary=summary, description=mine.description, channel=Channel.EMAIL
                ),
                expected_version=1,
                actor=actor,
                now=now,
            )
            results.append("saved")
        except StaleVersionError:
            results.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(u, s)) for u, s in ((agent, "A"), (lead, "B"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["saved", "stale"]
    case.refresh_from_db()
    assert case.version == 2
    assert types(case) == ["case.created", "case.details_changed"]
    assert timeline.verify().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_creations_with_one_idempotency_key_make_one_case(team, customer, agent, now):
    barrier = threading.Barrier(4)
    refs: list[str] = []

    def create() -> None:
        barrier.wait()
        try:
            with transaction.atomic():
                case, _ = case_services.create_case(
                    kind=CaseKind.COMPLAINT,
                    details=CaseDetails(
                        summary="", description="Twice charged", channel=Channel.EMAIL
                    ),
                    customer=customer,
                    team=team,
                    actor=agent,
                    now=now,
                    idempotency_key="retry-me",
                    request_fingerprint="f",
                )
            refs.append(case.reference)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(refs) == 4
    assert set(refs) == {"C-2026-000001"}
    assert Case.objects.count() == 1
