"""Bulk import and export of cases (CSV or JSON lines), for migrations and reporting tools."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from tqdm import tqdm

from amends.accounts import selectors as account_selectors
from amends.cases import services as case_services
from amends.cases.domain import CaseDetails, CaseKind, Channel, JourneyStage, Priority
from amends.cases.models import Case
from amends.cases.selectors import status_filter
from amends.core import clock
from amends.core.errors import AmendsError
from amends.customers import selectors as customer_selectors
from amends.customers.domain import ContactChannel, ContactDetails, CustomerKind

EXPORT_COLUMNS = [
    "reference",
    "kind",
    "status",
    "category",
    "channel",
    "journey_stage",
    "severity",
    "priority",
    "summary",
    "description",
    "remedy_sought",
    "product",
    "customer",
    "customer_name",
    "team",
    "assignee",
    "escalation_level",
    "outcome",
    "resolution_summary",
    "root_cause",
    "received_at",
    "acknowledged_at",
    "resolved_at",
    "closed_at",
    "created_at",
    "updated_at",
]


def _row(case: Case) -> dict[str, Any]:
    def when(value: datetime | None) -> str:
        return value.isoformat() if value else ""

    return {
        "reference": case.reference,
        "kind": case.kind,
        "status": case.status,
        "category": case.category.slug if case.category else "",
        "channel": case.channel,
        "journey_stage": case.journey_stage,
        "severity": case.severity,
        "priority": case.priority,
        "summary": case.summary,
        "description": case.description,
        "remedy_sought": case.remedy_sought,
        "product": case.product,
        "customer": case.customer.reference,
        "customer_name": case.customer.name,
        "team": case.team.slug,
        "assignee": case.assignee.username if case.assignee else "",
        "escalation_level": case.escalation_level,
        "outcome": case.outcome,
        "resolution_summary": case.resolution_summary,
        "root_cause": case.root_cause,
        "received_at": when(case.received_at),
        "acknowledged_at": when(case.acknowledged_at),
        "resolved_at": when(case.resolved_at),
        "closed_at": when(case.closed_at),
        "created_at": when(case.created_at),
        "updated_at": when(case.updated_at),
    }


def _all_cases(statuses: Sequence[str], chunk_size: int = 2000) -> Iterator[Case]:
    cases = Case.objects.select_related("customer", "team", "assignee", "category")
    if statuses:
        cases = cases.filter(status_filter(statuses))
    last = 0
    while True:
        chunk = list(cases.filter(id__gt=last).order_by("id")[:chunk_size])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].pk


def export_cases(out: IO[str], *, fmt: str, statuses: Sequence[str] = ()) -> int:
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        for case in _all_cases(statuses):
            writer.writerow(_row(case))
            count += 1
    else:
        for case in _all_cases(statuses):
            out.write(json.dumps(_row(case), ensure_ascii=False) + "\n")
            count += 1
    return count


class ImportRow(BaseModel):
    """One case to import. A customer is named by reference, or found or created by email,
    phone or name."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    customer: str | None = None
    customer_name: str | None = None
    customer_email: str | None = None
    customer_phone: str | None = None
    customer_kind: CustomerKind = CustomerKind.PERSON
    kind: CaseKind
    channel: Channel
    description: str = Field(min_length=1)
    summary: str = ""
    category: str | None = None
    journey_stage: JourneyStage | None = None
    severity: int = Field(2, ge=1, le=4)
    priority: Priority = Priority.NORMAL
    remedy_sought: str = ""
    product: str = ""
    team: str | None = None
    assignee: str | None = None
    received_at: datetime | None = None

    @field_validator("received_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("needs a time zone (for example +00:00)")
        return value


@dataclass
class ImportReport:
    accepted: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _rows(path: Path, fmt: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, row) for each record; a row that cannot be read is a string saying why."""
    if fmt == "auto":
        fmt = "jsonl" if path.suffix.lower() in {".jsonl", ".ndjson", ".json"} else "csv"
    with path.open(newline="", encoding="utf-8-sig") as fh:
        if fmt == "csv":
            reader = csv.DictReader(fh)
            for record in reader:
                # An empty cell means "not given", so that defaults apply.
                yield (
                    reader.line_num,
                    {k: v for k, v in record.items() if k and v not in ("", None)},
                )
            return
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, f"not valid JSON ({exc.msg})"
                continue
            yield number, record if isinstance(record, dict) else "not a JSON object"


def _explain(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in error['loc']) or 'row'}: {error['msg']}"
        for error in exc.errors()
    )


def _customer_for(row: ImportRow, now: datetime) -> Any:
    if row.customer:
        found = customer_selectors.find_customer(row.customer)
        if found is None:
            raise AmendsError(f"customer: no customer {row.customer}")
        return found
    if row.customer_email:
        found = customer_selectors.find_customer_by_email(row.customer_email)
        if found is not None:
            return found
    if not row.customer_name:
        raise AmendsError("customer: give a customer reference, or at least customer_name")
    return case_services.NewCustomer(
        kind=row.customer_kind,
        details=ContactDetails(
            name=row.customer_name,
            email=row.customer_email or "",
            phone=row.customer_phone or "",
            preferred_channel=_preferred_channel(row),
        ),
    )


def _preferred_channel(row: ImportRow) -> ContactChannel:
    if row.customer_email:
        return ContactChannel.EMAIL
    if row.customer_phone:
        return ContactChannel.PHONE
    return ContactChannel.LETTER


def import_one(row: ImportRow, default_team: str | None) -> Case:
    now = clock.now()
    team_name = row.team or default_team
    if not team_name:
        raise AmendsError("team: name a team in the row or with --team")
    team = account_selectors.get_team(team_name)
    assignee = account_selectors.find_user(row.assignee) if row.assignee else None
    if row.assignee and assignee is None:
        raise AmendsError(f"assignee: no user {row.assignee}")
    with transaction.atomic():
        case, _ = case_services.create_case(
            kind=row.kind,
            details=CaseDetails(
                summary=row.summary,
                description=row.description,
                channel=row.channel,
                category=row.category,
                journey_stage=row.journey_stage,
                severity=row.severity,
                priority=row.priority,
                remedy_sought=row.remedy_sought,
                product=row.product,
            ),
            customer=_customer_for(row, now),
            team=team,
            assignee=assignee,
            received_at=row.received_at,
            actor=None,
            now=now,
        )
    return case


def import_cases(
    path: Path, *, fmt: str = "auto", default_team: str | None = None, progress: bool = True
) -> ImportReport:
    """Import every acceptable row, each in its own transaction; report each rejected row."""
    report = ImportReport()
    total = None
    if progress:
        with path.open("rb") as fh:
            total = sum(1 for _ in fh)
    rows = _rows(path, fmt)
    bar = tqdm(rows, total=total, unit=" rows", disable=not progress, file=sys.stderr)
    for number, record in bar:
        if isinstance(record, str):
            report.rejected.append((number, record))
            continue
        try:
            import_one(ImportRow.model_validate(record), default_team)
        except ValidationError as exc:
            report.rejected.append((number, _explain(exc)))
        except AmendsError as exc:
            details = "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.fields.items())
            report.rejected.append(
                (number, f"{exc.message}" + (f" ({details})" if details else ""))
            )
        else:
            report.accepted += 1
    return report
