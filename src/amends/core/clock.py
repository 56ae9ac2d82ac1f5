"""The only place that reads the time. Everything else takes ``now`` as an argument."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings


def now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_date(instant: datetime) -> date:
    """The organisation's calendar date at ``instant``."""
    return instant.astimezone(local_zone()).date()


def today() -> date:
    return local_date(now())
