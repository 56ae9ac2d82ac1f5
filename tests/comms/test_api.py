"""The API for replies and letters: send by email, prepare a letter, read their status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from amends.cases.models import Case

pytestmark = pytest.mark.django_db


def test_an_email_from_a_template_is_queued_sent_and_listed(
    api_as: Callable[..., Any],
    agent: Any,
    make_case: Callable[..., Case],
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = make_case()
    api = api_as(agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/cases/{case.reference}/emails", {"template": "acknowledgement"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "ready" and body["subject"].endswith(f"[{case.reference}]")
    [sent] = mail.outbox
    assert f"Your reference is {case.reference}." in sent.body
    listed = api.get(f"/cases/{case.reference}/correspondence").json()
    assert [e["status"] for e in listed["emails"]] == ["sent"]


def test_a_final_response_by_api_without_its_mandatory_items_is_refused(
    api_as: Callable[..., Any], agent: Any, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    response = api_as(agent).post(
        f"/cases/{case.reference}/emails",
        {"body": "Our answer.", "communication": "fca-disp/final_response"},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "missing_content"
    assert "missing: fos_website_address" in error["fields"]["content_items"]


def test_a_letter_by_api_comes_with_its_page_and_pdf(
    api_as: Callable[..., Any], agent: Any, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    api = api_as(agent)
    response = api.post(
        f"/cases/{case.reference}/letters", {"body": "We have refunded you.", "subject": "Refund"}
    )
    assert response.status_code == 201
    letter = response.json()
    assert letter["status"] == "to_print" and letter["subject"] == f"Refund [{case.reference}]"
    assert letter["pdf_url"] == f"/comms/cases/{case.reference}/letters/{letter['id']}/?format=pdf"


def test_an_unknown_template_is_not_found(
    api_as: Callable[..., Any], agent: Any, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    response = api_as(agent).post(f"/cases/{case.reference}/emails", {"template": "nope"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_templates_are_listed(api_as: Callable[..., Any], agent: Any) -> None:
    codes = [t["code"] for t in api_as(agent).get("/templates").json()]
    assert "acknowledgement" in codes and "fca-disp-final-response" in codes


def test_another_teams_case_cannot_be_written_to(
    api_as: Callable[..., Any], other_agent: Any, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    response = api_as(other_agent).post(f"/cases/{case.reference}/emails", {"body": "Hi"})
    assert response.status_code in (403, 404)
