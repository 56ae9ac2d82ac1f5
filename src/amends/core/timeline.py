"""The timeline: the only writer of events, their hash chain, and after-commit subscribers.

Every change to a case (or a customer, or an account) is one :class:`~amends.core.models.Event`
in that thing's *stream*. Events in a stream form a chain: each one's ``hash`` is an HMAC-SHA256,
under ``settings.AUDIT_KEY``, of its own content and the previous event's hash. The stream's
newest ``seq`` and ``hash`` are kept in ``StreamHead``, which the database itself moves as each
event goes in (a trigger, ``core/dbobjects.py``). :func:`verify` recomputes all of it.

Services call :func:`record_event` inside their transaction. Side effects belong to subscribers
(:func:`subscribe`), which run only after the transaction commits and receive the event's id.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from enum import Enum
from functools import partial
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Collate

from amends.core import statements
from amends.core.models import Event, StreamHead
from amends.core.queries import Prepared

if TYPE_CHECKING:
    from amends.accounts.models import User

log = logging.getLogger(__name__)

GENESIS = "0" * 64
SYSTEM = "system"

Subscriber = Callable[[int], None]
_subscribers: dict[str, list[Subscriber]] = defaultdict(list)


def jsonable(value: Any) -> Any:
    """Turn a value into plain JSON types, so that what is stored is exactly what is hashed."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, float):
        # Floats do not round-trip through every database's JSON type byte for byte.
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    raise TypeError(f"cannot record a {type(value).__name__} in an event")


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _instant(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def chain_hash(
    *,
    prev_hash: str,
    stream: str,
    seq: int,
    type: str,
    occurred_at: dt.datetime,
    actor_id: int | None,
    actor_label: str,
    data: Any,
) -> str:
    message = "\x1f".join(
        [
            prev_hash,
            stream,
            str(seq),
            type,
            _instant(occurred_at),
            "" if actor_id is None else str(actor_id),
            actor_label,
            canonical(data),
        ]
    )
    return hmac.new(settings.AUDIT_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


# The head of the stream an event is appended to, locked until the transaction ends.
_HEAD_FOR_UPDATE: Prepared[StreamHead] = Prepared(
    lambda stream: StreamHead.objects.select_for_update().filter(stream=stream)[:1], stream=str
)


def record_event(
    *,
    stream: str,
    type: str,
    actor: User | None,
    now: dt.datetime,
    data: Mapping[str, Any] | None = None,
    actor_label: str | None = None,
    new_stream: bool = False,
) -> Event:
    """Append one event to ``stream``. Must run inside the caller's transaction.

    ``new_stream=True`` says this is the stream's first event (the caller has just created the
    thing it belongs to): no head is looked up, and a clash with an existing stream fails on
    the unique sequence number of its first event.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the service's transaction")
    if now.tzinfo is None:
        raise ValueError("event times must be timezone-aware")
    payload = jsonable(dict(data or {}))
    label = actor_label or (actor.get_username() if actor is not None else SYSTEM)
    head: StreamHead | None
    if new_stream:
        head = StreamHead(stream=stream, seq=0, hash=GENESIS)
    else:
        head = _HEAD_FOR_UPDATE.first(stream=stream)
        if head is None:
            try:
                with transaction.atomic():
                    head = StreamHead.objects.create(stream=stream, seq=0, hash=GENESIS)
            except IntegrityError:
                head = StreamHead.objects.select_for_update().get(stream=stream)
    seq = head.seq + 1
    event = Event(
        stream=stream,
        seq=seq,
        type=type,
        occurred_at=now,
        actor=actor,
        actor_label=label,
        data=payload,
        prev_hash=head.hash,
    )
    event.hash = chain_hash(
        prev_hash=head.hash,
        stream=stream,
        seq=seq,
        type=type,
        occurred_at=now,
        actor_id=actor.pk if actor is not None else None,
        actor_label=label,
        data=payload,
    )
    statements.insert(event)  # the database moves the stream's head (core/dbobjects.py)
    for handler in _handlers_for(type):
        transaction.on_commit(partial(_deliver, handler, event.pk))
    return event


# --- after-commit subscribers ---------------------------------------------------------------


def subscribe(pattern: str, handler: Subscriber) -> None:
    """Call ``handler(event_id)`` after commit for each event whose type matches ``pattern``.

    ``pattern`` is an exact type (``case.created``), a prefix ending in ``.*`` (``case.*``) or
    ``*``. Handlers should be quick: enqueue a task and return.
    """
    if handler not in _subscribers[pattern]:
        _subscribers[pattern].append(handler)


def unsubscribe(pattern: str, handler: Subscriber) -> None:
    if handler in _subscribers.get(pattern, []):
        _subscribers[pattern].remove(handler)


def _handlers_for(event_type: str) -> list[Subscriber]:
    found = list(_subscribers.get(event_type, ()))
    parts = event_type.split(".")
    for i in range(len(parts) - 1, 0, -1):
        found.extend(_subscribers.get(".".join(parts[:i]) + ".*", ()))
    found.extend(_subscribers.get("*", ()))
    return found


def _deliver(handler: Subscriber, event_id: int) -> None:
    try:
        handler(event_id)
    except Exception:  # a subscriber's failure must never undo or hide the committed change
        log.exception("timeline subscriber %r failed for event %s", handler, event_id)


# --- verification ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Problem:
    stream: str
    seq: int | None
    kind: str  # altered, missing, relinked, truncated, orphaned, behind_checkpoint
    detail: str


@dataclasses.dataclass
class VerifyReport:
    streams: int = 0
    events: int = 0
    problems: list[Problem] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def broken_streams(self) -> list[str]:
        return sorted({p.stream for p in self.problems})


_EVENT_FIELDS = (
    "stream",
    "seq",
    "type",
    "occurred_at",
    "actor_id",
    "actor_label",
    "data",
    "prev_hash",
    "hash",
)


def _by_stream() -> Collate:
    # Byte order on every backend, so that Python can merge the two ordered scans.
    return Collate("stream", "C" if connection.vendor == "postgresql" else "BINARY")


def _events_in_order(prefix: str | None) -> Iterator[tuple[Any, ...]]:
    events = Event.objects.order_by(_by_stream(), "seq")
    if prefix:
        events = events.filter(stream__startswith=prefix)
    return events.values_list(*_EVENT_FIELDS).iterator(chunk_size=5000)


def _heads_in_order(prefix: str | None) -> Iterator[tuple[str, int, str]]:
    heads = StreamHead.objects.order_by(_by_stream())
    if prefix:
        heads = heads.filter(stream__startswith=prefix)
    return heads.values_list("stream", "seq", "hash").iterator(chunk_size=5000)


def _check_stream(
    stream: str, events: list[tuple[Any, ...]], head: tuple[str, int, str] | None
) -> list[Problem]:
    problems: list[Problem] = []
    expected_prev = GENESIS
    expected_seq = 1
    for _stream, seq, type_, at, actor_id, label, data, prev_hash, stored in events:
        if seq != expected_seq:
            problems.append(
                Problem(stream, expected_seq, "missing", f"events {expected_seq}..{seq - 1} absent")
            )
        elif prev_hash != expected_prev:
            problems.append(Problem(stream, seq, "relinked", "does not follow the event before"))
        recomputed = chain_hash(
            prev_hash=prev_hash,
            stream=stream,
            seq=seq,
            type=type_,
            occurred_at=at,
            actor_id=actor_id,
            actor_label=label,
            data=data,
        )
        if not hmac.compare_digest(recomputed, stored):
            problems.append(Problem(stream, seq, "altered", f"{type_} event content changed"))
        expected_prev = stored
        expected_seq = seq + 1
    last_seq = expected_seq - 1
    if head is None:
        problems.append(Problem(stream, None, "orphaned", "events without a stream head"))
    elif head[1] != last_seq or head[2] != expected_prev:
        problems.append(
            Problem(
                stream,
                head[1],
                "truncated",
                f"head says {head[1]} events, {last_seq} found",
            )
        )
    return problems


def verify(
    *,
    prefix: str | None = None,
    checkpoint: Mapping[str, tuple[int, str]] | None = None,
    progress: Callable[[int], None] | None = None,
) -> VerifyReport:
    """Recompute every chain (optionally those whose stream starts with ``prefix``).

    ``checkpoint`` maps a stream to a (seq, hash) exported earlier with :func:`checkpoint_heads`;
    a stream whose history no longer contains that event was cut back or rewritten.
    """
    report = VerifyReport()
    heads = _heads_in_order(prefix)
    pending_head = next(heads, None)
    confirmed: set[str] = set()

    def flush(stream: str, events: list[tuple[Any, ...]]) -> None:
        nonlocal pending_head
        while pending_head is not None and pending_head[0] < stream:
            report.problems.append(
                Problem(pending_head[0], pending_head[1], "truncated", "stream has no events")
            )
            report.streams += 1
            pending_head = next(heads, None)
        head = pending_head if pending_head is not None and pending_head[0] == stream else None
        if head is not None:
            pending_head = next(heads, None)
        report.streams += 1
        report.events += len(events)
        report.problems.extend(_check_stream(stream, events, head))
        if checkpoint and stream in checkpoint:
            seq, digest = checkpoint[stream]
            if any(e[1] == seq and e[8] == digest for e in events):
                confirmed.add(stream)
        if progress:
            progress(len(events))

    current: str | None = None
    batch: list[tuple[Any, ...]] = []
    for row in _events_in_order(prefix):
        if row[0] != current:
            if current is not None:
                flush(current, batch)
            current, batch = row[0], []
        batch.append(row)
    if current is not None:
        flush(current, batch)
    while pending_head is not None:
        report.problems.append(
            Problem(pending_head[0], pending_head[1], "truncated", "stream has no events")
        )
        report.streams += 1
        pending_head = next(heads, None)

    for stream, (seq, _digest) in (checkpoint or {}).items():
        if prefix and not stream.startswith(prefix):
            continue
        if stream not in confirmed:
            report.problems.append(
                Problem(
                    stream, seq, "behind_checkpoint", "event recorded in the checkpoint is gone"
                )
            )
    return report


def checkpoint_heads(prefix: str | None = None) -> dict[str, tuple[int, str]]:
    """Every stream's newest (seq, hash), to be kept outside the database."""
    return {stream: (seq, digest) for stream, seq, digest in _heads_in_order(prefix)}


def events_for(stream: str) -> Iterable[Event]:
    return Event.objects.filter(stream=stream).select_related("actor").order_by("seq")
