from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class CaseClock(models.Model):
    """One deadline of one case under one policy pack: when it started, when it is due, and
    whether it was met. Recomputed from the case's events whenever one that matters happens."""

    # Indexed by the unique (case, pack, rule) constraint, which begins with it.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="clocks", db_index=False
    )
    pack = models.CharField(max_length=60)
    rule = models.CharField(max_length=60)
    title = models.CharField(max_length=300)
    source = models.CharField(max_length=500, blank=True)
    verified = models.BooleanField(default=True)
    basis = models.CharField(max_length=300, blank=True)
    started_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)  # working-hours rules only
    warn_on = models.DateField(null=True, blank=True)
    paused = models.BooleanField(default=False)
    extended_by = models.PositiveIntegerField(default=0)
    stopped_at = models.DateTimeField(null=True, blank=True)
    met = models.BooleanField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "pack", "rule"], name="sla_clock_case_rule_uniq"
            )
        ]
        indexes = [
            # The sweeps read running clocks by date only.
            models.Index(
                fields=["due_on"],
                name="sla_clock_running_due_idx",
                condition=Q(stopped_at__isnull=True, breached_at__isnull=True),
            ),
            models.Index(
                fields=["warn_on"],
                name="sla_clock_running_warn_idx",
                condition=Q(stopped_at__isnull=True, warned_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pack}/{self.rule} due {self.due_on}"


class Notification(models.Model):
    """A message to one person in the app (and by email): a clock about to run out, a breach."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    case = models.ForeignKey("cases.Case", null=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"], name="sla_notif_user_idx")
        ]

    def __str__(self) -> str:
        return self.message


class ServiceLevelPolicy(models.Model):
    """One of the organisation's own targets (configured in the admin). Blank matchers match
    every case; the most specific policy covering a case sets its clock for that target."""

    TARGETS = [
        ("first_response", "First response"),
        ("next_update", "Next update"),
        ("resolution", "Resolution"),
        ("follow_up", "Follow-up"),
    ]
    UNITS = [
        ("working_hours", "Working hours"),
        ("working_days", "Working days"),
        ("calendar_days", "Calendar days"),
        ("calendar_weeks", "Calendar weeks"),
    ]

    name = models.CharField(max_length=120)
    target = models.CharField(max_length=20, choices=TARGETS)
    count = models.PositiveIntegerField()
    unit = models.CharField(max_length=20, choices=UNITS, default="working_days")
    kind = models.CharField(max_length=20, blank=True, help_text="blank: every kind")
    priority = models.CharField(max_length=20, blank=True, help_text="blank: every priority")
    severity = models.PositiveSmallIntegerField(null=True, blank=True)
    category = models.SlugField(max_length=60, blank=True, help_text="a category slug")
    segment = models.CharField(max_length=60, blank=True, help_text="a customer segment")
    pausable = models.BooleanField(
        default=True, help_text="stops while the case waits for the customer"
    )
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="sla_policy_count_positive"),
        ]

    def __str__(self) -> str:
        return self.name
