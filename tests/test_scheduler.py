"""The daemon's parts without the crawler: fire times, the job-run table, the lock, the child runner,
and the daemon loop with a stand-in crawl command and digest function (fast, no network)."""

from __future__ import annotations

import logging
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import scheduler
from kernel.cron import cron_trigger
from pantau_config import Config, config_from_dict
from store import Store, schedule


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# ------------------------------------------------------------------------------ fire times

def test_latest_fire_time_picks_the_last_one_in_the_window():
    trigger = cron_trigger("0 7 * * *", "Asia/Jakarta")  # 07:00 WIB = 00:00 UTC
    now = at("2026-11-24T05:00:00+00:00")
    got = scheduler.latest_fire_time(trigger, now, at("2026-11-20T12:00:00+00:00"))
    assert got == at("2026-11-24T00:00:00+00:00")


def test_latest_fire_time_excludes_since_and_includes_now():
    trigger = cron_trigger("*/10 * * * * *", "UTC")
    since = at("2026-11-24T05:00:10+00:00")
    assert scheduler.latest_fire_time(trigger, at("2026-11-24T05:00:19+00:00"), since) is None
    assert scheduler.latest_fire_time(trigger, at("2026-11-24T05:00:20+00:00"), since) == at(
        "2026-11-24T05:00:20+00:00")


def test_cron_weekdays_follow_cron_numbering():
    trigger = cron_trigger("0 7 * * 1-5", "UTC")  # Monday to Friday, as in crontab(5)
    saturday = at("2026-11-28T08:00:00+00:00")
    assert saturday.weekday() == 5
    assert trigger.get_next_fire_time(None, saturday) == at("2026-11-30T07:00:00+00:00")  # Monday


# --------------------------------------------------------------------------- job-run table

@pytest.fixture
def conn(tmp_path: Path):
    with Store.open(tmp_path / "pantau.db") as store:
        schedule.ensure_schema(store)
        yield store


def test_a_run_is_claimed_once(conn):
    fire, now = at("2026-11-24T00:00:00+00:00"), at("2026-11-24T00:00:01+00:00")
    assert schedule.claim_run(conn, "digest", fire, now=now, daemon_pid=1)
    assert not schedule.claim_run(conn, "digest", fire, now=now, daemon_pid=2)
    schedule.finish_run(conn, "digest", fire, schedule.OK, now=now)
    assert not schedule.claim_run(conn, "digest", fire, now=now, daemon_pid=2)
    assert schedule.claim_run(conn, "crawl", fire, now=now, daemon_pid=2)  # another job, another key
    assert schedule.last_run(conn, "digest").status == "ok"


def test_an_interrupted_run_can_be_claimed_again_once(conn):
    fire, now = at("2026-11-24T00:00:00+00:00"), at("2026-11-24T00:00:01+00:00")
    schedule.claim_run(conn, "crawl", fire, now=now, daemon_pid=1)
    marked = schedule.mark_interrupted(conn, now=now)
    assert [(r.job, r.status) for r in marked] == [("crawl", "running")]
    assert schedule.last_run(conn, "crawl").status == "interrupted"
    assert schedule.claim_run(conn, "crawl", fire, now=now, daemon_pid=2)
    assert not schedule.claim_run(conn, "crawl", fire, now=now, daemon_pid=3)
    assert schedule.last_run(conn, "crawl").attempts == 2


def test_naive_times_are_refused(conn):
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule.claim_run(conn, "crawl", datetime(2026, 1, 1), now=datetime.now(UTC), daemon_pid=1)


# ------------------------------------------------------------------------------------ lock

def test_second_lock_names_the_first_pid(tmp_path):
    import os

    store_path = tmp_path / "pantau.db"
    with scheduler.DaemonLock(store_path):
        with pytest.raises(scheduler.DaemonLockError) as err:
            scheduler.DaemonLock(store_path).acquire()
    assert err.value.pid == os.getpid()
    assert f"pid {os.getpid()}" in str(err.value) and str(store_path) in str(err.value)
    with scheduler.DaemonLock(store_path):  # released: a new daemon can start
        pass


# ------------------------------------------------------------------------------ child runner

PY = sys.executable


def test_child_output_and_exit_code():
    lines: list[str] = []
    ok = scheduler.run_child([PY, "-c", "print('a'); print('b')"], time_limit=10, stop=threading.Event(),
                             on_line=lines.append)
    assert (ok.status, ok.returncode, lines) == ("ok", 0, ["a", "b"])
    bad = scheduler.run_child([PY, "-c", "import sys; print('boom'); sys.exit(3)"], time_limit=10,
                              stop=threading.Event())
    assert (bad.status, bad.returncode, bad.tail) == ("failed", 3, ["boom"])


def test_child_past_its_time_limit_is_stopped_then_killed():
    # The child ignores SIGTERM, so only the SIGKILL after the grace period ends it.
    code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('up', flush=True); time.sleep(60)"
    result = scheduler.run_child([PY, "-c", code], time_limit=0.3, stop=threading.Event(), grace=0.3)
    assert result.status == "timeout"
    assert result.returncode == -9


def test_child_is_asked_to_stop_on_stop_request():
    stop = threading.Event()
    code = ("import signal, sys, time\n"
            "signal.signal(signal.SIGTERM, lambda *a: (print('closing', flush=True), sys.exit(0)))\n"
            "print('up', flush=True); time.sleep(60)")
    lines: list[str] = []
    threading.Timer(0.5, stop.set).start()
    result = scheduler.run_child([PY, "-c", code], time_limit=None, stop=stop, grace=5, on_line=lines.append)
    assert result.status == "interrupted"
    assert lines == ["up", "closing"]


# -------------------------------------------------------------------------------- the daemon

def make_config(tmp_path: Path, crawl: str, digest: str, grace: int = 3600):
    return config_from_dict({
        "store": {"path": str(tmp_path / "pantau.db")},
        "schedule": {"timezone": "UTC", "crawl": crawl, "digest": digest,
                     "misfire_grace_seconds": grace, "stop_grace_seconds": 2},
    }, base=tmp_path)


def store_state(config: Config):
    return lambda: scheduler.open_store(config)


def run_daemon_until(daemon: scheduler.Daemon, done, timeout: float = 15.0) -> None:
    """Run the daemon in a thread until ``done()`` is true (or the timeout), then stop it."""
    ready = threading.Event()
    thread = threading.Thread(target=daemon.run, kwargs={"ready": ready.set}, daemon=True)
    thread.start()
    assert ready.wait(10), "daemon did not start"
    deadline = threading.Event()
    waited = 0.0
    while not done() and waited < timeout:
        deadline.wait(0.2)
        waited += 0.2
    daemon.request_stop("test")
    thread.join(20)
    assert not thread.is_alive(), "daemon did not stop"


def test_daemon_runs_jobs_on_second_schedules_once_per_fire_time(tmp_path):
    config = make_config(tmp_path, crawl="* * * * * *", digest="*/2 * * * * *")
    state = store_state(config)
    digests: list[datetime] = []
    daemon = scheduler.Daemon(config, crawl_command=[PY, "-c", "print('crawled')"],
                              digest=lambda cfg, now, window_end: digests.append(now) or {"digests": 1})

    def enough() -> bool:
        with state() as c:
            return len(schedule.runs(c, "crawl")) >= 3 and len(schedule.runs(c, "digest")) >= 2
    run_daemon_until(daemon, enough)
    with state() as c:
        crawls, digest_runs = schedule.runs(c, "crawl"), schedule.runs(c, "digest")
    assert len(crawls) >= 3 and len(digest_runs) >= 2
    assert {r.status for r in crawls + digest_runs} <= {"ok"}
    assert len({r.fire_time for r in crawls}) == len(crawls)
    assert all(r.fire_time.second % 2 == 0 for r in digest_runs)
    assert len(digests) == len(digest_runs)


def test_stop_interrupts_the_crawl_and_the_next_start_runs_it_again(tmp_path):
    config = make_config(tmp_path, crawl="* * * * * *", digest="")
    state = store_state(config)
    slow = [PY, "-c", "import time; print('crawling', flush=True); time.sleep(60)"]
    daemon = scheduler.Daemon(config, crawl_command=slow)

    def crawling() -> bool:
        with state() as c:
            return any(r.status == "running" for r in schedule.runs(c, "crawl"))
    run_daemon_until(daemon, crawling)
    with state() as c:
        (first,) = schedule.runs(c, "crawl")
    assert first.status == "interrupted"

    # Restart: the interrupted run is the latest one still in the grace, so it runs again, once.
    quick = scheduler.Daemon(config, crawl_command=[PY, "-c", "pass"])
    with state() as c:
        due = quick._catch_up_time(c, "crawl", first.fire_time + timedelta(milliseconds=500))
    assert due == first.fire_time


def test_catch_up_runs_the_latest_missed_time_within_the_grace(tmp_path):
    config = make_config(tmp_path, crawl="", digest="0 7 * * *", grace=6 * 3600)
    daemon = scheduler.Daemon(config, crawl_command=[PY, "-c", "pass"])
    conn = Store.open(tmp_path / "pantau.db")
    schedule.ensure_schema(conn)
    assert daemon._catch_up_time(conn, "digest", at("2026-11-24T09:00:00+00:00")) is None  # never ran
    schedule.claim_run(conn, "digest", at("2026-11-21T07:00:00+00:00"), now=at("2026-11-21T07:00:00+00:00"),
                       daemon_pid=1)
    schedule.finish_run(conn, "digest", at("2026-11-21T07:00:00+00:00"), "ok", now=at("2026-11-21T07:00:01+00:00"))
    # Down for three days: one digest (the latest, today 07:00) runs, not three.
    assert daemon._catch_up_time(conn, "digest", at("2026-11-24T09:00:00+00:00")) == at("2026-11-24T07:00:00+00:00")
    # Later than the grace: nothing runs; the next regular time will.
    assert daemon._catch_up_time(conn, "digest", at("2026-11-24T14:00:00+00:00")) is None


# ---------------------------------------------------------------------------------- log lines

def _record(event: str, **fields) -> logging.LogRecord:
    import logging

    record = logging.LogRecord("pantau.scheduler", logging.INFO, __file__, 1, event, None, None)
    record.event, record.fields = event, fields
    return record


def test_json_log_line_is_one_object_with_the_event_fields():
    import json

    line = scheduler.JsonLinesFormatter().format(_record("run_finished", job="crawl", seconds=1.5,
                                                         detail="baris\nkedua"))
    assert "\n" not in line
    data = json.loads(line)
    assert (data["event"], data["job"], data["seconds"], data["level"]) == ("run_finished", "crawl", 1.5, "INFO")
    assert data["ts"].endswith("Z")


def test_text_log_line_quotes_values_with_spaces_and_flattens_tables():
    line = scheduler.KeyValueFormatter().format(_record("daemon_started", store="/tmp/p.db",
                                                        jobs={"crawl": "0 */3 * * *"}))
    assert line.split()[1:3] == ["INFO", "daemon_started"]
    assert 'store=/tmp/p.db jobs.crawl="0 */3 * * *"' in line


def test_a_missed_run_is_made_up_once_across_restarts(tmp_path):
    config = make_config(tmp_path, crawl="", digest="0 0 * * *", grace=2 * 86400)
    now = datetime.now(UTC)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    with Store.open(config.store.path) as store:
        schedule.ensure_schema(store)
        old = midnight - timedelta(days=3)
        schedule.claim_run(store, "digest", old, now=old, daemon_pid=1)
        schedule.finish_run(store, "digest", old, "ok", now=old)
    calls: list[datetime] = []

    def digest(cfg, when, window_end):
        calls.append(when)
        return {}

    def made_up() -> bool:
        with scheduler.open_store(config) as store:
            return schedule.last_run(store, "digest").fire_time == midnight
    run_daemon_until(scheduler.Daemon(config, digest=digest), made_up, timeout=5)
    assert len(calls) == 1
    # The second start finds nothing to make up: give it time to (wrongly) run something.
    run_daemon_until(scheduler.Daemon(config, digest=digest), lambda: False, timeout=1.5)
    assert len(calls) == 1
    with scheduler.open_store(config) as store:
        assert [r.fire_time for r in schedule.runs(store, "digest")] == [midnight - timedelta(days=3), midnight]
