from __future__ import annotations

from collections.abc import Iterator

import pytest
from huey.contrib.djhuey import HUEY


@pytest.fixture(autouse=True)
def _empty_queue() -> Iterator[None]:
    """Retries a test leaves scheduled in the in-memory queue do not leak into the next."""
    HUEY.flush()
    yield
    HUEY.flush()
