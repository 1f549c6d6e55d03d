"""Run windows end to end: the daemon hands the scheduled fire time to the digest job as its window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from test_alerts_support import add_finding, open_store

import scheduler
from pantau_config import config_from_dict

FIRE = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


def _config(tmp_path):
    return config_from_dict({
        "store": {"path": "pantau.db"}, "alerts": {"outbox_dir": "outbox"},
        "schedule": {"timezone": "UTC", "crawl": "", "digest": "0 7 * * *"},
        "recipients": [{"name": "desk", "files": True, "send_when_empty": True}],
    }, base=tmp_path)


def test_a_re_run_of_one_fire_time_sends_one_digest(tmp_path):
    config = _config(tmp_path)
    store = open_store(config.store.path)
    add_finding(store)
    store.close()
    assert scheduler.run_digest(config, FIRE + timedelta(seconds=3), FIRE)["digests"] == 1
    # The daemon crashed before recording the run; at restart it runs the same fire time again.
    assert scheduler.run_digest(config, FIRE + timedelta(minutes=20), FIRE)["digests"] == 0
    # The next day's run has nothing new, and the recipient wants a digest every run anyway.
    next_day = FIRE + timedelta(days=1)
    assert scheduler.run_digest(config, next_day + timedelta(seconds=2), next_day)["digests"] == 1
    assert scheduler.run_digest(config, next_day + timedelta(minutes=5), next_day)["digests"] == 0
    assert sorted(p.name for p in config.alerts.outbox_dir.glob("*.json")) == [
        "digest-000001-desk.json", "digest-000002-desk.json"]


def test_the_daemon_passes_the_fire_time_as_the_window(tmp_path, monkeypatch):
    calls = []

    def fake_run_digest(config, now, window_end=None):
        calls.append((now, window_end))
        return {"digests": 0}

    from store import schedule

    config = _config(tmp_path)
    with scheduler.open_store(config) as store:
        schedule.ensure_schema(store)  # Daemon.run does this at start
    monkeypatch.setattr(scheduler, "run_digest", fake_run_digest)
    daemon = scheduler.Daemon(config)  # the default digest job
    daemon._claimed_run("digest", FIRE, FIRE.isoformat())
    assert len(calls) == 1 and calls[0][1] == FIRE  # now: the clock; the window: the fire time
