"""Roles and what each may do. Pure rules: callers pass in the facts."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from enum import StrEnum


class Role(StrEnum):
    AGENT = "agent"
    TEAM_LEAD = "team_lead"
    COMPLAINTS_MANAGER = "complaints_manager"
    DPO = "dpo"
    ADMIN = "admin"
    AUDITOR = "auditor"


# Roles that see every case; the others see their own teams' cases only.
SEES_ALL_CASES = frozenset({Role.COMPLAINTS_MANAGER, Role.DPO, Role.ADMIN, Role.AUDITOR})
# Roles that may change cases (within what they can see).
CHANGES_CASES = frozenset({Role.AGENT, Role.TEAM_LEAD, Role.COMPLAINTS_MANAGER, Role.ADMIN})
# Roles that may read vulnerability details. Anyone who changes cases may record them.
SEES_VULNERABILITY = frozenset({Role.TEAM_LEAD, Role.COMPLAINTS_MANAGER, Role.DPO, Role.ADMIN})
# Roles that manage users, teams, tokens and configuration.
ADMINISTERS = frozenset({Role.ADMIN})


def can_see_case(role: Role, user_team_ids: Collection[int], case_team_id: int | None) -> bool:
    if role in SEES_ALL_CASES:
        return True
    return case_team_id is not None and case_team_id in user_team_ids


def can_change_case(role: Role, user_team_ids: Collection[int], case_team_id: int | None) -> bool:
    return role in CHANGES_CASES and can_see_case(role, user_team_ids, case_team_id)


def can_change_customers(role: Role) -> bool:
    return role in CHANGES_CASES


def can_see_vulnerability(role: Role) -> bool:
    return role in SEES_VULNERABILITY


def can_manage_problems(role: Role) -> bool:
    """Problem records (systemic issues) are changed by those who work cases."""
    return role in CHANGES_CASES


def can_see_reports(role: Role) -> bool:
    return role in SEES_ALL_CASES


def can_review_mail(role: Role) -> bool:
    """Flagged incoming email (malformed, unreadable) may name anyone: leads and managers read
    it and decide what it needs."""
    return role in {Role.TEAM_LEAD, Role.COMPLAINTS_MANAGER, Role.ADMIN}


def can_administer(role: Role) -> bool:
    return role in ADMINISTERS


def hash_token(secret: str) -> str:
    """API tokens are random and long, so one SHA-256 is enough to store them safely."""
    return hashlib.sha256(secret.encode()).hexdigest()
