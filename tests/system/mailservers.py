"""Real mail servers for the system tests: a throwaway Dovecot IMAP server on 127.0.0.1.

``make test`` installs Dovecot (``make mailserver``); without it these tests fail, with a
message saying how to install it, rather than skip. Set AMENDS_KEEP_DOVECOT=1 to keep the
server's folder (configuration, log, maildir) after a run, to look into a failure."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

INSTALL_HINT = (
    "Dovecot is not installed, and the mail-in system tests need a real IMAP server. "
    "Run `make mailserver` (or `apt-get install dovecot-imapd`)."
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(
    port: int, process: subprocess.Popen[bytes], what: str, seconds: float = 30
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{what} did not listen on port {port} within {seconds}s")


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    user: str
    password: str
    log: Path


def _dovecot() -> str:
    found = shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
    )
    if found is None:
        pytest.fail(INSTALL_HINT, pytrace=False)
    return found


@contextmanager
def dovecot(
    user: str = "complaints",
    password: str = "correct-horse-staple",  # noqa: S107 (a throwaway server's only user)
) -> Iterator[ImapServer]:
    """Dovecot with its own configuration, one passwd-file user and a maildir, all in a
    temporary directory; stopped and removed afterwards."""
    binary = _dovecot()
    root = Path(tempfile.mkdtemp(prefix="amends-dovecot-"))
    root.chmod(0o755)  # Dovecot's unprivileged login processes must reach its sockets
    port = free_port()
    uid, gid = os.getuid(), os.getgid()
    (root / "users").write_text(f"{user}:{{PLAIN}}{password}::::::\n")
    running_as_root = uid == 0
    if running_as_root:  # Dovecot never keeps mail as root: use nobody, owning the mail folders
        uid, gid = pwd.getpwnam("nobody").pw_uid, grp.getgrnam("nogroup").gr_gid
        for folder in ("mail", "home"):
            (root / folder).mkdir()
            os.chown(root / folder, uid, gid)
    internal = (
        ""
        if running_as_root
        else (
            f"default_internal_user = {os.environ.get('USER', 'nobody')}\n"
            f"default_login_user = {os.environ.get('USER', 'nobody')}\n"
            f"default_internal_group = {gid}\n"
        )
    )
    conf = root / "dovecot.conf"
    conf.write_text(
        f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
mail_uid = {uid}
mail_gid = {gid}
first_valid_uid = {uid}
first_valid_gid = {gid}
{internal}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""
    )
    process = subprocess.Popen(
        [binary, "-F", "-c", str(conf)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        try:
            wait_for_port(port, process, "dovecot")
        except AssertionError:
            output = (
                process.stdout.read().decode()
                if process.poll() is not None and process.stdout
                else ""
            )
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            raise AssertionError(f"dovecot did not start:\n{output}\n{log}") from None
        yield ImapServer("127.0.0.1", port, user, password, root / "dovecot.log")
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        if not os.environ.get("AMENDS_KEEP_DOVECOT"):
            shutil.rmtree(root, ignore_errors=True)
