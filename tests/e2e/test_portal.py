"""The customer portal in a real browser: raise a problem with adjustments, follow the emailed
link, reply, see our reply, withdraw; another customer's link cannot open the case. axe-core on
every page, reflow at 320 CSS pixels, and no JavaScript needed for any of it."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from playwright.sync_api import Browser, Page, expect

from amends.cases import services as case_services
from amends.cases.domain import Channel, Direction
from amends.cases.models import Case
from amends.core import clock
from amends.customers.models import Customer
from amends.portal import links
from tests.e2e.conftest import check_accessibility

LINK = re.compile(r"https?://[^/\s]+(/portal/sign-in/[A-Za-z0-9_-]+/)")


def emailed_path(address: str) -> str:
    """The sign-in link in the newest email to ``address``, as a path on the test server."""
    sent = [m for m in mail.outbox if address in m.to]
    assert sent, f"no email to {address}: {[m.to for m in mail.outbox]}"
    found = LINK.search(sent[-1].body)
    assert found, sent[-1].body
    return found.group(1)


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def sign_in_with(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.locator("h1")).to_have_text("Sign in to see your complaints")
    check_accessibility(page, "portal-sign-in")
    with page.expect_navigation():
        page.click("#continue")
    expect(page.locator("h1")).to_have_text("Your cases")


def test_raise_follow_reply_and_withdraw_in_the_portal(
    browser: Browser, live_server: Any, page: Page, people: dict[str, Any]
) -> None:
    page.goto("/portal/")
    check_accessibility(page, "portal-start")
    page.click("#raise-link")
    expect(page.locator("h1")).to_have_text("Raise a problem")
    check_accessibility(page, "portal-raise")

    # Nothing filled in: the errors are listed at the top and beside each field.
    page.click("#send-problem")
    expect(page.locator(".error-summary")).to_contain_text("Tell us what happened.")
    check_accessibility(page, "portal-raise-errors")
    page.click('.error-summary a[href="#id_name"]')

    page.fill("#id_name", "Sam Okafor")
    page.fill("#id_email", "sam.okafor@example.com")
    page.fill("#id_what_happened", "My boiler repair was booked three times and nobody came.")
    page.fill("#id_what_we_should_do", "Send an engineer this week.")
    page.check("#id_contact_by_0")  # email
    page.get_by_label("Large print").check()
    page.get_by_label("A British Sign Language (BSL) interpreter").check()
    page.get_by_label("More time to reply").check()
    page.fill("#id_anything_else", "Please use short sentences.")
    page.set_input_files(
        "#id_evidence",
        files=[{"name": "bill.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}],
    )
    page.click("#send-problem")
    expect(page.locator("h1")).to_have_text("We have your complaint")
    check_accessibility(page, "portal-raised")
    reference = page.locator("#reference").inner_text()
    case = Case.objects.get(reference=reference)
    sam = Customer.objects.get(pk=case.customer_id)
    assert sam.adjustments == ["large_print", "bsl", "extra_time"]
    assert case.channel == "portal" and case.attachments.count() == 1

    # The emailed link opens the portal, once.
    path = emailed_path("sam.okafor@example.com")
    sign_in_with(page, path)
    check_accessibility(page, "portal-cases")
    page.click(f'a[href="/portal/cases/{reference}/"]')
    expect(page.locator("#status")).to_have_text("We have received your complaint.")
    expect(page.locator(".history")).to_contain_text("You sent us a document: bill.pdf")
    check_accessibility(page, "portal-case")

    # A reply posted in the portal shows in the history ...
    page.fill("#id_reply-body", "The engineer still has not come. I am at home all week.")
    page.click("#send-reply")
    expect(page.locator(".notice")).to_contain_text("We have your message")
    expect(page.locator(".history")).to_contain_text("I am at home all week.")

    # ... and so does our reply.
    case_services.record_message(
        case=case,
        direction=Direction.OUTBOUND,
        channel=Channel.EMAIL,
        body="Sorry. An engineer will come on Thursday morning.",
        actor=people["agent"],
        now=clock.now(),
    )
    page.reload()
    expect(page.locator(".history")).to_contain_text("We wrote to you by email")
    expect(page.locator(".history")).to_contain_text("Thursday morning")

    # Withdraw, with a reason (the form opens without JavaScript: <details>).
    page.click("#withdraw-toggle")
    page.fill("#id_withdraw-reason", "A neighbour fixed the boiler.")
    page.click("#withdraw-button")
    expect(page.locator("#status")).to_have_text("Your complaint is withdrawn.")
    expect(page.locator(".history")).to_contain_text("You withdrew your complaint")
    check_accessibility(page, "portal-case-withdrawn")
    case.refresh_from_db()
    assert case.status == "withdrawn" and case.withdrawn_reason == "A neighbour fixed the boiler."

    # The same link does not work twice.
    page.goto(path)
    expect(page.locator("h1")).to_have_text("This link does not work")
    check_accessibility(page, "portal-link-used")

    # Another customer's link cannot open Sam's case.
    other = browser.new_context(base_url=live_server.url)
    priya_page = other.new_page()
    links.issue_link(customer=people["priya"], now=clock.now())
    sign_in_with(priya_page, emailed_path("priya.patel@example.com"))
    expect(priya_page.locator("main")).not_to_contain_text(reference)
    response = priya_page.goto(f"/portal/cases/{reference}/")
    assert response is not None and response.status == 404
    expect(priya_page.locator("h1")).to_have_text("Complaint not found")
    expect(priya_page.locator("main")).not_to_contain_text("boiler")
    check_accessibility(priya_page, "portal-not-found")
    other.close()


def test_the_portal_works_without_javascript(
    browser: Browser, live_server: Any, people: dict[str, Any]
) -> None:
    """Every step is a plain form post: raise, sign in, reply, withdraw with scripts off."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/portal/new/")
    page.fill("#id_name", "Jo Bloggs")
    page.fill("#id_email", "jo@example.com")
    page.fill("#id_what_happened", "The meter reading on my bill is wrong.")
    page.get_by_label("Easy read").check()
    page.click("#send-problem")
    expect(page.locator("h1")).to_have_text("We have your complaint")
    reference = page.locator("#reference").inner_text()
    page.goto(emailed_path("jo@example.com"))
    with page.expect_navigation():
        page.click("#continue")
    page.click(f'a[href="/portal/cases/{reference}/"]')
    page.fill("#id_reply-body", "A photo of the meter is coming.")
    page.click("#send-reply")
    expect(page.locator(".history")).to_contain_text("A photo of the meter is coming.")
    page.click("#withdraw-toggle")
    page.fill("#id_withdraw-reason", "Sorted on the phone.")
    page.click("#withdraw-button")
    expect(page.locator("#status")).to_have_text("Your complaint is withdrawn.")
    page.click("button:has-text('Sign out')")
    expect(page.locator(".notice")).to_contain_text("You have signed out")
    page.goto(f"/portal/cases/{reference}/")
    expect(page.locator("h1")).to_have_text("Raise or follow a complaint")
    context.close()


def test_portal_pages_reflow_at_320_pixels(page: Page, people: dict[str, Any]) -> None:
    priya = people["priya"]
    page.set_viewport_size({"width": 320, "height": 640})
    for url in ("/portal/", "/portal/new/"):
        page.goto(url)
        no_sideways_scroll(page)
    page.fill("#id_what_happened", "Charged twice.")
    page.click("#send-problem")
    no_sideways_scroll(page)  # with the error summary
    case, _, _ = case_services.log_contact(
        contact=case_services.Contact(channel=Channel.PORTAL, description="Charged twice " * 40),
        customer=priya,
        now=clock.now(),
    )
    links.issue_link(customer=priya, now=clock.now())
    sign_in_with(page, emailed_path("priya.patel@example.com"))
    no_sideways_scroll(page)
    page.goto(f"/portal/cases/{case.reference}/")
    no_sideways_scroll(page)
    check_accessibility(page, "portal-case-320")
