"""Reference data that each process keeps for a short while, in its own memory.

Every case logged or changed asks for the same few rows (the definition of "complaint", the
category, the service levels, whether any webhook is active). Django's cache would pickle them
on every read, and with Redis configured each read would be a round trip; these never leave the
process. A change made in this process is forgotten at once (the owner clears its cache from a
save signal); other processes see it within the cache's ``seconds``. The values are shared by
the process's threads: treat them as read-only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

_all: list[LocalCache[object]] = []


class LocalCache(Generic[T]):
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._items: dict[Hashable, tuple[float, T]] = {}
        _all.append(self)  # type: ignore[arg-type]

    def get_or_set(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value kept for ``key``, or ``compute()``'s, kept from now on for ``seconds``.
        (Two threads that miss at once both compute; the last one's value is kept.)"""
        now = time.monotonic()
        hit = self._items.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = compute()
        self._items[key] = (now + self.seconds, value)
        return value

    def clear(self) -> None:
        self._items = {}


def clear_all() -> None:
    """Forget everything every local cache holds (tests start from nothing)."""
    for one in _all:
        one.clear()
