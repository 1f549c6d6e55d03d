"""The outbox: a window is built once, rows are sent once, failures back off and are reported."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from alerts import build_due_digests, deliver_pending, plan_digests
from alerts.channels import DeliveryError
from store import outbox
from test_alerts_support import NOW, REPO_ROOT, add_finding, later, make_config, open_store, store  # noqa: F401


def test_a_window_is_built_once(tmp_path, store):
    add_finding(store)
    config = make_config(tmp_path)
    first = build_due_digests(store, config, NOW)
    again = build_due_digests(store, config, later(5))
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
        assert build_due_digests(restarted, config, later(1)) == []  # the window was already built
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
