"""The customer's follow-up survey: a signed link, no sign-in."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from amends.core import clock
from amends.core.errors import AmendsError, NotFoundError
from amends.core.web import show_error
from amends.resolution import surveys

SCALE_5 = [(str(n), str(n)) for n in range(1, 6)]


class SurveyForm(forms.Form):
    solved = forms.TypedChoiceField(
        choices=[("yes", "Yes, it is solved"), ("no", "No, it is not solved")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label="Is the problem solved?",
    )
    csat_outcome = forms.TypedChoiceField(
        required=False,
        choices=SCALE_5,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        label="How satisfied are you with the outcome? (1 very dissatisfied, 5 very satisfied)",
    )
    csat_handling = forms.TypedChoiceField(
        required=False,
        choices=SCALE_5,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        label="How satisfied are you with how we handled your complaint? (1 to 5)",
    )
    ces = forms.TypedChoiceField(
        required=False,
        choices=[(str(n), str(n)) for n in range(1, 8)],
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        label="How easy was it to get this sorted? (1 very difficult, 7 very easy)",
    )
    nps = forms.TypedChoiceField(
        required=False,
        choices=[(str(n), str(n)) for n in range(0, 11)],
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        label="How likely are you to recommend us? (0 not at all, 10 extremely)",
    )
    comment = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Anything else you would like to tell us?",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        asked = surveys.questions()
        for name, question in (
            ("csat_outcome", "csat"),
            ("csat_handling", "csat"),
            ("ces", "ces"),
            ("nps", "nps"),
        ):
            if question not in asked:
                del self.fields[name]


@never_cache
def survey(request: HttpRequest, token: str) -> HttpResponse:
    now = clock.now()
    try:
        found = surveys.survey_for(token, now)
    except NotFoundError as error:
        return render(
            request, "resolution/survey_closed.html", {"message": error.message}, status=404
        )
    except AmendsError as error:
        return render(
            request, "resolution/survey_closed.html", {"message": error.message}, status=410
        )
    form = SurveyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                surveys.answer_survey(
                    token=token,
                    answers=surveys.Answers(
                        solved=data["solved"],
                        csat_outcome=data.get("csat_outcome"),
                        csat_handling=data.get("csat_handling"),
                        ces=data.get("ces"),
                        nps=data.get("nps"),
                        comment=data.get("comment", ""),
                    ),
                    now=now,
                )
            except AmendsError as error:
                show_error(form, error)
            else:
                return render(request, "resolution/survey_thanks.html", {"solved": data["solved"]})
    context = {"form": form, "reference": found.case.reference}
    return render(request, "resolution/survey.html", context, status=status)
