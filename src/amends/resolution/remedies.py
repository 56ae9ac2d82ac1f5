"""The Consumer Rights Act 2015 remedies advisor. Pure rules: the facts of a purchase in, the
remedies the consumer is entitled to out, with the sections relied on.

The decision table and its sources are in ``shared/reference/uk-complaint-rules.md`` section B;
each rule below names its row (G1, D2, S1, ...). "Reasonable time" and "significant
inconvenience" are judgements, so they come in as facts (``repair_outcome``), not computed.
This is guidance for a complaints handler, not legal advice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from amends.core.errors import ValidationError


class ContractType(StrEnum):
    GOODS = "goods"
    DIGITAL_CONTENT = "digital_content"
    SERVICES = "services"


class Breach(StrEnum):
    QUALITY = "quality"  # s9 goods / s34 digital content
    FITNESS = "fitness"  # s10 / s35
    DESCRIPTION = "description"  # s11 / s36
    SAMPLE = "sample"  # s13
    MODEL = "model"  # s14
    INSTALLATION = "installation"  # s15
    PRE_CONTRACT_INFO = "pre_contract_info"  # s12
    NO_RIGHT_TO_SUPPLY = "no_right_to_supply"  # s17 / s41
    CARE_AND_SKILL = "care_and_skill"  # s49
    SERVICE_INFORMATION = "service_information"  # s50 (information about the service)
    REASONABLE_TIME = "reasonable_time"  # s52
    DEVICE_DAMAGE = "device_damage"  # s46
    NO_PRICE_AGREED = "no_price_agreed"  # s51


class RepairOutcome(StrEnum):
    NONE = "none"
    IN_PROGRESS = "in_progress"
    STILL_FAULTY = "still_faulty"
    IMPOSSIBLE = "impossible"
    UNREASONABLE_DELAY = "unreasonable_delay"


class Jurisdiction(StrEnum):
    ENGLAND_WALES = "england_wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


class Remedy(StrEnum):
    SHORT_TERM_RIGHT_TO_REJECT = "short_term_right_to_reject"
    REPAIR = "repair"
    REPLACEMENT = "replacement"
    PRICE_REDUCTION = "price_reduction"
    FINAL_RIGHT_TO_REJECT = "final_right_to_reject"
    REPEAT_PERFORMANCE = "repeat_performance"
    REFUND = "refund"
    RECOVER_COSTS = "recover_costs"
    DAMAGES = "damages"


BREACHES = {
    ContractType.GOODS: {
        Breach.QUALITY,
        Breach.FITNESS,
        Breach.DESCRIPTION,
        Breach.SAMPLE,
        Breach.MODEL,
        Breach.INSTALLATION,
        Breach.PRE_CONTRACT_INFO,
        Breach.NO_RIGHT_TO_SUPPLY,
    },
    ContractType.DIGITAL_CONTENT: {
        Breach.QUALITY,
        Breach.FITNESS,
        Breach.DESCRIPTION,
        Breach.NO_RIGHT_TO_SUPPLY,
        Breach.DEVICE_DAMAGE,
    },
    ContractType.SERVICES: {
        Breach.CARE_AND_SKILL,
        Breach.SERVICE_INFORMATION,
        Breach.REASONABLE_TIME,
        Breach.NO_PRICE_AGREED,
    },
}
# Breaches that give the short-term right to reject (s19(3), s22): not installation (s15).
STRR_BREACHES = {Breach.QUALITY, Breach.FITNESS, Breach.DESCRIPTION, Breach.SAMPLE, Breach.MODEL}
GOODS_SECTIONS = {
    Breach.QUALITY: "s9",
    Breach.FITNESS: "s10",
    Breach.DESCRIPTION: "s11",
    Breach.SAMPLE: "s13",
    Breach.MODEL: "s14",
    Breach.INSTALLATION: "s15",
}
DIGITAL_SECTIONS = {Breach.QUALITY: "s34", Breach.FITNESS: "s35", Breach.DESCRIPTION: "s36"}
STRR_DAYS = 30
PRESUMPTION_MONTHS = 6
LIMITATION_YEARS = {
    Jurisdiction.ENGLAND_WALES: 6,  # Limitation Act 1980 s5
    Jurisdiction.NORTHERN_IRELAND: 6,  # Limitation (Northern Ireland) Order 1989
    Jurisdiction.SCOTLAND: 5,  # Prescription and Limitation (Scotland) Act 1973 s6
}
LIMITATION_LAW = {
    Jurisdiction.ENGLAND_WALES: "Limitation Act 1980 s5",
    Jurisdiction.NORTHERN_IRELAND: "Limitation (Northern Ireland) Order 1989 art 4",
    Jurisdiction.SCOTLAND: "Prescription and Limitation (Scotland) Act 1973 s6",
}


@dataclass(frozen=True)
class Facts:
    contract_type: ContractType
    breach: Breach
    supplied_on: date
    today: date
    waiting_days: int = 0
    perishable_days: int | None = None
    repairs_or_replacements: int = 0
    repair_outcome: RepairOutcome = RepairOutcome.NONE
    motor_vehicle: bool = False
    on_tangible_medium: bool = False
    jurisdiction: Jurisdiction = Jurisdiction.ENGLAND_WALES
    consumer: bool = True


@dataclass
class Assessment:
    remedies: list[Remedy] = field(default_factory=list)
    fault_presumed_at_supply: bool = False
    deduction_for_use_allowed: bool = False
    time_barred: bool = False
    sections: list[str] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)

    def add(self, row: str, remedies: list[Remedy], sections: list[str], why: str) -> None:
        self.rows.append(row)
        for remedy in remedies:
            if remedy not in self.remedies:
                self.remedies.append(remedy)
        for section in sections:
            if section not in self.sections:
                self.sections.append(section)
        self.explanation.append(why)

    def as_dict(self) -> dict[str, object]:
        return {
            "remedies": [r.value for r in self.remedies],
            "fault_presumed_at_supply": self.fault_presumed_at_supply,
            "deduction_for_use_allowed": self.deduction_for_use_allowed,
            "time_barred": self.time_barred,
            "sections": self.sections,
            "explanation": " ".join(self.explanation),
            "rows": self.rows,
        }


def months_between(start: date, end: date) -> float:
    return (end.year - start.year) * 12 + (end.month - start.month) + (end.day - start.day) / 31


def check(facts: Facts) -> None:
    problems: dict[str, str] = {}
    if facts.today < facts.supplied_on:
        problems["today"] = "is before supplied_on"
    if facts.waiting_days < 0:
        problems["waiting_days"] = "cannot be negative"
    if facts.perishable_days is not None and facts.perishable_days < 1:
        problems["perishable_days"] = "at least 1, or null"
    if facts.repairs_or_replacements < 0:
        problems["repairs_or_replacements"] = "cannot be negative"
    kind = _effective_type(facts)
    if facts.breach not in BREACHES[kind]:
        allowed = ", ".join(sorted(b.value for b in BREACHES[kind]))
        problems["breach"] = (
            f"{facts.breach.value} does not apply to {kind.value}: one of {allowed}"
        )
    if problems:
        raise ValidationError("These facts cannot be assessed.", fields=problems)


def _effective_type(facts: Facts) -> ContractType:
    # D1: digital content on a tangible medium (a disc, or inside goods) is treated as goods.
    if facts.contract_type is ContractType.DIGITAL_CONTENT and facts.on_tangible_medium:
        return ContractType.GOODS
    return facts.contract_type


def assess(facts: Facts) -> Assessment:
    check(facts)
    result = Assessment()
    if not facts.consumer:
        result.explanation.append(
            "The buyer is not a consumer (an individual acting wholly or mainly outside their "
            "trade, s2(3)), so the Consumer Rights Act 2015 gives no statutory remedies here. "
            "Look at the contract's own terms and the general law of contract instead."
        )
        return result
    kind = _effective_type(facts)
    if kind is not facts.contract_type:
        result.add(
            "D1",
            [],
            ["s16"],
            "Digital content supplied on a tangible medium or in goods is treated as goods.",
        )
    if kind is ContractType.GOODS:
        _goods(facts, result)
    elif kind is ContractType.DIGITAL_CONTENT:
        _digital(facts, result)
    else:
        _services(facts, result)
    # X1: other remedies (damages, specific performance) stay available alongside.
    result.add(
        "X1",
        [Remedy.DAMAGES],
        [
            "s19(9)-(11)"
            if kind is ContractType.GOODS
            else "s42(6)-(7)"
            if kind is ContractType.DIGITAL_CONTENT
            else "s54(7)"
        ],
        "Damages for losses caused by the breach can be claimed as well as, or instead of, "
        "these remedies.",
    )
    _limitation(facts, result)
    return result


def _goods(facts: Facts, result: Assessment) -> None:
    breach = facts.breach
    months = months_between(facts.supplied_on, facts.today)
    if breach is Breach.PRE_CONTRACT_INFO:
        result.add(
            "G8",
            [Remedy.RECOVER_COSTS],
            ["s12", "s19(5)"],
            "Where information given before the contract was not honoured, the consumer can "
            "recover costs incurred as a result, up to the price paid.",
        )
        return
    if breach is Breach.NO_RIGHT_TO_SUPPLY:
        result.add(
            "G9",
            [Remedy.REFUND],
            ["s17", "s19(6)", "s20"],
            "The trader had no right to sell the goods: the consumer may reject them for a full "
            "refund, and the 30-day and repair-first limits do not apply.",
        )
        return
    result.fault_presumed_at_supply = months <= PRESUMPTION_MONTHS
    if result.fault_presumed_at_supply:
        result.add(
            "G7",
            [],
            ["s19(14)-(15)"],
            "The fault appeared within six months of delivery, so it is presumed to have been "
            "there at delivery unless the trader proves otherwise (except for the short-term "
            "right to reject, where the consumer must show the fault).",
        )
    section = GOODS_SECTIONS[breach]
    window = min(STRR_DAYS, facts.perishable_days) if facts.perishable_days else STRR_DAYS
    elapsed = (facts.today - facts.supplied_on).days - facts.waiting_days
    outcome, attempts = facts.repair_outcome, facts.repairs_or_replacements
    in_window = breach in STRR_BREACHES and elapsed <= window
    if outcome is RepairOutcome.IN_PROGRESS:
        result.add(
            "G2a",
            [Remedy.REPAIR, Remedy.REPLACEMENT],
            [section, "s23(6)-(7)"],
            "A repair or replacement is under way: the consumer must give the trader a "
            "reasonable time to finish it before asking for another remedy or rejecting, unless "
            "that causes significant inconvenience.",
        )
        return
    if in_window:
        rejected_after_repair = attempts > 0 and outcome is RepairOutcome.STILL_FAULTY
        result.add(
            "G1a" if rejected_after_repair else "G1",
            [Remedy.SHORT_TERM_RIGHT_TO_REJECT, Remedy.REPAIR, Remedy.REPLACEMENT],
            [
                section,
                "s19(3)",
                "s20",
                "s22(1)-(4)" + (", s22(7)" if rejected_after_repair else ""),
            ],
            f"The fault was raised within the {window}-day short-term right to reject "
            f"(day {elapsed} of {window}, not counting {facts.waiting_days} days waiting for a "
            "repair or replacement): the "
            "consumer may reject the goods for a full refund with no deduction, or ask for a "
            "repair or replacement instead.",
        )
        if not rejected_after_repair:
            return
    if attempts == 0 and outcome is RepairOutcome.NONE:
        result.add(
            "G2",
            [Remedy.REPAIR, Remedy.REPLACEMENT],
            [section, "s19(3)(b)", "s23(2)-(4)"],
            "The consumer may require a repair or a replacement, at the trader's cost, within a "
            "reasonable time and without significant inconvenience (unless the chosen remedy is "
            "impossible or disproportionate).",
        )
        return
    row, why = {
        RepairOutcome.STILL_FAULTY: (
            "G3",
            "after one repair or one replacement the goods are still faulty",
        ),
        RepairOutcome.IMPOSSIBLE: ("G4", "neither repair nor replacement is possible"),
        RepairOutcome.UNREASONABLE_DELAY: (
            "G5",
            "the trader did not repair or replace within a reasonable time or without "
            "significant inconvenience",
        ),
        RepairOutcome.NONE: ("G3", "a repair or replacement has already been tried"),
    }[outcome]
    result.add(
        row,
        [Remedy.PRICE_REDUCTION, Remedy.FINAL_RIGHT_TO_REJECT],
        [section, "s24(5)"],
        f"Because {why}, the consumer may ask for a price reduction (up to the full price) or "
        "exercise the final right to reject (one or the other).",
    )
    if facts.motor_vehicle or months > PRESUMPTION_MONTHS:
        result.deduction_for_use_allowed = True
        result.add(
            "G6a",
            [],
            ["s24(8)-(10)"],
            "A refund on final rejection may be reduced for the use the consumer has had "
            + (
                "(the goods are a motor vehicle)."
                if facts.motor_vehicle
                else "(more than six months after delivery)."
            ),
        )
    else:
        result.add(
            "G6",
            [],
            ["s24(8)-(11)"],
            "A refund on final rejection within six months of delivery is in full, with no "
            "deduction for use.",
        )
    result.add(
        "R",
        [Remedy.REFUND],
        ["s20(15)-(17)"],
        "A refund is due within 14 days of the trader agreeing the consumer is entitled to it, "
        "by the same means of payment, with no fee.",
    )


def _digital(facts: Facts, result: Assessment) -> None:
    breach = facts.breach
    if breach is Breach.NO_RIGHT_TO_SUPPLY:
        result.add(
            "D4",
            [Remedy.REFUND],
            ["s41", "s45"],
            "The trader had no right to supply the digital content: the consumer is owed a "
            "refund of all money paid (in proportion, if only part is affected), within 14 days.",
        )
        return
    if breach is Breach.DEVICE_DAMAGE:
        result.add(
            "D5",
            [Remedy.REPAIR, Remedy.DAMAGES],
            ["s46"],
            "The digital content damaged the consumer's device or other content through lack of "
            "reasonable care and skill: the trader must repair the damage or pay compensation.",
        )
        return
    section = DIGITAL_SECTIONS[breach]
    result.fault_presumed_at_supply = (
        months_between(facts.supplied_on, facts.today) <= PRESUMPTION_MONTHS
    )
    if result.fault_presumed_at_supply:
        result.add(
            "D6",
            [],
            ["s42(9)-(10)"],
            "The fault appeared within six months of supply, so it is presumed to have been "
            "there when the content was supplied.",
        )
    if facts.repair_outcome in (RepairOutcome.NONE, RepairOutcome.IN_PROGRESS):
        result.add(
            "D2",
            [Remedy.REPAIR, Remedy.REPLACEMENT],
            [section, "s42", "s43(2)-(7)"],
            "Digital content cannot be rejected: the consumer may require a repair or a "
            "replacement first.",
        )
        return
    result.add(
        "D3",
        [Remedy.PRICE_REDUCTION],
        [section, "s44(3)"],
        "Repair or replacement is impossible, was not done in a reasonable time or without "
        "significant inconvenience, or did not fix it: the consumer may have a price "
        "reduction, up to the full price.",
    )


def _services(facts: Facts, result: Assessment) -> None:
    if facts.breach is Breach.NO_PRICE_AGREED:
        result.add(
            "S4",
            [],
            ["s51"],
            "No price was agreed for the service: the consumer has to pay only a reasonable "
            "price for it.",
        )
        return
    if facts.breach is Breach.REASONABLE_TIME:
        result.add(
            "S3",
            [Remedy.PRICE_REDUCTION],
            ["s52", "s54(4)", "s56"],
            "The service was not performed within a reasonable time: the remedy is a price "
            "reduction.",
        )
        return
    section = "s49" if facts.breach is Breach.CARE_AND_SKILL else "s50"
    if facts.repair_outcome in (RepairOutcome.NONE, RepairOutcome.IN_PROGRESS):
        result.add(
            "S1",
            [Remedy.REPEAT_PERFORMANCE],
            [section, "s54(3)", "s55"],
            "The consumer may require the trader to perform the service again, properly, at the "
            "trader's cost, within a reasonable time and without significant inconvenience.",
        )
        return
    result.add(
        "S2",
        [Remedy.PRICE_REDUCTION],
        [section, "s56(3)"],
        "Repeat performance is impossible or was not done in a reasonable time or without "
        "significant inconvenience: the consumer may have a price reduction, up to the full "
        "price, refunded within 14 days of the trader agreeing.",
    )


def _limitation(facts: Facts, result: Assessment) -> None:
    years = LIMITATION_YEARS[facts.jurisdiction]
    barred = months_between(facts.supplied_on, facts.today) > years * 12
    result.time_barred = barred
    if barred:
        law = LIMITATION_LAW[facts.jurisdiction]
        result.add(
            "L2" if facts.jurisdiction is Jurisdiction.SCOTLAND else "L1",
            [],
            [law],
            f"More than {years} years have passed since supply: a court claim is now "
            f"time-barred ({law}), though the trader may still choose to put things right.",
        )
