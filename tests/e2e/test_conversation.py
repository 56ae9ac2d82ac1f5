"""The whole conversation across channels, in a real browser and over real SMTP: a customer
raises a problem in the portal with adjustments, is acknowledged by email, answers that email
from their mail program (delivered to the running `amends mail listen` server), and sees their
answer in the portal; another customer's link cannot open the case."""

from __future__ import annotations

import re
import smtplib
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from amends.cases.models import Case
from amends.core import clock
from amends.customers.models import Customer
from amends.inbox.listener import MailController
from amends.portal import links
from tests.e2e.conftest import check_accessibility
from tests.system.mailservers import free_port

LINK = re.compile(r"https?://[^/\s]+(/portal/sign-in/[A-Za-z0-9_-]+/)")
SAM = "sam.okafor@example.com"


@pytest.fixture
def listener(live_server: Any) -> Iterator[int]:
    """Our SMTP server, in this process, so that it writes to the same test database."""
    port = free_port()
    controller = MailController(host="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


def sign_in_link(address: str) -> str:
    for message in reversed(mail.outbox):
        found = LINK.search(message.body) if address in message.to else None
        if found:
            return found.group(1)
    raise AssertionError(f"no sign-in link was emailed to {address}")


def acknowledgement(reference: str) -> Any:
    sent = [m for m in mail.outbox if SAM in m.to and reference in m.subject]
    assert len(sent) == 1, [m.subject for m in mail.outbox]
    return sent[0]


def sign_in(page: Page, path: str) -> None:
    page.goto(path)
    with page.expect_navigation():
        page.click("#continue")
    expect(page.locator("h1")).to_have_text("Your cases")


def test_raise_in_the_portal_be_acknowledged_reply_by_email_and_see_it_in_the_portal(
    browser: Browser,
    live_server: Any,
    page: Page,
    people: dict[str, Any],
    listener: int,
    settings: Any,
) -> None:
    settings.AMENDS_AUTO_ACKNOWLEDGE = True

    # Raised in the portal, with adjustments, preferring email.
    page.goto("/portal/new/")
    page.fill("#id_name", "Sam Okafor")
    page.fill("#id_email", SAM)
    page.fill("#id_what_happened", "My boiler repair was booked three times and nobody came.")
    page.fill("#id_what_we_should_do", "Send an engineer this week.")
    page.check("#id_contact_by_0")  # email
    page.get_by_label("Easy read").check()
    page.get_by_label("More time to reply").check()
    page.click("#send-problem")
    expect(page.locator("h1")).to_have_text("We have your complaint")
    reference = page.locator("#reference").inner_text()
    case = Case.objects.get(reference=reference)
    sam = Customer.objects.get(pk=case.customer_id)
    assert sam.adjustments == ["easy_read", "extra_time"]

    # The acknowledgement went out by email, automatically, and the case moved on.
    ack = acknowledgement(reference)
    ack_id = ack.extra_headers["Message-ID"]
    assert ack.extra_headers.get("Auto-Submitted") == "auto-generated"
    case.refresh_from_db()
    assert case.status == "acknowledged"

    # Sam answers the acknowledgement from their mail program; their program quotes ours.
    answer = EmailMessage()
    answer["From"] = f"Sam Okafor <{SAM}>"
    answer["To"] = ack.from_email
    answer["Subject"] = f"Re: {ack.subject}"
    answer["Message-ID"] = make_msgid(domain="example.com")
    answer["In-Reply-To"] = ack_id
    answer["References"] = ack_id
    quoted = "\n".join(f"> {line}" for line in ack.body.splitlines())
    answer.set_content(
        "The engineer finally rang. He can come on Thursday, is that confirmed?\n\n"
        f"On Mon, 23 Nov 2026 at 10:00, Complaints wrote:\n{quoted}\n"
    )
    with smtplib.SMTP("127.0.0.1", listener, timeout=30) as smtp:
        smtp.send_message(answer)
    assert Case.objects.filter(customer=sam).count() == 1  # threaded, not a new case

    # In the portal, the history shows the answer (without the quoted acknowledgement).
    sign_in(page, sign_in_link(SAM))
    page.click(f'a[href="/portal/cases/{reference}/"]')
    history = page.locator(".history")
    expect(history).to_contain_text("is that confirmed?")
    expect(history).to_contain_text("We wrote to you by email")
    assert history.inner_text().count("On Mon, 23 Nov 2026") == 0
    check_accessibility(page, "portal-conversation")

    # Another customer's link cannot open Sam's case.
    other = browser.new_context(base_url=live_server.url)
    priya = other.new_page()
    links.issue_link(customer=people["priya"], now=clock.now())
    sign_in(priya, sign_in_link("priya.patel@example.com"))
    response = priya.goto(f"/portal/cases/{reference}/")
    assert response is not None and response.status == 404
    expect(priya.locator("main")).not_to_contain_text("boiler")
    other.close()
