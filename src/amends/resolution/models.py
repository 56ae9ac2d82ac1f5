from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from amends.resolution.domain import (
    CauseKind,
    IshikawaCategory,
    RedressBasis,
    RedressKind,
    RedressStatus,
)


class Cause(models.Model):
    """One cause found for a case: a link of its 5 Whys chain or a cause on its fishbone.
    At most one cause of a case is its root cause."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="causes")
    kind = models.CharField(max_length=10, choices=[(k.value, k.value) for k in CauseKind])
    position = models.PositiveIntegerField(default=0)  # order of the whys
    category = models.CharField(
        max_length=20, blank=True, choices=[(c.value, c.value) for c in IshikawaCategory]
    )
    text = models.CharField(max_length=500)
    evidence = models.TextField(blank=True)
    is_root = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(is_root=True), name="resolution_one_root_per_case"
            )
        ]

    def __str__(self) -> str:
        return self.text


class ActionTask(models.Model):
    """One task of a case's action plan: who does it, by when, after what, and how and when the
    customer is told. A blocking task keeps the case from being resolved until it is done."""

    STATUSES = [("open", "open"), ("done", "done"), ("cancelled", "cancelled")]

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()
    depends_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="dependents"
    )
    blocking = models.BooleanField(default=False)
    customer_update = models.CharField(max_length=500, blank=True)
    customer_update_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default="open")
    done_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["case", "due_on"],
                condition=Q(status="open"),
                name="resolution_task_open_idx",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | Q(owner_team__isnull=False),
                name="resolution_task_has_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title


class SolutionOption(models.Model):
    """A way to put things right, scored on the organisation's weighted factors."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="options")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    scores = models.JSONField(default=dict)
    weighted = models.FloatField()
    remedy_assessment = models.JSONField(null=True, blank=True)
    chosen = models.BooleanField(default=False)
    justification = models.TextField(blank=True)
    cited_factors = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    chosen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(chosen=True), name="resolution_one_chosen_option"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Redress(models.Model):
    """What the organisation gives to put things right: money (as a decimal) or not."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="redress")
    kind = models.CharField(max_length=20, choices=[(k.value, k.value) for k in RedressKind])
    basis = models.CharField(max_length=20, choices=[(b.value, b.value) for b in RedressBasis])
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    description = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=[(s.value, s.value) for s in RedressStatus])
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    payment_reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["created_at"], name="resolution_redress_created_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount or ''}".strip()


class Problem(models.Model):
    """A systemic issue behind many cases, fixed once upstream."""

    STATUSES = [
        ("open", "Open"),
        ("fix_in_progress", "Fix in progress"),
        ("monitoring", "Monitoring"),
        ("closed", "Closed"),
    ]

    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    root_cause = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=STATUSES, default="open")
    corrective_action = models.TextField(blank=True)
    preventive_action = models.TextField(blank=True)
    effectiveness_check_on = models.DateField(null=True, blank=True)
    effective = models.BooleanField(null=True, blank=True)
    effectiveness_result = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def stream(self) -> str:
        return f"problem:{self.reference}"


class ProblemCase(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="links")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="problem_links")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["problem", "case"], name="resolution_problem_case_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.problem_id}-{self.case_id}"


class Survey(models.Model):
    """A follow-up question to the customer, answered through a signed, expiring link."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="surveys")
    nonce = models.CharField(max_length=32, unique=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    expiry_recorded = models.BooleanField(default=False)
    solved = models.BooleanField(null=True, blank=True)
    csat_outcome = models.PositiveSmallIntegerField(null=True, blank=True)
    csat_handling = models.PositiveSmallIntegerField(null=True, blank=True)
    ces = models.PositiveSmallIntegerField(null=True, blank=True)
    nps = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["expires_at"],
                condition=Q(answered_at__isnull=True, expiry_recorded=False),
                name="resolution_survey_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"survey {self.pk} for case {self.case_id}"
