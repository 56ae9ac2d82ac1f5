"""Root-cause analysis on a case: 5 Whys, the fishbone, one root, and the resolved guard."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from amends.accounts.models import User
from amends.cases import services as case_services
from amends.cases.domain import Outcome, Status, TransitionRequest
from amends.cases.models import Case
from amends.core.errors import TransitionNotAllowedError, ValidationError
from amends.core.models import Event
from amends.resolution import services
from amends.resolution.domain import MAX_WHYS, CauseKind, IshikawaCategory
from amends.resolution.models import Cause
from tests.conftest import NOW


def why(case: Case, text: str, agent: User, evidence: str = "") -> Cause:
    return services.add_cause(
        case=case, kind=CauseKind.WHY, text=text, evidence=evidence, actor=agent, now=NOW
    )


def test_whys_are_numbered_and_each_is_an_event(
    make_case: Callable[..., Case], agent: User
) -> None:
    case = make_case()
    first = why(case, "The direct debit was taken twice", agent, "Bank statement of 3 October")
    second = why(case, "The batch job was run twice", agent)
    assert (first.position, second.position) == (1, 2)
    events = Event.objects.filter(stream=case.stream, type="rca.why_added").order_by("seq")
    assert [e.data["text"] for e in events] == [first.text, second.text]
    assert events[0].data["evidence"] == "Bank statement of 3 October"


def test_a_fishbone_cause_needs_a_category(make_case: Callable[..., Case], agent: User) -> None:
    with pytest.raises(ValidationError) as refused:
        services.add_cause(
            case=make_case(), kind=CauseKind.ISHIKAWA, text="No retry guard", actor=agent, now=NOW
        )
    assert "category" in refused.value.fields


def test_a_chain_cannot_grow_forever(make_case: Callable[..., Case], agent: User) -> None:
    case = make_case()
    for n in range(MAX_WHYS):
        why(case, f"Because {n}", agent)
    with pytest.raises(ValidationError, match="cannot be recorded"):
        why(case, "Because again", agent)


def test_only_one_root_cause_and_moving_it_is_recorded(
    make_case: Callable[..., Case], agent: User
) -> None:
    case = make_case()
    a = why(case, "The batch job was run twice", agent)
    b = services.add_cause(
        case=case,
        kind=CauseKind.ISHIKAWA,
        category=IshikawaCategory.TECHNOLOGY,
        text="The scheduler has no guard against a second run",
        actor=agent,
        now=NOW,
    )
    services.mark_root(cause=a, actor=agent, now=NOW)
    services.mark_root(cause=b, actor=agent, now=NOW)
    assert list(Cause.objects.filter(case=case, is_root=True)) == [b]
    moved = Event.objects.filter(stream=case.stream, type="rca.root_marked").last()
    assert moved is not None and moved.data["before"] == {"root": a.text}


def test_a_marked_root_cause_satisfies_the_resolved_guard(
    make_case: Callable[..., Case], agent: User
) -> None:
    case = make_case(status=Status.INVESTIGATING)
    resolve = TransitionRequest(
        to=Status.RESOLVED, resolution_summary="Refunded", outcome=Outcome.UPHELD
    )
    with pytest.raises(TransitionNotAllowedError, match="root_cause"):
        case_services.transition_case(
            case=case, request=resolve, expected_version=case.version, actor=agent, now=NOW
        )
    cause = services.add_cause(
        case=case,
        kind=CauseKind.ISHIKAWA,
        category=IshikawaCategory.PROCESS,
        text="No check that a collection was already taken",
        actor=agent,
        now=NOW,
    )
    services.mark_root(cause=cause, actor=agent, now=NOW)
    case_services.transition_case(
        case=case, request=resolve, expected_version=case.version, actor=agent, now=NOW
    )
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    assert case.root_cause == "Process: No check that a collection was already taken"
    with pytest.raises(ValidationError, match="reopen it"):
        why(case, "Too late", agent)


def test_the_case_page_draws_the_fishbone_with_a_text_equivalent(
    make_case: Callable[..., Case], agent: User, other_agent: User
) -> None:
    case = make_case()
    client = Client()
    client.force_login(agent)
    response = client.post(
        f"/cases/{case.reference}/causes/",
        {"cause-category": "people", "cause-text": "New starter not trained on refunds"},
    )
    assert response.status_code == 302
    client.post(f"/cases/{case.reference}/whys/", {"why-text": "The refund was keyed twice"})
    body = client.get(f"/cases/{case.reference}/").content.decode()
    assert re.search(
        r'<svg[^>]*role="img"[^>]*aria-labelledby="fishbone-title fishbone-desc"', body
    )
    assert "New starter not trained on refunds" in body
    assert "<strong>People</strong>" in body  # the text equivalent
    cause = Cause.objects.get(case=case, kind="ishikawa")
    client.post(f"/cases/{case.reference}/causes/{cause.pk}/root/")
    assert (
        "Root cause:</strong> New starter not trained on refunds"
        in client.get(f"/cases/{case.reference}/").content.decode()
    )
    empty = client.post(f"/cases/{case.reference}/whys/", {"why-text": ""})
    assert empty.status_code == 422
    outsider = Client()
    outsider.force_login(other_agent)
    assert outsider.post(f"/cases/{case.reference}/whys/", {"why-text": "x"}).status_code == 403
