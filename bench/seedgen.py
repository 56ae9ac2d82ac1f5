"""Generated rows for ``bench/seed.py``: customers and cases with their ``*.created`` events.

Column lists come from the models themselves, so schema changes are picked up; each event is
hash-chained with the application's own :func:`amends.core.timeline.chain_hash` (imported
after Django is set up, as everything from ``amends`` here is).
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import texts

TEAM_NAMES = [
    "Customer Relations",
    "Billing",
    "Escalations",
    "Retail Banking",
    "Mortgages",
    "Cards",
    "Insurance",
    "Energy Supply",
    "Broadband",
    "Housing Repairs",
    "Travel",
    "Pensions",
]


def _words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


FIRST = _words(
    "Amara Ben Chloe Dev Ella Farid Grace Harpreet Isla Jack Kofi Leah Mohammed Niamh Owen Priya "
    "Rhys Sofia Tomasz Una Victor Wen Yusuf Zara"
)
LAST = _words(
    "Adeyemi Brown Campbell Davies Evans Fraser Green Hughes Iqbal Jones Khan Lewis Morgan "
    "Nowak O'Brien Patel Quinn Roberts Singh Taylor Walker Wright Young"
)
STREETS = _words("High Street|Station Road|Church Lane|Victoria Road|Mill Lane|Park Avenue", "|")

# About a third of the cases are open; the rest are closed or withdrawn.
STATUS_WEIGHTS = {
    "received": 6,
    "acknowledged": 6,
    "investigating": 9,
    "solution_proposed": 3,
    "awaiting_customer": 3,
    "escalated": 2,
    "resolved": 2,
    "follow_up": 1,
    "reopened": 1,
    "closed": 62,
    "withdrawn": 5,
}
# How many changes each status took to reach (the case's version is one more).
STEPS = {
    "received": 0,
    "acknowledged": 1,
    "investigating": 2,
    "solution_proposed": 3,
    "awaiting_customer": 3,
    "escalated": 3,
    "resolved": 3,
    "follow_up": 4,
    "reopened": 4,
    "closed": 5,
    "withdrawn": 2,
}
KIND_WEIGHTS = {
    "complaint": 60,
    "service_failure": 10,
    "query": 15,
    "service_request": 10,
    "compliment": 5,
}
CHANNEL_WEIGHTS = {
    "email": 30,
    "phone": 25,
    "web_form": 15,
    "portal": 8,
    "chat": 8,
    "letter": 5,
    "social_media": 5,
    "in_person": 2,
    "sms": 2,
}
JOURNEY = ["", "purchase", "onboarding", "delivery", "usage", "billing", "support", "renewal_exit"]
PRIORITY_WEIGHTS = {"low": 15, "normal": 60, "high": 20, "urgent": 5}
SEVERITY_WEIGHTS = {1: 30, 2: 45, 3: 20, 4: 5}
REMEDIES = [
    "",
    "",
    "A refund of the charge.",
    "An apology and an explanation.",
    "Compensation for the time lost.",
    "Fix the fault and confirm in writing.",
]
OUTCOMES = ["upheld", "partly_upheld", "not_upheld"]
ROOT_CAUSES = [
    "Billing system applied the old tariff after the price change.",
    "Engineer visit not booked because the job was closed in error.",
    "Agent did not log the callback request.",
    "Letter templates still used the customer's previous address.",
    "Courier scanned the parcel as delivered at the depot.",
]
YEARS_BACK = 730  # received dates spread over two years


@dataclass
class Person:
    id: int
    username: str


@dataclass
class World:
    """What the generated rows refer to."""

    teams: list[tuple[int, str]]  # (id, slug)
    agents: dict[int, list[Person]]  # team id -> agents
    categories: list[tuple[int, str]]
    definition_id: int
    customers: list[tuple[int, str]] = field(default_factory=list)  # (id, reference)


# --- row building -------------------------------------------------------------------------------


class Table:
    """A model's columns (from the model itself, so schema changes are picked up) and defaults."""

    def __init__(self, model: Any) -> None:
        from django.db.models import JSONField

        self.name: str = model._meta.db_table
        self.columns: list[str] = []
        self.defaults: list[Any] = []
        for f in model._meta.concrete_fields:
            if f.primary_key and f.get_internal_type() in ("AutoField", "BigAutoField"):
                continue
            self.columns.append(f.column)
            default = f.get_default()
            if isinstance(f, JSONField):
                default = json.dumps(default)
            self.defaults.append(default)

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(values.get(c, d) for c, d in zip(self.columns, self.defaults, strict=True))


def _weighted(rng: random.Random, weights: dict[Any, int], k: int) -> list[Any]:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


class Generator:
    def __init__(
        self, world: World, samples: Sequence[texts.Sample], seed: int, vendor: str
    ) -> None:
        from amends.cases.domain import make_reference, summarise
        from amends.cases.models import Case
        from amends.core.models import Event
        from amends.core.timeline import GENESIS, canonical, chain_hash, jsonable
        from amends.customers.models import Customer

        self.world = world
        self.samples = samples
        self.rng = random.Random(seed)
        self.vendor = vendor
        self.case_table = Table(Case)
        self.event_table = Table(Event)
        self.customer_table = Table(Customer)
        self.summaries = [summarise(s.text) for s in samples]
        self._make_reference = make_reference
        self._genesis = GENESIS
        self._canonical = canonical
        self._chain_hash = chain_hash
        self._jsonable = jsonable
        self.zone = ZoneInfo(os.environ.get("AMENDS_TIME_ZONE", "Europe/London"))
        self.now = datetime.now(UTC)

    def ts(self, value: datetime | None) -> Any:
        """A time as the backend stores it (Django's SQLite adapter: naive UTC text)."""
        if value is None or self.vendor == "postgresql":
            return value
        return str(value.astimezone(UTC).replace(tzinfo=None))

    def event(
        self, stream: str, type_: str, at: datetime, actor: Person | None, data: dict[str, Any]
    ) -> tuple[Any, ...]:
        """The stream's first event (the database moves the stream's head as it goes in)."""
        payload = self._jsonable(data)
        label = actor.username if actor else "system"
        digest = self._chain_hash(
            prev_hash=self._genesis,
            stream=stream,
            seq=1,
            type=type_,
            occurred_at=at,
            actor_id=actor.id if actor else None,
            actor_label=label,
            data=payload,
        )
        return self.event_table.row(
            {
                "stream": stream,
                "seq": 1,
                "type": type_,
                "occurred_at": self.ts(at),
                "actor_id": actor.id if actor else None,
                "actor_label": label,
                "data": self._canonical(payload),
                "prev_hash": self._genesis,
                "hash": digest,
            }
        )

    # customers

    def customers(
        self, first_number: int, count: int
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        rng = self.rng
        rows, events = [], []
        for number in range(first_number, first_number + count):
            reference = f"CU-{number:07d}"
            first, last = rng.choice(FIRST), rng.choice(LAST)
            organisation = rng.random() < 0.08
            created = self.now - timedelta(days=YEARS_BACK + 30) * rng.random() ** 0.7
            details = {
                "name": f"{first} {last}",
                "organisation_name": f"{last} & Sons Ltd" if organisation else "",
                "email": f"{first}.{last}.{number}@example.com".lower().replace("'", ""),
                "phone": f"+447700900{number % 1000:03d}",
                "address": f"{rng.randint(1, 200)} {rng.choice(STREETS)}",
                "postcode": f"LS{rng.randint(1, 29)} {rng.randint(1, 9)}AB",
                "preferred_channel": "email",
                "preferred_format": "standard",
                "preferred_language": "en",
                "adjustments": [],
                "adjustments_note": "",
                "segment": rng.choice(["", "", "retail", "business", "premium"]),
                "external_id": "",
            }
            kind = "organisation" if organisation else "person"
            lawful_basis = "legitimate_interests"
            rows.append(
                self.customer_table.row(
                    {
                        **details,
                        "adjustments": "[]",
                        "reference": reference,
                        "kind": kind,
                        "lawful_basis": lawful_basis,
                        "created_at": self.ts(created),
                        "updated_at": self.ts(created),
                        "version": 1,
                    }
                )
            )
            event = self.event(
                f"customer:{reference}",
                "customer.created",
                created,
                None,
                {"kind": kind, **details, "lawful_basis": lawful_basis},
            )
            events.append(event)
        return rows, events

    # cases

    def cases(
        self, count: int, counters: dict[int, int]
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """``count`` cases; ``counters`` (year -> last number used) is advanced in place."""
        rng, world, now = self.rng, self.world, self.now
        statuses = _weighted(rng, STATUS_WEIGHTS, count)
        kinds = _weighted(rng, KIND_WEIGHTS, count)
        channels = _weighted(rng, CHANNEL_WEIGHTS, count)
        priorities = _weighted(rng, PRIORITY_WEIGHTS, count)
        severities = _weighted(rng, SEVERITY_WEIGHTS, count)
        rows, events = [], []
        for i in range(count):
            status, kind = statuses[i], kinds[i]
            received = now - timedelta(seconds=rng.uniform(60, YEARS_BACK * 86400))
            created = min(received + timedelta(seconds=rng.uniform(0, 7200)), now)
            year = created.astimezone(self.zone).year
            counters[year] = counters.get(year, 0) + 1
            reference = self._make_reference(year, counters[year])
            team_id, team_slug = rng.choice(world.teams)
            agent = rng.choice(world.agents[team_id])
            assigned = status in ("closed", "withdrawn") or rng.random() < 0.7
            assignee = rng.choice(world.agents[team_id]) if assigned else None
            k = rng.randrange(len(self.samples))
            sample = self.samples[k]
            category = rng.choice(world.categories) if rng.random() < 0.9 else None
            customer_id, customer_ref = rng.choice(world.customers)
            journey = rng.choice(JOURNEY)
            remedy = rng.choice(REMEDIES)
            values: dict[str, Any] = {
                "reference": reference,
                "kind": kind,
                "category_id": category[0] if category else None,
                "channel": channels[i],
                "journey_stage": journey,
                "severity": severities[i],
                "priority": priorities[i],
                "summary": self.summaries[k],
                "description": sample.text,
                "remedy_sought": remedy,
                "product": sample.product,
                "customer_id": customer_id,
                "representative_id": None,
                "team_id": team_id,
                "assignee_id": assignee.id if assignee else None,
                "status": status,
                "resume_status": "investigating" if status == "awaiting_customer" else "",
                "escalation_level": 1 if status == "escalated" else 0,
                "received_at": self.ts(received),
                "determination_definition_id": world.definition_id,
                "determination_rationale": "",
                "determined_by_id": agent.id,
                "determined_at": self.ts(created),
                "created_at": self.ts(created),
                "version": 1 + STEPS[status],
            }
            updated = created
            if status != "received":
                acknowledged = min(created + timedelta(hours=rng.uniform(1, 48)), now)
                values["acknowledged_at"] = self.ts(acknowledged)
                updated = acknowledged
            if status in ("resolved", "follow_up", "closed"):
                resolved = min(updated + timedelta(days=rng.uniform(1, 40)), now)
                values.update(
                    resolved_at=self.ts(resolved),
                    resolution_summary="We corrected the account and wrote to the customer.",
                    outcome=rng.choice(OUTCOMES),
                    root_cause=rng.choice(ROOT_CAUSES),
                )
                updated = resolved
                if status == "closed":
                    closed = min(resolved + timedelta(days=rng.uniform(1, 14)), now)
                    values["closed_at"] = self.ts(closed)
                    if rng.random() < 0.6:
                        values["customer_confirmed_at"] = self.ts(closed)
                    updated = closed
            if status == "withdrawn":
                values["withdrawn_reason"] = "The customer said the problem had gone away."
            values["updated_at"] = self.ts(updated)
            rows.append(self.case_table.row(values))
            event = self.event(
                f"case:{reference}",
                "case.created",
                created,
                agent,
                {
                    "kind": kind,
                    "category": category[1] if category else None,
                    "channel": channels[i],
                    "journey_stage": journey or None,
                    "severity": severities[i],
                    "priority": priorities[i],
                    "summary": self.summaries[k],
                    "description": sample.text,
                    "remedy_sought": remedy,
                    "product": sample.product,
                    "customer": customer_ref,
                    "representative": None,
                    "team": team_slug,
                    "assignee": assignee.username if assignee else None,
                    "received_at": received,
                    "status": "received",
                    "determination": {
                        "definition": "organisation",
                        "rationale": "",
                        "is_complaint": kind == "complaint",
                    },
                },
            )
            events.append(event)
        return rows, events
