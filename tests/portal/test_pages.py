"""The signed-in portal: only the customer's own cases, in plain words; reply, add, withdraw."""

from __future__ import annotations

import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amends.cases import services as case_services
from amends.cases.domain import Channel, Direction, Status, TransitionRequest
from amends.cases.models import Attachment, Case, Interaction
from amends.core import clock
from amends.core.models import Event
from amends.customers import services as customer_services
from amends.customers.domain import VulnerabilityBasis, VulnerabilityDraft, VulnerabilityDriver
from amends.sla.models import Notification

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_your_cases_lists_only_this_customers_cases_in_plain_words(
    make_case: Any, make_customer: Any, customer: Any, signed_in: Any
) -> None:
    mine = make_case(summary="Charged twice for October", status=Status.INVESTIGATING)
    theirs = make_case(customer=make_customer("Someone Else"), summary="Lost parcel in May")
    page = signed_in(customer).get("/portal/cases/").content.decode()
    assert mine.reference in page and "Charged twice for October" in page
    assert "We are looking into it." in page
    assert theirs.reference not in page and "Lost parcel" not in page


def test_another_customers_case_is_not_found_and_nothing_leaks(
    make_case: Any, make_customer: Any, customer: Any, signed_in: Any
) -> None:
    theirs = make_case(customer=make_customer("Someone Else"), summary="Lost parcel in May")
    client = signed_in(customer)
    other = client.get(f"/portal/cases/{theirs.reference}/")
    missing = client.get("/portal/cases/C-2026-999999/")
    assert other.status_code == missing.status_code == 404
    body = other.content.decode()
    assert "Lost parcel" not in body and "Someone Else" not in body

    def same(html: str, reference: str) -> str:
        return CSRF.sub("", html.replace(reference, "REF"))

    assert same(body, theirs.reference) == same(missing.content.decode(), "C-2026-999999")
    for action in ("reply", "evidence", "withdraw"):
        response = client.post(
            f"/portal/cases/{theirs.reference}/{action}/",
            {"reply-body": "hello", "withdraw-reason": "x", "withdraw-version": theirs.version},
        )
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "received"
    assert not Interaction.objects.filter(case=theirs, channel="portal").exists()


def test_signed_out_visitors_are_sent_to_ask_for_a_link(make_case: Any) -> None:
    case = make_case()
    response = Client().get(f"/portal/cases/{case.reference}/")
    assert response.status_code == 302 and response["Location"] == "/portal/"


def test_the_case_page_shows_customer_visible_history_only(
    make_case: Any, customer: Any, agent: Any, signed_in: Any, now: Any
) -> None:
    case = make_case(status=Status.INVESTIGATING)
    case_services.add_note(
        case=case, body="Customer sounds litigious; check with legal.", actor=agent, now=now
    )
    case_services.record_message(
        case=case,
        direction=Direction.OUTBOUND,
        channel=Channel.EMAIL,
        body="We are sorry. We are checking your bill now.",
        actor=agent,
        now=now,
    )
    case_services.add_attachment(
        case=case, filename="internal-ledger.pdf", data=PDF, actor=agent, now=now
    )
    customer_services.record_vulnerability(
        customer=customer,
        draft=VulnerabilityDraft(
            driver=VulnerabilityDriver.HEALTH,
            basis=VulnerabilityBasis.EXPLICIT_CONSENT,
            consent_given=True,
            detail="Recovering from surgery",
        ),
        actor=agent,
        now=now,
    )
    page = signed_in(customer).get(f"/portal/cases/{case.reference}/").content.decode()
    assert "We are looking into it." in page
    assert "We received your complaint" in page and "We started looking into it" in page
    assert "We wrote to you by email" in page and "checking your bill now" in page
    for secret in ("litigious", "internal-ledger", "Recovering from surgery", "alex", "Alex"):
        assert secret not in page
    assert page.count("<h1") == 1
    assert 'name="csrfmiddlewaretoken"' in page


def test_a_reply_is_recorded_as_an_inbound_portal_message_and_the_owner_told(
    make_case: Any,
    customer: Any,
    agent: Any,
    signed_in: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = make_case(assignee=agent)
    client = signed_in(customer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/portal/cases/{case.reference}/reply/",
            {
                "reply-body": "Here is the bank statement you asked for.",
                "reply-evidence": SimpleUploadedFile("statement.pdf", PDF),
            },
        )
    assert response.status_code == 302
    assert response["Location"] == f"/portal/cases/{case.reference}/#history"
    message = Interaction.objects.get(case=case, channel="portal")
    assert message.direction == "inbound" and message.author is None
    assert message.body == "Here is the bank statement you asked for."
    assert Attachment.objects.get(case=case).interaction == message
    assert Notification.objects.filter(user=agent, case=case, kind="customer_replied").exists()
    page = client.get(response["Location"]).content.decode()
    assert "You wrote to us on this website" in page and "bank statement" in page
    assert "You sent us a document: statement.pdf" in page
    assert "Thank you. We have your message." in page


def test_an_empty_reply_is_explained_and_nothing_is_recorded(
    make_case: Any, customer: Any, signed_in: Any
) -> None:
    case = make_case()
    response = signed_in(customer).post(
        f"/portal/cases/{case.reference}/reply/", {"reply-body": ""}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Write your message." in page and 'href="#id_reply-body"' in page
    assert not Interaction.objects.filter(case=case, channel="portal").exists()


def test_more_evidence_can_be_added(make_case: Any, customer: Any, signed_in: Any) -> None:
    case = make_case()
    response = signed_in(customer).post(
        f"/portal/cases/{case.reference}/evidence/",
        {
            "evidence-evidence": [
                SimpleUploadedFile("a.pdf", PDF),
                SimpleUploadedFile("b.txt", b"hi"),
            ]
        },
    )
    assert response.status_code == 302
    assert sorted(Attachment.objects.filter(case=case).values_list("filename", flat=True)) == [
        "a.pdf",
        "b.txt",
    ]


def test_withdrawing_records_the_customers_reason(
    make_case: Any, customer: Any, agent: Any, signed_in: Any
) -> None:
    case = make_case(status=Status.ACKNOWLEDGED, assignee=agent)
    client = signed_in(customer)
    response = client.post(
        f"/portal/cases/{case.reference}/withdraw/",
        {"withdraw-version": case.version, "withdraw-reason": "The bank sorted it out."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "withdrawn" and case.withdrawn_reason == "The bank sorted it out."
    event = Event.objects.get(stream=case.stream, type="case.withdrawn")
    assert event.actor_id is None and event.actor_label == "customer"
    assert event.data["reason"] == "The bank sorted it out."
    assert Notification.objects.filter(user=agent, kind="withdrawn").exists()
    page = client.get(f"/portal/cases/{case.reference}/").content.decode()
    assert "Your complaint is withdrawn." in page and "You withdrew your complaint" in page
    assert "withdraw-button" not in page and "send-reply" not in page


def test_withdrawing_needs_a_reason(make_case: Any, customer: Any, signed_in: Any) -> None:
    case = make_case()
    response = signed_in(customer).post(
        f"/portal/cases/{case.reference}/withdraw/",
        {"withdraw-version": case.version, "withdraw-reason": "  "},
    )
    assert response.status_code == 422
    assert "Tell us why you want to withdraw." in response.content.decode()
    case.refresh_from_db()
    assert case.status == "received"


def test_a_resolved_case_cannot_be_withdrawn_and_the_page_says_so(
    make_case: Any, customer: Any, agent: Any, signed_in: Any, now: Any
) -> None:
    case = make_case(status=Status.RESOLVED)
    client = signed_in(customer)
    page = client.get(f"/portal/cases/{case.reference}/").content.decode()
    assert "withdraw-button" not in page and "We have given you our answer." in page
    response = client.post(
        f"/portal/cases/{case.reference}/withdraw/",
        {"withdraw-version": case.version, "withdraw-reason": "Changed my mind"},
    )
    assert response.status_code == 409
    assert "You cannot withdraw it now" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "resolved"


def test_withdrawing_a_case_that_changed_meanwhile_asks_to_read_it_first(
    make_case: Any, customer: Any, agent: Any, signed_in: Any
) -> None:
    case = make_case()
    client = signed_in(customer)
    old_version = case.version
    case_services.transition_case(
        case=case,
        request=TransitionRequest(to=Status.ACKNOWLEDGED),
        expected_version=case.version,
        actor=agent,
        now=clock.now(),
    )
    response = client.post(
        f"/portal/cases/{case.reference}/withdraw/",
        {"withdraw-version": old_version, "withdraw-reason": "Sorted"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed while you were reading it" in page
    assert f'value="{Case.objects.get(pk=case.pk).version}"' in page and "Sorted" in page


def test_a_customer_downloads_their_own_documents_and_nothing_else(
    make_case: Any, make_customer: Any, customer: Any, agent: Any, signed_in: Any, now: Any
) -> None:
    case = make_case()
    theirs = case_services.add_attachment(
        case=case, filename="receipt.pdf", data=PDF, actor=None, now=now
    )
    staff = case_services.add_attachment(
        case=case, filename="internal-ledger.pdf", data=PDF + b"x", actor=agent, now=now
    )
    client = signed_in(customer)
    page = client.get(f"/portal/cases/{case.reference}/").content.decode()
    url = f"/portal/cases/{case.reference}/documents/{theirs.pk}/"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert 'filename="receipt.pdf"' in response["Content-Disposition"]
    staff_url = f"/portal/cases/{case.reference}/documents/{staff.pk}/"
    assert client.get(staff_url).status_code == 404
    other = signed_in(make_customer("Someone Else"))
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # signed out: asked to sign in
