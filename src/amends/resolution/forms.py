from __future__ import annotations

from typing import Any

from django import forms

from amends.resolution.domain import CATEGORY_LABELS, RedressBasis, RedressKind


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


class TaskForm(forms.Form):
    title = forms.CharField(max_length=300, label="What has to be done")
    owner = forms.ChoiceField(choices=[], label="Owner (a person or a department)")
    due_on = forms.DateField(label="Due by", widget=forms.DateInput(attrs={"type": "date"}))
    depends_on = forms.ChoiceField(required=False, choices=[], label="After")
    blocking = forms.BooleanField(
        required=False, label="The case cannot be resolved until this is done"
    )
    customer_update = forms.CharField(
        required=False, max_length=500, label="How the customer will be told"
    )
    customer_update_on = forms.DateField(
        required=False, label="When", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: Any, owners: list[tuple[str, Any]], tasks: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]
        self.fields["depends_on"].choices = [("", "Nothing: it can start now"), *tasks]  # type: ignore[attr-defined]


class TaskDoneForm(forms.Form):
    outcome = forms.CharField(
        required=False,
        max_length=2000,
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OptionForm(forms.Form):
    title = forms.CharField(max_length=300, label="Option")
    description = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, factors: dict[str, tuple[str, float]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (label, weight) in factors.items():
            self.fields[f"score_{name}"] = forms.TypedChoiceField(
                choices=[("", "Score 1 to 5"), *[(str(n), str(n)) for n in range(1, 6)]],
                coerce=int,
                label=label,
                help_text=f"weight {weight:g}; 1 poor, 5 good",
            )

    def scores(self) -> dict[str, int]:
        return {
            name.removeprefix("score_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("score_")
        }


class ChooseOptionForm(forms.Form):
    justification = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why this option, weighed against the others",
    )
    factors = forms.MultipleChoiceField(
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        label="The factors the choice rests on (at least two)",
    )

    def __init__(self, *args: Any, factors: dict[str, tuple[str, float]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["factors"].choices = [(n, label) for n, (label, _) in factors.items()]  # type: ignore[attr-defined]


class RedressForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(k.value, k.value.replace("_", " ").capitalize()) for k in RedressKind]
    )
    basis = forms.ChoiceField(choices=[(b.value, b.value.capitalize()) for b in RedressBasis])
    amount = forms.DecimalField(
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        label="Amount (£)",
        help_text="For money only: a refund, goodwill payment, service credit or interest",
    )
    description = forms.CharField(required=False, max_length=500)


class ProblemForm(forms.Form):
    title = forms.CharField(max_length=300, label="Problem")
    description = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    root_cause = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProblemActionsForm(forms.Form):
    corrective_action = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    preventive_action = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    effectiveness_check_on = forms.DateField(
        label="Check it worked on", widget=forms.DateInput(attrs={"type": "date"})
    )


class EffectivenessForm(forms.Form):
    effective = forms.TypedChoiceField(
        choices=[("yes", "Yes: the cause is fixed"), ("no", "No: it is still happening")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label="Did the fix work?",
    )
    result = forms.CharField(
        max_length=4000, widget=forms.Textarea(attrs={"rows": 2}), label="What the check found"
    )


class LinkCaseForm(forms.Form):
    case = forms.CharField(max_length=40, label="Case reference")
