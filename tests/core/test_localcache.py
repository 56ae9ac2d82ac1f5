"""Reference data a process keeps: computed once, kept for its time, forgotten on request."""

from __future__ import annotations

import time

from amends.core.localcache import LocalCache, clear_all


def test_a_value_is_computed_once_kept_for_its_time_then_computed_again() -> None:
    cache: LocalCache[int] = LocalCache(seconds=0.2)
    calls: list[str] = []

    def compute(key: str) -> int:
        calls.append(key)
        return len(calls)

    assert cache.get_or_set("a", lambda: compute("a")) == 1
    assert cache.get_or_set("a", lambda: compute("a")) == 1
    assert cache.get_or_set("b", lambda: compute("b")) == 2
    assert calls == ["a", "b"]
    time.sleep(0.25)
    assert cache.get_or_set("a", lambda: compute("a")) == 3


def test_clearing_forgets_every_key_and_clear_all_every_cache() -> None:
    first: LocalCache[str] = LocalCache(seconds=60)
    second: LocalCache[str] = LocalCache(seconds=60)
    first.get_or_set("k", lambda: "old")
    second.get_or_set("k", lambda: "old")
    first.clear()
    assert first.get_or_set("k", lambda: "new") == "new"
    assert second.get_or_set("k", lambda: "new") == "old"
    clear_all()
    assert second.get_or_set("k", lambda: "newer") == "newer"
