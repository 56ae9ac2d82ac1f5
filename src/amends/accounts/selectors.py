from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from amends.accounts.domain import hash_token
from amends.accounts.models import ApiToken, Team, User
from amends.core.errors import NotFoundError
from amends.core.queries import Prepared, one


def find_token(secret: str) -> ApiToken | None:
    """The live token for ``secret``, with its active user, or None."""
    return one(
        ApiToken.objects.select_related("user").filter(
            key_hash=hash_token(secret), revoked_at__isnull=True, user__is_active=True
        )
    )


def get_user(username: str) -> User:
    user = one(User.objects.filter(username=username))
    if user is None:
        raise NotFoundError(f"No user called {username!r}.", fields={"username": "unknown"})
    return user


def get_team(name_or_slug: str) -> Team:
    team = Team.objects.filter(Q(slug=name_or_slug) | Q(name=name_or_slug)).first()
    if team is None:
        raise NotFoundError(f"No team called {name_or_slug!r}.", fields={"team": "unknown"})
    return team


def find_team(name_or_slug: str) -> Team | None:
    return Team.objects.filter(Q(slug=name_or_slug) | Q(name=name_or_slug)).first()


_USER_BY_NAME: Prepared[User] = Prepared(
    lambda username: User.objects.filter(username=username)[:1], username=str
)


def find_user(username: str) -> User | None:
    return _USER_BY_NAME.first(username=username)


def list_case_teams() -> QuerySet[Team]:
    """Teams that own cases, by name."""
    return Team.objects.filter(handles_cases=True).order_by("name")


def list_teams() -> QuerySet[Team]:
    return Team.objects.order_by("name")


def list_members(team_ids: Iterable[int]) -> QuerySet[User]:
    """Active people in any of these teams, by name."""
    return (
        User.objects.filter(is_active=True, teams__in=list(team_ids))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def team_lead_ids(team_id: int) -> list[int]:
    return list(
        User.objects.filter(teams=team_id, role="team_lead", is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def email_addresses(user_ids: Iterable[int]) -> list[str]:
    return list(
        User.objects.filter(pk__in=list(user_ids), is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
