from __future__ import annotations

from django.conf import settings
from django.db import models

from amends.core.models import VersionedModel
from amends.customers.domain import (
    INTERNAL_KINDS,
    AuthorityScope,
    ContactChannel,
    ContactFormat,
    CustomerKind,
    LawfulBasis,
    Relationship,
    VulnerabilityBasis,
    VulnerabilityDriver,
)


def _choices(enum: type) -> list[tuple[str, str]]:
    return [(m.value, m.value) for m in enum]  # type: ignore[attr-defined]


class Customer(VersionedModel):
    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=20, choices=_choices(CustomerKind))
    name = models.CharField(max_length=200)
    organisation_name = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True, db_index=True)
    phone = models.CharField(max_length=20, blank=True, db_index=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=12, blank=True)
    preferred_channel = models.CharField(
        max_length=20, choices=_choices(ContactChannel), default=ContactChannel.EMAIL.value
    )
    preferred_format = models.CharField(
        max_length=20, choices=_choices(ContactFormat), default=ContactFormat.STANDARD.value
    )
    preferred_language = models.CharField(max_length=16, default="en")
    adjustments = models.JSONField(default=list, blank=True)
    adjustments_note = models.TextField(blank=True)
    segment = models.CharField(max_length=60, blank=True)
    external_id = models.CharField(max_length=100, blank=True, db_index=True)
    lawful_basis = models.CharField(
        max_length=30, choices=_choices(LawfulBasis), default=LawfulBasis.LEGITIMATE_INTERESTS.value
    )

    class Meta:
        indexes = [models.Index(fields=["name"], name="customer_name_idx")]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    @property
    def is_internal(self) -> bool:
        return CustomerKind(self.kind) in INTERNAL_KINDS


class Vulnerability(models.Model):
    """One indicator of vulnerability (FCA FG21/1 driver), held on a recorded basis."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="vulnerabilities")
    driver = models.CharField(max_length=20, choices=_choices(VulnerabilityDriver))
    detail = models.TextField(blank=True)
    support_needed = models.TextField(blank=True)
    basis = models.CharField(max_length=30, choices=_choices(VulnerabilityBasis))
    consent_given_at = models.DateTimeField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.customer_id}:{self.driver}"


class Representative(models.Model):
    """Someone who acts for a customer, with the evidence of their authority."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="representatives")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=30, choices=_choices(Relationship))
    organisation_name = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    authority_evidence = models.TextField()
    evidence_verified_at = models.DateTimeField(null=True, blank=True)
    scope = models.CharField(max_length=20, choices=_choices(AuthorityScope))
    valid_from = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} for {self.customer_id}"
