from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from amends.cases.domain import (
    FINISHED,
    CaseKind,
    Channel,
    Direction,
    FollowUpResult,
    InteractionKind,
    JourneyStage,
    LinkKind,
    Outcome,
    Priority,
    StakeholderRole,
    Status,
)
from amends.core.models import VersionedModel


def _choices(enum: type) -> list[tuple[str, str]]:
    return [(m.value, m.value) for m in enum]  # type: ignore[attr-defined]


# The queue indexes cover open cases only; queries repeat this condition word for word.
OPEN_CONDITION = ~Q(status__in=sorted(s.value for s in FINISHED))


class Category(models.Model):
    """The organisation's taxonomy of what cases are about. Configurable; seeded on migrate."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class ComplaintDefinition(models.Model):
    """A definition of "complaint" that a determination can apply (the organisation's or a
    regulator's), with where it comes from."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    text = models.TextField()
    source = models.CharField(max_length=300)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Case(VersionedModel):
    reference = models.CharField(max_length=24, unique=True)
    kind = models.CharField(max_length=20, choices=_choices(CaseKind))
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    channel = models.CharField(max_length=20, choices=_choices(Channel))
    journey_stage = models.CharField(max_length=20, choices=_choices(JourneyStage), blank=True)
    severity = models.PositiveSmallIntegerField(default=2)
    priority = models.CharField(
        max_length=10, choices=_choices(Priority), default=Priority.NORMAL.value
    )
    summary = models.CharField(max_length=200)
    description = models.TextField()
    remedy_sought = models.TextField(blank=True)
    product = models.CharField(max_length=200, blank=True)
    read_back = models.TextField(blank=True)
    # The earliest due date of the case's running clocks (kept by amends.sla), for queues.
    next_due_on = models.DateField(null=True, blank=True)

    # No index of their own: case_customer_idx and case_team_received_idx begin with them, and
    # every index is another page to write for each case logged.
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    representative = models.ForeignKey(
        "customers.Representative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )

    status = models.CharField(
        max_length=20, choices=_choices(Status), default=Status.RECEIVED.value
    )
    resume_status = models.CharField(max_length=20, choices=_choices(Status), blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    resolution_summary = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=_choices(Outcome), blank=True)
    root_cause = models.TextField(blank=True)
    withdrawn_reason = models.TextField(blank=True)
    customer_confirmed_at = models.DateTimeField(null=True, blank=True)

    received_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # Whether this contact is a complaint, and on what definition: a recorded decision.
    determination_definition = models.ForeignKey(
        ComplaintDefinition, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    determination_rationale = models.TextField(blank=True)
    determined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    determined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["team", "received_at", "id"],
                condition=OPEN_CONDITION,
                name="case_team_open_idx",
            ),
            models.Index(
                fields=["assignee", "received_at", "id"],
                condition=OPEN_CONDITION,
                name="case_assignee_open_idx",
            ),
            models.Index(fields=["team", "received_at", "id"], name="case_team_received_idx"),
            models.Index(fields=["received_at", "id"], name="case_received_idx"),
            models.Index(fields=["customer", "received_at"], name="case_customer_idx"),
            models.Index(fields=["status"], name="case_status_idx"),
            models.Index(
                fields=["team", "next_due_on", "id"],
                condition=OPEN_CONDITION & Q(next_due_on__isnull=False),
                name="case_team_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__gte=1, severity__lte=4), name="case_severity_1_to_4"
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def stream(self) -> str:
        return f"case:{self.reference}"


class CaseStakeholder(models.Model):
    """A person or internal department with a role on the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stakeholders")
    role = models.CharField(max_length=20, choices=_choices(StakeholderRole))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(team__isnull=True))
                | (Q(user__isnull=True) & Q(team__isnull=False)),
                name="stakeholder_user_xor_team",
            ),
            models.UniqueConstraint(
                fields=["case", "role", "user", "team"], name="stakeholder_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.role}"


class CaseLink(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="links_in")
    kind = models.CharField(max_length=20, choices=_choices(LinkKind))
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "target", "kind"], name="case_link_unique"),
            models.CheckConstraint(
                condition=~Q(case=models.F("target")), name="case_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.target_id}"


class Interaction(models.Model):
    """A message in or out on any channel, or an internal note."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="interactions")
    kind = models.CharField(max_length=10, choices=_choices(InteractionKind))
    direction = models.CharField(max_length=10, choices=_choices(Direction))
    channel = models.CharField(max_length=20, choices=_choices(Channel), blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    counterpart = models.CharField(max_length=254, blank=True)  # who it was from or to
    # The RFC 5322 Message-ID of an email in or out, without angle brackets: threading looks it up.
    message_id = models.CharField(max_length=500, blank=True, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["case", "occurred_at"], name="interaction_case_idx"),
            models.Index(
                fields=["message_id"],
                name="interaction_message_id_idx",
                condition=~models.Q(message_id=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.direction}"


class Attachment(models.Model):
    """A file kept on the attachment store (not in the database), checked by its content."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    interaction = models.ForeignKey(
        Interaction, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.filename


class FollowUpAttempt(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="follow_ups")
    channel = models.CharField(max_length=20, choices=_choices(Channel))
    result = models.CharField(max_length=20, choices=_choices(FollowUpResult))
    note = models.TextField(blank=True)
    attempted_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.case_id} {self.result}"


class IdempotencyKey(models.Model):
    """A client's key for one creation, so that a retried request returns the first result."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    case = models.ForeignKey(Case, null=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key_unique")
        ]

    def __str__(self) -> str:
        return self.key


class SavedFilter(models.Model):
    """A handler's named queue: a set of filters over cases, kept as the query string's values."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(max_length=80)
    params = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_filter_owner_name_unique")
        ]

    def __str__(self) -> str:
        return self.name
