"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Chromium comes from the system (``make test`` installs Debian's package when it is missing);
set ``AMENDS_CHROMIUM`` to use another binary. Nothing is downloaded at test time.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from amends.accounts import services as account_services
from amends.accounts.models import Team, User
from amends.customers import services as customer_services
from amends.customers.domain import (
    Adjustment,
    ContactChannel,
    ContactDetails,
    CustomerKind,
    VulnerabilityBasis,
    VulnerabilityDraft,
    VulnerabilityDriver,
)
from amends.customers.models import Customer
from tests.conftest import NOW

# Playwright's synchronous API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary synchronous calls all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "resolve-it-2026"
SCREENSHOTS = os.environ.get("AMENDS_SCREENSHOTS")  # a folder: save a picture of each page
BLOCKING = {"serious", "critical"}


def chromium_path() -> str:
    path = os.environ.get("AMENDS_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail(
            "Chromium is not installed: `apt-get install chromium` (make test does this), "
            "or set AMENDS_CHROMIUM to a Chromium binary."
        )
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def people(transactional_db: Any) -> dict[str, Any]:
    """Two teams, an agent in each, a team lead, an admin and two customers."""
    relations = account_services.create_team(name="Customer Relations", actor=None, now=NOW)
    billing = account_services.create_team(name="Billing", actor=None, now=NOW)

    def user(name: str, role: str, teams: list[Team], full: str) -> User:
        first, last = full.split(" ", 1)
        made = account_services.create_user(
            username=name, role=role, password=PASSWORD, teams=teams, actor=None, now=NOW
        )
        made.first_name, made.last_name = first, last
        if role == "admin":
            made.is_staff = made.is_superuser = True
        made.save()
        return made

    priya = customer_services.create_customer(
        kind=CustomerKind.PERSON,
        details=ContactDetails(
            name="Priya Patel",
            email="priya.patel@example.com",
            phone="+447911123456",
            preferred_channel=ContactChannel.PHONE,
            adjustments=(Adjustment.LARGE_PRINT, Adjustment.EXTRA_TIME),
        ),
        actor=None,
        now=NOW,
    )
    customer_services.record_vulnerability(
        customer=priya,
        draft=VulnerabilityDraft(
            driver=VulnerabilityDriver.LIFE_EVENTS,
            basis=VulnerabilityBasis.EXPLICIT_CONSENT,
            consent_given=True,
            detail="Recently bereaved; finds long calls distressing",
            support_needed="Short calls and a written summary",
        ),
        actor=None,
        now=NOW,
    )
    return {
        "relations": relations,
        "billing": billing,
        "agent": user("alex", "agent", [relations], "Alex Agent"),
        "other_agent": user("tom", "agent", [billing], "Tom Other"),
        "lead": user("leah", "team_lead", [relations], "Leah Lead"),
        "admin": user("ada", "admin", [], "Ada Admin"),
        "priya": priya,
    }


def sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/cases/**")


def check_accessibility(page: Page, name: str) -> None:
    """axe-core on the page as it is now: no serious or critical violation."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
    report = "\n".join(
        f"{v['impact']}: {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in blocking
    )
    assert not blocking, f"accessibility problems on {name} ({page.url}):\n{report}"


def customer_of(people: dict[str, Any]) -> Customer:
    customer: Customer = people["priya"]
    return customer
