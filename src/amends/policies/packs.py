"""Load and validate the policy packs shipped as YAML beside this module.

Each file is one pack. A pack that does not validate stops the load with a message naming the
file and the field; nothing half-loaded is used.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic import ValidationError as PydanticError

from amends.core.errors import NotFoundError, ValidationError
from amends.sla.domain import (
    ClockEvent,
    Communication,
    DeadlineRule,
    Extension,
    PolicyPack,
    Unit,
)

HERE = Path(__file__).resolve().parent


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExtensionSpec(_Strict):
    cap: int = Field(gt=0)
    unit: Unit
    notice_items: list[str] = []


class DeadlineSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    count: int = Field(gt=0)
    unit: Unit
    start: ClockEvent = ClockEvent.RECEIVED
    stop: list[ClockEvent] = []
    pausable: bool = False
    roll_to_working_day: bool = False
    extension: ExtensionSpec | None = None
    source: str
    verified: bool = True
    effective_from: date | None = None
    effective_to: date | None = None
    note: str = ""

    @model_validator(mode="after")
    def _dates_in_order(self) -> DeadlineSpec:
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self


class CommunicationSpec(_Strict):
    id: str
    title: str
    mandatory_items: list[str] = Field(min_length=1)
    deadline: str | None = None
    source: str = ""


class PackSpec(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    source: str
    description: str = ""
    kinds: list[str] = ["complaint"]
    pauses_allowed: bool = False
    deadlines: list[DeadlineSpec] = Field(min_length=1)
    communications: list[CommunicationSpec] = []

    @model_validator(mode="after")
    def _consistent(self) -> PackSpec:
        ids = [d.id for d in self.deadlines]
        if len(ids) != len(set(ids)):
            raise ValueError("deadline ids repeat")
        for comm in self.communications:
            if comm.deadline and comm.deadline not in ids:
                raise ValueError(f"communication {comm.id} names unknown deadline {comm.deadline}")
        if not self.pauses_allowed and any(d.pausable for d in self.deadlines):
            raise ValueError("a deadline is pausable but the pack does not allow pauses")
        return self

    def to_domain(self) -> PolicyPack:
        return PolicyPack(
            id=self.id,
            name=self.name,
            source=self.source,
            description=self.description,
            kinds=tuple(self.kinds),
            pauses_allowed=self.pauses_allowed,
            deadlines=tuple(
                DeadlineRule(
                    id=d.id,
                    title=d.title,
                    count=d.count,
                    unit=d.unit,
                    start=d.start,
                    stop=tuple(d.stop),
                    pausable=d.pausable,
                    roll_to_working_day=d.roll_to_working_day,
                    extension=Extension(
                        cap=d.extension.cap,
                        unit=d.extension.unit,
                        notice_items=tuple(d.extension.notice_items),
                    )
                    if d.extension
                    else None,
                    source=d.source,
                    verified=d.verified,
                    effective_from=d.effective_from,
                    effective_to=d.effective_to,
                    note=d.note,
                )
                for d in self.deadlines
            ),
            communications=tuple(
                Communication(
                    id=c.id,
                    title=c.title,
                    mandatory_items=tuple(c.mandatory_items),
                    deadline=c.deadline,
                    source=c.source,
                )
                for c in self.communications
            ),
        )


def parse_pack(text: str, *, origin: str) -> PolicyPack:
    try:
        raw: Any = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValidationError(f"{origin} is not valid YAML: {error}") from None
    try:
        spec = PackSpec.model_validate(raw)
    except PydanticError as error:
        problems = {".".join(str(p) for p in e["loc"]) or "pack": e["msg"] for e in error.errors()}
        raise ValidationError(f"{origin} is not a valid policy pack.", fields=problems) from None
    if Path(origin).stem != spec.id:
        raise ValidationError(f"{origin} holds pack {spec.id!r}; name the file {spec.id}.yaml.")
    return spec.to_domain()


@lru_cache(maxsize=1)
def all_packs() -> dict[str, PolicyPack]:
    packs = [parse_pack(p.read_text(), origin=p.name) for p in sorted(HERE.glob("*.yaml"))]
    return {pack.id: pack for pack in packs}


def get_pack(pack_id: str) -> PolicyPack:
    pack = all_packs().get(pack_id)
    if pack is None:
        known = ", ".join(sorted(all_packs()))
        raise NotFoundError(f"There is no policy pack {pack_id!r}. Known packs: {known}.")
    return pack
