"""Raising a problem in the portal without signing in."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amends.cases.models import Attachment, Case, Interaction
from amends.customers.domain import Adjustment, ContactChannel
from amends.customers.models import Customer
from amends.portal import session
from tests.portal.conftest import token_from

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Sam Okafor",
        "email": "sam.okafor@example.com",
        "phone": "",
        "what_happened": "My boiler repair was booked three times and nobody came.",
        "what_we_should_do": "Send an engineer this week and pay for my time off work.",
        "contact_by": "email",
        "adjustments": ["large_print", "extra_time"],
        "anything_else": "Please call after 2pm.",
        "address": "",
        "postcode": "",
    }
    data.update(overrides)
    return data


def test_raising_a_problem_with_adjustments_creates_a_portal_case_and_emails_a_link(
    team: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/portal/new/", form(evidence=SimpleUploadedFile("bill.pdf", PDF)))
    assert response.status_code == 302 and response["Location"] == "/portal/new/done/"
    case = Case.objects.get()
    assert case.channel == "portal" and case.team == team and case.kind == "complaint"
    assert case.description.startswith("My boiler repair")
    assert case.remedy_sought.startswith("Send an engineer")
    customer = case.customer
    assert customer.name == "Sam Okafor" and customer.email == "sam.okafor@example.com"
    assert customer.adjustments == ["large_print", "extra_time"]
    assert customer.adjustments_note == "Please call after 2pm."
    assert customer.preferred_channel == "email"
    first = Interaction.objects.get(case=case)
    assert first.direction == "inbound" and first.channel == "portal"
    assert Attachment.objects.get(case=case).interaction == first
    page = client.get(response["Location"]).content.decode()
    assert case.reference in page and "What happens next" in page
    assert "We have emailed you a link" in page
    assert [m.to for m in mail.outbox] == [["sam.okafor@example.com"]]
    assert token_from(mail.outbox[0])
    assert session.CUSTOMER not in client.session, "raising a problem does not sign anyone in"


def test_an_existing_customer_gets_the_case_and_their_adjustments_merged(
    team: Any, make_customer: Any
) -> None:
    known: Customer = make_customer(
        "Priya Patel",
        email="priya@example.com",
        phone="+447911123456",
        preferred_channel=ContactChannel.PHONE,
        adjustments=(Adjustment.LARGE_PRINT, Adjustment.BRAILLE),
        adjustments_note="Hard of hearing.",
    )
    response = Client().post(
        "/portal/new/",
        form(
            name="Priya P",
            email="Priya@Example.com",
            adjustments=["bsl", "large_print"],
            anything_else="Mornings are best.",
        ),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.customer_id == known.pk
    assert Customer.objects.count() == 1
    known.refresh_from_db()
    assert known.adjustments == ["large_print", "braille", "bsl"], "merged, none dropped"
    assert known.adjustments_note == "Hard of hearing.\nMornings are best."
    # Not signed in: anyone can type an address, so contact details stay as they were ...
    assert known.preferred_channel == "phone" and known.name == "Priya Patel"
    # ... and what the person said is left for staff to check, as an internal note.
    note = Interaction.objects.get(case=case, kind="note")
    assert "prefers contact by email" in note.body and "Priya P" in note.body


def test_a_signed_in_customer_can_change_how_we_contact_them(
    team: Any, make_customer: Any, signed_in: Any
) -> None:
    known: Customer = make_customer(email="lee@example.com", preferred_channel=ContactChannel.EMAIL)
    client = signed_in(known)
    response = client.post(
        "/portal/new/", form(email="lee@example.com", phone="07911 123457", contact_by="phone")
    )
    assert response.status_code == 302
    known.refresh_from_db()
    assert known.preferred_channel == "phone" and known.phone == "+447911123457"
    assert not Interaction.objects.filter(kind="note").exists()


def test_errors_are_listed_at_the_top_and_beside_each_field_and_nothing_typed_is_lost(
    team: Any,
) -> None:
    response = Client().post(
        "/portal/new/",
        form(name="", what_happened="", email="", phone="", what_we_should_do="Refund me"),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_name"' in page and 'href="#id_what_happened"' in page
    assert "Enter your name." in page and "Tell us what happened." in page
    assert 'aria-describedby="id_name-error"' in page
    assert "Refund me" in page
    assert 'value="large_print" id="id_adjustments_0" checked' in page
    assert 'value="extra_time" id="id_adjustments_4" checked' in page
    assert "Please call after 2pm." in page
    assert not Case.objects.exists()


def test_email_or_phone_is_needed_and_the_contact_choice_needs_its_detail(team: Any) -> None:
    response = Client().post("/portal/new/", form(email="", phone="", contact_by="letter"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Enter an email address or a phone number, so we can reply." in page
    assert "Enter a postal address, or choose another way to contact you." in page
    assert 'href="#id_address"' in page
    assert not Case.objects.exists()


def test_a_phone_only_customer_raises_a_problem_without_a_link(
    team: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/portal/new/", form(email="", phone="07911 123458", contact_by="phone")
        )
    assert response.status_code == 302
    assert Case.objects.get().customer.phone == "+447911123458"
    assert not mail.outbox
    assert "You did not give an email address" in client.get("/portal/new/done/").content.decode()


def test_a_refused_file_is_explained_and_nothing_is_saved(team: Any) -> None:
    response = Client().post(
        "/portal/new/",
        form(evidence=SimpleUploadedFile("run.exe", b"MZ\x90\x00binary")),
    )
    assert response.status_code == 415
    page = response.content.decode()
    assert "not accepted" in page and 'href="#id_evidence"' in page
    assert "please choose them again" in page
    assert "My boiler repair" in page
    assert not Case.objects.exists() and not Customer.objects.exists()


def test_the_raise_form_works_as_a_plain_form_post_with_csrf(team: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/portal/new/", form()).status_code == 403
    page = client.get("/portal/new/")
    assert page.status_code == 200
    token = client.cookies["csrftoken"].value
    response = client.post("/portal/new/", {**form(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    html = page.content.decode()
    assert html.count("<h1") == 1 and "<script>" not in html and "style=" not in html
    assert '<legend class="label">Do you need any of these?' in html
    for label in ("Large print", "Easy read", "British Sign Language", "More time to reply"):
        assert label in html


def test_a_signed_in_customer_finds_their_name_and_email_filled_in(
    make_customer: Any, signed_in: Any
) -> None:
    known: Customer = make_customer("Lee Chan", email="lee.chan@example.com")
    page = signed_in(known).get("/portal/new/").content.decode()
    assert 'value="Lee Chan"' in page and 'value="lee.chan@example.com"' in page


def test_raising_many_problems_does_not_flood_an_inbox_with_links(
    team: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.AMENDS_PORTAL_LINKS_PER_HOUR = 2
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert client.post("/portal/new/", form()).status_code == 302
    assert Case.objects.count() == 3, "every problem is still logged"
    assert len(mail.outbox) == 2
    assert "ask for a link" in client.get("/portal/new/done/").content.decode()


def test_raising_many_problems_from_one_address_is_limited_and_keeps_the_input(
    team: Any, settings: Any, make_customer: Any, signed_in: Any
) -> None:
    settings.AMENDS_PORTAL_RAISES_PER_HOUR = 2
    client = Client()
    assert [client.post("/portal/new/", form()).status_code for _ in range(2)] == [302, 302]
    refused = client.post("/portal/new/", form())
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "several problems in the last hour" in html
    assert form()["what_happened"] in html  # nothing typed is lost
    assert Case.objects.count() == 2
    # A signed-in customer is not counted against the address.
    known: Customer = make_customer("Lee Chan", email="lee.chan@example.com")
    assert signed_in(known).post("/portal/new/", form()).status_code == 302
