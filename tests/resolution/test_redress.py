"""The redress ledger: money as decimals, offers, approval limits by role, payment, totals."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from amends.accounts.models import User
from amends.cases.models import Case
from amends.core.errors import PermissionDeniedError, ValidationError
from amends.core.models import Event
from amends.resolution import services
from amends.resolution.domain import RedressBasis, RedressKind
from tests.conftest import NOW


def propose(
    case: Case,
    actor: User,
    kind: RedressKind = RedressKind.REFUND,
    amount: str | None = "80.00",
    **kw: Any,
) -> Any:
    return services.propose_redress(
        case=case,
        kind=kind,
        basis=kw.pop("basis", RedressBasis.STATUTORY),
        amount=Decimal(amount) if amount is not None else None,
        actor=actor,
        now=NOW,
        **kw,
    )


def test_within_the_handlers_limit_an_offer_is_made_at_once(
    make_case: Callable[..., Case], agent: User
) -> None:
    case = make_case()
    redress = propose(case, agent, amount="99.99")
    assert redress.status == "offered" and redress.amount == Decimal("99.99")
    assert Event.objects.filter(stream=case.stream, type="redress.offered").count() == 1


def test_above_the_limit_it_waits_for_an_approver_with_a_high_enough_limit(
    make_case: Callable[..., Case], agent: User, lead: User, manager: User
) -> None:
    case = make_case()
    big = propose(case, agent, RedressKind.GOODWILL_PAYMENT, "750.00", basis=RedressBasis.GOODWILL)
    assert big.status == "awaiting_approval"
    with pytest.raises(PermissionDeniedError, match="above your approval limit"):
        services.approve_redress(redress=big, approver=lead, now=NOW)  # limit £500
    approved = services.approve_redress(redress=big, approver=manager, now=NOW)
    assert approved.status == "offered" and approved.approved_by == manager
    types = list(
        Event.objects.filter(stream=case.stream, type__startswith="redress.")
        .order_by("seq")
        .values_list("type", flat=True)
    )
    assert types == ["redress.approval_requested", "redress.approved"]


def test_nobody_approves_their_own_request(make_case: Callable[..., Case], lead: User) -> None:
    big = propose(make_case(), lead, amount="600.00")
    with pytest.raises(PermissionDeniedError, match="other than"):
        services.approve_redress(redress=big, approver=lead, now=NOW)


def test_amounts_are_pounds_and_pence_and_only_for_money(
    make_case: Callable[..., Case], agent: User
) -> None:
    case = make_case()
    with pytest.raises(ValidationError, match="needs an amount"):
        propose(case, agent, amount=None)
    with pytest.raises(ValidationError, match="pounds and pence"):
        propose(case, agent, amount="10.001")
    with pytest.raises(ValidationError, match="has no amount"):
        propose(case, agent, RedressKind.APOLOGY, "5")
    apology = propose(case, agent, RedressKind.APOLOGY, None, basis=RedressBasis.GOODWILL)
    assert apology.status == "offered" and apology.amount is None


def test_an_accepted_refund_is_paid_and_totals_add_up(
    make_case: Callable[..., Case], agent: User, manager: User, api_as: Callable[[User], Any]
) -> None:
    case = make_case()
    refund = propose(case, agent, amount="80.00")
    services.record_redress_decision(redress=refund, accepted=True, actor=agent, now=NOW)
    services.mark_redress_paid(
        redress=refund, paid_on=NOW.date(), reference="BACS 1234", actor=agent, now=NOW
    )
    refused = propose(case, agent, RedressKind.SERVICE_CREDIT, "20.50", basis=RedressBasis.GOODWILL)
    services.record_redress_decision(redress=refused, accepted=False, actor=agent, now=NOW)
    with pytest.raises(ValidationError, match="Only accepted"):
        services.mark_redress_paid(
            redress=refused, paid_on=NOW.date(), reference="", actor=agent, now=NOW
        )
    report = api_as(manager).get("/reports/redress", start="2026-11-01", end="2026-11-30").json()
    assert {(r["kind"], r["status"], r["amount"]) for r in report} == {
        ("refund", "paid", "80.00"),
        ("service_credit", "refused", "20.50"),
    }
    assert (
        api_as(agent).get("/reports/redress", start="2026-11-01", end="2026-11-30").status_code
        == 403
    )


def test_the_api_proposes_and_approves(
    make_case: Callable[..., Case], agent: User, manager: User, api_as: Callable[[User], Any]
) -> None:
    case = make_case()
    response = api_as(agent).post(
        f"/cases/{case.reference}/redress",
        {"kind": "goodwill_payment", "basis": "goodwill", "amount": "250.00"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "awaiting_approval" and body["amount"] == "250.00"
    approved = api_as(manager).post(f"/redress/{body['id']}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "offered"
    bad = api_as(agent).post(
        f"/cases/{case.reference}/redress",
        {"kind": "refund", "basis": "statutory", "amount": "1.234"},
    )
    assert bad.status_code == 422


def test_the_case_page_offers_and_approves_redress(
    make_case: Callable[..., Case], agent: User, manager: User
) -> None:
    from django.test import Client

    case = make_case()
    client = Client()
    client.force_login(agent)
    response = client.post(
        f"/cases/{case.reference}/redress/",
        {"redress-kind": "goodwill_payment", "redress-basis": "goodwill", "redress-amount": "150"},
    )
    assert response.status_code == 302
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "£150.00" in page and "Awaiting approval" in page
    redress = case.redress.get()
    boss = Client()
    boss.force_login(manager)
    boss.post(f"/cases/{case.reference}/redress/{redress.pk}/approve/")
    redress.refresh_from_db()
    assert redress.status == "offered"
    bad = client.post(
        f"/cases/{case.reference}/redress/",
        {"redress-kind": "refund", "redress-basis": "statutory"},
    )
    assert bad.status_code == 422
