"""Follow-up surveys: signed expiring links, answers that confirm or reopen, no answer
recorded as attempts that satisfy the closed guard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from amends.accounts.models import User
from amends.cases import services as case_services
from amends.cases.domain import Status, TransitionRequest
from amends.cases.models import Case
from amends.core import clock
from amends.core.errors import NotFoundError, ValidationError
from amends.core.models import Event
from amends.resolution import surveys
from amends.resolution.models import Survey
from amends.sla.models import Notification


@pytest.fixture
def resolved(make_case: Callable[..., Case], agent: User) -> Case:
    return make_case(status=Status.RESOLVED, assignee=agent)


def link(case: Case) -> str:
    _, token = surveys.send_survey(case=case, now=clock.now())
    return token


def test_solved_and_satisfied_confirms_and_lets_the_case_close(resolved: Case, agent: User) -> None:
    token = link(resolved)
    response = Client().post(
        f"/survey/{token}/",
        {"solved": "yes", "csat_outcome": "5", "csat_handling": "4", "nps": "9"},
    )
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    survey = Survey.objects.get()
    assert (survey.solved, survey.csat_outcome, survey.nps) == (True, 5, 9)
    resolved.refresh_from_db()
    assert resolved.customer_confirmed_at is not None
    case_services.transition_case(
        case=resolved,
        request=TransitionRequest(to=Status.CLOSED),
        expected_version=resolved.version,
        actor=agent,
        now=clock.now(),
    )


@pytest.mark.parametrize("answers", [{"solved": "no"}, {"solved": "yes", "csat_outcome": "2"}])
def test_not_solved_or_a_low_score_reopens_and_alerts_the_owner(
    resolved: Case, agent: User, answers: dict[str, str]
) -> None:
    Client().post(f"/survey/{link(resolved)}/", answers)
    resolved.refresh_from_db()
    assert resolved.status == Status.REOPENED
    assert Notification.objects.filter(user=agent, kind="reopened").exists()
    answered = Event.objects.get(stream=resolved.stream, type="survey.answered")
    assert answered.actor_label == "customer"


def test_a_used_link_cannot_be_used_again(resolved: Case) -> None:
    token = link(resolved)
    Client().post(f"/survey/{token}/", {"solved": "yes"})
    again = Client().get(f"/survey/{token}/")
    assert again.status_code == 410
    assert "already been answered" in again.content.decode()


def test_a_tampered_link_is_refused(resolved: Case) -> None:
    token = link(resolved)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert Client().get(f"/survey/{tampered}/").status_code == 404
    with pytest.raises(NotFoundError):
        surveys.survey_for(tampered, clock.now())


def test_an_expired_link_is_refused(resolved: Case, settings: Any) -> None:
    token = link(resolved)
    later = clock.now() + timedelta(days=settings.AMENDS_SURVEY_DAYS_VALID + 1)
    with pytest.raises(ValidationError, match="expired"):
        surveys.survey_for(token, later)


def test_only_the_scales_asked_are_accepted(resolved: Case, settings: Any) -> None:
    settings.AMENDS_SURVEY_QUESTIONS = "csat"
    token = link(resolved)
    page = Client().get(f"/survey/{token}/").content.decode()
    assert "recommend" not in page
    with pytest.raises(ValidationError) as refused:
        surveys.answer_survey(
            token=token, answers=surveys.Answers(solved=True, nps=10), now=clock.now()
        )
    assert refused.value.fields == {"nps": ["not asked"]}


def test_follow_ups_go_out_after_the_delay_and_silence_counts_as_attempts(
    resolved: Case, agent: User, django_capture_on_commit_callbacks: Any
) -> None:
    # make_case resolved the case on 2 November; the delay is a week.
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys.schedule_follow_ups(now=clock.now()) == 1
    resolved.refresh_from_db()
    assert resolved.status == Status.FOLLOW_UP
    assert "/survey/" in mail.outbox[0].body
    assert surveys.schedule_follow_ups(now=clock.now()) == 0
    later = clock.now() + timedelta(days=30)
    assert surveys.schedule_follow_ups(now=later) == 0  # the first link is still open
    assert surveys.record_unanswered(now=later) == 1
    assert surveys.record_unanswered(now=later) == 0
    assert surveys.schedule_follow_ups(now=later) == 1  # a second attempt goes out
    assert surveys.record_unanswered(now=later + timedelta(days=30)) == 1
    assert surveys.schedule_follow_ups(now=later + timedelta(days=30)) == 0  # two attempts made
    assert Survey.objects.filter(case=resolved).count() == 2
    resolved.refresh_from_db()
    case_services.transition_case(
        case=resolved,
        request=TransitionRequest(to=Status.CLOSED),
        expected_version=resolved.version,
        actor=agent,
        now=later + timedelta(days=30),
    )
