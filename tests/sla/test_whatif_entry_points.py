"""What-if deadlines through the command line and the API."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from amends.accounts.models import User
from amends.cli import main


def test_the_cli_prints_the_deadlines_as_json(capsys: Any) -> None:
    code = main(
        [
            "deadlines",
            "--pack",
            "housing-ombudsman-2024",
            "--received",
            "2026-11-02T09:00:00+00:00",
            "--at",
            "acknowledged=2026-11-04T09:00:00+00:00",
            "--json",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["pack"] == "housing-ombudsman-2024"
    by_id = {d["id"]: d for d in out["deadlines"]}
    assert by_id["stage1_acknowledgement"]["due"] == "2026-11-09"
    assert by_id["stage1_response"]["due"] == "2026-11-18"
    assert by_id["stage2_response"]["due"] is None
    assert set(by_id["stage1_response"]) == {"id", "due", "basis"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pack", "nope", "--received", "2026-11-02T09:00:00Z"], "no policy pack 'nope'"),
        (["--pack", "fca-disp", "--received", "yesterday"], "not an ISO 8601 time"),
        (["--pack", "fca-disp", "--received", "2026-11-02T09:00:00"], "no time zone"),
        (
            [
                "--pack",
                "fca-disp",
                "--received",
                "2026-11-02T09:00:00Z",
                "--at",
                "lunch=2026-11-03T00:00Z",
            ],
            "Unknown event 'lunch'",
        ),
        (
            [
                "--pack",
                "fca-disp",
                "--received",
                "2026-11-02T09:00:00Z",
                "--at",
                "acknowledged=2026-11-01T00:00Z",
            ],
            "before the receipt",
        ),
    ],
)
def test_the_cli_says_what_is_wrong(capsys: Any, args: list[str], message: str) -> None:
    assert main(["deadlines", *args]) == 2
    assert message in capsys.readouterr().err


def test_the_api_answers_what_if_questions(api_as: Callable[[User], Any], agent: User) -> None:
    api = api_as(agent)
    response = api.post(
        "/policies/uk-gdpr-sar/deadlines",
        {
            "received": "2026-01-31T10:00:00Z",
            "nation": "scotland",
            "events": [
                {"event": "paused", "at": "2026-02-02T10:00:00Z"},
                {"event": "resumed", "at": "2026-02-05T10:00:00Z"},
            ],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["pack"] == "uk-gdpr-sar"
    assert body["deadlines"][0]["due"] == "2026-03-03"  # 28 Feb + 3 paused days, to a working day
    assert "3 days paused" in body["deadlines"][0]["basis"]


def test_the_api_lists_packs_with_their_sources(api_as: Callable[[User], Any], agent: User) -> None:
    packs = api_as(agent).get("/policies").json()
    assert {p["id"] for p in packs} >= {"fca-disp", "spso-mchp", "uk-gdpr-sar"}
    fca = next(p for p in packs if p["id"] == "fca-disp")
    assert all(d["source"] for d in fca["deadlines"])
    final = next(c for c in fca["communications"] if c["id"] == "final_response")
    assert "fos_website_address" in final["mandatory_items"]


@pytest.mark.parametrize(
    ("pack", "body", "status", "code"),
    [
        ("nope", {"received": "2026-11-02T09:00:00Z"}, 404, "not_found"),
        ("fca-disp", {"received": "not a time"}, 422, "validation_error"),
        (
            "fca-disp",
            {"received": "2026-11-02T09:00:00Z", "nation": "mars"},
            422,
            "validation_error",
        ),
        (
            "housing-ombudsman-2024",
            {"received": "2026-11-02T09:00:00Z", "extensions": {"stage1_response": 30}},
            422,
            "validation_error",
        ),
    ],
)
def test_the_api_refuses_bad_questions_clearly(
    api_as: Callable[[User], Any],
    agent: User,
    pack: str,
    body: dict[str, Any],
    status: int,
    code: str,
) -> None:
    response = api_as(agent).post(f"/policies/{pack}/deadlines", body)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_the_api_needs_a_token(client: Any) -> None:
    response = client.post(
        "/api/v1/policies/fca-disp/deadlines",
        {"received": "2026-11-02T09:00:00Z"},
        content_type="application/json",
    )
    assert response.status_code == 401
