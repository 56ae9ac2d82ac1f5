from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet, Sum

from amends.cases.models import OPEN_CONDITION
from amends.cases.search import text_filter
from amends.core.queries import Prepared
from amends.resolution.domain import CauseKind, IshikawaCategory, root_statement
from amends.resolution.models import ActionTask, Cause, Problem, Redress, SolutionOption

if TYPE_CHECKING:
    from amends.cases.models import Case


def list_causes(case: Case) -> QuerySet[Cause]:
    return Cause.objects.filter(case=case).order_by("kind", "position", "id")


def root_cause_statement(case: Case) -> str:
    """The marked root cause of the case as a statement, or "" when none is marked."""
    root = Cause.objects.filter(case=case, is_root=True).first()
    if root is None:
        return ""
    category = IshikawaCategory(root.category) if root.category else None
    return root_statement(CauseKind(root.kind), root.text, category)


def find_cause(case: Case, cause_id: int) -> Cause | None:
    return Cause.objects.filter(case=case, pk=cause_id).select_related("case").first()


def list_tasks(case: Case) -> QuerySet[ActionTask]:
    return (
        ActionTask.objects.filter(case=case)
        .select_related("owner", "owner_team", "depends_on")
        .order_by("due_on", "id")
    )


def find_task(case: Case, task_id: int) -> ActionTask | None:
    return (
        ActionTask.objects.filter(case=case, pk=task_id)
        .select_related("case", "depends_on")
        .first()
    )


_OPEN_BLOCKING_TASKS: Prepared[str] = Prepared(
    lambda case_id: (
        ActionTask.objects.filter(case_id=case_id, status="open", blocking=True)
        .order_by("due_on", "id")
        .values_list("title", flat=True)
    ),
    case_id=int,
)


def open_blocking_tasks(case: Case) -> list[str]:
    return _OPEN_BLOCKING_TASKS.all(case_id=case.pk)


_OVERDUE_AMONG: Prepared[int] = Prepared(
    lambda ids, today: (
        ActionTask.objects.filter(case_id__in=ids, status="open", due_on__lt=today)
        .values_list("case_id", flat=True)
        .distinct()
    ),
    ids=tuple,
    today=date,
)


def cases_with_overdue_tasks(case_ids: Iterable[int], today: date) -> set[int]:
    return set(_OVERDUE_AMONG.all(ids=list(case_ids), today=today))


def list_options(case: Case) -> QuerySet[SolutionOption]:
    return SolutionOption.objects.filter(case=case).order_by("id")


def find_option(case: Case, option_id: int) -> SolutionOption | None:
    return SolutionOption.objects.filter(case=case, pk=option_id).select_related("case").first()


def list_redress(case: Case) -> QuerySet[Redress]:
    return Redress.objects.filter(case=case).select_related("requested_by", "approved_by")


def find_redress(redress_id: int) -> Redress | None:
    return Redress.objects.filter(pk=redress_id).select_related("case").first()


def redress_totals(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Redress offered in ``[start, end)`` by kind and basis: how many, and how much money
    (refused and still-awaiting offers are counted apart from the rest)."""
    rows = (
        Redress.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("kind", "basis", "status")
        .annotate(count=Count("id"), amount=Sum("amount"))
        .order_by("kind", "basis", "status")
    )
    return [
        {**row, "amount": Decimal(row["amount"] or 0).quantize(Decimal("0.01"))} for row in rows
    ]


def list_problems(*, status: str | None = None) -> QuerySet[Problem]:
    found = Problem.objects.select_related("owner").annotate(case_count=Count("links"))
    return found.filter(status=status) if status else found


def find_problem(reference: str) -> Problem | None:
    return (
        Problem.objects.filter(reference=reference.strip().upper()).select_related("owner").first()
    )


def problems_of(case: Case) -> QuerySet[Problem]:
    return Problem.objects.filter(links__case=case).order_by("-id")


def similar_open_cases(case: Case, candidates: QuerySet[Any], limit: int = 8) -> list[Any]:
    """Open cases like ``case``: the same category, the same product, or sharing words of its
    summary; ranked by how many of those they share. ``candidates`` is what the viewer may see."""
    pool = (
        candidates.filter(OPEN_CONDITION)
        .exclude(pk=case.pk)
        .exclude(problem_links__problem__links__case=case)
    )
    scores: dict[int, int] = {}
    if case.category_id:
        for pk in (
            pool.filter(category_id=case.category_id)
            .order_by("-id")
            .values_list("pk", flat=True)[:200]
        ):
            scores[pk] = scores.get(pk, 0) + 1
    if case.product:
        for pk in (
            pool.filter(product=case.product).order_by("-id").values_list("pk", flat=True)[:200]
        ):
            scores[pk] = scores.get(pk, 0) + 2
    words = [w for w in re.findall(r"[A-Za-z]{5,}", case.summary.lower())][:6]
    if words:
        for word in words:
            match = text_filter(word)
            if match is None:
                continue
            for pk in pool.filter(match).order_by("-id").values_list("pk", flat=True)[:100]:
                scores[pk] = scores.get(pk, 0) + 1
    ranked = sorted(scores, key=lambda pk: (-scores[pk], -pk))[:limit]
    rows = {c.pk: c for c in pool.filter(pk__in=ranked).select_related("category")}
    return [rows[pk] for pk in ranked if pk in rows]
