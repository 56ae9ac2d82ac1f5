"""Bearer-token authentication for the API."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest
from ninja.security import HttpBearer

from amends.accounts import selectors
from amends.accounts.domain import hash_token
from amends.accounts.models import User
from amends.accounts.services import note_token_used, token_cache_key
from amends.core import clock
from amends.core.errors import AuthenticationError

# How long a process may keep answering for a token without asking the database again. A
# revoked token, a deactivated user or a changed role takes effect within this many seconds.
TOKEN_CACHE_SECONDS = 5


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        key = token_cache_key(hash_token(token))
        user: User | None = cache.get(key)
        if user is not None:
            return user
        found = selectors.find_token(token)
        if found is None:
            return None
        note_token_used(token=found, now=clock.now())
        user = found.user
        user.team_list()  # load the teams once, with the user
        cache.set(key, user, TOKEN_CACHE_SECONDS)
        return user


def request_user(request: HttpRequest) -> User:
    """The authenticated user of an API request (the API refuses requests without one)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError("Sign in, or send an API token as 'Authorization: Bearer …'.")
    return user


def web_user(request: HttpRequest) -> User:
    """The signed-in user of a page request (pages are behind ``login_required``)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise AuthenticationError("Sign in to continue.")
    return user
