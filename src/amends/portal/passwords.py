"""Signing in to the portal with a password, for customers who chose one (after signing in with
an emailed link). The link stays the way in for everyone else, and the way back in for anyone
who forgets their password.

A wrong address and a wrong password get the same answer, take the same time (a hash is
checked either way), and count against the same hourly limits per address and per client
address as the links do."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from amends.core import timeline
from amends.core.errors import AuthenticationError, ValidationError
from amends.customers import selectors as customer_selectors
from amends.customers.services import customer_stream
from amends.portal import links
from amends.portal.models import PortalAccount

if TYPE_CHECKING:
    from amends.customers.models import Customer

NO_MATCH = "That email address and password do not match. Check them, or ask for a link."
_DUMMY_HASH = make_password("a password nobody has")  # checked when the address is unknown


@transaction.atomic
def set_password(*, customer: Customer, password: str, now: datetime) -> PortalAccount:
    """Choose (or change) the customer's portal password, checked by the same rules as staff
    passwords. The event names no password and no hash."""
    try:
        validate_password(password)
    except DjangoValidationError as error:
        raise ValidationError(
            "Choose another password.", fields={"password": list(error.messages)}
        ) from error
    account, created = PortalAccount.objects.update_or_create(
        customer=customer,
        defaults={"password_hash": make_password(password), "changed_at": now},
        create_defaults={
            "password_hash": make_password(password),
            "created_at": now,
            "changed_at": now,
        },
    )
    timeline.record_event(
        stream=customer_stream(customer),
        type="portal.password_set" if created else "portal.password_changed",
        actor=None,
        now=now,
        data={"by": "customer"},
    )
    return account


def sign_in_with_password(*, email: str, password: str, client: str, now: datetime) -> Customer:
    """The customer with this address and password, or :class:`AuthenticationError` with one
    message whatever was wrong."""
    address = email.strip().lower()
    if not links.may_send_to(address) or not links.within_client_limit(client):
        raise AuthenticationError(
            "Too many attempts. Please wait an hour, or ask for a link.",
            fields={"password": "too many attempts"},
        )
    customer = customer_selectors.find_customer_by_email(address)
    account = (
        PortalAccount.objects.filter(customer=customer).first() if customer is not None else None
    )
    matches = check_password(password, account.password_hash if account else _DUMMY_HASH)
    if customer is None or account is None or not matches:
        raise AuthenticationError(NO_MATCH, fields={"password": "no match"})
    PortalAccount.objects.filter(pk=account.pk).update(last_sign_in_at=now)
    return customer


def has_password(customer_id: int) -> bool:
    return PortalAccount.objects.filter(customer_id=customer_id).exists()
