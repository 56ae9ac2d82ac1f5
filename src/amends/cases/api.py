"""/api/v1/cases: parse, check access, call a service or selector, serialise."""

from __future__ import annotations

import hashlib
from contextlib import nullcontext
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Header, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as Reply
from pydantic import Field, field_validator

from amends.accounts import selectors as account_selectors
from amends.accounts.auth import request_user
from amends.accounts.domain import can_change_case
from amends.cases import presenters, selectors
from amends.cases import services as case_services
from amends.cases.access import access_case
from amends.cases.domain import (
    CaseDetails,
    CaseKind,
    Channel,
    JourneyStage,
    LinkKind,
    Priority,
    Status,
    TransitionRequest,
)
from amends.cases.schemas import (
    AttachmentOut,
    CaseIn,
    CaseOut,
    CasePage,
    CasePatch,
    CategoryOut,
    DefinitionOut,
    FollowUpIn,
    FollowUpOut,
    InteractionOut,
    LinkIn,
    LinkOut,
    MessageIn,
    NoteIn,
    StakeholderIn,
    StakeholderOut,
    TimelineOut,
    TransitionIn,
)
from amends.core import clock
from amends.core.errors import (
    AttachmentRejectedError,
    ErrorCode,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from amends.core.timeline import canonical
from amends.customers.access import access_customer, check_can_create_customers
from amends.customers.api import contact_details, representative_draft, vulnerability_draft

if TYPE_CHECKING:
    from amends.accounts.models import Team, User

router = Router(tags=["cases"])

STATUS_FILTERS = {s.value for s in Status} | {"open", "finished"}


def _split(values: list[str] | None) -> list[str]:
    return [v.strip() for raw in values or [] for v in raw.split(",") if v.strip()]


class CaseFilter(Schema):
    status: list[str] | None = Field(None, description="statuses, or open / finished")
    kind: list[CaseKind] | None = None
    category: list[str] | None = None
    team: list[str] | None = None
    assignee: str | None = Field(None, description="a username, me, or none")
    priority: list[Priority] | None = None
    severity: list[int] | None = None
    channel: list[Channel] | None = None
    journey_stage: list[JourneyStage] | None = None
    customer: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    q: str | None = Field(None, max_length=200)
    sort: str | None = Field(
        None,
        description="received_at (default -received_at), created_at, updated_at, severity or "
        "id, with - for descending; a text search defaults to -id (most recently logged first)",
    )
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=settings.AMENDS_PAGE_SIZE_MAX)

    @field_validator("status")
    @classmethod
    def _known_statuses(cls, value: list[str] | None) -> list[str] | None:
        statuses = _split(value)
        unknown = sorted(set(statuses) - STATUS_FILTERS)
        if unknown:
            raise ValueError(f"unknown status {', '.join(unknown)}")
        return statuses or None

    @field_validator("severity")
    @classmethod
    def _severities(cls, value: list[int] | None) -> list[int] | None:
        if value and any(v not in (1, 2, 3, 4) for v in value):
            raise ValueError("severity is 1, 2, 3 or 4")
        return value


def _team_for(user: User, slug: str | None) -> Team:
    if slug:
        return account_selectors.get_team(slug)
    team = next((t for t in user.team_list() if t.handles_cases), None)
    if team is None:
        raise ValidationError(
            "Say which team handles the case.", fields={"team": "required: you are in no team"}
        )
    return team


def _user_named(username: str, field: str) -> User:
    user = account_selectors.find_user(username)
    if user is None:
        raise ValidationError(f"No user called {username!r}.", fields={field: "unknown user"})
    return user


def _fingerprint(payload: Schema) -> str:
    return hashlib.sha256(canonical(payload.model_dump(mode="json")).encode()).hexdigest()


def _detail(case: Any, user: User) -> dict[str, Any]:
    return presenters.case_detail(case, user, clock.now())


@router.post("/cases", response={200: CaseOut, 201: CaseOut})
def create_case(
    request: HttpRequest,
    payload: CaseIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=200),
) -> Reply[Any]:
    """Log a case. Repeat the request with the same ``Idempotency-Key`` to get the same case."""
    user, now = request_user(request), clock.now()
    team = _team_for(user, payload.team)
    if not can_change_case(user.role_enum, user.team_ids(), team.pk):
        raise PermissionDeniedError(f"You cannot log cases for team {team.name}.")
    if isinstance(payload.customer, str):
        customer: Any = access_customer(user, payload.customer)
    else:
        check_can_create_customers(user)
        new = payload.customer
        customer = case_services.NewCustomer(
            kind=new.kind,
            details=contact_details(new),
            vulnerabilities=[vulnerability_draft(v) for v in new.vulnerabilities],
            representatives=[representative_draft(r) for r in new.representatives],
            lawful_basis=new.lawful_basis.value if new.lawful_basis else None,
        )
    representative = None
    if payload.representative is not None:
        if not isinstance(payload.customer, str):
            raise ValidationError(
                "A new customer has no representative on record yet.",
                fields={"representative": "add the representative to the new customer"},
            )
        representative = customer.representatives.filter(pk=payload.representative).first()
        if representative is None:
            raise ValidationError(
                "That representative is not on this customer's record.",
                fields={"representative": "unknown representative"},
            )
    details = CaseDetails(
        summary=payload.summary,
        description=payload.description,
        channel=payload.channel,
        category=payload.category,
        journey_stage=payload.journey_stage,
        severity=payload.severity,
        priority=payload.priority,
        remedy_sought=payload.remedy_sought,
        product=payload.product,
        read_back=payload.read_back,
    )
    determination = (
        case_services.Determination(
            definition=payload.determination.definition,
            rationale=payload.determination.rationale,
        )
        if payload.determination
        else None
    )
    # Stakeholders are added in the case's transaction; without any, the service's own is it.
    with transaction.atomic() if payload.stakeholders else nullcontext():
        case, created = case_services.create_case(
            kind=payload.kind,
            details=details,
            customer=customer,
            team=team,
            actor=user,
            now=now,
            received_at=payload.received_at,
            assignee=_user_named(payload.assignee, "assignee") if payload.assignee else None,
            representative=representative,
            determination=determination,
            idempotency_key=idempotency_key,
            request_fingerprint=_fingerprint(payload) if idempotency_key else "",
        )
        if created:
            for stakeholder in payload.stakeholders:
                _add_stakeholder(case, stakeholder, user, now)
    relations = None
    if created and not payload.stakeholders:  # nothing to read back: it was all sent
        vulnerable = (
            bool(customer.vulnerabilities)
            if isinstance(customer, case_services.NewCustomer)
            else customer.currently_vulnerable
        )
        relations = selectors.relations_of_new_case(case, customer_vulnerable=vulnerable)
    detail = presenters.case_detail(case, user, clock.now(), relations=relations)
    return Reply(201 if created else 200, detail)


@router.get("/cases", response=CasePage)
def list_cases(request: HttpRequest, filters: Query[CaseFilter]) -> dict[str, Any]:
    user = request_user(request)
    query = selectors.CaseQuery(
        status=filters.status or (),
        kind=[k.value for k in filters.kind or ()],
        category=_split(filters.category),
        team=_split(filters.team),
        assignee=filters.assignee,
        priority=[p.value for p in filters.priority or ()],
        severity=filters.severity or (),
        channel=[c.value for c in filters.channel or ()],
        journey_stage=[j.value for j in filters.journey_stage or ()],
        customer=filters.customer,
        created_from=filters.created_from,
        created_to=filters.created_to,
        q=filters.q or "",
        sort=filters.sort,
        cursor=filters.cursor,
        limit=filters.limit,
    )
    page = selectors.list_cases(user, query)
    return {"items": presenters.case_rows(page.items), "next_cursor": page.next_cursor}


@router.get("/cases/{reference}", response=CaseOut)
def get_case(request: HttpRequest, reference: str) -> dict[str, Any]:
    user = request_user(request)
    return _detail(access_case(user, reference), user)


@router.patch("/cases/{reference}", response=CaseOut)
def update_case(request: HttpRequest, reference: str, payload: CasePatch) -> dict[str, Any]:
    """Change fields of a case: all of them or none, and only from the current ``version``."""
    user, now = request_user(request), clock.now()
    case = access_case(user, reference, for_write=True)
    sent = payload.model_fields_set - {"version"}
    if not sent:
        raise ValidationError("Send at least one field to change.", fields={"body": "no changes"})
    detail_fields = sent & set(CaseDetails.__dataclass_fields__)
    changes = [bool(detail_fields), bool(sent & {"team", "assignee"})]
    changes.append(bool(sent & {"kind", "determination"}))
    # All or none: several changes share one transaction; one change is its service's own.
    with transaction.atomic() if sum(changes) > 1 else nullcontext():
        case_services.ensure_current(case, expected_version=payload.version)
        if detail_fields:
            values = {**_details_of(case).__dict__}
            for name in detail_fields:
                value = getattr(payload, name)
                if value is None and name in ("channel", "severity", "priority"):
                    raise ValidationError(f"{name} cannot be cleared.", fields={name: "required"})
                values[name] = (
                    "" if value is None and name not in ("category", "journey_stage") else value
                )
            case_services.update_case_details(
                case=case,
                details=CaseDetails(**values),
                expected_version=case.version,
                actor=user,
                now=now,
            )
        if sent & {"team", "assignee"}:
            team = account_selectors.get_team(payload.team) if payload.team else case.team
            if "assignee" in sent:
                assignee = _user_named(payload.assignee, "assignee") if payload.assignee else None
            else:
                assignee = case.assignee
            case_services.assign_case(
                case=case,
                team=team,
                assignee=assignee,
                expected_version=case.version,
                actor=user,
                now=now,
            )
        if sent & {"kind", "determination"}:
            case_services.change_kind(
                case=case,
                kind=payload.kind or CaseKind(case.kind),
                reason=payload.kind_reason or "",
                expected_version=case.version,
                actor=user,
                now=now,
                determination=case_services.Determination(
                    definition=payload.determination.definition,
                    rationale=payload.determination.rationale,
                )
                if payload.determination
                else None,
            )
    return _detail(case, user)


def _details_of(case: Any) -> CaseDetails:
    return CaseDetails(
        summary=case.summary,
        description=case.description,
        channel=Channel(case.channel),
        category=case.category.slug if case.category else None,
        journey_stage=JourneyStage(case.journey_stage) if case.journey_stage else None,
        severity=case.severity,
        priority=Priority(case.priority),
        remedy_sought=case.remedy_sought,
        product=case.product,
        read_back=case.read_back,
    )


@router.post("/cases/{reference}/transitions", response=CaseOut)
def transition_case(request: HttpRequest, reference: str, payload: TransitionIn) -> dict[str, Any]:
    """Move the case to ``to``, sending what that move's guard needs."""
    user = request_user(request)
    case = access_case(user, reference, for_write=True)
    case_services.transition_case(
        case=case,
        request=TransitionRequest(
            to=payload.to,
            resolution_summary=payload.resolution_summary,
            outcome=payload.outcome,
            root_cause=payload.root_cause,
            customer_confirmed=payload.customer_confirmed,
            reason=payload.reason,
            level=payload.level,
        ),
        expected_version=payload.version,
        actor=user,
        now=clock.now(),
    )
    return _detail(case, user)


@router.post("/cases/{reference}/followups", response={201: FollowUpOut})
def record_follow_up(request: HttpRequest, reference: str, payload: FollowUpIn) -> Reply[Any]:
    user = request_user(request)
    case = access_case(user, reference, for_write=True)
    attempt = case_services.record_follow_up_attempt(
        case=case,
        channel=payload.channel,
        result=payload.result,
        note=payload.note,
        attempted_at=payload.attempted_at,
        actor=user,
        now=clock.now(),
    )
    return Reply(201, attempt)


@router.get("/cases/{reference}/followups", response=list[FollowUpOut])
def list_follow_ups(request: HttpRequest, reference: str) -> list[Any]:
    case = access_case(request_user(request), reference)
    return list(case.follow_ups.order_by("attempted_at", "id"))


@router.post("/cases/{reference}/messages", response={201: InteractionOut})
def record_message(request: HttpRequest, reference: str, payload: MessageIn) -> Reply[Any]:
    user = request_user(request)
    case = access_case(user, reference, for_write=True)
    message = case_services.record_message(
        case=case,
        direction=payload.direction,
        channel=payload.channel,
        body=payload.body,
        subject=payload.subject,
        counterpart=payload.counterpart,
        occurred_at=payload.occurred_at,
        communication=payload.communication,
        content_items=payload.content_items,
        actor=user,
        now=clock.now(),
    )
    return Reply(201, presenters.interaction_out(message))


@router.post("/cases/{reference}/notes", response={201: InteractionOut})
def add_note(request: HttpRequest, reference: str, payload: NoteIn) -> Reply[Any]:
    user = request_user(request)
    case = access_case(user, reference, for_write=True)
    note = case_services.add_note(case=case, body=payload.body, actor=user, now=clock.now())
    return Reply(201, presenters.interaction_out(note))


@router.get("/cases/{reference}/interactions", response=list[InteractionOut])
def list_interactions(request: HttpRequest, reference: str) -> list[dict[str, Any]]:
    case = access_case(request_user(request), reference)
    return [presenters.interaction_out(i) for i in selectors.list_interactions(case)]


@router.post("/cases/{reference}/attachments", response={201: AttachmentOut})
def add_attachment(
    request: HttpRequest,
    reference: str,
    file: File[UploadedFile],
    interaction: Form[int | None] = None,
) -> Reply[Any]:
    user = request_user(request)
    case = access_case(user, reference, for_write=True)
    limit = settings.AMENDS_ATTACHMENT_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise AttachmentRejectedError(
            f"{file.name} is {file.size:,} bytes; the limit is {limit:,} bytes.",
            code=ErrorCode.ATTACHMENT_TOO_LARGE,
            fields={"file": f"larger than {limit} bytes"},
        )
    linked = None
    if interaction is not None:
        linked = case.interactions.filter(pk=interaction).first()
        if linked is None:
            raise ValidationError(
                "That message is not on this case.", fields={"interaction": "unknown"}
            )
    attachment = case_services.add_attachment(
        case=case,
        filename=file.name or "attachment",
        data=file.read(),
        interaction=linked,
        actor=user,
        now=clock.now(),
    )
    return Reply(201, _attachment_out(attachment))


def _attachment_out(attachment: Any) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "interaction": attachment.interaction_id,
        "uploaded_at": attachment.uploaded_at,
    }


@router.get("/cases/{reference}/attachments", response=list[AttachmentOut])
def list_attachments(request: HttpRequest, reference: str) -> list[dict[str, Any]]:
    case = access_case(request_user(request), reference)
    return [_attachment_out(a) for a in case.attachments.order_by("id")]


@router.get("/cases/{reference}/attachments/{attachment_id}")
def download_attachment(request: HttpRequest, reference: str, attachment_id: int) -> HttpResponse:
    case = access_case(request_user(request), reference)
    attachment = selectors.get_attachment(case, attachment_id)
    if attachment is None:
        raise NotFoundError("There is no such attachment on this case.")
    response = HttpResponse(
        selectors.read_attachment(attachment), content_type=attachment.content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{attachment.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _add_stakeholder(case: Any, payload: StakeholderIn, actor: User, now: datetime) -> Any:
    return case_services.add_stakeholder(
        case=case,
        role=payload.role,
        user=_user_named(payload.user, "user") if payload.user else None,
        team=account_selectors.get_team(payload.team) if payload.team else None,
        note=payload.note,
        actor=actor,
        now=now,
    )


@router.post("/cases/{reference}/stakeholders", response={201: StakeholderOut})
def add_stakeholder(request: HttpRequest, reference: str, payload: StakeholderIn) -> Reply[Any]:
    user = request_user(request)
    case = access_case(user, reference, for_write=True)
    stakeholder = _add_stakeholder(case, payload, user, clock.now())
    return Reply(
        201,
        {
            "id": stakeholder.pk,
            "role": stakeholder.role,
            "user": stakeholder.user.username if stakeholder.user else None,
            "team": stakeholder.team.slug if stakeholder.team else None,
            "note": stakeholder.note,
        },
    )


@router.delete("/cases/{reference}/stakeholders/{stakeholder_id}", response={204: None})
def remove_stakeholder(request: HttpRequest, reference: str, stakeholder_id: int) -> Reply[Any]:
    user = request_user(request)
    case = access_case(user, reference, for_write=True)
    stakeholder = case.stakeholders.filter(pk=stakeholder_id).first()
    if stakeholder is None:
        raise NotFoundError("There is no such stakeholder on this case.")
    case_services.remove_stakeholder(stakeholder=stakeholder, actor=user, now=clock.now())
    return Reply(204, None)


@router.post("/cases/{reference}/links", response={201: LinkOut})
def link_case(request: HttpRequest, reference: str, payload: LinkIn) -> Reply[Any]:
    user = request_user(request)
    case = access_case(user, reference, for_write=True)
    target = access_case(user, payload.target)
    case_services.link_cases(
        case=case, target=target, kind=payload.kind, actor=user, now=clock.now()
    )
    return Reply(201, {"kind": payload.kind.value, "direction": "out", "case": target.reference})


@router.delete("/cases/{reference}/links/{kind}/{target}", response={204: None})
def unlink_case(request: HttpRequest, reference: str, kind: LinkKind, target: str) -> Reply[Any]:
    user = request_user(request)
    case = access_case(user, reference, for_write=True)
    link = case.links_out.filter(kind=kind.value, target__reference=target.strip().upper()).first()
    if link is None:
        raise NotFoundError("There is no such link from this case.")
    case_services.unlink_cases(link=link, actor=user, now=clock.now())
    return Reply(204, None)


@router.get("/cases/{reference}/timeline", response=TimelineOut)
def timeline(
    request: HttpRequest, reference: str, after: int = 0, limit: int = Query(500, ge=1, le=1000)
) -> dict[str, Any]:
    """Every change to the case, oldest first, as recorded in its hash chain."""
    case = access_case(request_user(request), reference)
    events = selectors.list_timeline(case, after_seq=after, limit=limit)
    return {
        "case": case.reference,
        "events": [
            {
                "seq": e.seq,
                "type": e.type,
                "occurred_at": e.occurred_at,
                "actor": e.actor_label,
                "data": e.data,
                "hash": e.hash,
            }
            for e in events
        ],
        "next_after": events[-1].seq if len(events) == limit else None,
    }


@router.get("/categories", response=list[CategoryOut])
def list_categories(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "slug": c.slug,
            "name": c.name,
            "parent": c.parent.slug if c.parent else None,
            "description": c.description,
        }
        for c in selectors.list_categories()
    ]


@router.get("/definitions", response=list[DefinitionOut])
def list_definitions(request: HttpRequest) -> list[Any]:
    """The definitions of "complaint" a determination can apply."""
    return list(selectors.list_definitions())
