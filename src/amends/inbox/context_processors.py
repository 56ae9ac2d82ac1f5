from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amends.accounts.domain import can_review_mail
from amends.inbox import selectors


def flagged_mail(request: HttpRequest) -> dict[str, Any]:
    """For leads and managers: how many flagged emails wait for a person (for the top bar)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request.path.startswith("/api/"):
        return {}
    if not can_review_mail(user.role_enum):
        return {}
    return {"may_review_mail": True, "flagged_mail": selectors.list_for_review().count()}
