"""The reply coach's panel in a real browser: typing a reply on the case page shows what the
draft covers and what is missing, as text in a live region, with no accessibility problems."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from playwright.sync_api import Page, expect

from amends.cases import services as case_services
from amends.cases.domain import CaseDetails, CaseKind, Channel, Direction
from tests.conftest import NOW
from tests.e2e.conftest import check_accessibility, customer_of, sign_in

CUSTOMER = (
    "I was charged twice for my October bill and nobody called me back as promised. I am now "
    "overdrawn and my bank has charged me."
)


def test_typing_a_reply_shows_the_coach_panel(page: Page, people: dict[str, Any]) -> None:
    case, _ = case_services.create_case(
        kind=CaseKind.COMPLAINT,
        details=CaseDetails(
            summary="Charged twice for October",
            description=CUSTOMER,
            channel=Channel.EMAIL,
            category="billing-and-charges",
        ),
        customer=customer_of(people),
        team=people["relations"],
        actor=people["agent"],
        now=NOW,
    )
    case_services.record_message(
        case=case,
        direction=Direction.INBOUND,
        channel=Channel.EMAIL,
        body=CUSTOMER,
        actor=people["agent"],
        now=NOW + timedelta(minutes=5),
    )
    sign_in(page, "alex")
    page.goto(f"/cases/{case.reference}/")
    page.get_by_text("Add a message to or from the customer").click()
    panel = page.locator("#coach-panel")
    expect(panel).to_have_attribute("aria-live", "polite")
    page.get_by_label("Message").press_sequentially(
        "You should have checked your statement. As previously stated, the charge stands.",
        delay=5,
    )
    expect(panel).to_contain_text("Reply check:", timeout=10_000)
    expect(panel).to_contain_text("Problem:")
    expect(panel).to_contain_text("You should have checked your statement.")
    page.get_by_label("Message").fill("")
    page.get_by_label("Message").press_sequentially(
        "Thank you for your email. You told us that you were charged twice for your October "
        "bill and nobody called you back. That must have been stressful. I am sorry that we "
        "took the payment twice. I have refunded it today. I will call you on Friday to check "
        "it has arrived.",
        delay=1,
    )
    expect(panel).to_contain_text("Reply check: 100 out of 100", timeout=10_000)
    check_accessibility(page, "case-reply-coach")
