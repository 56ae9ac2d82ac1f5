"""The agent workspace's pages through the Django test client: access, forms, errors, locking."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from amends.accounts import services as account_services
from amends.accounts.models import Team, User
from amends.cases.domain import CaseKind, Status
from amends.cases.models import Case, SavedFilter
from amends.core.models import Event
from amends.customers import services as customer_services
from amends.customers.domain import (
    Adjustment,
    VulnerabilityBasis,
    VulnerabilityDraft,
    VulnerabilityDriver,
)
from amends.customers.models import Customer
from tests.conftest import NOW

PASSWORD = "correct-horse-battery"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def events(case: Case) -> list[str]:
    return list(
        Event.objects.filter(stream=case.stream).order_by("seq").values_list("type", flat=True)
    )


# --- sign-in ---------------------------------------------------------------------------------


def test_pages_need_sign_in_and_send_people_to_the_sign_in_page(db: Any) -> None:
    response = Client().get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=/cases/")


def test_signing_in_with_the_right_password_opens_the_queues(
    make_user: Callable[..., User],
) -> None:
    user = make_user("sam", "agent")
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    response = client.post("/sign-in/", {"username": "sam", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/cases/"
    assert b"My cases" in response.content


def test_repeated_wrong_passwords_lock_the_account(
    make_user: Callable[..., User], settings: Any
) -> None:
    user = make_user("sam", "agent")
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/sign-in/", {"username": "sam", "password": "wrong-password"})
    assert response.status_code == 429
    assert b"Account locked" in response.content
    # Even the right password is refused while the lockout lasts.
    response = client.post("/sign-in/", {"username": "sam", "password": PASSWORD})
    assert response.status_code == 429


def test_a_wrong_password_says_so_on_the_form(make_user: Callable[..., User]) -> None:
    make_user("sam", "agent")
    response = Client().post("/sign-in/", {"username": "sam", "password": "nope"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content


def test_every_page_sends_a_content_security_policy_without_inline_script(agent: User) -> None:
    response = signed_in(agent).get("/cases/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


def test_forms_are_refused_without_a_csrf_token(
    agent: User, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    response = client.post(f"/cases/{case.reference}/notes/", {"note-body": "hello"})
    assert response.status_code == 403


# --- access ------------------------------------------------------------------------------------


def test_an_agent_cannot_open_another_teams_case_by_url(
    other_agent: User, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    response = signed_in(other_agent).get(f"/cases/{case.reference}/")
    assert response.status_code == 403
    assert b"You do not have access" in response.content
    assert case.description.encode() not in response.content


def test_an_agent_cannot_change_another_teams_case(
    other_agent: User, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    response = signed_in(other_agent).post(
        f"/cases/{case.reference}/notes/", {"note-body": "should not land"}
    )
    assert response.status_code == 403
    assert "case.note_added" not in events(case)


def test_an_unknown_case_is_404(agent: User) -> None:
    assert signed_in(agent).get("/cases/C-2026-999999/").status_code == 404


@pytest.fixture
def vulnerable_customer(customer: Customer) -> Customer:
    customer_services.record_vulnerability(
        customer=customer,
        draft=VulnerabilityDraft(
            driver=VulnerabilityDriver.HEALTH,
            basis=VulnerabilityBasis.EXPLICIT_CONSENT,
            detail="Undergoing chemotherapy; tires easily on calls",
            support_needed="Short calls, written follow-up",
            consent_given=True,
        ),
        actor=None,
        now=NOW,
    )
    return customer


@pytest.mark.parametrize("page", ["case", "customer"])
def test_an_agent_sees_the_vulnerability_flag_but_not_its_details(
    page: str, agent: User, vulnerable_customer: Customer, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    url = (
        f"/cases/{case.reference}/"
        if page == "case"
        else f"/customers/{vulnerable_customer.reference}/"
    )
    body = signed_in(agent).get(url).content.decode()
    assert "Vulnerable customer" in body
    assert "chemotherapy" not in body
    assert "Short calls" not in body


@pytest.mark.parametrize("page", ["case", "customer"])
def test_a_team_lead_sees_the_vulnerability_details(
    page: str, lead: User, vulnerable_customer: Customer, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    url = (
        f"/cases/{case.reference}/"
        if page == "case"
        else f"/customers/{vulnerable_customer.reference}/"
    )
    body = signed_in(lead).get(url).content.decode()
    assert "chemotherapy" in body


def test_an_auditor_reads_a_case_but_gets_no_buttons_to_change_it(
    auditor: User, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    body = signed_in(auditor).get(f"/cases/{case.reference}/").content.decode()
    assert case.reference in body
    assert "/transitions/" not in body
    response = signed_in(auditor).post(f"/cases/{case.reference}/notes/", {"note-body": "x"})
    assert response.status_code == 403


# --- queues ------------------------------------------------------------------------------------


def test_queues_show_counts_and_rows_with_flags(
    agent: User, make_case: Callable[..., Case], make_customer: Callable[..., Customer], team: Team
) -> None:
    mine = make_case(summary="Mine to work", assignee=agent)
    flagged = make_customer("Ada Adjust", adjustments=(Adjustment.LARGE_PRINT,))
    make_case(summary="Nobody's yet", customer=flagged)
    client = signed_in(agent)
    body = client.get("/cases/?queue=mine").content.decode()
    assert mine.reference in body
    assert "Nobody&#x27;s yet" not in body
    assert re.search(r"My cases <span class=\"count\">1</span>", body)
    assert re.search(r"Unassigned <span class=\"count\">1</span>", body)
    body = client.get("/cases/?queue=unassigned").content.decode()
    assert "Nobody&#x27;s yet" in body
    assert "Adjustments" in body


def test_queue_filters_narrow_the_rows_and_bad_filters_say_what_is_wrong(
    agent: User, make_case: Callable[..., Case]
) -> None:
    make_case(summary="A billing complaint")
    make_case(CaseKind.QUERY, summary="A simple question")
    client = signed_in(agent)
    body = client.get("/cases/?queue=team&kind=query").content.decode()
    assert "A simple question" in body
    assert "A billing complaint" not in body
    response = client.get("/cases/?queue=team&severity=9")
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    response = client.get("/cases/?queue=team&cursor=not-a-cursor")
    assert response.status_code == 422
    assert "cursor" in response.content.decode()


def test_queue_pages_with_a_cursor(
    agent: User, make_case: Callable[..., Case], monkeypatch: Any
) -> None:
    from amends.cases.views import queues

    monkeypatch.setattr(queues, "PAGE_SIZE", 2)
    cases = [make_case(summary=f"Case number {i}") for i in range(5)]
    client = signed_in(agent)
    seen: list[str] = []
    url = "/cases/?queue=team&sort=received_at"
    while url:
        body = client.get(url).content.decode()
        seen += re.findall(r"<td><a href=\"/cases/(C-[0-9-]+)/\">", body)
        nxt = re.search(r'href="(\?[^"]*cursor=[^"]+)" hx-get', body)
        url = "/cases/" + nxt.group(1).replace("&amp;", "&") if nxt else ""
    assert seen == [c.reference for c in cases]


def test_htmx_gets_only_the_results_fragment(agent: User, make_case: Callable[..., Case]) -> None:
    make_case(summary="Fragment me")
    response = signed_in(agent).get("/cases/?queue=team", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "Fragment me" in body
    assert "<html" not in body


def test_a_saved_filter_becomes_a_queue(agent: User, make_case: Callable[..., Case]) -> None:
    make_case(summary="Urgent billing", category="billing-and-charges")
    make_case(summary="Late parcel", category="delivery-and-timeliness")
    client = signed_in(agent)
    response = client.post(
        "/cases/filters/", {"name": "Billing", "params": "category=billing-and-charges&status=open"}
    )
    saved = SavedFilter.objects.get(owner=agent)
    assert response["Location"] == f"/cases/?queue=saved-{saved.pk}"
    body = client.get(response["Location"]).content.decode()
    assert "Urgent billing" in body
    assert "Late parcel" not in body
    # Names are unique per person.
    client.post("/cases/filters/", {"name": "Billing", "params": "kind=query"})
    assert SavedFilter.objects.filter(owner=agent).count() == 1


def test_nobody_uses_someone_elses_saved_filter(agent: User, other_agent: User) -> None:
    saved = SavedFilter.objects.create(owner=agent, name="Mine", params={}, created_at=NOW)
    assert signed_in(other_agent).get(f"/cases/?queue=saved-{saved.pk}").status_code == 404
    assert signed_in(other_agent).post(f"/cases/filters/{saved.pk}/delete/").status_code == 404


# --- logging a case ----------------------------------------------------------------------------

LOG = {
    "kind": "complaint",
    "channel": "phone",
    "category": "billing-and-charges",
    "journey_stage": "billing",
    "severity": "3",
    "priority": "high",
    "description": "You took £80 twice from my account and I am now overdrawn.",
    "remedy_sought": "Refund the second payment and the overdraft fee.",
    "read_back": "You were charged twice in October and went overdrawn; you want both refunded.",
}


def test_logging_a_case_for_an_existing_customer(
    agent: User, customer: Customer, team: Team
) -> None:
    client = signed_in(agent)
    found = client.get("/cases/new/", {"find": customer.email}).content.decode()
    assert f"?customer={customer.reference}" in found
    response = client.post(
        "/cases/new/", {**LOG, "customer": customer.reference, "team": team.slug}
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/"
    assert case.read_back.startswith("You were charged twice")
    assert case.customer == customer
    assert events(case) == ["case.created"]
    page = client.get(response["Location"]).content.decode()
    assert "Read back to the customer" in page


def test_logging_a_case_for_a_new_customer_with_adjustments(agent: User) -> None:
    response = signed_in(agent).post(
        "/cases/new/",
        {
            **LOG,
            "new_customer_name": "Grace Hopper",
            "new_customer_kind": "person",
            "new_customer_phone": "07911 123456",
            "new_customer_preferred_channel": "phone",
            "new_customer_adjustments": ["large_print", "extra_time"],
        },
    )
    assert response.status_code == 302
    case = Case.objects.select_related("customer").get()
    assert case.customer.name == "Grace Hopper"
    assert case.customer.phone == "+447911123456"
    assert case.customer.adjustments == ["large_print", "extra_time"]


def test_a_log_form_with_problems_is_shown_again_with_every_problem_and_nothing_saved(
    agent: User,
) -> None:
    response = signed_in(agent).post(
        "/cases/new/",
        {
            **LOG,
            "description": "",
            "read_back": "",
            "new_customer_name": "Bad Phone",
            "new_customer_phone": "12",
        },
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in body
    assert 'href="#id_description"' in body
    assert 'href="#id_read_back"' in body
    assert "Bad Phone" in body  # the typed words are kept
    assert Case.objects.count() == 0


def test_a_bad_phone_number_is_named_beside_its_field(agent: User) -> None:
    response = signed_in(agent).post(
        "/cases/new/", {**LOG, "new_customer_name": "Bad Phone", "new_customer_phone": "12"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="id_new_customer_phone-error"' in body
    assert "£80 twice" in body
    assert Case.objects.count() == 0
    assert Customer.objects.count() == 0


def test_an_auditor_cannot_log_a_case(auditor: User, team: Team, customer: Customer) -> None:
    response = signed_in(auditor).post(
        "/cases/new/", {**LOG, "customer": customer.reference, "team": team.slug}
    )
    assert response.status_code in (403, 422)
    assert Case.objects.count() == 0


# --- working a case ----------------------------------------------------------------------------


def post(client: Client, case: Case, path: str, data: dict[str, Any]) -> Any:
    return client.post(f"/cases/{case.reference}/{path}", data)


def test_a_case_goes_from_received_to_closed_through_the_page(
    agent: User, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    client = signed_in(agent)

    def move(to: str, **fields: Any) -> Any:
        case.refresh_from_db()
        data = {f"move-{to}-version": case.version, f"move-{to}-to": to}
        data.update({f"move-{to}-{k}": v for k, v in fields.items()})
        return post(client, case, f"transitions/{to}/", data)

    assert move("acknowledged").status_code == 302
    assert move("investigating").status_code == 302
    refused = move("resolved", resolution_summary="Refunded")
    assert refused.status_code == 409
    body = refused.content.decode()
    assert "Missing: outcome, root_cause" in body
    assert 'id="id_move-resolved-outcome-error"' in body or "id_move-resolved-outcome_0" in body
    assert "Refunded" in body  # the typed summary is kept
    assert (
        move(
            "resolved", resolution_summary="Refunded", outcome="upheld", root_cause="Billing bug"
        ).status_code
        == 302
    )
    assert move("follow_up").status_code == 302
    assert move("closed").status_code == 409
    assert move("closed", customer_confirmed="on").status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert events(case)[-1] == "case.closed"
    page = client.get(f"/cases/{case.reference}/").content.decode()
    for title in ("Acknowledged", "Investigation started", "Resolved", "Closed", "Case logged"):
        assert f'<p class="timeline__title">{title}</p>' in page


def test_only_the_moves_allowed_now_are_offered(
    agent: User, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    body = signed_in(agent).get(f"/cases/{case.reference}/").content.decode()
    offered = set(re.findall(r"/transitions/([a-z_]+)/", body))
    assert offered == {"acknowledged", "escalated", "resolved", "withdrawn"}


def test_a_stale_change_says_who_changed_the_case_and_keeps_the_input(
    agent: User, lead: User, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    opened_at = case.version
    # Someone else changes the case after the agent opened it.
    response = post(
        signed_in(lead),
        case,
        "transitions/acknowledged/",
        {"move-acknowledged-version": opened_at, "move-acknowledged-to": "acknowledged"},
    )
    assert response.status_code == 302
    response = post(
        signed_in(agent),
        case,
        "details/",
        {
            "details-version": opened_at,
            "details-description": "My corrected words",
            "details-channel": "phone",
            "details-severity": "2",
            "details-priority": "normal",
        },
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "leah" in body
    assert "after you opened it" in body
    assert "My corrected words" in body
    case.refresh_from_db()
    assert case.description != "My corrected words"
    assert f'name="details-version" value="{case.version}"' in body


def test_notes_messages_assignment_stakeholders_links_and_attachments(
    agent: User, lead: User, make_case: Callable[..., Case], team: Team
) -> None:
    case = make_case()
    other = make_case(summary="Earlier case")
    client = signed_in(agent)
    assert post(client, case, "notes/", {"note-body": "Called billing."}).status_code == 302
    assert (
        post(
            client,
            case,
            "messages/",
            {
                "message-direction": "outbound",
                "message-channel": "email",
                "message-body": "We are on it.",
            },
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert (
        post(
            client,
            case,
            "assign/",
            {"assign-version": case.version, "assign-team": team.slug, "assign-assignee": "leah"},
        ).status_code
        == 302
    )
    assert (
        post(
            client,
            case,
            "stakeholders/",
            {"stakeholder-role": "informed", "stakeholder-who": f"team:{team.slug}"},
        ).status_code
        == 302
    )
    assert (
        post(
            client, case, "links/", {"link-target": other.reference, "link-kind": "related"}
        ).status_code
        == 302
    )
    response = client.post(
        f"/cases/{case.reference}/attachments/",
        {
            "attachment-file": _upload(
                "letter.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
            )
        },
    )
    assert response.status_code == 302
    assert events(case)[1:] == [
        "case.note_added",
        "case.message_sent",
        "case.assigned",
        "case.stakeholder_added",
        "case.linked",
        "case.attachment_added",
    ]
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Called billing." in page
    assert other.reference in page
    assert "letter.pdf" in page
    [attachment] = case.attachments.all()
    download = client.get(f"/cases/{case.reference}/attachments/{attachment.pk}/")
    assert download["Content-Disposition"] == 'attachment; filename="letter.pdf"'
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.4")


def test_an_attachment_that_is_not_what_it_claims_is_refused(
    agent: User, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    response = signed_in(agent).post(
        f"/cases/{case.reference}/attachments/",
        {"attachment-file": _upload("invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00")},
    )
    assert response.status_code == 415
    assert "There is a problem" in response.content.decode()
    assert "case.attachment_added" not in events(case)


def _upload(name: str, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_the_customer_page_shows_repeat_complaints_and_contact_needs(
    agent: User, make_case: Callable[..., Case], make_customer: Callable[..., Customer]
) -> None:
    person = make_customer(
        "Repeat Person", adjustments=(Adjustment.BSL,), adjustments_note="Use video relay"
    )
    first = make_case(customer=person, summary="First time")
    second = make_case(customer=person, summary="Second time")
    body = signed_in(agent).get(f"/customers/{person.reference}/").content.decode()
    assert first.reference in body and second.reference in body
    assert "Repeat complainant: 2 complaints" in body
    assert "British Sign Language" in body
    assert "Use video relay" in body


def test_configuration_pages_are_for_admins_only(
    make_user: Callable[..., User], agent: User
) -> None:
    admin = make_user("root", "admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    assert signed_in(admin).get("/admin/cases/category/").status_code == 200
    assert signed_in(admin).get("/admin/accounts/team/").status_code == 200
    assert signed_in(agent).get("/admin/cases/category/").status_code == 302


def test_account_services_still_create_users_that_can_sign_in(db: Any) -> None:
    account_services.create_user(
        username="newbie", role="agent", password=PASSWORD, teams=[], actor=None, now=NOW
    )
    response = Client().post("/sign-in/", {"username": "newbie", "password": PASSWORD})
    assert response.status_code == 302


# --- clocks in the workspace -------------------------------------------------------------------


def test_overdue_cases_are_badged_and_fill_the_due_soon_queue(
    agent: User, make_case: Callable[..., Case], make_customer: Callable[..., Customer]
) -> None:
    late = make_case(summary="Logged three weeks ago")  # acknowledgement was due on 4 November
    client = signed_in(agent)
    body = client.get("/cases/?queue=due").content.decode()
    assert late.reference in body
    assert "Overdue" in body
    assert re.search(r"Due soon <span class=\"count\">1</span>", body)
    page = client.get(f"/cases/{late.reference}/").content.decode()
    assert "Deadlines" in page
    assert "Acknowledge the complaint" in page
    assert "Source: ISO 10002" in page


def test_breaches_reach_the_team_lead_in_the_app(
    lead: User, agent: User, make_case: Callable[..., Case]
) -> None:
    from amends.core import clock
    from amends.sla import services as sla_services

    case = make_case(assignee=agent)
    sla_services.sweep(now=clock.now())
    client = signed_in(lead)
    body = client.get("/notifications/").content.decode()
    assert "Missed deadline" in body
    assert case.reference in body
    assert re.search(r"Notifications <span class=\"count\">\d+</span>", body)
    client.post("/notifications/read/")
    assert (
        '<span class="count">'
        not in client.get("/notifications/").content.decode().split("</nav>")[0]
    )
    timeline = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Clock breached" in timeline or "Deadline missed" in timeline
