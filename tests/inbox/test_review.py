"""Flagged email waits on a page for a lead or manager, who downloads the original and says
what they did about it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from django.test import Client

from amends.accounts.models import User
from amends.core.models import Event
from amends.inbox.domain import Source
from amends.inbox.models import InboundEmail
from amends.inbox.services import receive_email

EML = Path(__file__).parent / "eml"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def flagged(now: datetime) -> InboundEmail:
    inbound = receive_email(raw=(EML / "no_from.eml").read_bytes(), source=Source.SMTP, now=now)
    assert inbound.status == "flagged"
    return inbound


def test_a_lead_reads_a_flagged_email_and_says_what_was_done(
    team: Any, lead: User, now: datetime
) -> None:
    inbound = flagged(now)
    client = signed_in(lead)
    page = client.get("/inbox/flagged/").content.decode()
    assert "Email to review" in page and inbound.reason in page
    assert '<span class="count">1</span>' in page  # in the top bar too
    original = client.get(f"/inbox/{inbound.pk}/original/")
    assert original.status_code == 200 and "attachment" in original["Content-Disposition"]
    assert b"".join(original.streaming_content) == (EML / "no_from.eml").read_bytes()

    # Without a note nothing changes, and the page says why.
    refused = client.post("/inbox/flagged/", {"email": inbound.pk, f"review-{inbound.pk}-note": ""})
    assert refused.status_code == 422 and "There is a problem" in refused.content.decode()
    inbound.refresh_from_db()
    assert inbound.reviewed_at is None

    note = "Phoned the sender and logged case C-2026-000042 by hand."
    done = client.post("/inbox/flagged/", {"email": inbound.pk, f"review-{inbound.pk}-note": note})
    assert done.status_code == 302
    inbound.refresh_from_db()
    assert inbound.reviewed_by == lead and inbound.review_note == note
    assert Event.objects.filter(stream=f"inbox:{inbound.pk}", type="inbox.email_reviewed").exists()
    assert "Nothing to review." in client.get("/inbox/flagged/").content.decode()
    # Dealt with once: a second answer is refused, not recorded twice.
    again = client.post("/inbox/flagged/", {"email": inbound.pk, f"review-{inbound.pk}-note": "x"})
    assert again.status_code == 409


def test_agents_and_auditors_cannot_open_flagged_email(
    team: Any, agent: User, auditor: User, now: datetime
) -> None:
    inbound = flagged(now)
    for user in (agent, auditor):
        client = signed_in(user)
        assert client.get("/inbox/flagged/").status_code == 403
        assert client.get(f"/inbox/{inbound.pk}/original/").status_code == 403
        assert "Email to review" not in client.get("/cases/").content.decode()
