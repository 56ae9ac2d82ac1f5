"""Use cases for users, teams and API tokens. Each is one transaction with its events."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.text import slugify

from amends.accounts.domain import Role, hash_token
from amends.accounts.models import ApiToken, Team, User
from amends.core import timeline
from amends.core.errors import ConflictError, ValidationError

TOKEN_PREFIX = "amd_"  # noqa: S105 (a prefix, not a secret)


def token_cache_key(key_hash: str) -> str:
    """Where a process keeps a token's user for a few seconds (see ``accounts.auth``)."""
    return f"amends:token:{key_hash}"


# How stale a token's last-used time may get before a request writes it again.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=10)


def _user_stream(user: User) -> str:
    return f"user:{user.username}"


@transaction.atomic
def create_team(
    *, name: str, actor: User | None, now: datetime, handles_cases: bool = True
) -> Team:
    name = name.strip()
    if not name:
        raise ValidationError("A team needs a name.", fields={"name": "must not be empty"})
    slug = slugify(name)[:60] or "team"
    if Team.objects.filter(slug=slug).exists():
        raise ConflictError(f"A team called {name!r} already exists.", fields={"name": "taken"})
    team = Team.objects.create(name=name, slug=slug, handles_cases=handles_cases, created_at=now)
    timeline.record_event(
        stream=f"team:{slug}",
        type="team.created",
        actor=actor,
        now=now,
        data={"name": name, "handles_cases": handles_cases},
    )
    return team


@transaction.atomic
def create_user(
    *,
    username: str,
    role: Role | str,
    password: str | None,
    actor: User | None,
    now: datetime,
    teams: Sequence[Team] = (),
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    username = username.strip()
    if not username:
        raise ValidationError("A user needs a name.", fields={"username": "must not be empty"})
    try:
        role = Role(role)
    except ValueError:
        raise ValidationError(
            f"Unknown role {role!r}.",
            fields={"role": f"must be one of {', '.join(r.value for r in Role)}"},
        ) from None
    if User.objects.filter(username=username).exists():
        raise ConflictError(f"User {username!r} already exists.", fields={"username": "taken"})
    user = User(
        username=username,
        role=role.value,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=role is Role.ADMIN,
        is_superuser=role is Role.ADMIN,
        date_joined=now,
    )
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except DjangoValidationError as exc:
            raise ValidationError(
                "The password is too weak.", fields={"password": list(exc.messages)}
            ) from None
        user.set_password(password)
    user.save()
    user.teams.set(teams)
    timeline.record_event(
        stream=_user_stream(user),
        type="user.created",
        actor=actor,
        now=now,
        data={"role": role, "teams": sorted(t.slug for t in teams)},
    )
    return user


@transaction.atomic
def issue_token(
    *, user: User, name: str, actor: User | None, now: datetime
) -> tuple[ApiToken, str]:
    """Create a token. The secret is returned once and never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100] or "token",
        prefix=secret[: len(TOKEN_PREFIX) + 4],
        key_hash=hash_token(secret),
        created_at=now,
    )
    timeline.record_event(
        stream=_user_stream(user),
        type="user.token_issued",
        actor=actor,
        now=now,
        data={"token": token.name, "prefix": token.prefix},
    )
    return token, secret


@transaction.atomic
def revoke_token(*, token: ApiToken, actor: User | None, now: datetime) -> None:
    # Conditional, so that two revocations at once record one event.
    if not ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        return
    token.revoked_at = now
    key = token_cache_key(token.key_hash)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
    timeline.record_event(
        stream=_user_stream(token.user),
        type="user.token_revoked",
        actor=actor,
        now=now,
        data={"token": token.name, "prefix": token.prefix},
    )


def forget_cached_tokens(user: User) -> None:
    """Make this process look a user's tokens up afresh (after a change to the user)."""
    cache.delete_many(
        [
            token_cache_key(h)
            for h in ApiToken.objects.filter(user=user).values_list("key_hash", flat=True)
        ]
    )


def note_token_used(*, token: ApiToken, now: datetime) -> None:
    """Keep ``last_used_at`` roughly current without a write on every request."""
    if token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
