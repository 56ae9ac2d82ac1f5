"""The ``amends`` command, run in-process against the test database."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from amends.accounts.models import ApiToken, User
from amends.cases.models import Case
from amends.cli import main

pytestmark = pytest.mark.django_db


def run(capsys, *args: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_createuser_reads_the_password_from_stdin_and_creates_teams(capsys, monkeypatch):
    code, out, _ = run(
        capsys,
        "createuser",
        "nia",
        "--role",
        "agent",
        "--team",
        "Billing",
        "--password-stdin",
        stdin="a-long-enough-password\n",
        monkeypatch=monkeypatch,
    )
    assert code == 0
    assert "created team Billing" in out
    user = User.objects.get(username="nia")
    assert user.check_password("a-long-enough-password")
    assert list(user.teams.values_list("slug", flat=True)) == ["billing"]


def test_createuser_refuses_a_weak_password_and_creates_nothing(capsys, monkeypatch):
    code, _, err = run(
        capsys,
        "createuser",
        "nia",
        "--role",
        "agent",
        "--password-stdin",
        stdin="123\n",
        monkeypatch=monkeypatch,
    )
    assert code == 1
    assert "password" in err
    assert not User.objects.filter(username="nia").exists()


def test_createuser_refuses_an_unknown_role(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["createuser", "nia", "--role", "boss", "--no-password"])
    assert exited.value.code == 2


def test_token_prints_a_working_token_that_is_stored_hashed(capsys, agent, client):
    code, out, _ = run(capsys, "token", "alex")
    assert code == 0
    secret = out.strip()
    assert secret.startswith("amd_")
    assert not ApiToken.objects.filter(key_hash=secret).exists()
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.json()["username"] == "alex"
    code, _, err = run(capsys, "token", "nobody")
    assert code == 1
    assert "nobody" in err


def _tamper_with(case: Case) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER core_event_no_update")
        cursor.execute(
            "UPDATE core_event SET data = %s WHERE stream = %s AND seq = 1",
            ['{"kind": "compliment"}', case.stream],
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_audit_verify_exits_non_zero_and_names_the_tampered_case(capsys, make_case):
    intact, tampered = make_case(), make_case()
    code, out, _ = run(capsys, "audit", "verify", "--quiet")
    assert code == 0
    assert out.startswith("ok:")
    _tamper_with(tampered)
    code, out, _ = run(capsys, "audit", "verify", "--quiet")
    assert code == 1
    assert tampered.reference in out
    assert intact.reference not in out


def test_audit_checkpoint_then_verify_against_it(capsys, make_case, tmp_path: Path):
    make_case()
    checkpoint = tmp_path / "heads.json"
    code, _, _ = run(capsys, "audit", "checkpoint", "--output", str(checkpoint))
    assert code == 0
    assert "heads" in json.loads(checkpoint.read_text())
    code, _, _ = run(capsys, "audit", "verify", "--quiet", "--checkpoint", str(checkpoint))
    assert code == 0


def test_export_then_import_round_trips_cases(capsys, make_case, tmp_path: Path, team):
    make_case(description="Charged twice in October.")
    make_case(description="Engineer never arrived.")
    exported = tmp_path / "cases.csv"
    code, _, err = run(capsys, "export", "cases", "--format", "csv", "--output", str(exported))
    assert code == 0
    assert "exported 2 cases" in err
    code, out, err = run(capsys, "import", "cases", str(exported), "--quiet")
    assert code == 0, err
    assert "imported 2 cases, rejected 0" in out, err
    assert Case.objects.count() == 4
    code, out, _ = run(capsys, "export", "cases", "--format", "jsonl", "--status", "open")
    assert code == 0
    assert len(out.splitlines()) == 4


def test_import_reports_each_rejected_row_with_its_line_and_reason(
    capsys, tmp_path: Path, team, customer
):
    rows = tmp_path / "cases.jsonl"
    rows.write_text(
        "\n".join(
            [
                json.dumps(
                    {
                        "customer": customer.reference,
                        "kind": "complaint",
                        "channel": "email",
                        "description": "Bill wrong",
                        "team": "customer-relations",
                    }
                ),
                json.dumps(
                    {
                        "customer": customer.reference,
                        "kind": "moan",
                        "channel": "email",
                        "description": "x",
                        "team": "customer-relations",
                    }
                ),
                "{broken json",
                json.dumps(
                    {
                        "customer_name": "Eve Adams",
                        "customer_email": "eve@example.com",
                        "kind": "query",
                        "channel": "phone",
                        "description": "When is my renewal?",
                        "team": "customer-relations",
                    }
                ),
                json.dumps(
                    {
                        "customer": "CU-9999999",
                        "kind": "query",
                        "channel": "phone",
                        "description": "x",
                        "team": "customer-relations",
                    }
                ),
                json.dumps(
                    {
                        "customer": customer.reference,
                        "kind": "query",
                        "channel": "phone",
                        "description": "x",
                        "team": "nope",
                    }
                ),
            ]
        )
        + "\n"
    )
    code, out, err = run(capsys, "import", "cases", str(rows), "--quiet")
    assert code == 0
    assert "imported 2 cases, rejected 4" in out
    assert "line 2: rejected: kind:" in err
    assert "line 3: rejected: not valid JSON" in err
    assert "line 5: rejected: customer: no customer CU-9999999" in err
    assert "line 6: rejected:" in err and "nope" in err
    assert Case.objects.count() == 2


def test_import_of_a_csv_with_bad_rows_keeps_the_good_ones(capsys, tmp_path: Path, team):
    rows = tmp_path / "cases.csv"
    rows.write_text(
        "customer_name,customer_email,kind,channel,description,severity,received_at\n"
        "Ann Lee,ann@example.com,complaint,letter,Parcel lost,3,2026-11-01T09:00:00+00:00\n"
        "Bo Chan,bo@example.com,complaint,letter,,2,\n"
        "Cy Dee,not-an-email,query,phone,Hello,2,\n"
        "Di Fox,di@example.com,complaint,letter,Late again,9,\n"
        "Ed Gray,ed@example.com,complaint,letter,Naive time,2,2026-11-01T09:00:00\n"
    )
    code, out, err = run(
        capsys, "import", "cases", str(rows), "--team", "customer-relations", "--quiet"
    )
    assert code == 0
    assert "imported 1 cases, rejected 4" in out
    for line, field in ((3, "description"), (4, "email"), (5, "severity"), (6, "received_at")):
        assert f"line {line}: rejected:" in err
        assert field in err.split(f"line {line}: rejected:")[1].split("\n")[0]
    case = Case.objects.get()
    assert case.severity == 3
    assert case.received_at.isoformat() == "2026-11-01T09:00:00+00:00"


@pytest.mark.django_db(transaction=True)
def test_demo_cases_are_history_and_are_not_acknowledged_to_their_customers(capsys, settings):  # type: ignore[no-untyped-def]
    from amends.comms.models import Letter, OutboundEmail

    settings.AMENDS_AUTO_ACKNOWLEDGE = True
    code, _, _ = run(capsys, "demo", "--cases", "40", "--seed", "5", "--quiet")
    assert code == 0
    assert Case.objects.filter(status="received").exists()
    assert not OutboundEmail.objects.exists()
    assert not Letter.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_server_and_the_worker_refuse_a_database_that_needs_migrating(capsys):
    call_command("migrate", "core", "0001", verbosity=0)
    try:
        for command in ("run", "worker"):
            code, _, err = run(capsys, command)
            assert code == 1
            assert "needs 'amends migrate' first" in err and "core.0002" in err
    finally:
        call_command("migrate", verbosity=0)
