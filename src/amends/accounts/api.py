"""/api/v1/me: who the token belongs to."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from amends.accounts.auth import request_user
from amends.accounts.domain import can_see_vulnerability
from amends.core.schemas import Out

router = Router(tags=["accounts"])


class MeOut(Out):
    username: str
    name: str
    role: str
    teams: list[str]
    sees_vulnerability: bool


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, Any]:
    user = request_user(request)
    return {
        "username": user.username,
        "name": str(user),
        "role": user.role,
        "teams": sorted(t.slug for t in user.team_list()),
        "sees_vulnerability": can_see_vulnerability(user.role_enum),
    }
