"""Business calendars for the UK nations, from the maintained ``holidays`` package."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from functools import lru_cache

import holidays

from amends.sla.domain import BusinessCalendar, Nation

SUBDIVISION = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}
# Enough years either side of today for any deadline this system computes.
YEARS = range(2000, 2061)


@lru_cache(maxsize=8)
def bank_holidays(nation: Nation) -> frozenset[date]:
    return frozenset(
        holidays.country_holidays("GB", subdiv=SUBDIVISION[nation], years=YEARS).keys()
    )


def calendar_for(
    nation: Nation = Nation.ENGLAND,
    *,
    closures: Iterable[date] = (),
    weekdays: Iterable[int] = (0, 1, 2, 3, 4),
    zone: str = "Europe/London",
    opens: time = time(9, 0),
    closes: time = time(17, 0),
) -> BusinessCalendar:
    """The working calendar of an organisation in ``nation``: its bank holidays plus the
    organisation's own closure days."""
    return BusinessCalendar(
        closed=bank_holidays(Nation(nation)) | frozenset(closures),
        weekdays=frozenset(weekdays),
        zone=zone,
        opens=opens,
        closes=closes,
    )
