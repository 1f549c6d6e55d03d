"""Issue 14 item 13: a sender killed after the receiver accepted a digest, before it marked it sent.

A child process delivers through a real SMTP server (aiosmtpd) or a real HTTP receiver standing in
for Slack. The receiver takes the store's write lock before it answers (so the child cannot mark
the delivery sent), answers 250 / 200, and then SIGKILLs the child. The next run, after the lease,
sends again, and the reader is told: the same Message-ID and a "[dikirim ulang]" subject for email,
a note on the re-posted Slack message; `pantau status` counts the repeat.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.controller import Controller
from test_alerts_support import NOW, REPO_ROOT, add_finding, later, open_store
from test_smtp import free_port

from alerts import build_due_digests, deliver_pending
from alerts.worker import LEASE_SECONDS
from pantau_config import load_config
from store.status import render_status

# How long the child may take to start, send and be killed (a bound on a hang, not a speed test).
CHILD_SECONDS = 60
# Seconds between the receiver's answer and the kill: the child is blocked on the store lock by then.
KILL_AFTER_SECONDS = 0.5


class Killer:
    """Holds the store's write lock from the moment the receiver has the digest, then kills the child."""

    def __init__(self, store_path: Path) -> None:
        self.store_path = store_path
        self.child: subprocess.Popen | None = None
        self.conn: sqlite3.Connection | None = None

    def accepted(self) -> None:
        if self.conn is not None:
            return  # only the first send is cut off
        self.conn = sqlite3.connect(self.store_path, timeout=30, check_same_thread=False)
        self.conn.execute("begin immediate")  # the child can no longer mark anything sent
        threading.Timer(KILL_AFTER_SECONDS, self._kill).start()

    def _kill(self) -> None:
        assert self.child is not None
        os.kill(self.child.pid, signal.SIGKILL)

    def release(self) -> None:
        if self.conn is not None:
            self.conn.rollback()
            self.conn.close()


def deliver_in_child(config_file: Path, killer: Killer) -> int:
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(REPO_ROOT / 'tests')!r})
        from test_alerts_support import NOW
        from pantau_config import load_config
        from store import Store
        from alerts import deliver_pending
        config = load_config({str(config_file)!r})
        deliver_pending(Store.from_config(config), config, NOW)
    """)
    killer.child = subprocess.Popen([sys.executable, "-c", script], cwd=REPO_ROOT, env={**os.environ})
    try:
        return killer.child.wait(timeout=CHILD_SECONDS)
    finally:
        killer.release()


def write_config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "pantau.toml"
    path.write_text('[store]\npath = "pantau.db"\n[alerts]\noutbox_dir = "outbox"\n' + body, encoding="utf-8")
    return path


def seeded_digest(tmp_path: Path, config_file: Path) -> None:
    store = open_store(tmp_path / "pantau.db")
    add_finding(store)
    build_due_digests(store, load_config(config_file), NOW)
    store.close()


def after_the_lease() -> object:
    return later(LEASE_SECONDS / 60 + 1)


def test_an_email_accepted_before_a_crash_is_sent_again_with_the_same_message_id_marked_as_a_repeat(tmp_path):
    killer = Killer(tmp_path / "pantau.db")

    class Inbox:
        messages: list[bytes] = []

        async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802 - aiosmtpd hook
            self.messages.append(envelope.original_content)
            killer.accepted()
            return "250 OK: queued"

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        config_file = write_config(tmp_path, f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
                                             'from = "pantau <pantau@example.org>"\n'
                                             '[[recipients]]\nname = "redaksi"\nemail = ["redaksi@example.org"]\n')
        seeded_digest(tmp_path, config_file)
        assert deliver_in_child(config_file, killer) == -signal.SIGKILL
        store = open_store(tmp_path / "pantau.db")
        assert store.db["deliveries"].get(1)["status"] == "sending"  # accepted, never marked
        config = load_config(config_file)
        assert deliver_pending(store, config, later(5)).sent == 0  # the lease still runs
        assert deliver_pending(store, config, after_the_lease()).sent == 1
        status = render_status(store)
        row = store.db["deliveries"].get(1)
        store.close()
    finally:
        controller.stop()
    first, second = (email.message_from_bytes(m, policy=email.policy.default) for m in inbox.messages)
    assert first["Message-ID"] == second["Message-ID"]  # a receiver that de-duplicates drops it
    assert not first["Subject"].startswith("[dikirim ulang]") and first["X-Pantau-Repeat"] is None
    assert second["Subject"] == "[dikirim ulang] " + first["Subject"]
    assert second["X-Pantau-Repeat"].strip().startswith("yes")
    assert row["status"] == "sent" and row["repeats"] == 1 and row["in_doubt"] == 0
    assert "1 sent again marked as a repeat" in status


def test_a_slack_message_accepted_before_a_crash_is_posted_again_marked_as_a_repeat(tmp_path, monkeypatch):
    killer = Killer(tmp_path / "pantau.db")
    posted: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server hook
            posted.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            killer.accepted()
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    monkeypatch.setenv("PANTAU_TEST_SLACK", f"http://127.0.0.1:{server.server_address[1]}/services/T0/B0/x")
    try:
        config_file = write_config(tmp_path, '[[recipients]]\nname = "kanal"\nslack_webhook_env = "PANTAU_TEST_SLACK"\n')
        seeded_digest(tmp_path, config_file)
        assert deliver_in_child(config_file, killer) == -signal.SIGKILL
        store = open_store(tmp_path / "pantau.db")
        assert deliver_pending(store, load_config(config_file), after_the_lease()).sent == 1
        row = store.db["deliveries"].get(1)
        store.close()
    finally:
        server.shutdown()
        server.server_close()
    first, second = posted
    assert second["blocks"][1:] == first["blocks"]  # the same message, with one note in front
    note = second["blocks"][0]["elements"][0]["text"]
    assert second["blocks"][0]["type"] == "context" and note.startswith("_Dikirim ulang")
    assert second["text"].startswith("Dikirim ulang") and first["text"] in second["text"]
    assert row["repeats"] == 1
