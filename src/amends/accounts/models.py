from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from amends.accounts.domain import Role
from amends.core.queries import Prepared


class Team(models.Model):
    """A unit of the organisation: a complaints-handling team or another department.

    Departments that do not handle cases can still be stakeholders on cases and owners of
    actions; ``handles_cases`` says which teams own cases.
    """

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    handles_cases = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(max_length=32, choices=[(r.value, r.value) for r in Role])
    teams = models.ManyToManyField(Team, blank=True, related_name="members")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def team_list(self) -> list[Team]:
        """The user's teams, by name; loaded once per instance."""
        cached: list[Team] | None = getattr(self, "_team_list", None)
        if cached is None:
            cached = _TEAMS_OF_USER.all(user_id=self.pk)
            self._team_list = cached
        return cached

    def team_ids(self) -> frozenset[int]:
        return frozenset(t.pk for t in self.team_list())


class ApiToken(models.Model):
    """A bearer token for the API. Only a SHA-256 of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


# Read for every user who acts (their teams decide what they may see).
_TEAMS_OF_USER: Prepared[Team] = Prepared(
    lambda user_id: Team.objects.filter(members=user_id).order_by("name"), user_id=int
)
