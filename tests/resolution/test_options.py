"""Solution options scored on weighted factors; a choice must rest on at least two of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from amends.accounts.models import User
from amends.cases.models import Case
from amends.core.errors import ValidationError
from amends.core.models import Event
from amends.resolution import services
from amends.resolution.domain import DEFAULT_FACTORS, parse_factors, weighted_score
from amends.resolution.models import SolutionOption
from tests.conftest import NOW

REFUND = {"cost": 2, "retention": 5, "policy_and_law": 5, "feasibility": 5, "remedy_match": 5}
VOUCHER = {"cost": 5, "retention": 2, "policy_and_law": 3, "feasibility": 5, "remedy_match": 1}
WHY = (
    "A refund is what the law requires here and what she asked for; "
    "a voucher is cheaper but not enough."
)


def test_the_weighted_score_uses_the_configured_weights() -> None:
    assert weighted_score(REFUND, DEFAULT_FACTORS) == 4.4
    assert weighted_score(VOUCHER, DEFAULT_FACTORS) == 3.1
    assert parse_factors("cost=1,speed=1")["speed"] == ("Speed", 1.0)
    assert weighted_score({"cost": 4, "speed": 2}, parse_factors("cost=1,speed=1")) == 3.0


def test_every_factor_must_be_scored_1_to_5(make_case: Callable[..., Case], agent: User) -> None:
    with pytest.raises(ValidationError) as refused:
        services.add_option(
            case=make_case(), title="Refund", scores={"cost": 9}, actor=agent, now=NOW
        )
    assert refused.value.fields["cost"] == ["score it from 1 to 5"]
    assert "retention" in refused.value.fields


def test_a_choice_needs_two_factors_and_a_reason_and_keeps_the_matrix(
    make_case: Callable[..., Case], agent: User
) -> None:
    case = make_case()
    refund = services.add_option(
        case=case, title="Full refund", scores=REFUND, actor=agent, now=NOW
    )
    voucher = services.add_option(case=case, title="Voucher", scores=VOUCHER, actor=agent, now=NOW)
    with pytest.raises(ValidationError) as refused:
        services.choose_option(
            option=refund, justification="Best", factors_cited=["cost"], actor=agent, now=NOW
        )
    assert set(refused.value.fields) == {"factors", "justification"}
    services.choose_option(
        option=refund,
        justification=WHY,
        factors_cited=["policy_and_law", "remedy_match"],
        actor=agent,
        now=NOW,
    )
    chosen = Event.objects.get(stream=case.stream, type="option.chosen")
    assert [row["title"] for row in chosen.data["matrix"]] == ["Full refund", "Voucher"]
    assert chosen.data["factors"] == ["policy_and_law", "remedy_match"]
    assert float(chosen.data["weights"]["policy_and_law"]) == 0.25
    services.choose_option(
        option=voucher,
        justification=WHY,
        factors_cited=["cost", "feasibility"],
        actor=agent,
        now=NOW,
    )
    assert list(SolutionOption.objects.filter(case=case, chosen=True)) == [voucher]


def test_the_remedies_advisor_can_be_attached_through_the_api(
    make_case: Callable[..., Case], agent: User, api_as: Callable[[User], Any]
) -> None:
    case = make_case()
    api = api_as(agent)
    response = api.post(
        f"/cases/{case.reference}/options",
        {
            "title": "Replace the kettle",
            "scores": REFUND,
            "remedy_facts": {
                "contract_type": "goods",
                "breach": "quality",
                "supplied_on": "2026-10-20",
                "today": "2026-11-02",
            },
        },
    )
    assert response.status_code == 201, response.content
    option = response.json()
    assert option["remedy_assessment"]["remedies"][0] == "short_term_right_to_reject"
    refused = api.post(
        f"/cases/{case.reference}/options/{option['id']}/choose",
        {"justification": "x", "factors": []},
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "validation_error"


def test_the_page_shows_the_decision_matrix_and_refuses_a_thin_justification(
    make_case: Callable[..., Case], agent: User
) -> None:
    case = make_case()
    client = Client()
    client.force_login(agent)
    response = client.post(
        f"/cases/{case.reference}/options/",
        {"option-title": "Full refund", **{f"option-score_{k}": str(v) for k, v in REFUND.items()}},
    )
    assert response.status_code == 302
    option = SolutionOption.objects.get(case=case)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Decision matrix" in page and "<strong>4.4</strong>" in page
    thin = client.post(
        f"/cases/{case.reference}/options/{option.pk}/choose/",
        {f"choose-{option.pk}-justification": "Cheapest", f"choose-{option.pk}-factors": ["cost"]},
    )
    assert thin.status_code == 422
    assert "at least two" in thin.content.decode()
    ok = client.post(
        f"/cases/{case.reference}/options/{option.pk}/choose/",
        {
            f"choose-{option.pk}-justification": WHY,
            f"choose-{option.pk}-factors": ["policy_and_law", "remedy_match"],
        },
    )
    assert ok.status_code == 302
    assert "Chosen: Full refund" in client.get(f"/cases/{case.reference}/").content.decode()
