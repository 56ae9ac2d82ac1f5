"""Follow-up and satisfaction: a signed, expiring link the customer answers without signing in.

A survey is sent after resolution (``schedule_follow_ups``, a periodic job, after
AMENDS_FOLLOW_UP_DELAY_DAYS). "Solved" with no low score confirms the customer's satisfaction;
"not solved" or a low score reopens the case and alerts its owner; a link left unanswered
until it expires is recorded as a follow-up attempt with no answer, so enough of them satisfy
the closed guard.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction

from amends.cases import services as case_services
from amends.cases.domain import Channel, Direction, FollowUpResult, Status, TransitionRequest
from amends.core import timeline
from amends.core.errors import NotFoundError, ValidationError
from amends.resolution.models import Survey
from amends.sla import services as sla_services

if TYPE_CHECKING:
    from amends.cases.models import Case

SALT = "amends.survey"


@dataclass(frozen=True)
class Answers:
    solved: bool
    csat_outcome: int | None = None
    csat_handling: int | None = None
    ces: int | None = None
    nps: int | None = None
    comment: str = ""


def questions() -> set[str]:
    return {q.strip() for q in settings.AMENDS_SURVEY_QUESTIONS.split(",") if q.strip()}


def token_for(survey: Survey) -> str:
    return signing.dumps({"s": survey.pk, "n": survey.nonce}, salt=SALT, compress=True)


@transaction.atomic
def send_survey(*, case: Case, now: datetime) -> tuple[Survey, str]:
    """A new survey for ``case`` and the token of its link."""
    if case.status not in (Status.RESOLVED, Status.FOLLOW_UP):
        raise ValidationError(
            f"Case {case.reference} is {case.status}: surveys follow a resolution.",
            fields={"status": case.status},
        )
    survey = Survey.objects.create(
        case=case,
        nonce=secrets.token_hex(16),
        sent_at=now,
        expires_at=now + timedelta(days=settings.AMENDS_SURVEY_DAYS_VALID),
    )
    timeline.record_event(
        stream=case.stream,
        type="survey.sent",
        actor=None,
        now=now,
        data={"survey": survey.pk, "expires_at": survey.expires_at},
    )
    return survey, token_for(survey)


def survey_for(token: str, now: datetime) -> Survey:
    """The survey a link names, if the link is genuine, unexpired and unanswered."""
    try:
        payload = signing.loads(
            token,
            salt=SALT,
            max_age=timedelta(days=settings.AMENDS_SURVEY_DAYS_VALID),
        )
    except signing.SignatureExpired:
        raise ValidationError("This link has expired.", fields={"link": "expired"}) from None
    except signing.BadSignature:
        raise NotFoundError("This link is not one we sent.", fields={"link": "invalid"}) from None
    survey = (
        Survey.objects.select_related("case", "case__assignee")
        .filter(pk=payload.get("s"), nonce=payload.get("n"))
        .first()
    )
    if survey is None:
        raise NotFoundError("This link is not one we sent.", fields={"link": "invalid"})
    if survey.answered_at is not None:
        raise ValidationError("This survey has already been answered.", fields={"link": "used"})
    if now > survey.expires_at:
        raise ValidationError("This link has expired.", fields={"link": "expired"})
    return survey


def _check(answers: Answers) -> None:
    problems: dict[str, str] = {}
    asked = questions()
    for name, low, high, question in (
        ("csat_outcome", 1, 5, "csat"),
        ("csat_handling", 1, 5, "csat"),
        ("ces", 1, 7, "ces"),
        ("nps", 0, 10, "nps"),
    ):
        value = getattr(answers, name)
        if value is not None and (question not in asked or not low <= value <= high):
            problems[name] = f"from {low} to {high}" if question in asked else "not asked"
    if problems:
        raise ValidationError("Some answers are out of range.", fields=problems)


def unhappy(answers: Answers) -> bool:
    low = settings.AMENDS_SURVEY_LOW_SCORE
    scores = [s for s in (answers.csat_outcome, answers.csat_handling) if s is not None]
    return not answers.solved or any(s <= low for s in scores)


@transaction.atomic
def answer_survey(*, token: str, answers: Answers, now: datetime) -> Survey:
    survey = survey_for(token, now)
    _check(answers)
    claimed = Survey.objects.filter(pk=survey.pk, answered_at__isnull=True).update(
        answered_at=now,
        solved=answers.solved,
        csat_outcome=answers.csat_outcome,
        csat_handling=answers.csat_handling,
        ces=answers.ces,
        nps=answers.nps,
        comment=answers.comment.strip()[:4000],
    )
    if not claimed:
        raise ValidationError("This survey has already been answered.", fields={"link": "used"})
    survey.refresh_from_db()
    case = survey.case
    timeline.record_event(
        stream=case.stream,
        type="survey.answered",
        actor=None,
        now=now,
        actor_label="customer",
        data={
            "survey": survey.pk,
            "solved": answers.solved,
            "csat_outcome": answers.csat_outcome,
            "csat_handling": answers.csat_handling,
            "ces": answers.ces,
            "nps": answers.nps,
            "comment": survey.comment,
        },
    )
    if unhappy(answers):
        if case.status in (Status.RESOLVED, Status.FOLLOW_UP, Status.CLOSED):
            case_services.transition_case(
                case=case,
                request=TransitionRequest(
                    to=Status.REOPENED,
                    reason="The customer said the problem is not solved"
                    if not answers.solved
                    else "The customer gave a low satisfaction score",
                ),
                expected_version=case.version,
                actor=None,
                now=now,
            )
        if case.assignee_id:
            sla_services.notify(
                user_ids=[case.assignee_id],
                case=case,
                kind="reopened",
                message=f"{case.reference} was reopened: the customer is not satisfied.",
                now=now,
            )
    else:
        case_services.record_follow_up_attempt(
            case=case,
            channel=Channel.EMAIL,
            result=FollowUpResult.SATISFIED,
            note="Answered the satisfaction survey: solved.",
            actor=None,
            now=now,
        )
    return survey


def record_unanswered(*, now: datetime) -> int:
    """Each expired, unanswered survey becomes a follow-up attempt with no answer (once)."""
    done = 0
    for pk in Survey.objects.filter(
        answered_at__isnull=True, expiry_recorded=False, expires_at__lt=now
    ).values_list("pk", flat=True)[:1000]:
        with transaction.atomic():
            if not Survey.objects.filter(pk=pk, expiry_recorded=False).update(expiry_recorded=True):
                continue
            survey = Survey.objects.select_related("case").get(pk=pk)
            if survey.case.status in (Status.RESOLVED, Status.FOLLOW_UP):
                case_services.record_follow_up_attempt(
                    case=survey.case,
                    channel=Channel.EMAIL,
                    result=FollowUpResult.NO_ANSWER,
                    note="The satisfaction survey expired unanswered.",
                    actor=None,
                    now=now,
                )
                done += 1
    return done


def _email(address: str, reference: str, body: str) -> None:
    send_mail(
        subject=f"Is your problem solved? ({reference})",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[address],
        fail_silently=True,
    )


def survey_url(token: str) -> str:
    return f"{settings.AMENDS_BASE_URL.rstrip('/')}/survey/{token}/"


def _needs_survey(case: Any) -> bool:
    """No survey yet, or every one sent has expired unanswered and fewer than the configured
    attempts have been made."""
    sent = list(Survey.objects.filter(case=case).values_list("answered_at", "expiry_recorded"))
    if any(answered is not None or not recorded for answered, recorded in sent):
        return False
    return len(sent) < settings.AMENDS_SURVEY_ATTEMPTS


def schedule_follow_ups(*, now: datetime, limit: int = 500) -> int:
    """Cases resolved long enough ago move to follow-up and get a survey by email; when a survey
    expires unanswered, another goes out, up to AMENDS_SURVEY_ATTEMPTS."""
    from amends.cases.models import Case

    due = now - timedelta(days=settings.AMENDS_FOLLOW_UP_DELAY_DAYS)
    ids = list(
        Case.objects.filter(
            status__in=[Status.RESOLVED, Status.FOLLOW_UP], resolved_at__lte=due
        ).values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in ids:
        with transaction.atomic():
            case = Case.objects.select_for_update().select_related("customer").get(pk=pk)
            if case.status not in (Status.RESOLVED, Status.FOLLOW_UP) or not _needs_survey(case):
                continue
            if case.status == Status.RESOLVED:
                case_services.transition_case(
                    case=case,
                    request=TransitionRequest(to=Status.FOLLOW_UP),
                    expected_version=case.version,
                    actor=None,
                    now=now,
                )
            _, token = send_survey(case=case, now=now)
            link = survey_url(token)
            body = (
                f"We recently resolved your complaint ({case.reference}). Is the problem solved? "
                f"Please tell us here (no sign-in needed; the link works for "
                f"{settings.AMENDS_SURVEY_DAYS_VALID} days): {link}"
            )
            if case.customer.email:
                case_services.record_message(
                    case=case,
                    direction=Direction.OUTBOUND,
                    channel=Channel.EMAIL,
                    subject=f"Is your problem solved? ({case.reference})",
                    body=body,
                    counterpart=case.customer.email,
                    actor=None,
                    now=now,
                )
                transaction.on_commit(partial(_email, case.customer.email, case.reference, body))
            sent += 1
    return sent
