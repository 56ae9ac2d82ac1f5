from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from amends.cases.timeline_view import entry

AT = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def _event(type_: str, data: dict[str, Any]) -> Any:
    return SimpleNamespace(
        seq=3,
        type=type_,
        data=data,
        actor_id=None,
        actor=None,
        actor_label="system",
        occurred_at=AT,
    )


def test_a_failed_email_says_to_whom_which_attempt_and_why() -> None:
    shown = entry(
        _event(
            "case.email_failed",
            {"to": "sam@example.com", "status": "failed", "attempt": 2, "error": "550 no mailbox"},
        )
    )
    assert shown.title == "Email not sent"
    facts = dict(shown.facts)
    assert facts["To"] == "sam@example.com"
    assert facts["Attempt"] == "2"
    assert facts["Error"] == "550 no mailbox"


def test_a_status_change_shows_its_target_once_as_a_change() -> None:
    shown = entry(_event("case.acknowledged", {"from": "received", "to": "acknowledged"}))
    assert shown.changes == [("Status", "Received", "Acknowledged")]
    assert all(name != "To" for name, _ in shown.facts)
