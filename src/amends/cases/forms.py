"""Forms of the agent workspace. They parse and check what a person typed; the rules live in
the services and the domain, whose errors come back onto these forms beside the field."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django import forms

from amends.cases import selectors
from amends.cases.domain import (
    CaseKind,
    Channel,
    Direction,
    FollowUpResult,
    JourneyStage,
    LinkKind,
    Outcome,
    Priority,
    StakeholderRole,
    Status,
)
from amends.core.templatetags.amends import label
from amends.customers.domain import Adjustment, ContactChannel, CustomerKind
from amends.sla import services as sla_services

SEVERITY_CHOICES = [
    ("1", "1: minor"),
    ("2", "2: moderate"),
    ("3", "3: serious"),
    ("4", "4: critical"),
]
# Channels a handler logs by hand; email, web form and portal contacts arrive by themselves.
LOGGED_CHANNELS = (
    Channel.PHONE,
    Channel.IN_PERSON,
    Channel.LETTER,
    Channel.SOCIAL_MEDIA,
    Channel.EMAIL,
    Channel.CHAT,
    Channel.SMS,
)


def choices(values: Any, *, blank: str | None = None) -> list[tuple[str, str]]:
    out = [("", blank)] if blank is not None else []
    return out + [(v.value if isinstance(v, StrEnum) else v, label(v)) for v in values]


def category_choices(blank: str | None = "Not yet known") -> list[tuple[str, str]]:
    rows = [(c.slug, c.name) for c in selectors.list_categories()]
    return ([("", blank)] if blank is not None else []) + rows


def text(max_length: int = 4000, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        max_length=max_length, widget=forms.Textarea(attrs={"rows": 4}), **kwargs
    )


class VersionedForm(forms.Form):
    """A change to a case, made from the version the person was looking at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# --- queues ------------------------------------------------------------------------------------

SORT_CHOICES = [
    ("-received_at", "Newest first"),
    ("received_at", "Oldest first"),
    ("-severity", "Most severe first"),
    ("-updated_at", "Recently updated"),
    ("next_due_on", "Due soonest first"),
]


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Words from the case, or a case reference",
    )
    status = forms.MultipleChoiceField(
        required=False,
        choices=[("open", "Open (any)"), ("finished", "Finished (any)"), *choices(Status)],
    )
    kind = forms.MultipleChoiceField(required=False, choices=choices(CaseKind))
    category = forms.MultipleChoiceField(required=False, choices=[])
    priority = forms.MultipleChoiceField(required=False, choices=choices(Priority))
    severity = forms.MultipleChoiceField(required=False, choices=SEVERITY_CHOICES)
    channel = forms.MultipleChoiceField(required=False, choices=choices(Channel))
    journey_stage = forms.MultipleChoiceField(
        required=False, choices=choices(JourneyStage), label="Journey stage"
    )
    assignee = forms.CharField(required=False, max_length=150, help_text="A username, me, or none")
    older_than = forms.IntegerField(
        required=False, min_value=0, max_value=3650, label="Older than (days)"
    )
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(blank=None)  # type: ignore[attr-defined]
        for name in (
            "status",
            "kind",
            "category",
            "priority",
            "severity",
            "channel",
            "journey_stage",
        ):
            self.fields[name].widget.attrs["size"] = 4


class SaveFilterForm(forms.Form):
    name = forms.CharField(max_length=80, label="Name this filter")


# --- logging a case ----------------------------------------------------------------------------


class LogCaseForm(forms.Form):
    customer = forms.CharField(
        required=False,
        max_length=40,
        label="Existing customer reference",
        help_text="Find the customer above and choose them, or type their reference",
    )
    new_customer_name = forms.CharField(required=False, max_length=200, label="New customer: name")
    new_customer_kind = forms.ChoiceField(
        required=False,
        choices=choices(CustomerKind),
        initial=CustomerKind.PERSON.value,
        label="New customer: type",
    )
    new_customer_email = forms.CharField(
        required=False, max_length=254, label="New customer: email"
    )
    new_customer_phone = forms.CharField(required=False, max_length=40, label="New customer: phone")
    new_customer_preferred_channel = forms.ChoiceField(
        required=False, choices=choices(ContactChannel), label="New customer: preferred channel"
    )
    new_customer_adjustments = forms.MultipleChoiceField(
        required=False,
        choices=choices(Adjustment),
        widget=forms.CheckboxSelectMultiple,
        label="New customer: reasonable adjustments",
    )
    kind = forms.ChoiceField(
        choices=choices(CaseKind),
        widget=forms.RadioSelect,
        label="What kind of contact is this?",
        help_text="A complaint is any expression of dissatisfaction that needs a response",
    )
    channel = forms.ChoiceField(choices=choices(LOGGED_CHANNELS), label="Channel")
    category = forms.ChoiceField(required=False, choices=[], label="Category")
    journey_stage = forms.ChoiceField(
        required=False, choices=choices(JourneyStage, blank="Not known"), label="Journey stage"
    )
    severity = forms.ChoiceField(
        choices=SEVERITY_CHOICES,
        initial="2",
        label="Severity",
        help_text="The harm to the customer",
    )
    priority = forms.ChoiceField(
        choices=choices(Priority), initial=Priority.NORMAL.value, label="Priority"
    )
    description = text(
        label="The customer's own words",
        help_text="Write down what the customer said, as they said it",
    )
    remedy_sought = text(required=False, label="What the customer wants us to do")
    read_back = text(
        label="Read back: the problem in your words",
        help_text=(
            "Paraphrase the problem and read it back to the customer, to confirm you have "
            "understood"
        ),
    )
    summary = forms.CharField(
        required=False,
        max_length=200,
        label="Summary",
        help_text="One line; left blank, the first words of the customer's are used",
    )
    team = forms.ChoiceField(required=False, choices=[], label="Team")

    def __init__(self, *args: Any, teams: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()  # type: ignore[attr-defined]
        self.fields["team"].choices = teams  # type: ignore[attr-defined]
        if len(teams) <= 1:
            self.fields["team"].widget = forms.HiddenInput()
            if teams:
                self.fields["team"].initial = teams[0][0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("customer") and not data.get("new_customer_name"):
            self.add_error("customer", "choose the customer, or give a new customer's name")
        return data


# --- the case page -----------------------------------------------------------------------------


class TransitionForm(VersionedForm):
    to = forms.ChoiceField(choices=choices(Status), widget=forms.HiddenInput)
    resolution_summary = text(
        required=False, label="Resolution summary", help_text="What was done to put things right"
    )
    outcome = forms.ChoiceField(
        required=False, choices=choices(Outcome), widget=forms.RadioSelect, label="Outcome"
    )
    root_cause = text(
        required=False, label="Root cause", help_text="Why it went wrong, not only what went wrong"
    )
    customer_confirmed = forms.BooleanField(
        required=False, label="The customer has confirmed they are satisfied"
    )
    reason = text(required=False, label="Reason")
    level = forms.IntegerField(required=False, min_value=1, max_value=9, label="Escalation level")


class DetailsForm(VersionedForm):
    summary = forms.CharField(max_length=200, required=False)
    description = text(label="The customer's own words")
    read_back = text(required=False, label="Read back: the problem in your words")
    remedy_sought = text(required=False, label="What the customer wants us to do")
    category = forms.ChoiceField(required=False, choices=[])
    channel = forms.ChoiceField(choices=choices(Channel))
    journey_stage = forms.ChoiceField(
        required=False, choices=choices(JourneyStage, blank="Not known"), label="Journey stage"
    )
    severity = forms.ChoiceField(choices=SEVERITY_CHOICES)
    priority = forms.ChoiceField(choices=choices(Priority))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()  # type: ignore[attr-defined]


class AssignForm(VersionedForm):
    team = forms.ChoiceField(choices=[])
    assignee = forms.ChoiceField(required=False, choices=[], label="Owner")

    def __init__(
        self, *args: Any, teams: list[tuple[str, str]], people: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = teams  # type: ignore[attr-defined]
        self.fields["assignee"].choices = [("", "Nobody (unassigned)"), *people]  # type: ignore[attr-defined]


class StakeholderForm(forms.Form):
    role = forms.ChoiceField(choices=choices(StakeholderRole))
    who = forms.ChoiceField(choices=[], label="Person or department")
    note = forms.CharField(required=False, max_length=200)

    def __init__(self, *args: Any, who: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = who  # type: ignore[attr-defined]


class LinkForm(forms.Form):
    target = forms.CharField(
        max_length=40, label="Other case reference", help_text="For example C-2026-000123"
    )
    kind = forms.ChoiceField(choices=choices(LinkKind), label="This case is")


class MessageForm(forms.Form):
    direction = forms.ChoiceField(
        choices=choices((Direction.INBOUND, Direction.OUTBOUND)),
        widget=forms.RadioSelect,
        initial=Direction.INBOUND.value,
    )
    channel = forms.ChoiceField(choices=choices(Channel))
    subject = forms.CharField(required=False, max_length=200)
    body = text(label="Message")
    communication = forms.ChoiceField(
        required=False,
        choices=[],
        label="This message is a required communication",
        help_text="Choose one when the message is, for example, the final response",
    )
    content_items = forms.MultipleChoiceField(
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        label="It includes",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        required = sla_services.communication_choices()
        if not required:  # the organisation's packs require no particular communication
            del self.fields["communication"], self.fields["content_items"]
            return
        self.fields["communication"].choices = [  # type: ignore[attr-defined]
            ("", "No, an ordinary message"),
            *required,
        ]
        self.fields["content_items"].choices = [  # type: ignore[attr-defined]
            (item, label(item)) for item in sla_services.content_item_choices()
        ]


class NoteForm(forms.Form):
    body = text(label="Internal note", help_text="Seen by staff only, never sent to the customer")


class AttachmentForm(forms.Form):
    file = forms.FileField(label="File", help_text="PDF, image, text or office document")


class FollowUpForm(forms.Form):
    channel = forms.ChoiceField(choices=choices(Channel))
    result = forms.ChoiceField(choices=choices(FollowUpResult))
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
