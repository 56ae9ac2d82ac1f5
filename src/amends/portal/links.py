"""Sign-in links for the portal: emailed, single use, expiring; no account or password needed.

A customer asks for a link with their email address. The answer is the same whether or not we
know the address, so the form does not tell anyone who our customers are. When we do know it, a
:class:`PortalLink` is stored and its ``portal.link_issued`` event, after commit, queues the task
that makes the token and emails it (:func:`send_link`). Only a SHA-256 hash of the token is
kept. Opening the link shows a button; pressing it (a POST, so that mail scanners that fetch
links do not use it up) spends the link and starts a portal session.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction

from amends.core import timeline
from amends.core.errors import NotFoundError, ValidationError
from amends.customers import selectors as customer_selectors
from amends.customers.models import Customer
from amends.customers.services import customer_stream
from amends.portal.models import PortalLink

LINK_ISSUED = "portal.link_issued"


class LinkRequest(StrEnum):
    ACCEPTED = "accepted"  # a link went out if we know the address (we never say which)
    LIMITED = "limited"  # too many requests from this address or this IP address


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _within_limit(key: str, limit: int | None = None) -> bool:
    """Count one request against ``key`` for an hour; False once past the limit."""
    limit = settings.AMENDS_PORTAL_LINKS_PER_HOUR if limit is None else limit
    cache_key = f"portal:links:{_digest(key)}"
    cache.add(cache_key, 0, timeout=3600)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=3600)
        count = 1
    return count <= limit


def may_send_to(email: str) -> bool:
    """Count a link to this address against its hourly limit; False once past it."""
    return _within_limit(f"email:{email.strip().lower()}")


def may_raise_from(client: str) -> bool:
    """Count a problem raised without signing in from this client address against its hourly
    limit (``AMENDS_PORTAL_RAISES_PER_HOUR``); False once past it. Stops a script filling the
    queue with cases; a signed-in customer is not counted."""
    return _within_limit(f"raise:{client}", settings.AMENDS_PORTAL_RAISES_PER_HOUR)


def within_client_limit(client: str) -> bool:
    """Count a request from this client address (links, password sign-ins) against its limit."""
    return _within_limit(f"ip:{client}")


def request_link(*, email: str, client: str, now: datetime) -> LinkRequest:
    """Email a sign-in link to the customer with this address, if there is one."""
    address = email.strip().lower()
    if not may_send_to(address) or not within_client_limit(client):
        return LinkRequest.LIMITED
    customer = customer_selectors.find_customer_by_email(address)
    if customer is not None:
        issue_link(customer=customer, now=now)
    return LinkRequest.ACCEPTED


@transaction.atomic
def issue_link(*, customer: Customer, now: datetime) -> PortalLink:
    """A new link for ``customer``; it is emailed after commit."""
    link = PortalLink.objects.create(
        customer=customer,
        created_at=now,
        expires_at=now + timedelta(minutes=settings.AMENDS_PORTAL_LINK_MINUTES),
    )
    timeline.record_event(
        stream=customer_stream(customer),
        type=LINK_ISSUED,
        actor=None,
        now=now,
        data={"link": link.pk, "expires_at": link.expires_at},
    )
    return link


def link_url(token: str) -> str:
    return f"{settings.AMENDS_BASE_URL.rstrip('/')}/portal/sign-in/{token}/"


def send_link(*, link_id: int, now: datetime) -> bool:
    """Make the link's token and email it. Safe to retry: a retry makes a fresh token, so only
    the newest email's link works. False when there is nothing to send."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        link = (
            PortalLink.objects.select_for_update()
            .select_related("customer")
            .filter(pk=link_id)
            .first()
        )
        if link is None or link.used_at is not None or now >= link.expires_at:
            return False
        if not link.customer.email:
            return False
        PortalLink.objects.filter(pk=link.pk).update(token_hash=_digest(token), sent_at=now)
    minutes = settings.AMENDS_PORTAL_LINK_MINUTES
    send_mail(
        subject="Your link to follow your complaint",
        message=(
            f"Hello {link.customer.name},\n\n"
            "Use this link to see your complaints, send us a message or add documents:\n\n"
            f"{link_url(token)}\n\n"
            f"The link works once, for {minutes} minutes. "
            "If it has stopped working, you can ask for a new one on the same page.\n\n"
            "If you did not ask for this link, you can ignore this email."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[link.customer.email],
    )
    return True


def link_for(token: str, now: datetime) -> PortalLink:
    """The link a token names, if it is genuine, unused and unexpired."""
    link = (
        PortalLink.objects.select_related("customer")
        .filter(token_hash=_digest(token.strip()))
        .exclude(token_hash="")
        .first()
        if token.strip()
        else None
    )
    if link is None:
        raise NotFoundError(
            "This link is not one we sent. Check you copied all of it.",
            fields={"link": "invalid"},
        )
    if link.used_at is not None:
        raise ValidationError(
            "This link has already been used. Each link works once.", fields={"link": "used"}
        )
    if now >= link.expires_at:
        raise ValidationError("This link has expired.", fields={"link": "expired"})
    return link


@transaction.atomic
def use_link(*, token: str, now: datetime) -> Customer:
    """Spend the link and return its customer (once; a second use is refused)."""
    link = link_for(token, now)
    claimed = PortalLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now)
    if not claimed:
        raise ValidationError(
            "This link has already been used. Each link works once.", fields={"link": "used"}
        )
    timeline.record_event(
        stream=customer_stream(link.customer),
        type="portal.signed_in",
        actor=None,
        actor_label="customer",
        now=now,
        data={"link": link.pk},
    )
    return link.customer
