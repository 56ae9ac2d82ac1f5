"""Root-cause analysis on a case: 5 Whys and fishbone causes, and the root among them.

Each change is an event on a timeline."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max

from amends.core import timeline
from amends.resolution.domain import (
    CauseKind,
    IshikawaCategory,
    check_cause,
)
from amends.resolution.models import (
    Cause,
)
from amends.resolution.services._common import _check_open

if TYPE_CHECKING:
    from amends.accounts.models import User
    from amends.cases.models import Case


@transaction.atomic
def add_cause(
    *,
    case: Case,
    kind: CauseKind,
    text: str,
    actor: User | None,
    now: datetime,
    category: IshikawaCategory | None = None,
    evidence: str = "",
) -> Cause:
    _check_open(case)
    whys = Cause.objects.filter(case=case, kind=CauseKind.WHY).count()
    text = check_cause(kind, text, category, whys)
    position = 0
    if kind is CauseKind.WHY:
        position = (
            Cause.objects.filter(case=case, kind=kind).aggregate(m=Max("position"))["m"] or 0
        ) + 1
    cause = Cause.objects.create(
        case=case,
        kind=kind.value,
        position=position,
        category=category.value if category and kind is CauseKind.ISHIKAWA else "",
        text=text,
        evidence=evidence.strip(),
        created_by=actor,
        created_at=now,
    )
    timeline.record_event(
        stream=case.stream,
        type="rca.why_added" if kind is CauseKind.WHY else "rca.cause_added",
        actor=actor,
        now=now,
        data={
            "cause": cause.pk,
            "position": position or None,
            "category": cause.category or None,
            "text": text,
            "evidence": cause.evidence,
        },
    )
    return cause


@transaction.atomic
def mark_root(*, cause: Cause, actor: User | None, now: datetime) -> Cause:
    """Make ``cause`` the case's root cause (and no other)."""
    case = cause.case
    _check_open(case)
    previous = Cause.objects.filter(case=case, is_root=True).exclude(pk=cause.pk).first()
    if previous is not None:
        Cause.objects.filter(pk=previous.pk).update(is_root=False)
    Cause.objects.filter(pk=cause.pk).update(is_root=True)
    cause.is_root = True
    timeline.record_event(
        stream=case.stream,
        type="rca.root_marked",
        actor=actor,
        now=now,
        data={
            "cause": cause.pk,
            "text": cause.text,
            "category": cause.category or None,
            "before": {"root": previous.text if previous else None},
            "after": {"root": cause.text},
        },
    )
    return cause
