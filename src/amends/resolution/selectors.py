from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from amends.resolution.domain import CauseKind, IshikawaCategory, root_statement
from amends.resolution.models import Cause

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
