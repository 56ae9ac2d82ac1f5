"""The remedies advisor's input and output, shared by the API and the CLI."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from amends.resolution.remedies import (
    Breach,
    ContractType,
    Facts,
    Jurisdiction,
    RepairOutcome,
)


class FactsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contract_type: ContractType
    breach: Breach
    supplied_on: date
    today: date
    waiting_days: int = Field(0, ge=0, le=3650)
    perishable_days: int | None = Field(None, ge=1, le=3650)
    repairs_or_replacements: int = Field(0, ge=0, le=100)
    repair_outcome: RepairOutcome = RepairOutcome.NONE
    motor_vehicle: bool = False
    on_tangible_medium: bool = False
    jurisdiction: Jurisdiction = Jurisdiction.ENGLAND_WALES
    consumer: bool = True

    def to_facts(self) -> Facts:
        return Facts(**self.model_dump())


class AssessmentOut(BaseModel):
    remedies: list[str]
    fault_presumed_at_supply: bool
    deduction_for_use_allowed: bool
    time_barred: bool
    sections: list[str]
    explanation: str
    rows: list[str] = Field(description="the rows of the decision table that applied")
