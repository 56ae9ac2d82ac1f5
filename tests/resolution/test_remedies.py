"""The Consumer Rights Act 2015 remedies advisor, row by row of the decision table
(shared/reference/uk-complaint-rules.md, section B)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from amends.accounts.models import User
from amends.cli import main
from amends.core.errors import ValidationError
from amends.resolution.remedies import assess
from amends.resolution.schemas import FactsIn

BASE = {"supplied_on": "2026-06-01", "today": "2026-06-20"}


def advise(**facts: Any) -> dict[str, Any]:
    data = {"contract_type": "goods", "breach": "quality", **BASE, **facts}
    return assess(FactsIn.model_validate(data).to_facts()).as_dict()


def test_g1_within_30_days_the_short_term_right_to_reject_or_repair_or_replacement() -> None:
    out = advise()
    assert out["remedies"] == ["short_term_right_to_reject", "repair", "replacement", "damages"]
    assert "G1" in out["rows"] and "s22(1)-(4)" in out["sections"]
    assert out["deduction_for_use_allowed"] is False


def test_g1_the_window_excludes_days_waiting_for_a_repair_and_shrinks_for_perishables() -> None:
    late = {"today": "2026-07-11"}  # 40 days after supply
    assert "short_term_right_to_reject" not in advise(**late)["remedies"]
    assert "short_term_right_to_reject" in advise(**late, waiting_days=12)["remedies"]
    assert (
        "short_term_right_to_reject"
        not in advise(today="2026-06-09", perishable_days=7)["remedies"]
    )


def test_g1a_still_faulty_after_a_repair_inside_30_days_keeps_the_right_to_reject() -> None:
    out = advise(repairs_or_replacements=1, repair_outcome="still_faulty", waiting_days=5)
    assert out["rows"][:3] == ["G7", "G1a", "G3"]
    assert "short_term_right_to_reject" in out["remedies"]
    assert "final_right_to_reject" in out["remedies"]
    assert "s22(1)-(4), s22(7)" in out["sections"]


def test_g2_after_30_days_repair_or_replacement_first() -> None:
    out = advise(today="2026-08-01")
    assert out["remedies"] == ["repair", "replacement", "damages"]
    assert "G2" in out["rows"]


def test_g2_installation_faults_never_give_the_short_term_right() -> None:
    out = advise(breach="installation")
    assert out["remedies"] == ["repair", "replacement", "damages"]
    assert "s15" in out["sections"]


def test_g2a_a_repair_under_way_must_be_given_a_reasonable_time() -> None:
    out = advise(repair_outcome="in_progress", repairs_or_replacements=1)
    assert out["remedies"] == ["repair", "replacement", "damages"]
    assert "G2a" in out["rows"] and "s23(6)-(7)" in out["sections"]


@pytest.mark.parametrize(
    ("outcome", "row"),
    [("still_faulty", "G3"), ("impossible", "G4"), ("unreasonable_delay", "G5")],
)
def test_g3_g4_g5_then_price_reduction_or_final_rejection(outcome: str, row: str) -> None:
    out = advise(today="2026-08-01", repairs_or_replacements=1, repair_outcome=outcome)
    assert row in out["rows"]
    assert {"price_reduction", "final_right_to_reject", "refund"} <= set(out["remedies"])
    assert "s24(5)" in out["sections"]


def test_g6_final_rejection_within_six_months_is_a_full_refund() -> None:
    out = advise(today="2026-09-01", repairs_or_replacements=1, repair_outcome="still_faulty")
    assert "G6" in out["rows"]
    assert out["deduction_for_use_allowed"] is False


@pytest.mark.parametrize(
    "facts",
    [
        {"today": "2027-02-01"},  # eight months on
        {"today": "2026-08-01", "motor_vehicle": True},
    ],
)
def test_g6a_later_or_for_a_car_a_deduction_for_use_is_allowed(facts: dict[str, Any]) -> None:
    out = advise(repairs_or_replacements=1, repair_outcome="still_faulty", **facts)
    assert "G6a" in out["rows"]
    assert out["deduction_for_use_allowed"] is True


def test_g7_the_fault_is_presumed_at_delivery_only_within_six_months() -> None:
    assert advise(today="2026-11-30")["fault_presumed_at_supply"] is True
    later = advise(today="2026-12-20")
    assert later["fault_presumed_at_supply"] is False
    assert "G7" not in later["rows"]


def test_g8_pre_contract_information_recover_costs() -> None:
    out = advise(breach="pre_contract_info")
    assert out["remedies"] == ["recover_costs", "damages"]
    assert "s19(5)" in out["sections"]


def test_g9_no_right_to_supply_rejection_without_time_limits() -> None:
    out = advise(breach="no_right_to_supply", today="2028-01-01")
    assert out["remedies"] == ["refund", "damages"]
    assert "s19(6)" in out["sections"]


def test_r_a_refund_is_due_within_14_days() -> None:
    out = advise(today="2026-08-01", repairs_or_replacements=1, repair_outcome="impossible")
    assert "R" in out["rows"] and "s20(15)-(17)" in out["sections"]
    assert "within 14 days" in out["explanation"]


def test_d1_digital_content_on_a_disc_is_treated_as_goods() -> None:
    out = advise(contract_type="digital_content", on_tangible_medium=True)
    assert out["rows"][0] == "D1"
    assert "short_term_right_to_reject" in out["remedies"]


def test_d2_intangible_digital_content_repair_or_replacement_no_rejection() -> None:
    out = advise(contract_type="digital_content")
    assert out["remedies"] == ["repair", "replacement", "damages"]
    assert "s43(2)-(7)" in out["sections"]


@pytest.mark.parametrize("outcome", ["impossible", "unreasonable_delay", "still_faulty"])
def test_d3_then_a_price_reduction(outcome: str) -> None:
    out = advise(contract_type="digital_content", repair_outcome=outcome, repairs_or_replacements=1)
    assert out["remedies"] == ["price_reduction", "damages"]
    assert "s44(3)" in out["sections"]


def test_d4_digital_content_with_no_right_to_supply_is_refunded() -> None:
    out = advise(contract_type="digital_content", breach="no_right_to_supply")
    assert out["remedies"] == ["refund", "damages"] and "s45" in out["sections"]


def test_d5_damage_to_a_device_repair_or_compensation() -> None:
    out = advise(contract_type="digital_content", breach="device_damage")
    assert out["remedies"] == ["repair", "damages"] and "s46" in out["sections"]


def test_d6_digital_content_faults_presumed_within_six_months() -> None:
    assert advise(contract_type="digital_content")["fault_presumed_at_supply"] is True
    out = advise(contract_type="digital_content", today="2027-03-01")
    assert out["fault_presumed_at_supply"] is False


def test_s1_services_repeat_performance_first() -> None:
    out = advise(contract_type="services", breach="care_and_skill")
    assert out["remedies"] == ["repeat_performance", "damages"]
    assert {"s49", "s54(3)", "s55"} <= set(out["sections"])
    assert out["fault_presumed_at_supply"] is False


def test_s1_information_about_the_service_is_repeat_performance_too() -> None:
    out = advise(contract_type="services", breach="service_information")
    assert out["remedies"] == ["repeat_performance", "damages"] and "s50" in out["sections"]


def test_s2_and_s5_then_a_price_reduction_refunded_within_14_days() -> None:
    out = advise(contract_type="services", breach="care_and_skill", repair_outcome="impossible")
    assert out["remedies"] == ["price_reduction", "damages"]
    assert "s56(3)" in out["sections"] and "within 14 days" in out["explanation"]


def test_s3_not_within_a_reasonable_time_price_reduction_only() -> None:
    out = advise(contract_type="services", breach="reasonable_time")
    assert out["remedies"] == ["price_reduction", "damages"]


def test_s4_no_price_agreed_a_reasonable_price() -> None:
    out = advise(contract_type="services", breach="no_price_agreed")
    assert "s51" in out["sections"] and "reasonable price" in out["explanation"]


def test_x1_damages_are_always_available_to_a_consumer() -> None:
    assert all(
        "damages" in advise(**facts)["remedies"]
        for facts in ({}, {"contract_type": "services", "breach": "reasonable_time"})
    )


@pytest.mark.parametrize(
    ("jurisdiction", "today", "barred", "row"),
    [
        ("england_wales", "2032-06-02", True, "L1"),
        ("england_wales", "2032-05-30", False, None),
        ("northern_ireland", "2032-06-02", True, "L1"),
        ("scotland", "2031-06-02", True, "L2"),
        ("scotland", "2031-05-30", False, None),
    ],
)
def test_l1_l2_limitation_and_prescription(
    jurisdiction: str, today: str, barred: bool, row: str | None
) -> None:
    out = advise(jurisdiction=jurisdiction, today=today)
    assert out["time_barred"] is barred
    if row:
        assert row in out["rows"]


def test_not_a_consumer_no_statutory_remedies_said_plainly() -> None:
    out = advise(consumer=False)
    assert out["remedies"] == []
    assert out["sections"] == []
    assert "not a consumer" in out["explanation"]


def test_impossible_facts_are_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as refused:
        advise(contract_type="services", breach="quality")
    assert "breach" in refused.value.fields
    with pytest.raises(ValidationError) as refused:
        advise(today="2026-05-01")
    assert "today" in refused.value.fields


def test_the_cli_prints_the_assessment(capsys: Any) -> None:
    facts = json.dumps({"contract_type": "goods", "breach": "fitness", **BASE})
    assert main(["remedies", "--json", facts]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["remedies"][0] == "short_term_right_to_reject"
    assert main(["remedies", "--json", '{"contract_type": "boats"}']) == 2
    err = capsys.readouterr().err
    assert "contract_type" in err and "breach: Field required" in err


def test_the_api_assesses_and_refuses_bad_facts(api_as: Callable[[User], Any], agent: User) -> None:
    api = api_as(agent)
    response = api.post(
        "/remedies/assess", {"contract_type": "services", "breach": "care_and_skill", **BASE}
    )
    assert response.status_code == 200
    assert response.json()["remedies"] == ["repeat_performance", "damages"]
    bad = api.post("/remedies/assess", {"contract_type": "services", "breach": "quality", **BASE})
    assert bad.status_code == 422
    assert "breach" in bad.json()["error"]["fields"]
