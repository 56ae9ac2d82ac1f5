"""The reply coach through its three doors: the API, the ``amends coach`` command and the case
page's panel."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.test import Client

from amends.accounts.models import User
from amends.cases import services as case_services
from amends.cases.domain import Channel, Direction
from amends.cases.models import Case
from amends.cli import main
from amends.comms.coach import CHECK_IDS
from tests.conftest import NOW

CUSTOMER = (
    "My broadband has dropped every evening for three weeks and your engineer did not come on "
    "Tuesday as booked. I work from home and have lost two days of pay."
)
REPLY = (
    "Dear Mr Evans,\n\nThank you for your patience. You told us that your broadband drops every "
    "evening and that our engineer did not come on Tuesday. That must have been very stressful. "
    "I am sorry that we let you down.\n\nI have booked a senior engineer for Thursday 4 December "
    "and added a £30 credit to your account. I will call you on Friday to check it is working."
    "\n\nBest wishes,\nPriya"
)


# --- API ----------------------------------------------------------------------------------------


def test_the_api_checks_a_draft_against_the_customers_message(
    api_as: Callable[[User], Any], agent: User
) -> None:
    response = api_as(agent).post("/coach/reply", {"text": REPLY, "customer_message": CUSTOMER})
    assert response.status_code == 200
    body = response.json()
    assert body["score"] == 100
    assert [c["id"] for c in body["checks"]] == list(CHECK_IDS)
    paraphrase = body["checks"][0]
    assert paraphrase["passed"] is True
    assert paraphrase["evidence"].startswith("You told us that your broadband")
    assert set(paraphrase) == {"id", "passed", "evidence", "advice"}


def test_the_api_works_without_a_customer_message(
    api_as: Callable[[User], Any], agent: User
) -> None:
    response = api_as(agent).post("/coach/reply", {"text": "As previously stated, no."})
    assert response.status_code == 200
    tone = next(c for c in response.json()["checks"] if c["id"] == "tone")
    assert tone == {
        "id": "tone",
        "passed": False,
        "evidence": "As previously stated, no.",
        "advice": tone["advice"],
    }


def test_the_api_needs_a_token(client: Client) -> None:
    response = client.post("/api/v1/coach/reply", {"text": REPLY}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_the_api_refuses_an_empty_or_missing_draft(
    api_as: Callable[[User], Any], agent: User
) -> None:
    for body in ({"text": "   \n"}, {"customer_message": CUSTOMER}, {"text": None}):
        response = api_as(agent).post("/coach/reply", body)
        assert response.status_code == 422, body
        error = response.json()["error"]
        assert error["code"] == "validation_error"
        assert "text" in error["fields"]


def test_the_api_refuses_a_draft_over_20000_characters(
    api_as: Callable[[User], Any], agent: User
) -> None:
    response = api_as(agent).post("/coach/reply", {"text": "Thank you. " * 2000})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert "text" in response.json()["error"]["fields"]
    too_long_customer = {"text": REPLY, "customer_message": "x" * 20_001}
    response = api_as(agent).post("/coach/reply", too_long_customer)
    assert response.status_code == 422
    assert "customer_message" in response.json()["error"]["fields"]


# --- CLI ----------------------------------------------------------------------------------------


def test_the_cli_prints_the_report_as_json(tmp_path: Path, capsys: Any) -> None:
    (tmp_path / "reply.txt").write_text(REPLY, encoding="utf-8")
    (tmp_path / "customer.txt").write_text(CUSTOMER, encoding="utf-8")
    code = main(
        [
            "coach",
            "--reply",
            str(tmp_path / "reply.txt"),
            "--customer",
            str(tmp_path / "customer.txt"),
            "--json",
        ]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["score"] == 100
    assert [c["id"] for c in report["checks"]] == list(CHECK_IDS)


def test_the_cli_prints_a_readable_table_without_json(tmp_path: Path, capsys: Any) -> None:
    (tmp_path / "reply.txt").write_text("You should have read our letter.", encoding="utf-8")
    assert main(["coach", "--reply", str(tmp_path / "reply.txt")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Score: ")
    assert "no_blame" in out and "problem" in out
    assert "> You should have read our letter." in out


def test_the_cli_says_clearly_when_a_file_is_missing(tmp_path: Path, capsys: Any) -> None:
    assert main(["coach", "--reply", str(tmp_path / "nope.txt")]) == 2
    err = capsys.readouterr().err
    assert "cannot read" in err and "nope.txt" in err


def test_the_cli_refuses_an_empty_reply(tmp_path: Path, capsys: Any) -> None:
    (tmp_path / "reply.txt").write_text("  \n", encoding="utf-8")
    assert main(["coach", "--reply", str(tmp_path / "reply.txt")]) == 2
    assert "empty" in capsys.readouterr().err


# --- the panel on the case page -----------------------------------------------------------------


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _message(case: Case, agent: User, direction: Direction, body: str, minutes: int) -> None:
    case_services.record_message(
        case=case,
        direction=direction,
        channel=Channel.EMAIL,
        body=body,
        actor=agent,
        now=NOW + timedelta(minutes=minutes),
    )


def test_the_panel_checks_the_draft_against_the_latest_inbound_message(
    agent: User, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    _message(case, agent, Direction.INBOUND, "My parcel never arrived at all.", 1)
    _message(case, agent, Direction.OUTBOUND, "We are looking into it.", 2)
    _message(case, agent, Direction.INBOUND, CUSTOMER, 3)
    response = signed_in(agent).post(
        "/comms/coach/",
        {"case": case.reference, "message-body": REPLY},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # a partial, for htmx to swap in
    assert "Reply check: 100 out of 100" in html
    assert "Present:" in html and "Missing:" not in html
    assert "You told us that your broadband drops every evening" in html
    assert "compared with the customer's message" in html


def test_the_panel_shows_what_is_missing_in_words(
    agent: User, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    response = signed_in(agent).post(
        "/comms/coach/", {"case": case.reference, "body": "You should have read our letter."}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Missing:" in html and "Problem:" in html
    assert "no message from the customer to compare with" in html


def test_the_panel_with_an_empty_draft_shows_the_hint(
    agent: User, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    response = signed_in(agent).post("/comms/coach/", {"case": case.reference, "body": " "})
    assert response.status_code == 200
    assert "Start writing a reply" in response.content.decode()


def test_the_panel_is_refused_for_another_teams_case(
    other_agent: User, make_case: Callable[..., Case], agent: User
) -> None:
    case = make_case()
    _message(case, agent, Direction.INBOUND, CUSTOMER, 1)
    response = signed_in(other_agent).post("/comms/coach/", {"case": case.reference, "body": REPLY})
    assert response.status_code == 403  # as the case page itself answers that agent
    assert "broadband" not in response.content.decode()


def test_the_panel_for_an_unknown_case_is_404(agent: User) -> None:
    response = signed_in(agent).post("/comms/coach/", {"case": "C-2026-999999", "body": REPLY})
    assert response.status_code == 404


def test_the_panel_needs_a_signed_in_user(make_case: Callable[..., Case]) -> None:
    case = make_case()
    response = Client().post("/comms/coach/", {"case": case.reference, "body": REPLY})
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def test_the_case_page_wires_the_message_box_to_the_panel(
    agent: User, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    html = signed_in(agent).get(f"/cases/{case.reference}/").content.decode()
    assert 'hx-post="/comms/coach/"' in html
    assert 'hx-target="#coach-panel"' in html
    assert f'"case": "{case.reference}"' in html
    assert 'id="coach-panel"' in html and 'aria-live="polite"' in html


def test_the_panel_reads_the_composers_sections_in_order(
    agent: User, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    _message(case, agent, Direction.INBOUND, CUSTOMER, 1)
    response = signed_in(agent).post(
        "/comms/coach/",
        {
            "case": case.reference,
            "thanks": "Thank you for letting us know.",
            "what_i_heard": "You told us that your broadband drops every evening.",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Reply check:" in html
    assert "You told us that your broadband drops every evening" in html
