"""Issue 5's journey in a real browser: 5 Whys, options with a justification, a plan,
resolution, a follow-up answered "not solved" (reopens), then "solved" with CSAT, closure, and
the closure summary downloaded."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from playwright.sync_api import Page, expect

from amends.cases.models import Case
from amends.core import clock
from amends.resolution import surveys
from tests.e2e.conftest import check_accessibility, sign_in
from tests.e2e.test_workspace import _case_for


def _move(page: Page, to: str, **fields: str) -> None:
    if fields:
        page.click(f"#move-{to}-toggle")
        for name, value in fields.items():
            selector = f"#id_move-{to}-{name}"
            if value == "check":
                page.check(selector)
            elif name == "outcome":
                page.check(f"#id_move-{to}-outcome_0")
            else:
                page.fill(selector, value)
    page.click(f"#move-{to}-button")
    expect(page.locator(".notice").first).to_contain_text("is now")


def _answer_survey(page: Page, case: Case, solved: bool, csat: str | None = None) -> None:
    case.refresh_from_db()
    _, token = surveys.send_survey(case=case, now=clock.now())
    page.goto(f"/survey/{token}/")
    page.check("#id_solved_0" if solved else "#id_solved_1")
    if csat:
        page.check(f"#id_csat_outcome_{int(csat) - 1}")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Thank you")


def test_a_complaint_from_root_cause_to_closure_summary(page: Page, people: dict[str, Any]) -> None:
    case = _case_for(people)
    sign_in(page, "alex")
    page.goto(f"/cases/{case.reference}/")
    _move(page, "acknowledged")
    _move(page, "investigating")

    for text in ("The engineer did not come", "The booking was moved but not sent to him"):
        page.click("summary:has-text('Ask why')")
        page.fill("#id_why-text", text)
        page.fill("#id_why-evidence", "Booking log")
        page.click("button:has-text('Add this why')")
        expect(page.locator(".whys")).to_contain_text(text)
    page.click(".whys li:nth-child(2) button:has-text('Mark as the root cause')")
    expect(page.locator("#rca-section")).to_contain_text("Root cause: The booking was moved")

    for title, scores in (
        ("Rebook and pay for the lost day", "45544"),
        ("Apologise only", "51212"),
    ):
        page.click("summary:has-text('Add an option')")
        page.fill("#id_option-title", title)
        for factor, score in zip(
            ("cost", "retention", "policy_and_law", "feasibility", "remedy_match"),
            scores,
            strict=True,
        ):
            page.select_option(f"#id_option-score_{factor}", score)
        page.click("button:has-text('Add option')")
    page.click("summary:has-text('Choose “Rebook and pay for the lost day”')")
    form = page.locator("form[action$='/choose/']").first
    form.locator("textarea").fill(
        "It puts her back where she was and matches what she asked for; the apology alone does not."
    )
    form.locator("input[value='retention']").check()
    form.locator("input[value='remedy_match']").check()
    form.locator("button").click()
    expect(page.locator("#options-section")).to_contain_text(
        "Chosen: Rebook and pay for the lost day"
    )

    page.click("summary:has-text('Add a task')")
    page.fill("#id_task-title", "Rebook the engineer visit")
    page.select_option("#id_task-owner", "user:alex")
    page.fill("#id_task-due_on", (date.today() + timedelta(days=7)).isoformat())
    page.check("#id_task-blocking")
    page.click("button:has-text('Add task')")
    expect(page.locator("#plan-section")).to_contain_text("Blocks resolution")
    page.fill("#plan-section input[name$='-outcome']", "Visit booked for Friday")
    page.click("#plan-section button:has-text('Mark done')")
    expect(page.locator("#plan-section")).to_contain_text("Done")

    _move(
        page,
        "resolved",
        resolution_summary="Visit rebooked and the day's pay refunded",
        outcome="upheld",
    )
    _answer_survey(page, case, solved=False)
    case.refresh_from_db()
    assert case.status == "reopened"

    page.goto(f"/cases/{case.reference}/")
    _move(
        page,
        "resolved",
        resolution_summary="Engineer attended; fault fixed",
        outcome="upheld",
        root_cause="Booking changes were not sent to engineers",
    )
    _answer_survey(page, case, solved=True, csat="5")
    page.goto(f"/cases/{case.reference}/")
    page.click("#move-closed-toggle")  # the survey's "solved" confirmed it: nothing to tick
    page.click("#move-closed-button")
    expect(page.locator(".notice").first).to_contain_text("is now closed")
    case.refresh_from_db()
    assert case.status == "closed"

    page.click("a:has-text('Closure summary')")
    expect(page.locator("h1")).to_contain_text("Closure summary")
    expect(page.locator("main")).to_contain_text("Rebook and pay for the lost day")
    expect(page.locator("main")).to_contain_text("Survey answered: solved yes, CSAT outcome 5")
    check_accessibility(page, "closure-summary")
    with page.expect_download() as download:
        page.click("a:has-text('Download as PDF')")
    path = download.value.path()
    assert path is not None
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
