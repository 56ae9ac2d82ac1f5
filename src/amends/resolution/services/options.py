"""Solution options scored on weighted factors, and the justified choice.

Each change is an event on a timeline."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from amends.core import timeline
from amends.core.errors import ValidationError
from amends.resolution.domain import (
    check_justification,
    check_scores,
    parse_factors,
    weighted_score,
)
from amends.resolution.models import (
    SolutionOption,
)
from amends.resolution.remedies import Facts, assess
from amends.resolution.services._common import _check_open

if TYPE_CHECKING:
    from amends.accounts.models import User
    from amends.cases.models import Case


def solution_factors() -> dict[str, tuple[str, float]]:
    return parse_factors(settings.AMENDS_SOLUTION_FACTORS)


@transaction.atomic
def add_option(
    *,
    case: Case,
    title: str,
    scores: dict[str, int],
    actor: User | None,
    now: datetime,
    description: str = "",
    remedy_facts: Facts | None = None,
) -> SolutionOption:
    _check_open(case)
    factors = solution_factors()
    title = " ".join(title.split())
    if not title:
        raise ValidationError("Name the option.", fields={"title": "required"})
    check_scores(scores, factors)
    assessment = assess(remedy_facts).as_dict() if remedy_facts else None
    option = SolutionOption.objects.create(
        case=case,
        title=title,
        description=description.strip(),
        scores=scores,
        weighted=weighted_score(scores, factors),
        remedy_assessment=assessment,
        created_by=actor,
        created_at=now,
    )
    timeline.record_event(
        stream=case.stream,
        type="option.added",
        actor=actor,
        now=now,
        data={
            "option": option.pk,
            "title": title,
            "scores": scores,
            "weighted": option.weighted,
            "remedies": assessment["remedies"] if assessment else None,
        },
    )
    return option


@transaction.atomic
def choose_option(
    *,
    option: SolutionOption,
    justification: str,
    factors_cited: list[str],
    actor: User | None,
    now: datetime,
) -> SolutionOption:
    """Choose ``option`` for stated reasons; the whole decision matrix goes on the timeline."""
    case = option.case
    _check_open(case)
    factors = solution_factors()
    cited = check_justification(justification, factors_cited, factors)
    SolutionOption.objects.filter(case=case, chosen=True).update(chosen=False, chosen_at=None)
    SolutionOption.objects.filter(pk=option.pk).update(
        chosen=True, chosen_at=now, justification=justification.strip(), cited_factors=cited
    )
    option.refresh_from_db()
    matrix = [
        {"option": o.pk, "title": o.title, "scores": o.scores, "weighted": o.weighted}
        for o in SolutionOption.objects.filter(case=case).order_by("id")
    ]
    timeline.record_event(
        stream=case.stream,
        type="option.chosen",
        actor=actor,
        now=now,
        data={
            "option": option.pk,
            "title": option.title,
            "justification": option.justification,
            "factors": cited,
            "weights": {name: weight for name, (_, weight) in factors.items()},
            "matrix": matrix,
        },
    )
    return option
