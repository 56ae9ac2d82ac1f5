"""A lead deals with a flagged email in the browser: the page passes axe, with and without an
error, and works with the keyboard alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from amends.core import clock
from amends.inbox.domain import Source
from amends.inbox.services import receive_email
from tests.e2e.conftest import check_accessibility, sign_in

EML = Path(__file__).parents[1] / "inbox" / "eml"


def test_a_lead_deals_with_a_flagged_email(page: Page, people: dict[str, Any]) -> None:
    inbound = receive_email(
        raw=(EML / "bad_base64.eml").read_bytes(), source=Source.SMTP, now=clock.now()
    )
    sign_in(page, "leah")
    page.get_by_role("link", name="Email to review").click()
    expect(page.locator("h1")).to_have_text("Email to review")
    check_accessibility(page, "inbox-flagged")
    button = page.get_by_role("button", name="Mark as dealt with")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_be_visible()
    check_accessibility(page, "inbox-flagged-error")
    page.fill(f"#id_review-{inbound.pk}-note", "Asked the sender to send it again.")
    page.get_by_role("button", name="Mark as dealt with").click()
    expect(page.locator("main")).to_contain_text("Nothing to review.")
