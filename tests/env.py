"""Test settings that must be in place before Django starts (loaded with -p tests.env)."""

import os
import tempfile

_tmp = tempfile.mkdtemp(prefix="amends-test-")
os.environ.setdefault("AMENDS_DATA_DIR", _tmp)
os.environ.setdefault("AMENDS_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("AMENDS_HUEY_IMMEDIATE", "1")
# New cases stay at received unless a test turns automatic acknowledgement on (tests/comms does).
os.environ.setdefault("AMENDS_AUTO_ACKNOWLEDGE", "0")
# A file, not memory, so that tests with several connections (threads, servers) share it.
if not os.environ.get("AMENDS_DATABASE_URL", "").startswith("postgres"):
    os.environ.setdefault("AMENDS_TEST_DATABASE_NAME", os.path.join(_tmp, "test.sqlite3"))
