from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.test.client import ClientHandler

from amends.accounts import services as account_services
from amends.accounts.models import Team, User
from amends.cases import services as case_services
from amends.cases.domain import CaseDetails, CaseKind, Channel, Outcome, Status, TransitionRequest
from amends.cases.models import Case
from amends.core import localcache
from amends.core.handlers import ApiMiddleware
from amends.customers import services as customer_services
from amends.customers.domain import ContactDetails, CustomerKind
from amends.customers.models import Customer

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)  # in the past, so real requests come later


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with empty caches (tokens; reference data each process keeps)."""
    cache.clear()
    localcache.clear_all()


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def team(db: Any) -> Team:
    return account_services.create_team(name="Customer Relations", actor=None, now=NOW)


@pytest.fixture
def other_team(db: Any) -> Team:
    return account_services.create_team(name="Billing", actor=None, now=NOW)


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    def make(username: str, role: str, teams: list[Team] | None = None) -> User:
        return account_services.create_user(
            username=username, role=role, password=None, teams=teams or [], actor=None, now=NOW
        )

    return make


@pytest.fixture
def agent(make_user: Callable[..., User], team: Team) -> User:
    return make_user("alex", "agent", [team])


@pytest.fixture
def other_agent(make_user: Callable[..., User], other_team: Team) -> User:
    return make_user("tom", "agent", [other_team])


@pytest.fixture
def lead(make_user: Callable[..., User], team: Team) -> User:
    return make_user("leah", "team_lead", [team])


@pytest.fixture
def manager(make_user: Callable[..., User]) -> User:
    return make_user("morgan", "complaints_manager")


@pytest.fixture
def auditor(make_user: Callable[..., User]) -> User:
    return make_user("audrey", "auditor")


@pytest.fixture
def dpo(make_user: Callable[..., User]) -> User:
    return make_user("dana", "dpo")


@pytest.fixture
def make_customer(db: Any) -> Callable[..., Customer]:
    counter = iter(range(1, 10_000))

    def make(name: str = "Priya Patel", **details: Any) -> Customer:
        n = next(counter)
        details.setdefault("email", f"customer{n}@example.com")
        kind = details.pop("kind", CustomerKind.PERSON)
        return customer_services.create_customer(
            kind=kind, details=ContactDetails(name=name, **details), actor=None, now=NOW
        )

    return make


@pytest.fixture
def customer(make_customer: Callable[..., Customer]) -> Customer:
    return make_customer()


@pytest.fixture
def make_case(team: Team, customer: Customer, agent: User) -> Callable[..., Case]:
    def make(
        kind: CaseKind = CaseKind.COMPLAINT,
        *,
        status: Status = Status.RECEIVED,
        description: str = "I was charged twice for October and nobody has called me back.",
        **overrides: Any,
    ) -> Case:
        actor = overrides.pop("actor", agent)
        case, _ = case_services.create_case(
            kind=kind,
            details=CaseDetails(
                summary=overrides.pop("summary", ""),
                description=description,
                channel=overrides.pop("channel", Channel.PHONE),
                category=overrides.pop("category", "billing-and-charges"),
            ),
            customer=overrides.pop("customer", customer),
            team=overrides.pop("team", team),
            actor=actor,
            now=overrides.pop("now", NOW),
            **overrides,
        )
        for step in PATH_TO.get(status, []):
            case_services.transition_case(
                case=case, request=step, expected_version=case.version, actor=actor, now=NOW
            )
        return case

    return make


RESOLVE = TransitionRequest(
    to=Status.RESOLVED,
    resolution_summary="Refunded the duplicate payment.",
    outcome=Outcome.UPHELD,
    root_cause="Duplicate collection after the billing migration.",
)
PATH_TO: dict[Status, list[TransitionRequest]] = {
    Status.ACKNOWLEDGED: [TransitionRequest(to=Status.ACKNOWLEDGED)],
    Status.INVESTIGATING: [
        TransitionRequest(to=Status.ACKNOWLEDGED),
        TransitionRequest(to=Status.INVESTIGATING),
    ],
    Status.RESOLVED: [
        TransitionRequest(to=Status.ACKNOWLEDGED),
        TransitionRequest(to=Status.INVESTIGATING),
        RESOLVE,
    ],
}


class ApiClientHandler(ApiMiddleware, ClientHandler):
    """The test client's handler with the API's middleware, as ``amends.wsgi`` serves the API."""


class ApiClient:
    """The Django test client with a bearer token, speaking JSON."""

    def __init__(self, user: User) -> None:
        _, self.token = account_services.issue_token(user=user, name="test", actor=None, now=NOW)
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {self.token}")
        self.client.handler = ApiClientHandler()
        self.user = user

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params)

    def post(self, path: str, body: Any = None, **headers: Any) -> Any:
        return self.client.post(
            f"/api/v1{path}", body or {}, content_type="application/json", headers=headers
        )

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(f"/api/v1{path}", body, content_type="application/json")

    def delete(self, path: str) -> Any:
        return self.client.delete(f"/api/v1{path}")


@pytest.fixture
def api_as(db: Any) -> Callable[[User], ApiClient]:
    return ApiClient
