from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amends.core.errors import ValidationError
from amends.integrations import domain
from amends.integrations.domain import AttemptResult, DeliveryStatus, SignatureError

SECRET = "whsec_test"
BODY = b'{"case":{"reference":"C-2026-000001"}}'
T = 1_794_000_000
AT = datetime.fromtimestamp(T, UTC)


def test_a_signature_made_with_the_secret_verifies() -> None:
    header = domain.sign(SECRET, T, BODY)
    assert header.startswith(f"t={T},v1=")
    assert domain.verify(SECRET, header, BODY, AT) == T
    assert domain.verify(SECRET, header, BODY, float(T + 10)) == T


def test_a_tampered_body_is_refused() -> None:
    header = domain.sign(SECRET, T, BODY)
    with pytest.raises(SignatureError, match="does not match"):
        domain.verify(SECRET, header, BODY.replace(b"0001", b"0002"), AT)


def test_a_signature_made_with_another_secret_is_refused() -> None:
    header = domain.sign("whsec_other", T, BODY)
    with pytest.raises(SignatureError, match="does not match"):
        domain.verify(SECRET, header, BODY, AT)


def test_a_stale_or_future_timestamp_is_refused_even_when_the_digest_is_right() -> None:
    header = domain.sign(SECRET, T, BODY)
    with pytest.raises(SignatureError, match="300 seconds"):
        domain.verify(SECRET, header, BODY, AT + timedelta(seconds=301))
    with pytest.raises(SignatureError):
        domain.verify(SECRET, header, BODY, AT - timedelta(seconds=301))
    assert domain.verify(SECRET, header, BODY, AT + timedelta(seconds=301), tolerance=600) == T


def test_a_replayed_signature_cannot_be_moved_to_a_new_timestamp() -> None:
    digest = domain.sign(SECRET, T, BODY).partition(",v1=")[2]
    forged = f"t={T + 1000},v1={digest}"
    with pytest.raises(SignatureError, match="does not match"):
        domain.verify(SECRET, forged, BODY, AT + timedelta(seconds=1000))


@pytest.mark.parametrize("header", ["", "v1=abc", f"t={T}", "t=yesterday,v1=abc", "garbage"])
def test_a_malformed_header_is_refused(header: str) -> None:
    with pytest.raises(SignatureError, match="needs t="):
        domain.verify(SECRET, header, BODY, AT)


def test_any_of_several_signatures_may_match_while_a_secret_is_rotated() -> None:
    old = domain.sign("whsec_old", T, BODY).partition(",v1=")[2]
    new = domain.sign(SECRET, T, BODY).partition(",v1=")[2]
    assert domain.verify(SECRET, f"t={T},v1={old},v1={new}", BODY, AT) == T


@given(body=st.binary(max_size=200), secret=st.text(min_size=1, max_size=40))
def test_sign_then_verify_round_trips_for_any_body_and_secret(body: bytes, secret: str) -> None:
    assert domain.verify(secret, domain.sign(secret, T, body), body, AT) == T


def test_generated_secrets_are_long_random_and_labelled() -> None:
    first, second = domain.generate_secret(), domain.generate_secret()
    assert first != second
    assert first.startswith("whsec_")
    assert len(first) > 40


@pytest.mark.parametrize(
    ("patterns", "event_type", "expected"),
    [
        ("case.*", "case.created", True),
        ("case.*", "customer.created", False),
        ("case.created,case.resolved", "case.resolved", True),
        ("case.created, case.resolved", "case.closed", False),
        ("*", "case.closed", True),
        ("case.message_*", "case.message_sent", False),  # only whole segments
    ],
)
def test_event_patterns_match_exact_types_prefixes_and_everything(
    patterns: str, event_type: str, expected: bool
) -> None:
    assert domain.matches(patterns, event_type) is expected


def test_patterns_are_tidied_and_bad_ones_named() -> None:
    assert domain.parse_patterns(" case.created, case.*,case.created ") == (
        "case.created",
        "case.*",
    )
    for bad in ["", " , ", "case created", "case.*.x", ".*"]:
        with pytest.raises(ValidationError) as caught:
            domain.parse_patterns(bad)
        assert "events" in caught.value.fields


def test_webhook_urls_must_be_https_except_to_this_machine() -> None:
    assert domain.check_url("https://hooks.example.com/amends", allow_http=False)
    assert domain.check_url("http://127.0.0.1:9000/hook", allow_http=False)
    assert domain.check_url("http://localhost/hook", allow_http=False)
    assert domain.check_url("http://[::1]:8080/hook", allow_http=False)
    with pytest.raises(ValidationError) as caught:
        domain.check_url("http://hooks.example.com/amends", allow_http=False)
    assert caught.value.fields == {"url": ["use https://"]}
    assert domain.check_url("http://hooks.internal/amends", allow_http=True)
    for bad in ["ftp://example.com/x", "hooks.example.com", "https://user:pw@example.com/"]:
        with pytest.raises(ValidationError):
            domain.check_url(bad, allow_http=True)


def test_retries_back_off_to_a_cap() -> None:
    delays = [domain.retry_delay(n) for n in range(1, 8)]
    assert delays[:3] == [timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=8)]
    assert delays == sorted(delays)
    assert max(delays) == domain.RETRY_CAP


def test_after_an_attempt_2xx_delivers_other_answers_retry_until_the_last_attempt() -> None:
    assert domain.after_attempt(AttemptResult(204), attempts=1, now=AT) == (
        DeliveryStatus.DELIVERED,
        None,
    )
    assert domain.after_attempt(AttemptResult(500), attempts=1, now=AT) == (
        DeliveryStatus.PENDING,
        AT + timedelta(seconds=30),
    )
    assert domain.after_attempt(AttemptResult(None, "refused"), attempts=2, now=AT)[0] == (
        DeliveryStatus.PENDING
    )
    assert domain.after_attempt(AttemptResult(301), attempts=3, now=AT, max_attempts=3) == (
        DeliveryStatus.FAILED,
        None,
    )


def test_the_payload_names_the_event_and_case_and_nothing_personal() -> None:
    payload = domain.case_payload(
        event_id=7,
        event_type="case.created",
        occurred_at="2026-11-02T10:00:00.000000+00:00",
        seq=1,
        reference="C-2026-000001",
        status="received",
        kind="complaint",
        url="https://amends.example.com/api/v1/cases/C-2026-000001",
    )
    assert set(payload) == {"event", "case"}
    assert set(payload["case"]) == {"reference", "status", "kind", "url"}
    assert domain.body_bytes(payload) == domain.body_bytes(dict(reversed(payload.items())))
