"""Read queries over cases for the API, pages, exports and reports. No writes here."""

from __future__ import annotations

import base64
import binascii
import heapq
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Q, QuerySet

from amends.accounts.domain import SEES_ALL_CASES
from amends.cases import search
from amends.cases.domain import (
    FINISHED,
    CaseKind,
    CaseState,
    LifecyclePolicy,
    Outcome,
    Status,
    is_reference,
)
from amends.cases.models import (
    OPEN_CONDITION,
    Attachment,
    Case,
    Category,
    ComplaintDefinition,
    FollowUpAttempt,
    Interaction,
    SavedFilter,
)
from amends.cases.search import text_filter
from amends.core.errors import ValidationError
from amends.core.localcache import LocalCache
from amends.core.models import Event
from amends.core.queries import Prepared

if TYPE_CHECKING:
    from amends.accounts.models import User

SORTS = {"received_at", "created_at", "updated_at", "severity", "id", "next_due_on"}
DEFAULT_SORT = "-received_at"
# A text search, unless told otherwise, shows the most recently logged matches first.
DEFAULT_TEXT_SORT = "-id"
# A text search reads matches from the index in batches of this size, newest first, keeping
# those the user may see, until a page is full; past SEARCH_BATCHES it lets the database sort.
SEARCH_BATCH = 500
SEARCH_BATCHES = 20
# Past this many teams, one query with an IN list beats merging one query per team.
MERGE_TEAMS_UP_TO = 8


@dataclass(frozen=True)
class CaseQuery:
    status: Sequence[str] = ()  # statuses, or "open" / "finished" for the groups
    kind: Sequence[str] = ()
    category: Sequence[str] = ()
    team: Sequence[str] = ()  # team slugs
    assignee: str | None = None  # a username, "me" or "none"
    priority: Sequence[str] = ()
    severity: Sequence[int] = ()
    channel: Sequence[str] = ()
    journey_stage: Sequence[str] = ()
    customer: str | None = None  # a customer reference
    created_from: datetime | None = None
    created_to: datetime | None = None
    due_before: date | None = None  # a running clock falls due on or before this date
    q: str = ""
    sort: str | None = None  # DEFAULT_SORT, or DEFAULT_TEXT_SORT for a text search
    cursor: str | None = None
    limit: int = 50


# What a queue row shows, read as plain values (no model instances: a page is 50 of these).
ROW_FIELDS = (
    "id",
    "reference",
    "version",
    "kind",
    "status",
    "summary",
    "category__slug",
    "channel",
    "journey_stage",
    "severity",
    "priority",
    "customer_id",
    "customer__reference",
    "customer__kind",
    "customer__name",
    "customer__adjustments",
    "customer__preferred_channel",
    "customer__preferred_format",
    "team__slug",
    "assignee__username",
    "escalation_level",
    "next_due_on",
    "received_at",
    "created_at",
    "updated_at",
)


_ROWS: Prepared[dict[str, Any]] = Prepared(
    lambda ids: Case.objects.filter(id__in=ids).values(*ROW_FIELDS), ids=tuple
)


@dataclass
class Page:
    items: list[dict[str, Any]] = field(default_factory=list)
    next_cursor: str | None = None


def _sort_field(sort: str) -> tuple[str, bool]:
    name = sort.lstrip("-")
    if name not in SORTS:
        raise ValidationError(
            f"Cannot sort by {sort!r}.",
            fields={"sort": f"one of {', '.join(sorted(SORTS))}, optionally prefixed with -"},
        )
    return name, sort.startswith("-")


def encode_cursor(value: Any, pk: int) -> str:
    raw = json.dumps([value.isoformat() if isinstance(value, date) else value, pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, name: str) -> tuple[Any, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if name.endswith("_at"):
            value = datetime.fromisoformat(value)
        elif name.endswith("_on"):
            value = date.fromisoformat(value)
        elif not isinstance(value, int):
            raise TypeError
        if not isinstance(pk, int):
            raise TypeError
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise ValidationError(
            "The cursor is not one this server gave out.", fields={"cursor": "invalid cursor"}
        ) from None
    return value, pk


def visible_cases(user: User) -> QuerySet[Case]:
    cases = Case.objects.all()
    if user.role_enum not in SEES_ALL_CASES:
        cases = cases.filter(team_id__in=user.team_ids())
    return cases


def status_filter(statuses: Sequence[str]) -> Q:
    groups = set(statuses)
    if groups == {"open"}:
        return OPEN_CONDITION
    named = {s for s in groups if s not in {"open", "finished"}}
    if "open" in groups:
        return OPEN_CONDITION | Q(status__in=named)
    if "finished" in groups:
        named |= {s.value for s in FINISHED}
    return Q(status__in=sorted(named))


def _filtered(user: User, query: CaseQuery, *, with_text: bool = True) -> QuerySet[Case]:
    cases = visible_cases(user)
    if query.status:
        cases = cases.filter(status_filter(query.status))
    for name in ("kind", "priority", "severity", "channel", "journey_stage"):
        values = getattr(query, name)
        if values:
            cases = cases.filter(**{f"{name}__in": list(values)})
    if query.category:
        cases = cases.filter(category__slug__in=list(query.category))
    if query.team:
        cases = cases.filter(team__slug__in=list(query.team))
    if query.assignee == "me":
        cases = cases.filter(assignee=user)
    elif query.assignee == "none":
        cases = cases.filter(assignee__isnull=True)
    elif query.assignee:
        cases = cases.filter(assignee__username=query.assignee)
    if query.customer:
        cases = cases.filter(customer__reference=query.customer.strip().upper())
    if query.created_from:
        cases = cases.filter(created_at__gte=query.created_from)
    if query.created_to:
        cases = cases.filter(created_at__lt=query.created_to)
    if query.due_before:
        cases = cases.filter(next_due_on__lte=query.due_before)
    text = query.q.strip()
    if text and with_text:
        if is_reference(text):
            cases = cases.filter(reference=text.upper())
        else:
            matches = text_filter(text)
            cases = cases.filter(matches) if matches is not None else cases.none()
    return cases


def _is_text_search(query: CaseQuery) -> bool:
    text = query.q.strip()
    return bool(text) and not is_reference(text)


def list_cases(user: User, query: CaseQuery) -> Page:
    """One page of the cases ``user`` may see that match ``query``, in a stable order.

    The page is found by keys only (sort value, id), then its rows are read in one query.
    """
    text_search = _is_text_search(query)
    name, descending = _sort_field(
        query.sort or (DEFAULT_TEXT_SORT if text_search else DEFAULT_SORT)
    )
    cursor = _decode_cursor(query.cursor, name) if query.cursor else None
    want = query.limit + 1
    if text_search and name == "id":
        keys = _search_keys(user, query, descending, cursor[1] if cursor else None, want)
    else:
        keys = _keys(user, query, name, descending, cursor, want)
    ids = [pk for _, pk in keys]
    rows = {row["id"]: row for row in _ROWS.all(ids=ids)}
    page = Page(items=[rows[pk] for pk in ids[: query.limit] if pk in rows])
    if len(keys) > query.limit:
        value, pk = keys[query.limit - 1]
        page.next_cursor = encode_cursor(value, pk)
    return page


def _keys(
    user: User,
    query: CaseQuery,
    name: str,
    descending: bool,
    cursor: tuple[Any, int] | None,
    want: int,
) -> list[tuple[Any, int]]:
    cases = _filtered(user, query)
    if name == "next_due_on":
        cases = cases.filter(next_due_on__isnull=False)
    if cursor:
        value, pk = cursor
        op = "lt" if descending else "gt"
        cases = cases.filter(Q(**{f"{name}__{op}": value}) | Q(**{name: value, f"id__{op}": pk}))
    cases = cases.order_by(*([f"-{name}", "-id"] if descending else [name, "id"]))
    team_ids = sorted(user.team_ids())
    if (
        user.role_enum not in SEES_ALL_CASES
        and not query.team
        and 1 < len(team_ids) <= MERGE_TEAMS_UP_TO
    ):
        # One ordered index range per team, merged here: a sort over every open case of all
        # the user's teams is what makes a queue slow at a million cases.
        per_team = [list(cases.filter(team_id=t).values_list(name, "id")[:want]) for t in team_ids]
        return list(heapq.merge(*per_team, reverse=descending))[:want]
    return list(cases.values_list(name, "id")[:want])


_TEAMS_OF_CASES: Prepared[tuple[int, int]] = Prepared(
    lambda ids: Case.objects.filter(id__in=ids).values_list("id", "team_id"), ids=tuple
)
# The parts of a query that are not filters: a text search with none of the others is the
# common one, and is checked against what the user may see without asking the database.
_NOT_FILTERS = {"q", "sort", "cursor", "limit"}


def _filters_only_text(query: CaseQuery) -> bool:
    # A filter not in use is empty: an empty list, None or "".
    return not any(getattr(query, f.name) for f in fields(CaseQuery) if f.name not in _NOT_FILTERS)


def _visible_among(user: User, query: CaseQuery, batch: list[int]) -> set[int]:
    """Which cases of ``batch`` (ids) the user may see and the query's filters keep."""
    if not _filters_only_text(query):
        allowed = _filtered(user, query, with_text=False)
        return set(allowed.filter(id__in=batch).values_list("id", flat=True))
    if user.role_enum in SEES_ALL_CASES:
        return set(batch)
    teams = user.team_ids()
    return {pk for pk, team in _TEAMS_OF_CASES.all(ids=batch) if team in teams}


def _search_keys(
    user: User, query: CaseQuery, descending: bool, cursor_pk: int | None, want: int
) -> list[tuple[int, int]]:
    """Matches in id order, read from the text index a batch at a time and kept when the rest
    of the query (visibility, filters) allows them: a common word costs a batch or two, not a
    sort of every case that contains it. PostgreSQL's planner does this itself (it walks the
    newest cases for a common word and uses the GIN index for a rare one), so there the whole
    query is one statement."""
    if connection.vendor == "postgresql":
        return _keys_by_id_in_database(user, query, descending, cursor_pk, want)
    found: list[int] = []
    edge = cursor_pk
    for _ in range(SEARCH_BATCHES):
        if descending:
            batch = search.matching_ids(query.q, limit=SEARCH_BATCH, before=edge)
        else:
            batch = search.matching_ids(query.q, limit=SEARCH_BATCH, after=edge or 0)
        if not batch:
            return [(pk, pk) for pk in found[:want]]
        keep = _visible_among(user, query, batch)
        found += [pk for pk in batch if pk in keep]
        if len(found) >= want:
            return [(pk, pk) for pk in found[:want]]
        edge = batch[-1]
    # Rare among what this user may see: let the database filter and sort the rest.
    found += [pk for pk, _ in _keys_by_id_in_database(user, query, descending, edge, want)]
    return [(pk, pk) for pk in found[:want]]


def _keys_by_id_in_database(
    user: User, query: CaseQuery, descending: bool, edge: int | None, want: int
) -> list[tuple[int, int]]:
    """Text matches the user may see, in id order past ``edge``, filtered and sorted by the
    database in one statement."""
    rest = _filtered(user, query, with_text=False).filter(
        search.text_filter(query.q) or Q(pk__in=[])
    )
    if edge is not None:
        rest = rest.filter(id__lt=edge) if descending else rest.filter(id__gt=edge)
    rest = rest.order_by("-id" if descending else "id")
    return [(pk, pk) for pk in rest.values_list("id", flat=True)[:want]]


def iter_cases(user: User, query: CaseQuery, chunk_size: int = 2000) -> Iterator[Case]:
    """Every matching case, oldest first, without holding them all in memory."""
    cases = _filtered(user, query).select_related(
        "customer", "team", "assignee", "category", "determination_definition"
    )
    last = 0
    while True:
        chunk = list(cases.filter(id__gt=last).order_by("id")[:chunk_size])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].pk


def list_timeline(case: Case, *, after_seq: int = 0, limit: int = 500) -> list[Event]:
    return list(
        Event.objects.filter(stream=case.stream, seq__gt=after_seq)
        .select_related("actor")
        .order_by("seq")[:limit]
    )


def list_interactions(case: Case) -> QuerySet[Interaction]:
    return case.interactions.select_related("author").order_by("occurred_at", "id")


# The case page and every change answer with the whole case; what it needs beyond the case row
# is read in one statement (one round trip to PostgreSQL): a row for the determination and
# whether the customer is vulnerable ("x"), one per link ("l") and one per stakeholder ("s").
# Columns: kind, three texts, a number, the stakeholder's note, the order within the kind.
_EXTRAS_SQL = (
    "SELECT 'x', d.code, u.username, r.name, "
    "CASE WHEN EXISTS (SELECT 1 FROM customers_vulnerability v WHERE v.customer_id = "
    "c.customer_id AND v.ended_at IS NULL) THEN 1 ELSE 0 END, NULL, 0 FROM cases_case c "
    "LEFT JOIN cases_complaintdefinition d ON d.id = c.determination_definition_id "
    "LEFT JOIN accounts_user u ON u.id = c.determined_by_id "
    "LEFT JOIN customers_representative r ON r.id = c.representative_id WHERE c.id = %s"
)
_LINKS_SQL = (
    "SELECT 'l', l.kind, s.reference, t.reference, l.case_id, NULL, l.id FROM cases_caselink l "
    "JOIN cases_case s ON s.id = l.case_id JOIN cases_case t ON t.id = l.target_id "
    "WHERE l.case_id = %s OR l.target_id = %s"
)
_STAKEHOLDERS_SQL = (
    "SELECT 's', st.role, u.username, tm.slug, st.id, st.note, st.id "
    "FROM cases_casestakeholder st LEFT JOIN accounts_user u ON u.id = st.user_id "
    "LEFT JOIN accounts_team tm ON tm.id = st.team_id WHERE st.case_id = %s"
)
_RELATIONS_SQL = " UNION ALL ".join((_EXTRAS_SQL, _LINKS_SQL, _STAKEHOLDERS_SQL)) + " ORDER BY 1, 7"


@dataclass(frozen=True)
class CaseRelations:
    links: list[dict[str, str]]
    stakeholders: list[dict[str, Any]]
    customer_vulnerable: bool
    definition: str | None
    determined_by: str | None
    representative: str | None


def case_relations(case: Case) -> CaseRelations:
    """Links from and to the case (direction "out": this case → the other), stakeholders,
    whether the customer is vulnerable, and the determination's definition and author."""
    with connection.cursor() as cursor:
        cursor.execute(_RELATIONS_SQL, [case.pk, case.pk, case.pk, case.pk])
        rows = cursor.fetchall()
    links: list[dict[str, str]] = []
    stakeholders: list[dict[str, Any]] = []
    extras: tuple[Any, ...] = (None, None, None, 0)
    for kind, a, b, c, number, note, _ in rows:
        if kind == "x":
            extras = (a, b, c, number)
        elif kind == "l":
            out = number == case.pk
            links.append({"kind": a, "direction": "out" if out else "in", "case": c if out else b})
        else:
            stakeholders.append({"id": number, "role": a, "user": b, "team": c, "note": note})
    definition, determined_by, representative, vulnerable = extras
    return CaseRelations(
        links=links,
        stakeholders=stakeholders,
        customer_vulnerable=bool(vulnerable),
        definition=definition,
        determined_by=determined_by,
        representative=representative,
    )


def relations_of_new_case(case: Case, *, customer_vulnerable: bool) -> CaseRelations:
    """What :func:`case_relations` would read of a case just logged without links or
    stakeholders, from the objects it was logged with: nothing to read back."""
    definition = case.determination_definition
    return CaseRelations(
        links=[],
        stakeholders=[],
        customer_vulnerable=customer_vulnerable,
        definition=definition.code if definition else None,
        determined_by=case.determined_by.username if case.determined_by else None,
        representative=case.representative.name if case.representative else None,
    )


# Reference data changes rarely and is read on every case logged: each process keeps it for a
# minute, and forgets it at once when this process saves a change (see apps.py).
REFERENCE_CACHE_SECONDS = 60
_reference: LocalCache[Category | ComplaintDefinition | None] = LocalCache(REFERENCE_CACHE_SECONDS)


def find_category(slug: str) -> Category | None:
    """The active category ``slug``, or None."""
    return _reference.get_or_set(  # type: ignore[return-value]
        ("category", slug), lambda: Category.objects.filter(slug=slug, active=True).first()
    )


def find_definition(code: str) -> ComplaintDefinition | None:
    """The active definition of "complaint" called ``code``, or None."""
    return _reference.get_or_set(  # type: ignore[return-value]
        ("definition", code),
        lambda: ComplaintDefinition.objects.filter(code=code, active=True).first(),
    )


def forget_reference_data(**_: Any) -> None:
    _reference.clear()


def list_categories(*, include_inactive: bool = False) -> QuerySet[Category]:
    categories = Category.objects.select_related("parent")
    return categories if include_inactive else categories.filter(active=True)


def list_definitions() -> QuerySet[ComplaintDefinition]:
    return ComplaintDefinition.objects.filter(active=True)


def get_attachment(case: Case, attachment_id: int) -> Attachment | None:
    return case.attachments.filter(pk=attachment_id).first()


def read_attachment(attachment: Attachment) -> bytes:
    with default_storage.open(attachment.storage_name, "rb") as fh:
        data: bytes = fh.read()
    return data


def lifecycle_policy() -> LifecyclePolicy:
    return LifecyclePolicy(reopen_window=timedelta(days=settings.AMENDS_REOPEN_WINDOW_DAYS))


_FOLLOW_UPS_SINCE: Prepared[int] = Prepared(
    lambda case_id, since: FollowUpAttempt.objects.filter(
        case_id=case_id, recorded_at__gte=since
    ).values_list("id", flat=True),
    case_id=int,
    since=datetime,
)


def follow_ups_since_resolution(case: Case) -> int:
    if case.resolved_at is None:
        return 0
    return len(_FOLLOW_UPS_SINCE.all(case_id=case.pk, since=case.resolved_at))


def state_of(case: Case) -> CaseState:
    return CaseState(
        status=Status(case.status),
        kind=CaseKind(case.kind),
        escalation_level=case.escalation_level,
        resume_status=Status(case.resume_status) if case.resume_status else None,
        resolution_summary=case.resolution_summary,
        outcome=Outcome(case.outcome) if case.outcome else None,
        root_cause=case.root_cause,
        customer_confirmed=case.customer_confirmed_at is not None,
        follow_up_attempts=follow_ups_since_resolution(case),
        closed_at=case.closed_at,
        withdrawn_reason=case.withdrawn_reason,
    )


def count_cases(user: User, query: CaseQuery) -> int:
    """How many cases match ``query`` (for queue counts; the cursor and limit are ignored)."""
    return _filtered(user, query).count()


def last_change(case: Case) -> Event | None:
    """The newest event of the case: who changed it last, and when."""
    return Event.objects.filter(stream=case.stream).select_related("actor").order_by("-seq").first()


def list_saved_filters(user: User) -> QuerySet[SavedFilter]:
    return SavedFilter.objects.filter(owner=user).order_by("name")


def find_saved_filter(user: User, filter_id: int) -> SavedFilter | None:
    return SavedFilter.objects.filter(owner=user, pk=filter_id).first()


def list_follow_ups(case: Case) -> QuerySet[FollowUpAttempt]:
    return case.follow_ups.select_related("recorded_by").order_by("attempted_at", "id")


def list_attachments(case: Case) -> QuerySet[Attachment]:
    return case.attachments.order_by("id")


def count_customer_cases(customer_id: int) -> int:
    """All of a customer's cases, whoever may see them (to say how many are not shown)."""
    return Case.objects.filter(customer_id=customer_id).count()


def list_customer_interactions(user: User, customer_id: int) -> QuerySet[Interaction]:
    """Messages and notes on the customer's cases that ``user`` may see, newest first."""
    return (
        Interaction.objects.filter(case__in=visible_cases(user).filter(customer_id=customer_id))
        .select_related("case", "author")
        .order_by("-occurred_at", "-id")
    )
