"""Customer pages: find a customer; one customer's record, cases and contacts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amends.accounts.auth import web_user
from amends.accounts.domain import can_see_vulnerability
from amends.cases import presenters as case_presenters
from amends.cases import selectors as case_selectors
from amends.customers import selectors
from amends.customers.access import access_customer
from amends.customers.presenters import customer_detail

RESULTS = 25
CASES_SHOWN = 200


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    web_user(request)
    q = request.GET.get("q", "").strip()[:200]
    results = list(selectors.search_customers(q).order_by("name")[:RESULTS]) if q else []
    return render(
        request, "customers/search.html", {"nav": "customers", "q": q, "results": results}
    )


@login_required
@require_GET
def customer_page(request: HttpRequest, reference: str) -> HttpResponse:
    user = web_user(request)
    customer = access_customer(user, reference)
    page = case_selectors.list_cases(
        user,
        case_selectors.CaseQuery(customer=customer.reference, limit=CASES_SHOWN),
    )
    cases = case_presenters.case_rows(page.items)
    complaints = [c for c in cases if c["kind"] == "complaint"]
    hidden = case_selectors.count_customer_cases(customer.pk) - len(cases)
    context = {
        "nav": "customers",
        "customer": customer_detail(customer, user),
        "sees_vulnerability": can_see_vulnerability(user.role_enum),
        "cases": cases,
        "complaints": len(complaints),
        "open_cases": sum(1 for c in cases if c["status"] not in ("closed", "withdrawn")),
        "hidden_cases": max(hidden, 0) if not page.next_cursor else None,
        "interactions": case_selectors.list_customer_interactions(user, customer.pk)[:50],
    }
    return render(request, "customers/customer.html", context)
