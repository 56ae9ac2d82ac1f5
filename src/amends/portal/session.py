"""The portal session: a customer signed in by an emailed link. Not a staff sign-in.

The session holds the customer's id under its own key and ends after
AMENDS_PORTAL_SESSION_MINUTES without a request. Signing in and out changes the session key.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest

CUSTOMER = "portal_customer"
UNTIL = "portal_until"


def _until(now: datetime) -> float:
    return (now + timedelta(minutes=settings.AMENDS_PORTAL_SESSION_MINUTES)).timestamp()


def start(request: HttpRequest, customer_id: int, now: datetime) -> None:
    request.session.cycle_key()
    request.session[CUSTOMER] = customer_id
    request.session[UNTIL] = _until(now)


def end(request: HttpRequest) -> None:
    had = CUSTOMER in request.session
    request.session.pop(CUSTOMER, None)
    request.session.pop(UNTIL, None)
    if had:
        request.session.cycle_key()


def customer_id(request: HttpRequest, now: datetime) -> int | None:
    """The signed-in customer's id, or None (and the session ended) once it has expired."""
    found = request.session.get(CUSTOMER)
    until = request.session.get(UNTIL)
    if not isinstance(found, int) or not isinstance(until, int | float):
        return None
    if now.timestamp() >= until:
        end(request)
        return None
    request.session[UNTIL] = _until(now)
    return found
