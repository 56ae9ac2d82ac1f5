from __future__ import annotations

from django.db import models

from amends.comms.domain import EmailStatus, LetterStatus, Purpose, Structure


def _choices(enum: type) -> list[tuple[str, str]]:
    return [(m.value, m.value.replace("_", " ")) for m in enum]  # type: ignore[attr-defined]


class ReplyTemplate(models.Model):
    """A reply or letter the handler starts from: sections on LAST or LEAP, with merge fields,
    and for a required communication one paragraph per mandatory content item (``items``)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    purpose = models.CharField(max_length=30, choices=_choices(Purpose))
    structure = models.CharField(
        max_length=10, choices=_choices(Structure), default=Structure.LAST.value
    )
    communication = models.CharField(
        max_length=120,
        blank=True,
        help_text="The communication a policy pack requires, as pack/communication "
        "(for example fca-disp/final_response); leave blank for an ordinary reply.",
    )
    subject = models.CharField(max_length=200, blank=True)
    opening = models.TextField(blank=True)
    what_i_heard = models.TextField(blank=True, verbose_name="what I heard (listen)")
    empathy = models.TextField(blank=True)
    apology = models.TextField(blank=True)
    solution = models.TextField(blank=True, verbose_name="what we will do, and by when")
    thanks = models.TextField(blank=True)
    closing = models.TextField(blank=True)
    items = models.JSONField(
        default=dict,
        blank=True,
        help_text="One paragraph per mandatory content item of the communication: "
        '{"item_id": "paragraph text"}.',
    )
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["purpose", "code"]

    def __str__(self) -> str:
        return self.name


class OutboundEmail(models.Model):
    """An email to the customer, queued as its outbound message and sent by a job."""

    interaction = models.OneToOneField(
        "cases.Interaction", on_delete=models.PROTECT, related_name="outbound_email"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="emails_out")
    purpose = models.CharField(max_length=30, blank=True)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=300)
    message_id = models.CharField(max_length=500, unique=True)
    in_reply_to = models.CharField(max_length=500, blank=True)
    references = models.TextField(blank=True)  # space-separated, without angle brackets
    auto_submitted = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=_choices(EmailStatus), default=EmailStatus.READY.value
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "purpose"], name="outbound_case_purpose_idx")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class Letter(models.Model):
    """A printable letter to the customer, kept with its outbound message."""

    interaction = models.OneToOneField(
        "cases.Interaction", on_delete=models.PROTECT, related_name="letter"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="letters")
    purpose = models.CharField(max_length=30, blank=True)
    to_name = models.CharField(max_length=200)
    to_address = models.TextField(blank=True)
    format = models.CharField(max_length=20, default="standard")
    status = models.CharField(
        max_length=10, choices=_choices(LetterStatus), default=LetterStatus.TO_PRINT.value
    )
    created_at = models.DateTimeField()
    printed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "purpose"], name="letter_case_purpose_idx")]

    def __str__(self) -> str:
        return f"Letter to {self.to_name}"
