"""Writing to the customer in a real browser: the composer, a refused final response, an email
sent with its delivery status on the case, and a printable letter; each page passes axe."""

from __future__ import annotations

from typing import Any

from django.core import mail
from playwright.sync_api import Page, expect

from amends.cases import services as case_services
from amends.cases.domain import CaseDetails, CaseKind, Channel
from amends.cases.models import Case
from tests.conftest import NOW
from tests.e2e.conftest import check_accessibility, customer_of, sign_in


def _case(people: dict[str, Any]) -> Case:
    case, _ = case_services.create_case(
        kind=CaseKind.COMPLAINT,
        details=CaseDetails(
            summary="Charged twice for October",
            description="You took my direct debit twice and I am now overdrawn.",
            channel=Channel.PHONE,
            category="billing-and-charges",
        ),
        customer=customer_of(people),
        team=people["relations"],
        actor=people["agent"],
        now=NOW,
    )
    return case


def test_write_a_final_response_refused_then_sent_then_a_letter(
    page: Page, people: dict[str, Any]
) -> None:
    case = _case(people)
    sign_in(page, "alex")
    page.goto(f"/cases/{case.reference}/")
    page.click("#write-to-customer")
    page.select_option("#id_template_choice", "fca-disp-final-response")
    page.click("#use-template")
    expect(page.locator("#id_opening")).to_have_value("Dear Priya Patel,")
    check_accessibility(page, "composer")

    page.fill("#id_item_fos_website_address", "")
    page.click("#send-email")
    expect(page.locator("#missing-items")).to_contain_text("Fos website address")
    expect(page.locator(".error-summary")).to_be_visible()
    check_accessibility(page, "composer-refused")

    page.fill("#id_item_fos_website_address", "See www.financial-ombudsman.org.uk.")
    page.click("#send-email")
    page.wait_for_url(f"**/cases/{case.reference}/")
    expect(page.locator("[data-email-status]")).to_contain_text("Delivered to the mail server")
    assert any("www.financial-ombudsman.org.uk" in m.body for m in mail.outbox)

    page.click("#write-to-customer")
    page.select_option("#id_template_choice", "holding-response")
    page.click("#use-template")
    page.click("#prepare-letter")
    expect(page.locator(".error-summary")).to_contain_text("[write what you have done]")
    page.fill("#id_solution", "We have asked billing to refund you. We will write by Friday.")
    page.click("#prepare-letter")
    page.wait_for_url(f"**/cases/{case.reference}/")
    page.get_by_role("link", name="An update on your complaint").first.click()
    expect(page.locator("h1")).to_contain_text(f"An update on your complaint [{case.reference}]")
    check_accessibility(page, "letter")
