"""The reply coach's panel on the case page: an htmx partial re-rendered as the handler types."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from amends.accounts.auth import web_user
from amends.cases import selectors as case_selectors
from amends.cases.access import access_case
from amends.cases.domain import Direction, InteractionKind
from amends.comms.coach import check_reply
from amends.comms.domain import Section
from amends.comms.schemas import COACH_MAX_CHARS


@login_required
@require_POST
def coach_panel(request: HttpRequest) -> HttpResponse:
    """Check the draft in ``body`` (or any ``<prefix>-body``) against the latest inbound
    message on case ``case``.

    The case is fetched through ``access_case``: a case the user may not see is refused the same
    way the case page refuses it. An empty draft shows the panel's hint, not a report.
    """
    case = access_case(web_user(request), request.POST.get("case", ""))
    # ``body``, or a prefixed form's ``<prefix>-body`` (the case page sends ``message-body``);
    # the composer sends one field per LAST/LEAP section, read in the order the reply has them.
    names = ["body", *(k for k in request.POST if k.endswith("-body"))]
    draft = next((request.POST[k] for k in names if request.POST.get(k)), "")
    if not draft:
        sections = (request.POST.get(s.value, "").strip() for s in Section)
        draft = "\n\n".join(s for s in sections if s)
    draft = draft[:COACH_MAX_CHARS]
    last = (
        case_selectors.list_interactions(case)
        .filter(kind=InteractionKind.MESSAGE, direction=Direction.INBOUND)
        .last()
    )
    report = check_reply(draft, last.body if last else "") if draft.strip() else None
    return render(
        request,
        "comms/_coach_panel.html",
        {"report": report, "case": case, "compared_with": last},
    )
