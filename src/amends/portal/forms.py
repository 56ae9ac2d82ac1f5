"""The portal's forms. Checks that customers see come from the domain in plain words; these
forms only collect what was typed, so nothing typed is ever lost on an error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from amends.portal.domain import PORTAL_CHANNELS
from amends.portal.presenters import ADJUSTMENT_CHOICES
from amends.portal.services import Upload

MAX_FILES = 10
CONTACT_LABELS = {"email": "Email", "phone": "Phone", "letter": "Letter"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Any number of files (up to MAX_FILES), each within the attachment size limit."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if self.required and not files:
            raise forms.ValidationError("Choose at least one file.")
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"Send {MAX_FILES} files or fewer at a time.")
        limit = settings.AMENDS_ATTACHMENT_MAX_BYTES
        for f in files:
            if f.size is not None and f.size > limit:
                raise forms.ValidationError(
                    f"{f.name} is too big. Each file must be {limit // (1024 * 1024)} MB or "
                    "smaller."
                )
        return files


def uploads(files: list[UploadedFile]) -> list[Upload]:
    return [Upload(filename=f.name or "document", data=f.read()) for f in files]


EVIDENCE_HINT = (
    "For example letters, bills, photos or screenshots (PDF, Word, pictures, text). "
    "You can choose more than one file."
)


class LinkForm(forms.Form):
    email = forms.CharField(
        label="Email address",
        max_length=254,
        error_messages={"required": "Enter your email address."},
        help_text="Use the address you gave us when you raised your complaint.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def clean_email(self) -> str:
        email: str = self.cleaned_data.get("email", "").strip()
        if not email or "@" not in email:
            raise forms.ValidationError("Enter an email address like name@example.com.")
        return email


class RaiseForm(forms.Form):
    name = forms.CharField(
        label="Your name",
        max_length=200,
        error_messages={"required": "Enter your name."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label="Email address",
        max_length=254,
        required=False,
        help_text="We use this to reply and to send you a link to follow your complaint.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=40,
        required=False,
        help_text="Give an email address, a phone number or both.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    what_happened = forms.CharField(
        label="What happened?",
        max_length=10_000,
        error_messages={"required": "Tell us what happened."},
        help_text="Tell us in your own words. Include dates and any reference numbers you have.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    what_we_should_do = forms.CharField(
        label="What would you like us to do?",
        max_length=10_000,
        required=False,
        help_text="For example: say sorry, fix the problem, or pay back money.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_by = forms.ChoiceField(
        label="How should we contact you?",
        choices=[(c.value, CONTACT_LABELS[c.value]) for c in PORTAL_CHANNELS],
        initial="email",
        error_messages={"required": "Choose how we should contact you."},
        widget=forms.RadioSelect,
    )
    address = forms.CharField(
        label="Postal address",
        max_length=1000,
        required=False,
        help_text="We need this if you would like a letter.",
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    adjustments = forms.MultipleChoiceField(
        label="Do you need any of these?",
        choices=ADJUSTMENT_CHOICES,
        required=False,
        help_text="Choose all that help you. We will use them whenever we contact you.",
        widget=forms.CheckboxSelectMultiple,
    )
    anything_else = forms.CharField(
        label="Anything else we should know?",
        max_length=2000,
        required=False,
        help_text="For example, the best time to call, or support you need from us.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = EvidenceField(label="Documents or photos", help_text=EVIDENCE_HINT)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        max_length=10_000,
        error_messages={"required": "Write your message."},
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    evidence = EvidenceField(label="Add documents or photos", help_text=EVIDENCE_HINT)


class EvidenceForm(forms.Form):
    evidence = EvidenceField(label="Documents or photos", help_text=EVIDENCE_HINT, required=True)


class WithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why do you want to withdraw?",
        max_length=2000,
        error_messages={"required": "Tell us why you want to withdraw."},
        help_text="For example: the problem has been sorted out another way.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PasswordSignInForm(LinkForm):
    """Sign in with the password the customer chose."""

    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password."},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ChoosePasswordForm(forms.Form):
    password = forms.CharField(
        label="Choose a password",
        strip=False,
        help_text="At least 10 characters. Not one you use anywhere else.",
        error_messages={"required": "Choose a password."},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    again = forms.CharField(
        label="Type it again",
        strip=False,
        error_messages={"required": "Type the password again."},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("again") and data["password"] != data["again"]:
            self.add_error("again", "The two passwords are not the same.")
        return data
