"""Reproducible demo data: teams, users, customers and cases with real histories.

Everything is made through the services, so the demo's timelines are real timelines. The same
``seed`` and ``today`` give the same data. Meant for an empty database (``make run`` loads it on
first start); running it again adds more customers and cases and reuses the users.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction

from amends import demo_texts as texts
from amends.accounts import selectors as account_selectors
from amends.accounts import services as account_services
from amends.accounts.domain import Role
from amends.accounts.models import Team, User
from amends.cases import services as case_services
from amends.cases.domain import (
    CaseDetails,
    CaseKind,
    Channel,
    Direction,
    FollowUpResult,
    JourneyStage,
    Outcome,
    Priority,
    Status,
    TransitionRequest,
)
from amends.cases.models import Case
from amends.core import clock
from amends.customers import services as customer_services
from amends.customers.domain import (
    Adjustment,
    AuthorityScope,
    ContactChannel,
    ContactDetails,
    ContactFormat,
    CustomerKind,
    Relationship,
    RepresentativeDraft,
    VulnerabilityBasis,
    VulnerabilityDraft,
    VulnerabilityDriver,
)
from amends.customers.models import Customer
from amends.demo_mail import add_demo_mail

DEMO_PASSWORD = "resolve-it-2026"  # noqa: S105 (documented demo password)

TEAMS = [
    ("Customer Relations", True),
    ("Billing", True),
    ("Escalations", True),
    ("Finance operations", False),
    ("Field engineering", False),
]
USERS = [
    ("admin", Role.ADMIN, [], "Ada", "Admin"),
    ("manager", Role.COMPLAINTS_MANAGER, [], "Morgan", "Price"),
    ("lead", Role.TEAM_LEAD, ["Customer Relations", "Escalations"], "Leah", "Okafor"),
    ("agent", Role.AGENT, ["Customer Relations"], "Alex", "Reid"),
    ("agent2", Role.AGENT, ["Customer Relations"], "Sunita", "Rao"),
    ("billing", Role.AGENT, ["Billing"], "Tom", "Bell"),
    ("dpo", Role.DPO, [], "Dana", "Pryce"),
    ("auditor", Role.AUDITOR, [], "Audrey", "Tate"),
]
KIND_WEIGHTS = [
    (CaseKind.COMPLAINT, 55),
    (CaseKind.SERVICE_FAILURE, 10),
    (CaseKind.QUERY, 20),
    (CaseKind.SERVICE_REQUEST, 10),
    (CaseKind.COMPLIMENT, 5),
]
STATUS_WEIGHTS = [
    (Status.RECEIVED, 10),
    (Status.ACKNOWLEDGED, 12),
    (Status.INVESTIGATING, 16),
    (Status.AWAITING_CUSTOMER, 6),
    (Status.SOLUTION_PROPOSED, 8),
    (Status.ESCALATED, 6),
    (Status.RESOLVED, 8),
    (Status.FOLLOW_UP, 6),
    (Status.CLOSED, 22),
    (Status.WITHDRAWN, 3),
    (Status.REOPENED, 3),
]
CHANNELS = [Channel.EMAIL, Channel.PHONE, Channel.WEB_FORM, Channel.LETTER, Channel.CHAT]


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


@dataclass
class _Clock:
    """Demo time: moves forward from each case's receipt, never past the real present."""

    at: datetime
    limit: datetime

    def step(self, rng: random.Random, hours: tuple[int, int] = (2, 40)) -> datetime:
        self.at = min(self.at + timedelta(hours=rng.randint(*hours)), self.limit)
        self.limit = max(self.limit, self.at)
        return self.at


def _teams(now: datetime) -> dict[str, Team]:
    teams = {}
    for name, handles in TEAMS:
        team = account_selectors.find_team(name)
        if team is None:
            team = account_services.create_team(
                name=name, handles_cases=handles, actor=None, now=now
            )
        teams[name] = team
    return teams


def _users(teams: dict[str, Team], now: datetime) -> dict[str, User]:
    users = {}
    for username, role, team_names, first, last in USERS:
        user = account_selectors.find_user(username)
        if user is None:
            user = account_services.create_user(
                username=username,
                role=role,
                password=DEMO_PASSWORD,
                teams=[teams[t] for t in team_names],
                email=f"{username}@amends.example",
                first_name=first,
                last_name=last,
                actor=None,
                now=now,
            )
        users[username] = user
    return users


def _customer(rng: random.Random, n: int, now: datetime, lead: User) -> Customer:
    if n % 15 == 7:
        name = rng.choice(texts.INTERNAL_DEPARTMENTS)
        return customer_services.create_customer(
            kind=CustomerKind.DEPARTMENT,
            details=ContactDetails(name=name, email=f"dept{n}@amends.example"),
            actor=lead,
            now=now,
        )
    first, last = rng.choice(texts.FIRST_NAMES), rng.choice(texts.LAST_NAMES)
    town, area = rng.choice(texts.TOWNS)
    adjustments: tuple[Adjustment, ...] = ()
    fmt = ContactFormat.STANDARD
    channel = rng.choice([ContactChannel.EMAIL, ContactChannel.EMAIL, ContactChannel.PHONE])
    if n % 9 == 4:
        adjustments, fmt = (
            (Adjustment.LARGE_PRINT, Adjustment.EXTRA_TIME),
            ContactFormat.LARGE_PRINT,
        )
    elif n % 13 == 5:
        adjustments, channel = (Adjustment.TEXT_RELAY,), ContactChannel.PHONE
    elif n % 17 == 3:
        adjustments = (Adjustment.NAMED_CONTACT, Adjustment.CALL_INSTEAD_OF_WRITING)
        channel = ContactChannel.PHONE
    vulnerabilities = []
    if n % 8 == 2:
        vulnerabilities.append(
            VulnerabilityDraft(
                driver=rng.choice(list(VulnerabilityDriver)),
                basis=VulnerabilityBasis.EXPLICIT_CONSENT,
                consent_given=True,
                detail="Told us during the call; agreed we could record it.",
                support_needed="Extra time to respond; check understanding at each step.",
            )
        )
    representatives = []
    if n % 11 == 6:
        representatives.append(
            RepresentativeDraft(
                name=f"{rng.choice(texts.FIRST_NAMES)} {last}",
                relationship=Relationship.FAMILY_MEMBER,
                authority_evidence="Signed third-party authority form seen and scanned.",
                scope=AuthorityScope.COMPLAINTS,
                evidence_verified=True,
            )
        )
    return customer_services.create_customer(
        kind=CustomerKind.PERSON,
        details=ContactDetails(
            name=f"{first} {last}",
            email=f"{first}.{last}{n}@example.com".lower().replace("'", ""),
            phone=f"+4420794600{n % 100:02d}",  # Ofcom drama range: never a real line
            address=f"{rng.randint(1, 120)} {rng.choice(texts.STREETS)}\n{town}",
            postcode=f"{area} {rng.randint(1, 9)}AB",
            preferred_channel=channel,
            preferred_format=fmt,
            adjustments=adjustments,
            adjustments_note="Prefers calls in the morning." if adjustments else "",
        ),
        vulnerabilities=vulnerabilities,
        representatives=representatives,
        actor=lead,
        now=now,
    )


def _problem(rng: random.Random, kind: CaseKind) -> tuple[str | None, str, str, str, str]:
    """(category, journey stage, summary, description, remedy) for a case of ``kind``."""
    if kind is CaseKind.QUERY:
        summary, words = rng.choice(texts.QUERIES)
        return None, "support", summary, words, ""
    if kind is CaseKind.COMPLIMENT:
        summary, words = rng.choice(texts.COMPLIMENTS)
        return None, "usage", summary, words, ""
    if kind is CaseKind.SERVICE_REQUEST:
        summary, words = rng.choice(texts.SERVICE_REQUESTS)
        return None, "billing", summary, words, ""
    category = rng.choice(sorted(texts.PROBLEMS))
    stage, problems = texts.PROBLEMS[category]
    summary, words, remedy = rng.choice(problems)
    return category, stage, summary, words, remedy


def _move(case: Case, request: TransitionRequest, actor: User, now: datetime) -> None:
    case_services.transition_case(
        case=case, request=request, expected_version=case.version, actor=actor, now=now
    )


def _resolve(rng: random.Random, case: Case, actor: User, clk: _Clock) -> None:
    _move(
        case,
        TransitionRequest(
            to=Status.RESOLVED,
            resolution_summary=rng.choice(texts.RESOLUTIONS),
            outcome=rng.choice(list(Outcome)),
            root_cause=rng.choice(texts.ROOT_CAUSES),
        ),
        actor,
        clk.step(rng),
    )


def _history(rng: random.Random, case: Case, target: Status, actor: User, clk: _Clock) -> None:
    if target is Status.RECEIVED:
        return
    _move(case, TransitionRequest(to=Status.ACKNOWLEDGED), actor, clk.step(rng, (1, 20)))
    if target is Status.ACKNOWLEDGED:
        return
    if target is Status.WITHDRAWN:
        reason = (
            "The customer says the problem has been sorted out and no longer wants to pursue it."
        )
        _move(case, TransitionRequest(to=Status.WITHDRAWN, reason=reason), actor, clk.step(rng))
        return
    _move(case, TransitionRequest(to=Status.INVESTIGATING), actor, clk.step(rng))
    case_services.add_note(case=case, body=rng.choice(texts.NOTES), actor=actor, now=clk.step(rng))
    if target is Status.INVESTIGATING:
        return
    if target is Status.AWAITING_CUSTOMER:
        reason = rng.choice(texts.PAUSE_REASONS)
        _move(
            case,
            TransitionRequest(to=Status.AWAITING_CUSTOMER, reason=reason),
            actor,
            clk.step(rng),
        )
        return
    if target is Status.ESCALATED:
        reason = "The customer asked for a manager to review the case."
        _move(
            case,
            TransitionRequest(to=Status.ESCALATED, level=1, reason=reason),
            actor,
            clk.step(rng),
        )
        return
    case_services.record_message(
        case=case,
        direction=Direction.OUTBOUND,
        channel=Channel(case.customer.preferred_channel)
        if case.customer.preferred_channel in {"email", "phone", "letter"}
        else Channel.EMAIL,
        subject=f"Your case {case.reference}",
        body=(
            f"Thank you for telling us about this. We understand that {case.summary.lower()}. "
            "We are sorry for the trouble this has caused. Here is what we propose to put it right."
        ),
        actor=actor,
        now=clk.step(rng),
    )
    _move(case, TransitionRequest(to=Status.SOLUTION_PROPOSED), actor, clk.step(rng))
    if target is Status.SOLUTION_PROPOSED:
        return
    _resolve(rng, case, actor, clk)
    if target is Status.RESOLVED:
        return
    _move(case, TransitionRequest(to=Status.FOLLOW_UP), actor, clk.step(rng, (48, 120)))
    first = rng.choice(
        [FollowUpResult.NO_ANSWER, FollowUpResult.LEFT_MESSAGE, FollowUpResult.SATISFIED]
    )
    case_services.record_follow_up_attempt(
        case=case, channel=Channel.PHONE, result=first, actor=actor, now=clk.step(rng)
    )
    if target is Status.FOLLOW_UP:
        return
    if first is not FollowUpResult.SATISFIED:
        case_services.record_follow_up_attempt(
            case=case,
            channel=Channel.EMAIL,
            result=FollowUpResult.NO_ANSWER,
            actor=actor,
            now=clk.step(rng, (24, 72)),
        )
    _move(case, TransitionRequest(to=Status.CLOSED), actor, clk.step(rng))
    if target is Status.REOPENED:
        reason = "The customer called back: the fault has come back."
        _move(
            case,
            TransitionRequest(to=Status.REOPENED, reason=reason),
            actor,
            clk.step(rng, (24, 96)),
        )


def build_demo(
    *, cases: int = 120, seed: int = 2026, today: str | None = None, quiet: bool = False
) -> str:
    rng = random.Random(seed)  # noqa: S311 (reproducible demo data, not security)
    zone = clock.local_zone()
    real_now = clock.now()
    day = date.fromisoformat(today) if today else clock.today()
    start = datetime.combine(day - timedelta(days=60), time(9, 0), tzinfo=zone)
    limit = min(real_now, datetime.combine(day, time(8, 0), tzinfo=zone))
    with transaction.atomic():
        teams = _teams(start)
        users = _users(teams, start)
    lead = users["lead"]
    handlers = {
        "Customer Relations": [users["agent"], users["agent2"], lead],
        "Billing": [users["billing"]],
        "Escalations": [lead],
    }
    customers = []
    for n in range(max(8, cases // 2)):
        with transaction.atomic():
            customers.append(_customer(rng, n, start, lead))
    made: Counter[str] = Counter()
    for n in range(cases):
        kind = _pick(rng, KIND_WEIGHTS)
        target = _pick(rng, STATUS_WEIGHTS) if kind is not CaseKind.COMPLIMENT else Status.CLOSED
        category, stage, summary, words, remedy = _problem(rng, kind)
        team_name = (
            "Billing" if category == "billing-and-charges" and n % 2 else "Customer Relations"
        )
        actor = rng.choice(handlers[team_name])
        received = start + timedelta(days=rng.randint(0, 58), minutes=rng.randint(0, 540))
        clk = _Clock(at=received, limit=max(limit, received))
        customer = customers[(n * 7 + rng.randint(0, 3)) % len(customers)]
        with transaction.atomic():
            case, _ = case_services.create_case(
                kind=kind,
                details=CaseDetails(
                    summary=summary,
                    description=words,
                    channel=rng.choice(CHANNELS),
                    category=category,
                    journey_stage=JourneyStage(stage),
                    severity=rng.choice([1, 2, 2, 3, 3, 4]) if kind is CaseKind.COMPLAINT else 1,
                    priority=rng.choice(list(Priority)),
                    remedy_sought=remedy,
                    product=rng.choice(texts.PRODUCTS),
                ),
                customer=customer,
                team=teams[team_name],
                assignee=actor,
                received_at=received,
                actor=actor,
                now=clk.step(rng, (0, 2)),
            )
            if kind is CaseKind.COMPLIMENT:
                _move(case, TransitionRequest(to=Status.ACKNOWLEDGED), actor, clk.step(rng))
                _move(
                    case,
                    TransitionRequest(
                        to=Status.RESOLVED, resolution_summary="Passed the thanks on to the team."
                    ),
                    actor,
                    clk.step(rng),
                )
                _move(
                    case,
                    TransitionRequest(to=Status.CLOSED, customer_confirmed=True),
                    actor,
                    clk.step(rng),
                )
            else:
                _history(rng, case, target, actor, clk)
        made[case.status] += 1
    open_case = (
        Case.objects.filter(status=Status.INVESTIGATING.value)
        .exclude(customer__email="")
        .order_by("id")
        .first()
    )
    mails = add_demo_mail(reply_to=open_case, seed=seed, now=limit)
    summary = ", ".join(f"{count} {status}" for status, count in sorted(made.items()))
    return (
        f"demo data: {len(teams)} teams, {len(users)} users (password {DEMO_PASSWORD!r}), "
        f"{len(customers)} customers, {cases} cases ({summary}), {mails} emails received"
    )
