"""The composer on the case: choose a template, edit its sections, send by email or prepare a
letter; a required communication missing content is refused with the items shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings

from amends.cases.models import Case
from amends.comms.models import Letter, OutboundEmail
from amends.core.models import Event
from amends.customers.domain import ContactFormat

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(agent: Any) -> Client:
    client = Client()
    client.force_login(agent)
    return client


def write_url(case: Case) -> str:
    return f"/comms/cases/{case.reference}/write/"


def sections(**overrides: str) -> dict[str, str]:
    data = {
        "template": "solution-proposal",
        "subject": "How we will put it right",
        "opening": "Dear Priya,",
        "what_i_heard": "You were charged twice.",
        "empathy": "That is worrying.",
        "apology": "I am sorry.",
        "solution": "We will refund £20 by 6 November.",
        "thanks": "Thank you.",
        "closing": "Alex",
        "action": "email",
    }
    data.update(overrides)
    return data


def test_choosing_a_template_fills_its_sections_from_the_case(
    client: Client, make_case: Callable[..., Case]
) -> None:
    case = make_case(summary="Charged twice")
    page = client.get(write_url(case), {"template": "acknowledgement"}).content.decode()
    assert f"Dear {case.customer.name}," in page
    assert f"Your reference is {case.reference}." in page
    assert 'name="what_i_heard"' in page and 'name="empathy"' not in page  # LAST, not LEAP
    assert "Send by email" in page and "Prepare a letter" in page
    assert 'hx-target="#coach-panel"' in page and 'id="coach-panel"' in page


def test_the_composer_lists_the_templates_to_choose_from(
    client: Client, make_case: Callable[..., Case]
) -> None:
    page = client.get(write_url(make_case())).content.decode()
    assert "Final response (FCA DISP)" in page and "Use this template" in page


def test_sending_by_email_queues_and_sends_it_and_the_case_shows_its_status(
    client: Client, make_case: Callable[..., Case], django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(write_url(case), sections())
    assert response.status_code == 302
    [sent] = mail.outbox
    assert sent.subject == f"How we will put it right [{case.reference}]"
    assert sent.body.split("\n\n") == [
        "Dear Priya,",
        "You were charged twice.",
        "That is worrying.",
        "I am sorry.",
        "We will refund £20 by 6 November.",
        "Thank you.",
        "Alex",
    ]
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'data-email-status="sent"' in page and "Delivered to the mail server" in page
    # and beside the message on the timeline
    assert 'data-delivery="sent">Email delivered to the mail server<' in page


def test_preparing_a_letter_gives_a_printable_page_and_a_pdf(
    client: Client,
    make_case: Callable[..., Case],
    make_customer: Callable[..., Any],
) -> None:
    customer = make_customer(
        "Pat Large", preferred_format=ContactFormat.LARGE_PRINT, address="3 Mill Lane"
    )
    case = make_case(customer=customer)
    response = client.post(write_url(case), sections(action="letter"))
    assert response.status_code == 302 and mail.outbox == []
    letter = Letter.objects.get(case=case)
    case_page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Letters to print" in case_page
    assert 'data-delivery="to_print">Letter to print<' in case_page
    url = f"/comms/cases/{case.reference}/letters/{letter.pk}/"
    assert url in case_page
    page = client.get(url).content.decode()
    assert "letter--large-print" in page and "3 Mill Lane" in page
    assert "We will refund £20 by 6 November." in page
    pdf = client.get(url, {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert f"{case.reference}-letter-{letter.pk}.pdf" in pdf["Content-Disposition"]
    printed = client.post(f"{url}printed/")
    assert printed.status_code == 302
    letter.refresh_from_db()
    assert letter.status == "printed"


def test_a_final_response_missing_a_mandatory_item_is_refused_with_the_items_shown(
    client: Client, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    form = client.get(write_url(case), {"template": "fca-disp-final-response"})
    assert 'name="item_fos_website_address"' in form.content.decode()
    data = sections(
        template="fca-disp-final-response",
        item_outcome_and_reasons="Upheld.",
        item_fos_leaflet_enclosed="Leaflet enclosed.",
        item_fos_website_address="",
        item_right_to_refer_to_fos="You may refer it.",
        item_six_month_time_limit="",
        item_consent_to_waive_time_limits="We do not consent.",
    )
    response = client.post(write_url(case), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="missing-items"' in page
    assert "Fos website address" in page and "Six month time limit" in page
    assert "Required content: write this paragraph." in page
    assert not OutboundEmail.objects.exists()


def test_a_complete_final_response_is_sent_with_its_content_items(
    client: Client, make_case: Callable[..., Case], django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case()
    items = {
        f"item_{name}": "text"
        for name in (
            "outcome_and_reasons",
            "fos_leaflet_enclosed",
            "fos_website_address",
            "right_to_refer_to_fos",
            "six_month_time_limit",
            "consent_to_waive_time_limits",
        )
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            write_url(case), sections(template="fca-disp-final-response", **items)
        )
    assert response.status_code == 302
    email = OutboundEmail.objects.get(case=case)
    assert email.status == "sent"
    sent = Event.objects.get(stream=case.stream, type="case.message_sent")
    assert sent.data["communication"] == "fca-disp/final_response"
    assert len(sent.data["content_items"]) == 6


def test_someone_outside_the_team_cannot_write_on_the_case(
    make_case: Callable[..., Case], other_agent: Any
) -> None:
    client = Client()
    client.force_login(other_agent)
    response = client.get(write_url(make_case()))
    assert response.status_code in (403, 404)


def test_a_failed_delivery_shows_on_the_case_with_the_reason(
    client: Client, make_case: Callable[..., Case], django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case()
    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=1,
            EMAIL_TIMEOUT=2,
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(write_url(case), sections())
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'data-email-status="failed"' in page
    assert "Not sent yet: attempt 1 failed, trying again" in page
    assert "ConnectionRefusedError" in page
    assert 'data-delivery="failed">Email not sent yet: attempt 1 failed, trying again<' in page


def test_a_letter_still_holding_a_prompt_is_refused_beside_the_form(
    client: Client, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    response = client.post(
        write_url(case), sections(action="letter", solution="We will [write the proposal].")
    )
    assert response.status_code == 422
    assert "[write the proposal]" in response.content.decode()
    assert not Letter.objects.exists()


def test_an_email_that_gave_up_can_be_sent_again_once_the_server_is_back(
    client: Client, make_case: Callable[..., Case], django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    from amends.comms.domain import DELIVERY_ATTEMPTS
    from amends.comms.models import OutboundEmail

    case = make_case()
    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=1,
            EMAIL_TIMEOUT=2,
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(write_url(case), sections())
    email = OutboundEmail.objects.get(case=case)
    again = f"/comms/cases/{case.reference}/emails/{email.pk}/again/"
    assert client.post(again).status_code == 422  # still being retried: nothing to do yet
    # Every retry failed (the worker's later attempts, as they leave it).
    OutboundEmail.objects.filter(pk=email.pk).update(attempts=DELIVERY_ATTEMPTS)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert f"gave up after {DELIVERY_ATTEMPTS} attempts" in page and again in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(again).status_code == 302
    email.refresh_from_db()
    assert email.status == "sent" and email.attempts == 1
    assert len(mail.outbox) == 1
    assert client.post(again).status_code == 422  # delivered: not sent twice
