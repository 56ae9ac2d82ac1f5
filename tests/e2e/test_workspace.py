"""The agent workspace in a real browser: keyboard-only logging, a whole lifecycle, access
rules, reflow at 400% zoom, and axe-core on every page."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from playwright.sync_api import Page, expect

from amends.cases import services as case_services
from amends.cases.domain import CaseDetails, CaseKind, Channel, Outcome, Status, TransitionRequest
from amends.cases.models import Case
from amends.core import clock
from amends.resolution import services as resolution_services
from amends.resolution import surveys
from amends.resolution.domain import CauseKind, IshikawaCategory, RedressBasis, RedressKind
from tests.conftest import NOW
from tests.e2e.conftest import check_accessibility, customer_of, sign_in

# --- keyboard helpers: every step below is a key press, never a click -------------------------


def focused(page: Page, selector: str) -> bool:
    return bool(
        page.evaluate(
            "s => !!document.activeElement && document.activeElement.matches(s)", selector
        )
    )


def tab_to(page: Page, selector: str, limit: int = 250) -> None:
    """Press Tab until ``selector`` has the focus: it is reachable in the focus order."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def type_into(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def choose(page: Page, selector: str, value: str) -> None:
    """Pick an option of a focused <select> with the arrow keys."""
    tab_to(page, selector)
    for _ in range(60):
        if page.eval_on_selector(selector, "e => e.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value!r} is not an option of {selector}")


def press_button(page: Page, selector: str) -> None:
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def move(page: Page, to: str, fields: list[tuple[str, str]] | None = None) -> None:
    """Take a lifecycle step from the case page with the keyboard."""
    if fields is not None:
        tab_to(page, f"#move-{to}-toggle")
        page.keyboard.press("Enter")  # open the step's form
        for selector, value in fields:
            tab_to(page, selector)
            if value == " ":
                page.keyboard.press("Space")
            else:
                page.keyboard.type(value)
    press_button(page, f"#move-{to}-button")
    expect(page.locator(".notice")).to_contain_text("is now")


# --- the whole journey ------------------------------------------------------------------------


def test_log_a_phone_complaint_by_keyboard_and_work_it_to_closed(
    page: Page, people: dict[str, Any]
) -> None:
    priya = customer_of(people)
    page.goto("/sign-in/")
    type_into(page, "#id_username", "alex")
    type_into(page, "#id_password", "resolve-it-2026")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Queues")

    press_button(page, 'a[href="/cases/new/"]')
    type_into(page, "#find", "priya.patel@example.com")
    page.keyboard.press("Enter")  # htmx swaps the results in without a reload
    expect(page.locator("a.choose-customer")).to_have_count(1)
    press_button(page, "a.choose-customer")
    expect(page.locator("main")).to_contain_text(priya.reference)
    expect(page.locator("main")).to_contain_text("Large print")

    tab_to(page, "#id_kind_0")
    page.keyboard.press("Space")  # complaint
    choose(page, "#id_channel", "phone")
    choose(page, "#id_category", "billing-and-charges")
    choose(page, "#id_journey_stage", "billing")
    choose(page, "#id_severity", "3")
    type_into(page, "#id_description", "You took my payment twice this month and I'm overdrawn.")
    type_into(page, "#id_remedy_sought", "Refund the duplicate payment and the bank charge.")
    type_into(
        page,
        "#id_read_back",
        "You were charged twice this month, which left you overdrawn; you want both refunded.",
    )
    press_button(page, "#save-case")
    expect(page.locator(".notice")).to_contain_text("logged")
    reference = re.search(r"/cases/(C-\d{4}-\d{6})/", page.url)
    assert reference, page.url
    case = Case.objects.get(reference=reference.group(1))
    assert case.kind == "complaint" and case.channel == "phone" and case.severity == 3
    assert case.category is not None and case.category.slug == "billing-and-charges"
    assert case.read_back.startswith("You were charged twice")
    assert case.customer_id == priya.pk

    move(page, "acknowledged")
    move(page, "investigating")
    move(
        page, "awaiting_customer", [("#id_move-awaiting_customer-reason", "Asked for a statement")]
    )
    move(page, "investigating")
    move(page, "solution_proposed")
    # A complaint cannot be resolved without its outcome and root cause: the page says so.
    move_refused = "#move-resolved-toggle"
    tab_to(page, move_refused)
    page.keyboard.press("Enter")
    type_into(page, "#id_move-resolved-resolution_summary", "Refunded the payment and the fee.")
    press_button(page, "#move-resolved-button")
    expect(page.locator(".error-summary")).to_contain_text("Missing: outcome, root_cause")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#id_move-resolved-resolution_summary")).to_have_value(
        "Refunded the payment and the fee."
    )
    tab_to(page, "#id_move-resolved-outcome_0")
    page.keyboard.press("Space")  # upheld
    type_into(page, "#id_move-resolved-root_cause", "The direct debit was collected twice.")
    press_button(page, "#move-resolved-button")
    expect(page.locator(".notice")).to_contain_text("is now resolved")
    move(page, "follow_up")
    move(page, "closed", [("#id_move-closed-customer_confirmed", " ")])

    case.refresh_from_db()
    assert case.status == "closed"
    titles = page.locator(".timeline__title").all_inner_texts()
    assert titles == [
        "Closed",
        "Follow-up started",
        "Resolved",
        "Solution proposed",
        "Resumed",
        "Waiting for the customer",
        "Investigation started",
        "Acknowledged",
        "Case logged",
    ]
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Alex Agent")
    expect(timeline).to_contain_text("Status: Resolved → Follow-up")
    expect(timeline).to_contain_text("Root cause: The direct debit was collected twice.")
    expect(timeline).to_contain_text("You took my payment twice")
    expect(page.locator("#next-steps ~ form, #next-steps ~ details")).to_have_count(1)  # reopen
    check_accessibility(page, "case-closed")


# --- access -----------------------------------------------------------------------------------


def _case_for(people: dict[str, Any]) -> Case:
    case, _ = case_services.create_case(
        kind=CaseKind.COMPLAINT,
        details=CaseDetails(
            summary="Engineer missed two appointments",
            description="Nobody came on Tuesday or Thursday and I took both days off work.",
            channel=Channel.PHONE,
            category="service-failure",
        ),
        customer=customer_of(people),
        team=people["relations"],
        actor=people["agent"],
        now=NOW,
    )
    return case


def test_an_agent_cannot_open_another_teams_case_by_url(page: Page, people: dict[str, Any]) -> None:
    case = _case_for(people)
    sign_in(page, "tom")
    response = page.goto(f"/cases/{case.reference}/")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("You do not have access")
    expect(page.locator("main")).not_to_contain_text("Nobody came on Tuesday")
    check_accessibility(page, "forbidden")


def test_an_agent_sees_the_vulnerability_flag_but_not_its_details(
    page: Page, people: dict[str, Any]
) -> None:
    case = _case_for(people)
    sign_in(page, "alex")
    page.goto(f"/cases/{case.reference}/")
    expect(page.locator("main")).to_contain_text("Vulnerable customer")
    expect(page.locator("main")).not_to_contain_text("bereaved")
    page.goto(f"/customers/{customer_of(people).reference}/")
    expect(page.locator("main")).not_to_contain_text("bereaved")
    page.context.clear_cookies()
    sign_in(page, "leah")
    page.goto(f"/customers/{customer_of(people).reference}/")
    expect(page.locator("main")).to_contain_text("Recently bereaved")


# --- accessibility of every page ----------------------------------------------------------------


def test_every_page_passes_axe(page: Page, people: dict[str, Any]) -> None:
    case = _case_for(people)
    for kind, category, text in (
        (CauseKind.WHY, None, "The engineer's calendar was not updated"),
        (CauseKind.ISHIKAWA, IshikawaCategory.PROCESS, "Rebooking skips the calendar sync"),
        (CauseKind.ISHIKAWA, IshikawaCategory.THIRD_PARTY, "Contractor app was offline"),
    ):
        resolution_services.add_cause(
            case=case, kind=kind, category=category, text=text, actor=people["agent"], now=NOW
        )
    scores = {"cost": 3, "retention": 4, "policy_and_law": 5, "feasibility": 4, "remedy_match": 4}
    resolution_services.add_option(
        case=case,
        title="Rebook and refund the day off",
        scores=scores,
        actor=people["agent"],
        now=NOW,
    )
    resolution_services.add_task(
        case=case,
        title="Rebook the engineer",
        owner=people["agent"],
        due_on=NOW.date(),
        blocking=True,
        actor=people["agent"],
        now=NOW,
    )
    resolution_services.propose_redress(
        case=case,
        kind=RedressKind.GOODWILL_PAYMENT,
        basis=RedressBasis.GOODWILL,
        amount=Decimal("250.00"),
        actor=people["agent"],
        now=NOW,
    )
    priya = customer_of(people)
    page.goto("/sign-in/")
    check_accessibility(page, "sign-in")
    page.fill("#id_username", "alex")
    page.fill("#id_password", "wrong password")
    page.click("button[type=submit]")
    check_accessibility(page, "sign-in-error")
    sign_in(page, "alex")
    for queue in ("mine", "team", "unassigned"):
        page.goto(f"/cases/?queue={queue}")
        check_accessibility(page, f"queue-{queue}")
    page.goto("/cases/?queue=due")
    check_accessibility(page, "queue-due")
    page.goto("/notifications/")
    check_accessibility(page, "notifications")
    page.goto("/cases/?queue=team&kind=complaint&q=appointments")
    check_accessibility(page, "queue-filtered")
    page.goto("/cases/?queue=team&severity=9")
    check_accessibility(page, "queue-bad-filter")
    page.goto("/cases/new/?find=Patel")
    check_accessibility(page, "log-case-search")
    page.goto(f"/cases/new/?customer={priya.reference}")
    check_accessibility(page, "log-case")
    page.click("#save-case")
    expect(page.locator(".error-summary")).to_be_visible()
    check_accessibility(page, "log-case-errors")
    page.goto(f"/cases/{case.reference}/")
    for toggle in page.locator("details > summary").all():
        toggle.click()
    check_accessibility(page, "case")
    page.click("#move-resolved-button")
    check_accessibility(page, "case-refused-move")
    problem = resolution_services.create_problem(
        title="Engineer visits missed after rebooking", actor=people["agent"], now=NOW
    )
    resolution_services.link_case_to_problem(
        problem=problem, case=case, actor=people["agent"], now=NOW
    )
    page.goto("/problems/")
    check_accessibility(page, "problems")
    page.goto(f"/problems/{problem.reference}/")
    for toggle in page.locator("details > summary").all():
        toggle.click()
    check_accessibility(page, "problem")
    page.goto(f"/customers/{priya.reference}/")
    check_accessibility(page, "customer")
    page.goto("/customers/?q=Patel")
    check_accessibility(page, "customer-search")
    page.goto("/cases/C-2026-999999/")
    check_accessibility(page, "not-found")
    survey_case = _case_for(people)
    for step in (
        TransitionRequest(to=Status.ACKNOWLEDGED),
        TransitionRequest(
            to=Status.RESOLVED,
            resolution_summary="Rebooked",
            outcome=Outcome.UPHELD,
            root_cause="Calendar not synced",
        ),
    ):
        case_services.transition_case(
            case=survey_case,
            request=step,
            expected_version=survey_case.version,
            actor=people["agent"],
            now=NOW,
        )
    _, token = surveys.send_survey(case=survey_case, now=clock.now())
    page.goto(f"/survey/{token}/")
    check_accessibility(page, "survey")
    page.click("main button[type=submit]")
    check_accessibility(page, "survey-errors")
    page.context.clear_cookies()
    sign_in(page, "ada")
    page.goto("/admin/")
    check_accessibility(page, "admin")
    page.goto("/admin/cases/category/")
    check_accessibility(page, "admin-categories")


def test_pages_reflow_at_400_percent_zoom(page: Page, people: dict[str, Any]) -> None:
    """1280 CSS pixels at 400% is a 320-pixel-wide viewport: nothing should scroll sideways
    (data tables may scroll inside their own box)."""
    case = _case_for(people)
    sign_in(page, "alex")
    page.set_viewport_size({"width": 320, "height": 640})
    for url in ("/cases/?queue=team", "/cases/new/", f"/cases/{case.reference}/"):
        page.goto(url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at 320px wide"
