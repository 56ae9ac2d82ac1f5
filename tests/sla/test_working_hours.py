"""Service levels counted in working hours: opening hours on working days only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amends.accounts.models import User
from amends.cases.models import Case
from amends.sla import services as sla_services
from amends.sla.calendars import calendar_for
from amends.sla.domain import Nation
from amends.sla.models import CaseClock, ServiceLevelPolicy
from tests.conftest import NOW

LONDON = ZoneInfo("Europe/London")


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        ("2026-11-02 10:00", 4, "2026-11-02 14:00"),  # within the day
        ("2026-11-06 16:00", 4, "2026-11-09 12:00"),  # Friday afternoon to Monday
        ("2026-11-02 20:00", 1, "2026-11-03 10:00"),  # received after closing
        ("2026-11-07 11:00", 2, "2026-11-09 11:00"),  # received on a Saturday
        ("2026-12-24 16:00", 2, "2026-12-29 10:00"),  # Christmas and Boxing Day (observed)
        ("2026-03-27 16:30", 1, "2026-03-30 09:30"),  # across the change to summer time
    ],
)
def test_working_hours_count_only_opening_hours(start: str, hours: int, expected: str) -> None:
    calendar = calendar_for(Nation.ENGLAND)
    got = calendar.add_working_time(local(start), timedelta(hours=hours))
    assert got == local(expected)


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31)),
    hours=st.integers(0, 60),
)
def test_working_time_added_is_working_time_between(start: datetime, hours: int) -> None:
    calendar = calendar_for(Nation.SCOTLAND)
    begin = start.replace(tzinfo=LONDON)
    end = calendar.add_working_time(begin, timedelta(hours=hours))
    assert calendar.working_time_between(begin, end) == timedelta(hours=hours)


@pytest.fixture
def four_hour_first_response(db: Any) -> None:
    ServiceLevelPolicy.objects.create(
        name="First response in 4 working hours",
        target="first_response",
        count=4,
        unit="working_hours",
    )


def test_a_working_hours_target_is_breached_within_the_day(
    four_hour_first_response: None, make_case: Callable[..., Case], lead: User
) -> None:
    case = make_case()  # received Monday 2 November, 10:00
    clock = CaseClock.objects.get(case=case, pack="service-level", rule="first_response")
    assert clock.due_at == local("2026-11-02 14:00")
    assert sla_services.sweep(now=NOW + timedelta(hours=3)).breached == 0
    assert sla_services.sweep(now=NOW + timedelta(hours=5)).breached == 1
    clock.refresh_from_db()
    assert clock.breached_at is not None
