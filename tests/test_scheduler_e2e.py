"""The daemon end to end: `pantau run` as a real process on second-scale schedules, crawling the
local mirror in child processes, building and delivering digests into the store.

Each test is kept short (a few crawl cycles); they need the crawler, the mirror, the store and
alerts, and skip with the reason when one of them can't be imported.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psutil
import pytest
import tomli_w

from mirror.corpus import corpus_age_days
from store import Store, schedule

pytestmark = pytest.mark.e2e

# Crawls every few seconds and digests every other second: enough cycles within a short test,
# while a crawl (a Scrapy child process over loopback) has time to finish between two fire times.
CRAWL_EVERY = "*/4 * * * * *"
DIGEST_EVERY = "*/2 * * * * *"
# Upper bound for one wait in these tests; a healthy run needs a fraction of it.
WAIT_SECONDS = 25.0


def _mirror_class():
    from mirror import Mirror

    return Mirror


@pytest.fixture
def mirror():
    instance = _mirror_class()()
    instance.start()
    yield instance
    instance.stop()


def write_config(folder: Path, roots: dict[str, str], crawl: str = CRAWL_EVERY, digest: str = DIGEST_EVERY) -> Path:
    path = folder / "pantau.toml"
    path.write_text(tomli_w.dumps({
        "store": {"path": "pantau.db"},
        "crawl": {"download_delay": 0.0, "autothrottle": False, "concurrent_per_domain": 8,
                  "time_limit_seconds": 20.0, "download_timeout": 5.0, "retry_times": 0, "roots": roots,
                  "max_age_days": corpus_age_days()},
        "schedule": {"timezone": "UTC", "crawl": crawl, "digest": digest,
                     "misfire_grace_seconds": 60, "stop_grace_seconds": 5},
        "alerts": {"outbox_dir": "outbox"},
        "recipients": [{"name": "desk", "files": True}],
    }), encoding="utf-8")
    return path


class DaemonProcess:
    """`pantau run --log-format json` in a child process; its events collected as dicts."""

    def __init__(self, config_path: Path) -> None:
        self.events: list[dict[str, Any]] = []
        self.other: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "cli", "--config", str(config_path), "run", "--log-format", "json"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            try:
                self.events.append(json.loads(line))
            except json.JSONDecodeError:
                self.other.append(line.rstrip())

    def named(self, event: str) -> list[dict[str, Any]]:
        return [e for e in list(self.events) if e.get("event") == event]

    def wait_for(self, done: Callable[[], bool], what: str, timeout: float = WAIT_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            if self.proc.poll() is not None:
                pytest.fail(f"daemon exited ({self.proc.returncode}) while waiting for {what}: "
                            f"{self.events[-5:]} {self.other[-5:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}; last events: {self.events[-8:]}")
            time.sleep(0.1)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(timeout=30)


def runs(db: Path, job: str) -> list[schedule.JobRun]:
    with Store.open(db) as store:
        schedule.ensure_schema(store)
        return schedule.runs(store, job)


def store_rows(db: Path, sql: str) -> list[dict[str, Any]]:
    with Store.open(db) as store:
        cursor = store.db.conn.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def ok_runs(db: Path, job: str) -> list[schedule.JobRun]:
    return [r for r in runs(db, job) if r.status == "ok"]


def settle(config_path: Path) -> None:
    """The digest job once more, after the daemon stopped, as if a while had passed.

    A crawl may have stored findings after the last digest the daemon ran (they belong to the next
    one), and a kill that landed mid-delivery leaves that delivery claimed ("sending") until its
    lease runs out; the next digest run takes care of both.
    """
    from alerts.worker import LEASE_SECONDS
    from pantau_config import load_config
    from scheduler import run_digest

    run_digest(load_config(config_path), datetime.now(UTC) + timedelta(seconds=LEASE_SECONDS + 60))


def assert_digests_consistent(db: Path, outbox: Path) -> None:
    """Windows never overlap, every finding is in a digest, each digest delivered once per channel."""
    digests = store_rows(db, "SELECT * FROM digests ORDER BY id")
    findings = store_rows(db, "SELECT id FROM findings ORDER BY id")
    deliveries = store_rows(db, "SELECT * FROM deliveries ORDER BY id")
    previous_last = 0
    for digest in digests:
        assert digest["last_finding_id"] >= previous_last
        if digest["last_finding_id"] > previous_last:
            assert digest["first_finding_id"] > previous_last, f"overlapping windows: {digest}"
        previous_last = digest["last_finding_id"]
    assert len({d["last_finding_id"] for d in digests}) == len(digests), "a window was built twice"
    if findings:
        assert previous_last == findings[-1]["id"], "findings after the last digest were never digested"
    assert len({d["key"] for d in deliveries}) == len(deliveries)
    assert all(d["status"] == "sent" for d in deliveries), deliveries
    assert len({(d["digest_id"], d["channel"]) for d in deliveries}) == len(deliveries)
    sent_files = sorted(p.name for p in outbox.glob("*.json")) if outbox.exists() else []
    assert len(sent_files) == len([d for d in deliveries if d["channel"] == "file"])


def test_daemon_crawls_and_digests_on_schedule(tmp_path, mirror):
    config = write_config(tmp_path, mirror.roots)
    db = tmp_path / "pantau.db"
    daemon = DaemonProcess(config)
    try:
        daemon.wait_for(lambda: daemon.named("daemon_started"), "the daemon to start")
        daemon.wait_for(lambda: len(ok_runs(db, "crawl")) >= 1, "a first crawl")
        first_crawl = ok_runs(db, "crawl")[0]
        mirror.step()  # new and edited articles for the next crawl
        daemon.wait_for(lambda: any(r.fire_time > first_crawl.fire_time for r in ok_runs(db, "crawl")),
                        "a second crawl")
        second_crawl = ok_runs(db, "crawl")[1]
        daemon.wait_for(lambda: any(r.fire_time > second_crawl.finished_at for r in ok_runs(db, "digest")),
                        "a digest after the second crawl")
    finally:
        code = daemon.stop()
    assert code == 0, daemon.other[-10:]
    assert daemon.named("daemon_stopped")
    articles = store_rows(db, "SELECT count(*) AS n FROM articles")[0]["n"]
    assert articles > 0
    assert store_rows(db, "SELECT count(*) AS n FROM digests")[0]["n"] >= 1
    assert store_rows(db, "SELECT count(*) AS n FROM deliveries WHERE status = 'sent'")[0]["n"] >= 1
    settle(config)
    assert_digests_consistent(db, tmp_path / "outbox")
    for job in ("crawl", "digest"):
        fire_times = [r.fire_time for r in runs(db, job)]
        assert len(fire_times) == len(set(fire_times))


def test_sigkill_mid_crawl_then_restart_loses_and_doubles_nothing(tmp_path, mirror):
    config = write_config(tmp_path, mirror.roots)
    db = tmp_path / "pantau.db"
    daemon = DaemonProcess(config)
    try:
        daemon.wait_for(lambda: ok_runs(db, "digest") and ok_runs(db, "crawl"), "a crawl and a digest")
        mirror.step()
        daemon.wait_for(lambda: any(r.status == "running" for r in runs(db, "crawl")), "a crawl in progress")
        children = psutil.Process(daemon.proc.pid).children(recursive=True)
    finally:
        daemon.stop(signal.SIGKILL)
    killed = [r for r in runs(db, "crawl") if r.status == "running"]
    assert killed, "the crawl finished before the kill; nothing was cut short"
    # The crawl child dies with its daemon (PR_SET_PDEATHSIG: SIGTERM, so Scrapy closes cleanly).
    _, alive = psutil.wait_procs(children, timeout=15)
    assert not alive, f"crawl children outlived the killed daemon: {alive}"

    restarted = DaemonProcess(config)
    try:
        restarted.wait_for(lambda: restarted.named("daemon_started"), "the restart")
        # The interrupted crawl is re-run once (attempt 2), and a digest follows it.
        daemon_key = killed[0].fire_time
        restarted.wait_for(lambda: any(r.fire_time == daemon_key and r.status == "ok" and r.attempts == 2
                                       for r in runs(db, "crawl")) or
                           any(r.fire_time > daemon_key and r.status == "ok" for r in runs(db, "crawl")),
                           "the interrupted crawl to be made up")
        made_up = max(r.finished_at for r in ok_runs(db, "crawl"))
        restarted.wait_for(lambda: any(r.started_at > made_up for r in ok_runs(db, "digest")),
                           "a digest after the made-up crawl")
    finally:
        assert restarted.stop() == 0
    settle(config)
    assert_digests_consistent(db, tmp_path / "outbox")
    assert all(r.attempts <= 2 for r in runs(db, "crawl") + runs(db, "digest"))


def test_second_daemon_on_the_same_store_is_refused(tmp_path):
    config = write_config(tmp_path, {}, crawl="", digest="")  # no jobs: only the lock matters
    first = DaemonProcess(config)
    try:
        first.wait_for(lambda: first.named("daemon_started"), "the first daemon")
        second = subprocess.run([sys.executable, "-m", "cli", "--config", str(config), "run"],
                                capture_output=True, text=True, timeout=30)
    finally:
        assert first.stop() == 0
    assert second.returncode == 1
    assert f"another pantau daemon (pid {first.proc.pid}) is already running" in second.stderr
    assert str(tmp_path / "pantau.db") in second.stderr
