"""The portal's own records: the sign-in links we email to customers, and the passwords of
customers who chose to sign in with one."""

from __future__ import annotations

from django.db import models


class PortalLink(models.Model):
    """One emailed sign-in link. Only a hash of its token is kept; it works once, until it
    expires. ``sent_at`` is set when the email goes out (the token is made then)."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="portal_links"
    )
    token_hash = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["token_hash"],
                name="portal_link_token_idx",
                condition=~models.Q(token_hash=""),
            )
        ]

    def __str__(self) -> str:
        return f"link {self.pk} for customer {self.customer_id}"


class PortalAccount(models.Model):
    """A customer who chose a password, to sign in without waiting for a link. Only the
    password's hash is kept (Argon2, as for staff)."""

    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="portal_account"
    )
    password_hash = models.CharField(max_length=256)
    created_at = models.DateTimeField()
    changed_at = models.DateTimeField()
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"portal account of customer {self.customer_id}"
