"""The file channel (the default), `pantau digest` and secret masking."""

from __future__ import annotations

import email
import email.policy
import json

from click.testing import CliRunner
from test_alerts_support import NOW, add_finding, make_config, open_store

from alerts import build_due_digests, deliver_pending
from alerts.secrets import mask
from cli import main


def test_default_recipient_writes_valid_eml_and_json(tmp_path, store):
    add_finding(store, title="Judul & <i>miring</i>")
    config = make_config(tmp_path)
    digest = build_due_digests(store, config, NOW)[0]
    assert digest.channels == ["file"]
    assert deliver_pending(store, config, NOW).sent == 1
    eml = config.alerts.outbox_dir / "digest-000001-default.eml"
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["Message-ID"] == "<pantau-digest-1.default@localhost>"
    assert {part.get_content_type() for part in message.iter_parts()} == {"text/plain", "text/html"}
    assert "Judul &amp; &lt;i&gt;miring&lt;/i&gt;" in message.get_body(("html",)).get_content()
    document = json.loads((config.alerts.outbox_dir / "digest-000001-default.json").read_text(encoding="utf-8"))
    assert document["digest_id"] == 1 and document["payload"]["counts"]["new_value"] == 1
    assert "[4,6 juta UMKM]" in document["text"]
    assert not list(config.alerts.outbox_dir.glob(".tmp-*"))


def test_email_without_smtp_host_falls_back_to_files(tmp_path, store):
    add_finding(store)
    config = make_config(tmp_path, recipients=[{"name": "a", "email": ["a@example.org"]}])
    assert build_due_digests(store, config, NOW)[0].channels == ["file"]


def test_mask_hides_secrets_and_url_paths(tmp_path, monkeypatch):
    monkeypatch.setenv("PANTAU_TEST_HOOK", "http://127.0.0.1:9/services/T1/B2/tok")
    monkeypatch.setenv("PANTAU_TEST_PW", "hunter2")
    config = make_config(tmp_path, recipients=[{"name": "a", "slack_webhook_env": "PANTAU_TEST_HOOK"}],
                         smtp={"password_env": "PANTAU_TEST_PW"})
    masked = mask("failed http://127.0.0.1:9/services/T1/B2/tok with hunter2; see https://h.example/a/b?c=d", config)
    assert "tok" not in masked and "hunter2" not in masked and "/a/b" not in masked
    assert "https://h.example/***" in masked


def _write_config(tmp_path):
    path = tmp_path / "pantau.toml"
    path.write_text('[store]\npath = "pantau.db"\n[alerts]\noutbox_dir = "outbox"\n', encoding="utf-8")
    return path


def test_digest_command_dry_run_prints_without_writing(tmp_path):
    config_path = _write_config(tmp_path)
    seeded = open_store(tmp_path / "pantau.db")
    add_finding(seeded)
    seeded.close()
    result = CliRunner().invoke(main, ["--config", str(config_path), "digest", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "[4,6 juta UMKM]" in result.output and "dry run: 1 digest(s) due" in result.output
    reopened = open_store(tmp_path / "pantau.db")
    assert reopened.db["digests"].count == 0
    reopened.close()
    assert not (tmp_path / "outbox").exists()


def test_digest_command_builds_sends_and_summarises(tmp_path):
    config_path = _write_config(tmp_path)
    seeded = open_store(tmp_path / "pantau.db")
    add_finding(seeded)
    seeded.close()
    runner = CliRunner()
    first = runner.invoke(main, ["--config", str(config_path), "digest"])
    assert first.exit_code == 0, first.output
    assert "1 digest(s) built; deliveries: 1 sent, 0 failed, 0 pending" in first.output
    second = runner.invoke(main, ["--config", str(config_path), "digest"])
    assert "0 digest(s) built; deliveries: 0 sent, 0 failed, 0 pending" in second.output
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
