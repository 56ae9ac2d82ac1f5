"""The lifecycle rules, with no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from amends.cases.domain import (
    OPEN,
    PAUSABLE,
    CaseKind,
    CaseState,
    FollowUpResult,
    LifecyclePolicy,
    Outcome,
    Status,
    TransitionRequest,
    allowed_moves,
    apply_transition,
    check_kind_change,
    clean_details,
    invariant_problems,
    is_reference,
    make_reference,
    record_follow_up,
    summarise,
    transition_event_type,
)
from amends.core.errors import TransitionNotAllowedError, ValidationError

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
POLICY = LifecyclePolicy()


def state(status: Status = Status.RECEIVED, kind: CaseKind = CaseKind.COMPLAINT, **kw) -> CaseState:  # type: ignore[no-untyped-def]
    return CaseState(status=status, kind=kind, **kw)


def move(s: CaseState, to: Status, **kw) -> CaseState:  # type: ignore[no-untyped-def]
    return apply_transition(s, TransitionRequest(to=to, **kw), now=NOW, policy=POLICY)


RESOLVE = {
    "resolution_summary": "Refunded the duplicate charge.",
    "outcome": Outcome.UPHELD,
    "root_cause": "Duplicate collection after a migration.",
}


def test_the_main_path_runs_from_received_to_closed():
    s = state()
    for to in (Status.ACKNOWLEDGED, Status.INVESTIGATING, Status.SOLUTION_PROPOSED):
        s = move(s, to)
    s = move(s, Status.RESOLVED, **RESOLVE)
    s = move(s, Status.FOLLOW_UP)
    s = record_follow_up(s, FollowUpResult.SATISFIED)
    s = move(s, Status.CLOSED)
    assert s.status is Status.CLOSED
    assert s.closed_at == NOW
    assert invariant_problems(s, POLICY) == []


def test_a_move_outside_the_lifecycle_is_refused_and_names_what_is_allowed():
    with pytest.raises(TransitionNotAllowedError) as raised:
        move(state(), Status.CLOSED)
    assert "Allowed from here" in raised.value.message
    assert "acknowledged" in raised.value.message


def test_resolving_a_complaint_needs_summary_outcome_and_root_cause():
    s = state(Status.INVESTIGATING)
    with pytest.raises(TransitionNotAllowedError) as raised:
        move(s, Status.RESOLVED, resolution_summary="Sorted.")
    assert raised.value.missing == ["outcome", "root_cause"]
    assert "outcome" in raised.value.message and "root_cause" in raised.value.message


def test_resolving_a_query_needs_only_a_summary():
    s = state(Status.ACKNOWLEDGED, kind=CaseKind.QUERY)
    with pytest.raises(TransitionNotAllowedError) as raised:
        move(s, Status.RESOLVED)
    assert raised.value.missing == ["resolution_summary"]
    assert move(s, Status.RESOLVED, resolution_summary="Told them.").outcome is None


def test_a_whitespace_summary_is_not_a_summary():
    with pytest.raises(TransitionNotAllowedError):
        move(
            state(Status.ACKNOWLEDGED, kind=CaseKind.QUERY),
            Status.RESOLVED,
            resolution_summary="  ",
        )


def test_closing_without_confirmation_or_two_follow_ups_is_refused():
    s = move(state(Status.INVESTIGATING), Status.RESOLVED, **RESOLVE)
    with pytest.raises(TransitionNotAllowedError) as raised:
        move(s, Status.CLOSED)
    assert raised.value.missing == ["customer_confirmed"]
    s = record_follow_up(s, FollowUpResult.NO_ANSWER)
    with pytest.raises(TransitionNotAllowedError):
        move(s, Status.CLOSED)
    s = record_follow_up(s, FollowUpResult.LEFT_MESSAGE)
    assert move(s, Status.CLOSED).status is Status.CLOSED


def test_closing_with_the_customers_confirmation_is_allowed():
    s = move(state(Status.INVESTIGATING), Status.RESOLVED, **RESOLVE)
    closed = move(s, Status.CLOSED, customer_confirmed=True)
    assert closed.customer_confirmed


def test_follow_ups_are_only_recorded_after_resolution():
    with pytest.raises(TransitionNotAllowedError):
        record_follow_up(state(Status.INVESTIGATING), FollowUpResult.NO_ANSWER)


def test_withdrawing_needs_a_reason():
    with pytest.raises(TransitionNotAllowedError) as raised:
        move(state(Status.ACKNOWLEDGED), Status.WITHDRAWN)
    assert raised.value.missing == ["reason"]
    s = move(state(Status.ACKNOWLEDGED), Status.WITHDRAWN, reason="Sorted by the customer")
    assert allowed_moves(s, NOW, POLICY) == []


def test_a_paused_case_returns_only_to_where_it_paused():
    paused = move(state(Status.INVESTIGATING), Status.AWAITING_CUSTOMER, reason="photos")
    assert paused.resume_status is Status.INVESTIGATING
    with pytest.raises(TransitionNotAllowedError):
        move(paused, Status.SOLUTION_PROPOSED)
    resumed = move(paused, Status.INVESTIGATING)
    assert resumed.resume_status is None
    assert transition_event_type(Status.AWAITING_CUSTOMER, Status.INVESTIGATING) == "case.resumed"
    assert allowed_moves(paused, NOW, POLICY) == [Status.INVESTIGATING, Status.WITHDRAWN]


def test_escalation_goes_up_a_level_each_time():
    s = move(state(Status.INVESTIGATING), Status.ESCALATED)
    assert s.escalation_level == 1
    s = move(s, Status.ESCALATED, level=3)
    assert s.escalation_level == 3
    with pytest.raises(TransitionNotAllowedError) as raised:
        move(s, Status.ESCALATED, level=2)
    assert raised.value.missing == ["level"]
    back = move(s, Status.INVESTIGATING)
    assert back.escalation_level == 3  # the record of how far it went stays


def test_reopening_a_closed_case_is_allowed_only_within_the_window():
    s = move(state(Status.INVESTIGATING), Status.RESOLVED, **RESOLVE)
    closed = move(s, Status.CLOSED, customer_confirmed=True)
    within = apply_transition(
        closed,
        TransitionRequest(to=Status.REOPENED),
        now=NOW + timedelta(days=28),
        policy=POLICY,
    )
    assert within.status is Status.REOPENED
    assert within.resolution_summary == "" and within.outcome is None
    with pytest.raises(TransitionNotAllowedError, match="28 days"):
        apply_transition(
            closed,
            TransitionRequest(to=Status.REOPENED),
            now=NOW + timedelta(days=28, seconds=1),
            policy=POLICY,
        )
    longer = LifecyclePolicy(reopen_window=timedelta(days=90))
    later = apply_transition(
        closed, TransitionRequest(to=Status.REOPENED), now=NOW + timedelta(days=60), policy=longer
    )
    assert later.status is Status.REOPENED


def test_a_reopened_case_must_be_resolved_afresh():
    s = move(state(Status.INVESTIGATING), Status.RESOLVED, **RESOLVE)
    s = move(s, Status.REOPENED, reason="fault came back")
    s = move(s, Status.INVESTIGATING)
    with pytest.raises(TransitionNotAllowedError):
        move(s, Status.RESOLVED)


def test_the_kind_changes_only_with_a_reason_and_before_resolution():
    with pytest.raises(ValidationError):
        check_kind_change(state(Status.INVESTIGATING, kind=CaseKind.QUERY), CaseKind.COMPLAINT, " ")
    check_kind_change(state(Status.INVESTIGATING, kind=CaseKind.QUERY), CaseKind.COMPLAINT, "upset")
    resolved = state(Status.RESOLVED, kind=CaseKind.QUERY, resolution_summary="done")
    with pytest.raises(TransitionNotAllowedError):
        check_kind_change(resolved, CaseKind.COMPLAINT, "they were unhappy after all")


def test_references_have_the_year_and_at_least_six_digits():
    assert make_reference(2026, 123) == "C-2026-000123"
    assert make_reference(2026, 1_234_567) == "C-2026-1234567"
    assert is_reference("c-2026-000123")
    assert not is_reference("C-26-1")


def test_a_missing_summary_is_taken_from_the_customers_words():
    long = "word " * 100
    summary = summarise(long)
    assert len(summary) <= 200 and summary.endswith("…")
    from amends.cases.domain import CaseDetails, Channel

    details = clean_details(
        CaseDetails(summary="", description=" Charged  twice ", channel=Channel.EMAIL)
    )
    assert details.summary == "Charged twice"
    with pytest.raises(ValidationError) as raised:
        clean_details(CaseDetails(summary="", description=" ", channel=Channel.EMAIL, severity=7))
    assert set(raised.value.fields) == {"description", "severity"}


@given(st.sampled_from(list(Status)), st.sampled_from(list(Status)))
def test_allowed_moves_agrees_with_apply_transition(frm: Status, to: Status):
    s = state(frm, resume_status=Status.INVESTIGATING if frm is Status.AWAITING_CUSTOMER else None)
    s = replace(s, closed_at=NOW if frm is Status.CLOSED else None)
    allowed = to in allowed_moves(s, NOW, POLICY)
    try:
        apply_transition(
            s,
            TransitionRequest(to=to, reason="r", customer_confirmed=True, **RESOLVE),
            now=NOW,
            policy=POLICY,
        )
        moved = True
    except TransitionNotAllowedError:
        moved = False
    assert moved == allowed


# --- random operation sequences --------------------------------------------------------------

texts = st.one_of(st.none(), st.just(""), st.just("   "), st.text(min_size=1, max_size=20))


class Lifecycle(RuleBasedStateMachine):
    """Drive random moves, guard fields, follow-ups, reclassifications and the passing of time.

    Every refused operation must leave the state unchanged; every accepted one must leave a
    state with no invariant broken.
    """

    @initialize(kind=st.sampled_from(list(CaseKind)), days=st.integers(0, 60))
    def start(self, kind: CaseKind, days: int) -> None:
        self.now = NOW
        self.policy = LifecyclePolicy(reopen_window=timedelta(days=days))
        self.state = CaseState(status=Status.RECEIVED, kind=kind)
        self.max_level = 0

    @rule(
        to=st.sampled_from(list(Status)),
        summary=texts,
        outcome=st.one_of(st.none(), st.sampled_from(list(Outcome))),
        root_cause=texts,
        confirmed=st.booleans(),
        reason=texts,
        level=st.one_of(st.none(), st.integers(0, 6)),
    )
    def transition(self, to, summary, outcome, root_cause, confirmed, reason, level) -> None:  # type: ignore[no-untyped-def]
        before = self.state
        request = TransitionRequest(
            to=to,
            resolution_summary=summary,
            outcome=outcome,
            root_cause=root_cause,
            customer_confirmed=confirmed,
            reason=reason,
            level=level,
        )
        try:
            self.state = apply_transition(before, request, now=self.now, policy=self.policy)
        except TransitionNotAllowedError as refused:
            assert self.state == before
            assert refused.message
            return
        assert to in allowed_moves(before, self.now, self.policy)
        assert self.state.status is to

    @rule(result=st.sampled_from(list(FollowUpResult)))
    def follow_up(self, result: FollowUpResult) -> None:
        before = self.state
        try:
            self.state = record_follow_up(before, result)
        except TransitionNotAllowedError:
            assert before.status not in (Status.RESOLVED, Status.FOLLOW_UP)

    @rule(kind=st.sampled_from(list(CaseKind)), reason=st.sampled_from(["", "customer unhappy"]))
    def reclassify(self, kind: CaseKind, reason: str) -> None:
        try:
            check_kind_change(self.state, kind, reason)
        except (TransitionNotAllowedError, ValidationError):
            return
        self.state = replace(self.state, kind=kind)

    @rule(hours=st.integers(1, 24 * 40))
    def time_passes(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    @invariant()
    def no_invalid_state(self) -> None:
        assert invariant_problems(self.state, self.policy) == []

    @invariant()
    def escalation_never_goes_down(self) -> None:
        assert self.state.escalation_level >= self.max_level
        self.max_level = self.state.escalation_level

    @invariant()
    def pauses_return_somewhere_valid(self) -> None:
        if self.state.status is Status.AWAITING_CUSTOMER:
            assert self.state.resume_status in PAUSABLE
        if self.state.status in OPEN:
            assert self.state.closed_at is None


Lifecycle.TestCase.settings = settings(max_examples=300, stateful_step_count=40, deadline=None)
test_no_invalid_state_is_reachable = Lifecycle.TestCase
