from __future__ import annotations

from django import forms

from amends.resolution.domain import CATEGORY_LABELS


class WhyForm(forms.Form):
    text = forms.CharField(max_length=500, label="Why did that happen?")
    evidence = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What shows this is so: a record, a log, a statement",
    )


class CauseForm(forms.Form):
    category = forms.ChoiceField(choices=[(k.value, v) for k, v in CATEGORY_LABELS.items()])
    text = forms.CharField(max_length=500, label="Cause")
    evidence = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
