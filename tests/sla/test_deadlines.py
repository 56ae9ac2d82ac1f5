"""Deadline arithmetic and every shipped pack, on real UK calendars (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amends.core.errors import NotFoundError, ValidationError
from amends.policies import whatif
from amends.policies.packs import all_packs, parse_pack
from amends.sla.calendars import calendar_for
from amends.sla.domain import (
    BusinessCalendar,
    ClockEvent,
    DeadlineRule,
    Nation,
    Unit,
    add_months,
    due_date,
    missing_items,
)


def at(day: str, time: str = "10:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{time}:00+00:00")


def due(pack: str, received: str, rule: str, nation: str = "england", **events: str) -> str | None:
    result = whatif.deadlines(
        pack_id=pack,
        received=at(received),
        nation=Nation(nation),
        events=[(ClockEvent(name), at(day)) for name, day in events.items()],
    )
    found = next(d for d in result["deadlines"] if d["id"] == rule)
    return found["due"]


# --- calendars ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nation", "holiday", "name"),
    [
        (Nation.SCOTLAND, date(2026, 11, 30), "St Andrew's Day"),
        (Nation.SCOTLAND, date(2027, 1, 4), "2 January (observed)"),
        (Nation.NORTHERN_IRELAND, date(2026, 3, 17), "St Patrick's Day"),
        (Nation.NORTHERN_IRELAND, date(2026, 7, 13), "the Twelfth (observed)"),
        (Nation.ENGLAND, date(2026, 4, 6), "Easter Monday"),
        (Nation.WALES, date(2026, 12, 28), "Boxing Day (observed)"),
    ],
)
def test_each_nation_has_its_own_bank_holidays(nation: Nation, holiday: date, name: str) -> None:
    assert not calendar_for(nation).is_working_day(holiday), name
    others = [n for n in Nation if n is not nation]
    if name in (
        "St Andrew's Day",
        "2 January (observed)",
        "St Patrick's Day",
        "the Twelfth (observed)",
    ):
        assert any(calendar_for(n).is_working_day(holiday) for n in others)


def test_organisation_closures_count_as_non_working() -> None:
    closed = calendar_for(Nation.ENGLAND, closures=[date(2026, 12, 24)])
    assert not closed.is_working_day(date(2026, 12, 24))
    assert calendar_for(Nation.ENGLAND).is_working_day(date(2026, 12, 24))


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2026-01-31", 1, "2026-02-28"),
        ("2028-01-31", 1, "2028-02-29"),
        ("2026-03-31", 1, "2026-04-30"),
        ("2026-08-31", 6, "2027-02-28"),
        ("2026-11-15", 3, "2027-02-15"),
    ],
)
def test_a_month_on_is_the_same_day_or_the_months_last(
    start: str, months: int, expected: str
) -> None:
    assert add_months(date.fromisoformat(start), months).isoformat() == expected


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValidationError):
        BusinessCalendar().local_date(datetime(2026, 11, 2, 10, 0))


def test_the_day_of_receipt_is_the_local_day() -> None:
    # 23:30 UTC on 31 May is 00:30 on 1 June in London (BST).
    assert BusinessCalendar().local_date(at("2026-05-31", "23:30")) == date(2026, 6, 1)


# --- FCA ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("2026-11-02", "2026-11-05"),  # Monday -> Thursday
        ("2026-11-05", "2026-11-10"),  # Thursday -> over the weekend
        ("2026-11-07", "2026-11-11"),  # received on a Saturday: counting starts on Monday
        ("2026-12-23", "2026-12-30"),  # Christmas, Boxing Day (observed)
        ("2026-04-01", "2026-04-08"),  # Good Friday and Easter Monday
    ],
)
def test_fca_summary_resolution_is_the_third_business_day_after_receipt(
    received: str, expected: str
) -> None:
    assert due("fca-disp", received, "summary_resolution") == expected


def test_fca_final_response_is_the_end_of_eight_calendar_weeks_without_pauses() -> None:
    assert due("fca-disp", "2026-11-02", "final_response") == "2026-12-28"
    assert (
        due("fca-disp", "2026-11-02", "final_response", paused="2026-11-10", resumed="2026-11-20")
        == "2026-12-28"
    )


@pytest.mark.parametrize(
    ("rule", "expected"),
    [("final_response", "2026-12-22"), ("final_response_exceptional", "2027-01-22")],
)
def test_fca_payments_deadlines_count_business_days(rule: str, expected: str) -> None:
    assert due("fca-disp-payments", "2026-12-01", rule) == expected


def test_fca_rules_apply_by_their_effective_dates() -> None:
    result = whatif.deadlines(pack_id="fca-disp", received=at("2015-03-02"))
    assert [d["id"] for d in result["deadlines"]] == ["final_response"]


# --- Housing Ombudsman ---------------------------------------------------------------------------


def test_housing_stage_one_counts_the_response_from_the_acknowledgement() -> None:
    assert due("housing-ombudsman-2024", "2026-11-02", "stage1_acknowledgement") == "2026-11-09"
    assert due("housing-ombudsman-2024", "2026-11-02", "stage1_response") is None
    assert (
        due("housing-ombudsman-2024", "2026-11-02", "stage1_response", acknowledged="2026-11-04")
        == "2026-11-18"
    )


def test_housing_stage_two_runs_from_the_escalation_and_its_acknowledgement() -> None:
    events = {
        "acknowledged": "2026-11-04",
        "escalated": "2026-12-14",
        "escalation_acknowledged": "2026-12-16",
    }
    assert (
        due("housing-ombudsman-2024", "2026-11-02", "stage2_acknowledgement", **events)
        == "2026-12-21"
    )
    # 20 working days from 16 December skips Christmas, Boxing Day (observed) and New Year.
    assert due("housing-ombudsman-2024", "2026-11-02", "stage2_response", **events) == "2027-01-18"


def test_housing_extensions_are_capped() -> None:
    extended = whatif.deadlines(
        pack_id="housing-ombudsman-2024",
        received=at("2026-11-02"),
        events=[(ClockEvent.ACKNOWLEDGED, at("2026-11-04"))],
        extensions={"stage1_response": 10},
    )
    stage1 = next(d for d in extended["deadlines"] if d["id"] == "stage1_response")
    assert stage1["due"] == "2026-12-02"
    assert "extended by 10" in stage1["basis"]
    with pytest.raises(ValidationError, match="at most 10"):
        whatif.deadlines(
            pack_id="housing-ombudsman-2024",
            received=at("2026-11-02"),
            extensions={"stage1_response": 11},
        )
    with pytest.raises(ValidationError, match="cannot be extended"):
        whatif.deadlines(
            pack_id="housing-ombudsman-2024",
            received=at("2026-11-02"),
            extensions={"stage1_acknowledgement": 1},
        )


# --- SPSO, NHS, GDPR, Ofcom, Ofgem, ISO ---------------------------------------------------------


def test_spso_counts_scottish_working_days() -> None:
    # Received Thursday 26 November 2026: St Andrew's Day (Monday 30th) is not a working day.
    assert due("spso-mchp", "2026-11-26", "stage1_response", nation="scotland") == "2026-12-04"
    assert due("spso-mchp", "2026-11-26", "stage1_response", nation="england") == "2026-12-03"
    assert (
        due("spso-mchp", "2026-12-30", "stage2_acknowledgement", "scotland", escalated="2026-12-30")
        == "2027-01-06"
    )
    assert (
        due("spso-mchp", "2026-11-26", "stage2_response", "scotland", escalated="2026-11-26")
        == "2026-12-29"
    )


def test_northern_ireland_holidays_move_deadlines() -> None:
    assert (
        due("nhs-england-2009", "2026-03-16", "acknowledgement", nation="northern-ireland")
        == "2026-03-20"
    )
    assert (
        due("nhs-england-2009", "2026-03-16", "acknowledgement", nation="england") == "2026-03-19"
    )
    assert (
        due("fca-disp", "2026-07-09", "summary_resolution", nation="northern-ireland")
        == "2026-07-15"
    )


def test_nhs_response_is_six_calendar_months() -> None:
    assert due("nhs-england-2009", "2026-08-31", "response") == "2027-02-28"


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("2026-01-31", "2026-03-02"),  # 28 Feb is a Saturday: the next working day
        ("2026-03-31", "2026-04-30"),  # April has no 31st
        ("2026-11-25", "2026-12-29"),  # 25 December: moved past Christmas and Boxing Day
        ("2026-10-05", "2026-11-05"),
    ],
)
def test_gdpr_subject_access_is_one_calendar_month_the_ico_way(
    received: str, expected: str
) -> None:
    assert due("uk-gdpr-sar", received, "response") == expected


def test_gdpr_stop_the_clock_pauses_add_the_paused_days() -> None:
    assert (
        due("uk-gdpr-sar", "2026-10-05", "response", paused="2026-10-07", resumed="2026-10-17")
        == "2026-11-16"
    )
    assert due("uk-gdpr-sar", "2026-10-05", "response", paused="2026-10-07") is None
    assert due("uk-gdpr-sar", "2026-10-05", "response_extended") == "2027-01-05"


@pytest.mark.parametrize("pack", ["ofcom-c4", "ofgem-chsr"])
def test_adr_letters_are_due_after_eight_weeks(pack: str) -> None:
    assert due(pack, "2026-11-02", "adr_letter") == "2026-12-28"


def test_iso_targets_pause_while_waiting_for_the_customer() -> None:
    assert due("iso-10002", "2026-11-02", "acknowledgement") == "2026-11-04"
    assert due("iso-10002", "2026-11-02", "response") == "2026-11-30"
    # Paused Monday 9th to Monday 16th: five working days added.
    assert (
        due("iso-10002", "2026-11-02", "response", paused="2026-11-09", resumed="2026-11-16")
        == "2026-12-07"
    )
    assert due("iso-10002", "2026-11-02", "follow_up") is None
    assert due("iso-10002", "2026-11-02", "follow_up", resolved="2026-11-20") == "2026-12-04"


def test_every_required_pack_and_deadline_ships() -> None:
    required = {
        "iso-10002": {"acknowledgement", "response", "follow_up"},
        "fca-disp": {"summary_resolution", "final_response"},
        "fca-disp-payments": {"final_response", "final_response_exceptional"},
        "housing-ombudsman-2024": {
            "stage1_acknowledgement",
            "stage1_response",
            "stage2_acknowledgement",
            "stage2_response",
        },
        "spso-mchp": {"stage1_response", "stage2_acknowledgement", "stage2_response"},
        "nhs-england-2009": {"acknowledgement", "response"},
        "uk-gdpr-sar": {"response", "response_extended"},
        "ofcom-c4": {"adr_letter"},
        "ofgem-chsr": {"adr_letter"},
    }
    packs = all_packs()
    for pack_id, ids in required.items():
        assert {d.id for d in packs[pack_id].deadlines} >= ids, pack_id
        assert all(d.source for d in packs[pack_id].deadlines)


# --- packs as data ------------------------------------------------------------------------------


def test_a_pack_with_mistakes_is_refused_naming_the_field() -> None:
    bad = """
id: broken
name: Broken
source: nowhere
deadlines:
  - id: reply
    title: Reply
    count: 0
    unit: fortnights
    source: x
"""
    with pytest.raises(ValidationError) as caught:
        parse_pack(bad, origin="broken.yaml")
    assert set(caught.value.fields) == {"deadlines.0.count", "deadlines.0.unit"}


def test_a_pack_must_not_pause_what_it_does_not_allow() -> None:
    text = """
id: odd
name: Odd
source: x
deadlines:
  - {id: reply, title: Reply, count: 5, unit: working_days, pausable: true, source: x}
"""
    with pytest.raises(ValidationError, match="not a valid policy pack"):
        parse_pack(text, origin="odd.yaml")


def test_an_unknown_pack_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="Known packs"):
        whatif.deadlines(pack_id="nope", received=at("2026-11-02"))


def test_a_required_communication_names_what_it_lacks() -> None:
    final = next(c for c in all_packs()["fca-disp"].communications if c.id == "final_response")
    assert missing_items(final, ["outcome_and_reasons", "fos_website_address"]) == [
        "fos_leaflet_enclosed",
        "right_to_refer_to_fos",
        "six_month_time_limit",
        "consent_to_waive_time_limits",
    ]


# --- properties ---------------------------------------------------------------------------------

WORKING = DeadlineRule(id="r", title="r", count=1, unit=Unit.WORKING_DAYS)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
nations = st.sampled_from(list(Nation))


@settings(max_examples=300, deadline=None)
@given(start=days, count=st.integers(1, 40), nation=nations)
def test_a_working_day_deadline_never_falls_on_a_non_working_day(
    start: date, count: int, nation: Nation
) -> None:
    calendar = calendar_for(nation)
    rule = DeadlineRule(id="r", title="r", count=count, unit=Unit.WORKING_DAYS)
    result = due_date(rule, start, calendar)
    assert calendar.is_working_day(result)
    assert result > start
    assert (
        calendar.working_days_between(start + timedelta(days=1), result + timedelta(days=1))
        == count
    )


@settings(max_examples=300, deadline=None)
@given(
    start=days,
    count=st.integers(1, 40),
    unit=st.sampled_from(list(Unit)),
    roll=st.booleans(),
    extra_holiday=st.integers(0, 80),
    nation=nations,
)
def test_adding_a_holiday_never_makes_a_deadline_earlier(
    start: date, count: int, unit: Unit, roll: bool, extra_holiday: int, nation: Nation
) -> None:
    rule = DeadlineRule(
        id="r", title="r", count=min(count, 12), unit=unit, roll_to_working_day=roll
    )
    base = calendar_for(nation)
    more = calendar_for(nation, closures=[start + timedelta(days=extra_holiday)])
    assert due_date(rule, start, more) >= due_date(rule, start, base)


@settings(max_examples=200, deadline=None)
@given(
    received=st.datetimes(
        min_value=datetime(2021, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
    )
)
def test_the_gdpr_deadline_is_always_a_working_day_at_least_28_days_on(received: datetime) -> None:
    result = whatif.deadlines(pack_id="uk-gdpr-sar", received=received)
    response = date.fromisoformat(result["deadlines"][0]["due"])
    assert calendar_for(Nation.ENGLAND).is_working_day(response)
    assert (response - BusinessCalendar().local_date(received)).days >= 28


def test_scotlands_second_of_january_and_the_twelfth_in_northern_ireland() -> None:
    # Escalated Wednesday 30 December 2026; 2 January 2027 (a Saturday) is observed on Monday 4th
    # in Scotland only, where New Year's Day is also a holiday everywhere.
    pack, rule = "spso-mchp", "stage2_acknowledgement"
    assert due(pack, "2026-12-30", rule, "england", escalated="2026-12-30") == "2027-01-05"
    assert due(pack, "2026-12-30", rule, "scotland", escalated="2026-12-30") == "2027-01-06"
    # Received Thursday 9 July 2026; the Twelfth (a Sunday) is observed on Monday 13th in NI.
    assert due("fca-disp", "2026-07-09", "summary_resolution", "england") == "2026-07-14"
    assert due("fca-disp", "2026-07-09", "summary_resolution", "northern-ireland") == "2026-07-15"
