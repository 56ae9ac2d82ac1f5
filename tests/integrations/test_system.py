"""The real processes: `amends run` (web server and worker) takes a contact at /api/v1/intake and
the worker delivers the signed case events to a receiver listening on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from amends.integrations import domain
from tests.integrations.conftest import Receiver

pytestmark = pytest.mark.system

AMENDS = [sys.executable, "-m", "amends.cli"]


def amends(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [*AMENDS, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"amends {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def post(url: str, body: dict[str, object], token: str, key: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    request = urllib.request.Request(  # noqa: S310 (our own server)
        url,
        data=json.dumps(body).encode(),
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        return response.status, json.loads(response.read())


def wait_until(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen within {seconds}s")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    # A fresh installation of its own (SQLite in a temporary directory) on every database.
    environ = {k: v for k, v in os.environ.items() if not k.startswith("AMENDS_")}
    environ.update(
        AMENDS_DATA_DIR=str(tmp_path / "data"),
        AMENDS_SECRET_KEY="system-test",
        AMENDS_INTAKE_TEAM="web-desk",
        AMENDS_WORKER_THREADS="1",
    )
    return environ


def test_a_web_form_contact_reaches_the_receiver_as_signed_events_sent_by_the_worker(
    env: dict[str, str], receiver: Receiver
) -> None:
    amends(env, "migrate", "--verbosity", "0")
    amends(env, "createuser", "webform", "--role", "agent", "--team", "Web Desk", "--no-password")
    token = amends(env, "token", "webform", "--label", "web form").strip()
    secret = amends(env, "webhook", "add", "crm", receiver.url, "--events", "case.created").strip()
    assert secret.startswith("whsec_")
    port = free_port()
    server = subprocess.Popen(
        [*AMENDS, "run", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/v1/intake"
        form = {
            "channel": "chat",
            "customer": {"name": "Robin Hale", "email": "robin@example.com"},
            "what_happened": "The engineer never came and I took the day off work.",
        }
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = post(url, form, token, "chat-session-1")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        assert status == 201
        assert body["channel"] == "chat"
        wait_until(lambda: receiver.requests, 60, "the webhook delivery")
        (request,) = receiver.requests
        domain.verify(secret, request.headers["Amends-Signature"], request.body, time.time())
        payload = json.loads(request.body)
        assert payload["event"]["type"] == "case.created"
        assert payload["case"]["reference"] == body["reference"]
        assert b"Robin" not in request.body
        # The same request again is the same case, and no new event is sent.
        status, again = post(url, form, token, "chat-session-1")
        assert (status, again["reference"]) == (200, body["reference"])
        time.sleep(2)
        assert len(receiver.requests) == 1
        rows = [json.loads(line) for line in amends(env, "webhook", "deliveries").splitlines()]
        assert [(r["status"], r["attempts"]) for r in rows] == [("delivered", 1)]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
