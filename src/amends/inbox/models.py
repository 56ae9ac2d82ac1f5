from __future__ import annotations

from django.db import models

from amends.inbox.domain import InboundStatus, Source


def _choices(enum: type) -> list[tuple[str, str]]:
    return [(m.value, m.value.replace("_", " ")) for m in enum]  # type: ignore[attr-defined]


class InboundEmail(models.Model):
    """One email that reached us, once per Message-ID, with what became of it.

    The original message is kept on the file store (``storage_name``) exactly as received,
    except when it was rejected: then nothing of it is kept but this record."""

    message_id = models.CharField(max_length=500, unique=True)
    source = models.CharField(max_length=10, choices=_choices(Source))
    received_at = models.DateTimeField()
    envelope_from = models.CharField(max_length=254, blank=True)
    envelope_to = models.TextField(blank=True)  # the recipients, one a line
    from_address = models.CharField(max_length=254, blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=_choices(InboundStatus))
    reason = models.TextField(blank=True)
    # The sender asked for no automatic answers (Auto-Response-Suppress): acknowledge by hand.
    no_auto_reply = models.BooleanField(default=False)
    # When the sender was told their email was refused (mailbox polling only: over SMTP their
    # own server tells them).
    notice_sent_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    interaction = models.ForeignKey(
        "cases.Interaction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A flagged email a person has read and dealt with (say, logged a case by hand), and how.
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "-received_at"], name="inbox_status_idx")]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.status})"
