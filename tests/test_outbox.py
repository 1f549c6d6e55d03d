"""The outbox: a window is built once, rows are sent once, failures back off and are reported."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from test_alerts_support import (
    NOW,
    REPO_ROOT,
    add_finding,
    later,
    make_config,
    open_store,
)

from alerts import build_due_digests, deliver_pending, plan_digests
from alerts.channels import DeliveryError
from store import outbox


def test_a_window_is_built_once(tmp_path, store):
    add_finding(store)
    config = make_config(tmp_path)
    first = build_due_digests(store, config, NOW)
    again = build_due_digests(store, config, later(5), window_end=NOW)  # the same run window, re-run later
    assert len(first) == 1 and again == []
    assert store.db["digests"].count == 1
    rows = outbox.deliveries_of(store, first[0].id)
    assert [(r["channel"], r["status"], r["key"]) for r in rows] == [("file", "pending", f"{first[0].id}:default:file")]


def test_a_planned_window_inserted_twice_is_refused(tmp_path, store):
    add_finding(store)
    config = make_config(tmp_path)
    planned = plan_digests(store, config, NOW)[0]
    kwargs = dict(recipient=planned.recipient, first_finding_id=planned.first_finding_id,
                  last_finding_id=planned.last_finding_id, created_at=planned.created_at,
                  payload=planned.payload, channels=["file"])
    assert outbox.insert_digest(store, **kwargs) is not None
    assert outbox.insert_digest(store, **kwargs) is None  # a second process lost the race
    assert store.db["deliveries"].count == 1


def test_next_window_starts_after_the_last_finding(tmp_path, store):
    config = make_config(tmp_path)
    add_finding(store)
    build_due_digests(store, config, NOW)
    add_finding(store, value=5e6, surface="5 juta UMKM", sentence="Kini 5 juta UMKM online.")
    second = build_due_digests(store, config, later(60))
    assert len(second) == 1
    assert (second[0].first_finding_id, second[0].last_finding_id) == (2, 2)


def test_sent_once_even_when_worker_runs_twice(tmp_path, store):
    add_finding(store)
    config = make_config(tmp_path)
    build_due_digests(store, config, NOW)
    assert deliver_pending(store, config, NOW).sent == 1
    assert deliver_pending(store, config, later(1)).sent == 0
    assert outbox.delivery_counts(store)["sent"] == 1
    assert len(list(config.alerts.outbox_dir.glob("*.eml"))) == 1


def test_claim_is_compare_and_set(tmp_path, store):
    add_finding(store)
    config = make_config(tmp_path)
    build_due_digests(store, config, NOW)
    row = outbox.due_deliveries(store, NOW.isoformat())[0]
    assert outbox.claim(store, row, later(10).isoformat())
    assert not outbox.claim(store, row, later(10).isoformat())  # a second worker with the same snapshot


def test_backoff_then_failed_then_reported_in_next_digest(tmp_path, store, monkeypatch):
    import alerts.worker as worker

    def refuse(*args, **kwargs):
        raise DeliveryError("disk full")

    monkeypatch.setattr(worker, "_send", refuse)
    add_finding(store)
    config = make_config(tmp_path, alerts={"max_attempts": 3, "retry_base_seconds": 60.0})
    build_due_digests(store, config, NOW)
    assert deliver_pending(store, config, NOW).retrying == 1
    row = store.db["deliveries"].get(1)
    assert row["next_attempt_at"] == "2026-11-24T07:01:00+00:00" and row["attempts"] == 1
    assert deliver_pending(store, config, later(0.5)).retrying == 0  # not due yet
    assert deliver_pending(store, config, later(1)).retrying == 1
    assert store.db["deliveries"].get(1)["next_attempt_at"] == "2026-11-24T07:03:00+00:00"  # 1 + 2 min
    assert deliver_pending(store, config, later(3)).failed == 1
    failed = outbox.failed_deliveries(store)
    assert failed[0]["attempts"] == 3 and failed[0]["last_error"] == "disk full"
    assert deliver_pending(store, config, later(60)).failed == 0  # failed rows stay failed

    monkeypatch.undo()
    add_finding(store, value=5e6, surface="5 juta UMKM", sentence="Kini 5 juta UMKM online.")
    nxt = build_due_digests(store, config, later(90))[0]
    assert nxt.payload["delivery_failures"][0]["error"] == "disk full"
    from alerts import render_text
    assert "Pengiriman gagal: default / file, 3 percobaan" in render_text(nxt.payload, config)
    # reported once: the digest after that no longer carries it
    add_finding(store, value=6e6, surface="6 juta UMKM", sentence="Kini 6 juta UMKM online.")
    assert build_due_digests(store, config, later(120))[0].payload["delivery_failures"] == []


def test_dry_run_plans_without_writing(tmp_path, store):
    add_finding(store)
    config = make_config(tmp_path)
    assert len(plan_digests(store, config, NOW)) == 1
    assert store.db["digests"].count == 0 and store.db["deliveries"].count == 0


def test_killed_between_building_and_sending_is_delivered_once_after_restart(tmp_path):
    """A child process builds (commits) and dies before sending; a fresh process delivers once."""
    config_file = tmp_path / "pantau.toml"
    config_file.write_text('[store]\npath = "pantau.db"\n[alerts]\noutbox_dir = "outbox"\n')
    seeded = open_store(tmp_path / "pantau.db")
    add_finding(seeded)
    seeded.close()
    child = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(REPO_ROOT / 'tests')!r})
        from test_alerts_support import NOW, open_store
        from pantau_config import load_config
        from alerts import build_due_digests
        config = load_config({str(config_file)!r})
        store = open_store(config.store.path)
        build_due_digests(store, config, NOW)
        os._exit(9)  # killed: no clean shutdown, nothing sent
    """)
    result = subprocess.run([sys.executable, "-c", child], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 9, result.stderr
    from pantau_config import load_config
    config = load_config(config_file)
    restarted = open_store(config.store.path)
    try:
        # The daemon re-runs the same scheduled time after a crash: that window was already built.
        assert build_due_digests(restarted, config, later(1), window_end=NOW) == []
        assert deliver_pending(restarted, config, later(1)).sent == 1
        assert deliver_pending(restarted, config, later(2)).sent == 0
        files = sorted(p.name for p in config.alerts.outbox_dir.iterdir())
        assert files == ["digest-000001-default.eml", "digest-000001-default.json"]
        assert json.loads((config.alerts.outbox_dir / files[1]).read_text())["digest_id"] == 1
    finally:
        restarted.close()


def test_killed_while_sending_is_retried_after_the_lease(tmp_path, store):
    add_finding(store)
    config = make_config(tmp_path)
    build_due_digests(store, config, NOW)
    row = outbox.due_deliveries(store, NOW.isoformat())[0]
    assert outbox.claim(store, row, later(10).isoformat())  # then the process died
    assert deliver_pending(store, config, later(5)).sent == 0  # lease still running
    assert deliver_pending(store, config, later(11)).sent == 1


def test_a_digest_planned_before_another_process_built_one_is_not_inserted(tmp_path, store):
    add_finding(store)
    config = make_config(tmp_path)
    stale_plan = plan_digests(store, config, NOW)[0]  # process B plans from cursor 0 …
    build_due_digests(store, config, NOW)               # … process A builds (0, 1] meanwhile
    add_finding(store, value=5e6, surface="5 juta UMKM", sentence="Kini 5 juta UMKM online.")
    late = plan_digests(store, config, NOW)[0]
    # B's plan, grown to include finding 2, would report finding 1 twice: refused.
    assert outbox.insert_digest(store, recipient=stale_plan.recipient, first_finding_id=1, last_finding_id=2,
                                created_at=stale_plan.created_at, payload=stale_plan.payload, channels=["file"],
                                after_finding_id=stale_plan.after_finding_id) is None
    assert late.after_finding_id == 1
    assert len(build_due_digests(store, config, NOW)) == 1


def test_a_send_that_kills_its_process_every_time_ends_failed(tmp_path, store):
    add_finding(store)
    config = make_config(tmp_path, alerts={"max_attempts": 2})
    build_due_digests(store, config, NOW)
    for minutes in (0, 11):  # two attempts, each "killed" right after claiming
        row = outbox.due_deliveries(store, later(minutes).isoformat())[0]
        assert outbox.claim(store, row, later(minutes + 10).isoformat())
    assert deliver_pending(store, config, later(30)).failed == 1
    assert "stopped during attempt 2" in store.db["deliveries"].get(1)["last_error"]


def test_a_failure_in_the_same_run_as_a_digest_is_reported_in_the_next(tmp_path, store, monkeypatch):
    import alerts.worker as worker

    monkeypatch.setattr(worker, "_send", lambda *a, **k: (_ for _ in ()).throw(DeliveryError("refused")))
    add_finding(store)
    config = make_config(tmp_path, alerts={"max_attempts": 1})
    build_due_digests(store, config, NOW)
    assert deliver_pending(store, config, NOW).failed == 1  # same `now` as the digest's created_at
    monkeypatch.undo()
    add_finding(store, value=5e6, surface="5 juta UMKM", sentence="Kini 5 juta UMKM online.")
    assert build_due_digests(store, config, later(60))[0].payload["delivery_failures"][0]["error"] == "refused"


def test_failed_rows_keep_their_failure_time_in_failed_at(tmp_path, store, monkeypatch):
    import alerts.worker as worker

    monkeypatch.setattr(worker, "_send", lambda *a, **k: (_ for _ in ()).throw(DeliveryError("refused")))
    add_finding(store)
    config = make_config(tmp_path, alerts={"max_attempts": 1})
    build_due_digests(store, config, NOW)
    assert deliver_pending(store, config, later(2)).failed == 1
    row = store.db["deliveries"].get(1)
    assert (row["status"], row["failed_at"], row["next_attempt_at"]) == ("failed", later(2).isoformat(), None)
    assert outbox.failed_deliveries(store)[0]["failed_at"] == later(2).isoformat()


def test_send_when_empty_sends_once_per_run_window(tmp_path, store):
    config = make_config(tmp_path, recipients=[{"name": "desk", "files": True, "send_when_empty": True}])
    add_finding(store)
    assert len(build_due_digests(store, config, NOW)) == 1
    assert build_due_digests(store, config, later(0.5)) == []  # same minute, nothing new: same window
    empty = build_due_digests(store, config, later(60))
    assert len(empty) == 1 and (empty[0].first_finding_id, empty[0].last_finding_id) == (None, None)
    from alerts import render_text
    text = render_text(empty[0].payload, config)
    assert "Tidak ada angka baru yang cocok dengan filter Anda sejak 24 Nov 2026 14.00 WIB." in text
    assert "== Kesehatan sumber ==" in text
    # the daemon re-running that fire time (a crash) and a second run in the same minute: nothing
    assert build_due_digests(store, config, later(75), window_end=later(60)) == []
    assert build_due_digests(store, config, later(60.5)) == []
    assert len(build_due_digests(store, config, later(120))) == 1  # the next run window
    rows = store.db.execute("select window_key, window_end from digests order by id").fetchall()
    assert rows == [("findings:1", "2026-11-24T07:00:00+00:00"),
                    ("empty:2026-11-24T08:00:00+00:00", "2026-11-24T08:00:00+00:00"),
                    ("empty:2026-11-24T09:00:00+00:00", "2026-11-24T09:00:00+00:00")]
    assert deliver_pending(store, config, later(121)).sent == 3


def test_a_re_run_of_a_window_that_had_findings_sends_no_empty_digest(tmp_path, store):
    config = make_config(tmp_path, recipients=[{"name": "desk", "files": True, "send_when_empty": True}])
    add_finding(store)
    assert len(build_due_digests(store, config, NOW)) == 1
    assert build_due_digests(store, config, later(10), window_end=NOW) == []
    assert store.db["digests"].count == 1


def test_new_findings_after_an_empty_digest_start_after_the_last_covered_finding(tmp_path, store):
    config = make_config(tmp_path, recipients=[{"name": "desk", "files": True, "send_when_empty": True}])
    add_finding(store)
    build_due_digests(store, config, NOW)
    build_due_digests(store, config, later(60))  # empty
    add_finding(store, value=5e6, surface="5 juta UMKM", sentence="Kini 5 juta UMKM online.")
    (nxt,) = build_due_digests(store, config, later(120))
    assert (nxt.first_finding_id, nxt.last_finding_id, nxt.after_finding_id) == (2, 2, 1)


def test_failures_go_in_the_empty_digest_of_send_when_empty_and_wait_for_findings_otherwise(
        tmp_path, store, monkeypatch):
    import alerts.worker as worker

    config = make_config(tmp_path, alerts={"max_attempts": 1}, recipients=[
        {"name": "desk", "files": True}, {"name": "ops", "files": True, "send_when_empty": True}])
    add_finding(store)
    build_due_digests(store, config, NOW)
    monkeypatch.setattr(worker, "_send", lambda *a, **k: (_ for _ in ()).throw(DeliveryError("refused")))
    assert deliver_pending(store, config, NOW).failed == 2
    monkeypatch.undo()
    (ops,) = build_due_digests(store, config, later(60))  # no new findings: only ops hears now
    assert (ops.recipient, ops.last_finding_id) == ("ops", None)
    assert [f["error"] for f in ops.payload["delivery_failures"]] == ["refused", "refused"]
    add_finding(store, value=5e6, surface="5 juta UMKM", sentence="Kini 5 juta UMKM online.")
    by_name = {d.recipient: d for d in build_due_digests(store, config, later(120))}
    assert len(by_name["desk"].payload["delivery_failures"]) == 2  # desk's next digest with findings
    assert by_name["ops"].payload["delivery_failures"] == []      # ops was told already


def test_dry_run_of_an_empty_window_writes_nothing(tmp_path, store):
    config = make_config(tmp_path, recipients=[{"name": "desk", "files": True, "send_when_empty": True}])
    planned = plan_digests(store, config, NOW)
    assert len(planned) == 1 and not planned[0].has_findings
    assert store.db["digests"].count == 0


def test_version_3_outbox_rows_are_upgraded_to_their_own_columns(tmp_path):
    import sqlite_utils

    from store import schema

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    for version in range(1, 4):  # a store as version 3 left it
        schema.MIGRATIONS[version](db)
    db.execute("pragma user_version = 3")
    db["digests"].insert({"id": 1, "recipient": "desk", "first_finding_id": 1, "last_finding_id": 4,
                          "created_at": "2026-11-20T07:00:12+00:00", "payload": "{}"})
    common = {"digest_id": 1, "recipient": "desk", "attempts": 3, "created_at": "2026-11-20T07:00:12+00:00"}
    db["deliveries"].insert_all([
        {**common, "id": 1, "channel": "slack", "key": "1:desk:slack", "status": "pending",
         "next_attempt_at": "2026-11-20T07:04:00+00:00", "last_error": "[slack parts sent: 2] HTTP 500"},
        {**common, "id": 2, "channel": "email", "key": "1:desk:email", "status": "failed",
         "next_attempt_at": "2026-11-20T07:31:00+00:00", "last_error": "SMTP 550"},
        {**common, "id": 3, "channel": "file", "key": "1:desk:file", "status": "pending",
         "next_attempt_at": "2026-11-20T07:00:12+00:00", "last_error": None}])
    db.conn.commit()
    db.close()
    upgraded = open_store(path)
    try:
        rows = {r["id"]: r for r in upgraded.db["deliveries"].rows}
        assert (rows[1]["parts_sent"], rows[1]["last_error"]) == (2, "HTTP 500")
        assert (rows[2]["failed_at"], rows[2]["next_attempt_at"], rows[2]["parts_sent"]) == (
            "2026-11-20T07:31:00+00:00", None, 0)
        assert (rows[3]["parts_sent"], rows[3]["failed_at"], rows[3]["last_error"]) == (0, None, None)
        digest = upgraded.db["digests"].get(1)
        assert (digest["window_key"], digest["window_end"]) == ("findings:4", "2026-11-20T07:00:00+00:00")
        assert outbox.finding_cursor(upgraded, "desk") == 4
    finally:
        upgraded.close()
