"""Problem records end to end: similar cases suggested, three cases linked to one problem, a
corrective action, and an effectiveness check."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from amends.accounts.models import User
from amends.cases.models import Case
from amends.core.models import Event
from amends.resolution.models import Problem


def test_three_similar_cases_one_problem_a_fix_and_its_check(
    make_case: Callable[..., Case], agent: User, auditor: User
) -> None:
    first = make_case(summary="Charged twice for my October direct debit")
    second = make_case(summary="Direct debit taken twice this month")
    third = make_case(summary="Double direct debit again")
    unrelated = make_case(
        summary="Parcel left in the rain",
        description="The courier left my parcel on the step in the rain.",
        category="delivery-and-timeliness",
    )
    client = Client()
    client.force_login(agent)

    page = client.get(f"/cases/{first.reference}/").content.decode()
    similar = page.split("Similar open cases")[1]
    assert second.reference in similar and third.reference in similar
    assert unrelated.reference not in similar

    response = client.post(
        "/problems/",
        {
            "from_case": first.reference,
            "problem-title": "Direct debits collected twice",
            "problem-root_cause": "The collection batch can run twice",
        },
    )
    problem = Problem.objects.get()
    assert response["Location"] == f"/problems/{problem.reference}/"
    assert problem.reference.startswith("P-2026-")
    for case in (second, third):
        assert (
            client.post(
                f"/cases/{case.reference}/problems/", {"problem": problem.reference}
            ).status_code
            == 302
        )
    assert problem.links.count() == 3
    assert Event.objects.filter(stream=third.stream, type="case.problem_linked").count() == 1
    again = client.post(
        f"/cases/{third.reference}/problems/", {"problem": problem.reference}, follow=True
    )
    assert "already linked" in again.content.decode()

    bad = client.post(
        f"/problems/{problem.reference}/",
        {
            "action": "actions",
            "actions-corrective_action": "",
            "actions-effectiveness_check_on": "2020-01-01",
        },
    )
    assert bad.status_code == 422
    client.post(
        f"/problems/{problem.reference}/",
        {
            "action": "actions",
            "actions-corrective_action": "Lock the batch so it runs once a day",
            "actions-preventive_action": "Alert when two batches start within an hour",
            "actions-effectiveness_check_on": "2027-01-15",
        },
    )
    problem.refresh_from_db()
    assert problem.status == "fix_in_progress"
    client.post(
        f"/problems/{problem.reference}/",
        {
            "action": "check",
            "check-effective": "yes",
            "check-result": "No double collections in December",
        },
    )
    problem.refresh_from_db()
    assert (problem.status, problem.effective) == ("closed", True)
    types = list(
        Event.objects.filter(stream=problem.stream).order_by("seq").values_list("type", flat=True)
    )
    assert types == [
        "problem.created",
        "problem.case_linked",
        "problem.case_linked",
        "problem.case_linked",
        "problem.actions_planned",
        "problem.effectiveness_checked",
    ]
    listing = client.get("/problems/").content.decode()
    assert problem.reference in listing and "Closed" in listing

    reader = Client()
    reader.force_login(auditor)
    assert reader.get(f"/problems/{problem.reference}/").status_code == 200
    assert reader.post("/problems/", {"problem-title": "x"}).status_code == 403
