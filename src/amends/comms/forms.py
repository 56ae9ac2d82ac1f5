"""The composer: one box per section of the chosen template (LAST or LEAP), and one per
mandatory item of the communication it is for."""

from __future__ import annotations

from typing import Any

from django import forms

from amends.comms.domain import SECTION_LABELS, SECTIONS, Section, Structure
from amends.comms.models import ReplyTemplate

ACTIONS = (("email", "Send by email"), ("letter", "Prepare a letter"))


def item_label(item: str) -> str:
    return item.replace("_", " ").capitalize()


class ComposerForm(forms.Form):
    subject = forms.CharField(max_length=200, required=False)
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)

    def __init__(self, *args: Any, template: ReplyTemplate, items: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.template = template
        self.structure = Structure(template.structure)
        for section in SECTIONS[self.structure]:
            self.fields[section.value] = forms.CharField(
                label=SECTION_LABELS[section],
                required=False,
                widget=forms.Textarea(attrs={"rows": 4 if section is Section.SOLUTION else 3}),
            )
        for item in items:
            self.fields[f"item_{item}"] = forms.CharField(
                label=item_label(item),
                required=False,
                help_text="Required content: leave it in, and check it is right for this case.",
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.item_ids = items

    def section_fields(self) -> list[forms.BoundField]:
        return [self[s.value] for s in SECTIONS[self.structure]]

    def item_fields(self) -> list[forms.BoundField]:
        return [self[f"item_{i}"] for i in self.item_ids]

    def sections(self) -> dict[str, str]:
        return {s.value: self.cleaned_data.get(s.value) or "" for s in SECTIONS[self.structure]}

    def items(self) -> dict[str, str]:
        return {i: self.cleaned_data.get(f"item_{i}") or "" for i in self.item_ids}
