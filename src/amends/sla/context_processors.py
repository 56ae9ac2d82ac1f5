from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amends.sla import selectors


def notifications(request: HttpRequest) -> dict[str, Any]:
    """How many unread notifications the signed-in person has (for the top bar)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request.path.startswith("/api/"):
        return {}
    return {"unread_notifications": selectors.unread_count(user)}
