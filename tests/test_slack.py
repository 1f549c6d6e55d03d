"""Slack digests against a real HTTP server on loopback standing in for the incoming webhook."""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from test_alerts_support import NOW, add_finding, later, make_config

from alerts import build_due_digests, deliver_pending
from alerts.channels.slack import MAX_BLOCKS, MAX_SECTION_CHARS, build_messages

WEBHOOK_PATH = "/services/T000/B000/secret-token-xyz"


class FakeSlack:
    """Records each posted payload; answers with the next queued status (200 when the queue is empty)."""

    def __init__(self) -> None:
        self.payloads: list[dict] = []
        self.statuses: list[int] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server hook
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = fake.statuses.pop(0) if fake.statuses else 200
                if status == 200:
                    fake.payloads.append(json.loads(body))
                answer = b"ok" if status == 200 else b"internal_error"
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args) -> None:  # keep pytest output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{WEBHOOK_PATH}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def slack(monkeypatch):
    import alerts.channels.slack as slack_channel

    monkeypatch.setattr(slack_channel, "PART_PAUSE_SECONDS", 0.0)  # no need to spare a fake Slack
    fake = FakeSlack()
    monkeypatch.setenv("PANTAU_TEST_SLACK", fake.url)
    yield fake
    fake.close()


def _config(tmp_path):
    return make_config(tmp_path, recipients=[{"name": "kanal", "slack_webhook_env": "PANTAU_TEST_SLACK"}])


def test_payload_arrives_as_block_kit(tmp_path, store, slack):
    add_finding(store)
    config = _config(tmp_path)
    build_due_digests(store, config, NOW)
    assert deliver_pending(store, config, NOW).sent == 1
    (payload,) = slack.payloads
    assert payload["text"] == "[pantau] 1 angka baru, 0 revisi"
    assert payload["blocks"][0]["type"] == "header"
    text = json.dumps(payload, ensure_ascii=False)
    assert "*4,6 juta UMKM*" in text and "<https://republika.co.id/berita/oz1abc/delapan-juta-umkm|" in text


def test_500_then_200_delivers_once_and_masks_the_webhook(tmp_path, store, slack, caplog):
    slack.statuses = [500]
    add_finding(store)
    config = _config(tmp_path)
    build_due_digests(store, config, NOW)
    with caplog.at_level(logging.DEBUG):
        assert deliver_pending(store, config, NOW).retrying == 1
    error = store.db["deliveries"].get(1)["last_error"]
    assert "HTTP 500" in error
    assert "secret-token-xyz" not in error and "secret-token-xyz" not in caplog.text
    assert slack.payloads == []
    assert deliver_pending(store, config, later(1)).sent == 1
    assert deliver_pending(store, config, later(5)).sent == 0
    assert len(slack.payloads) == 1


def test_title_with_html_and_slack_markup_arrives_escaped(tmp_path, store, slack):
    add_finding(store, title="<!channel> <https://evil.example|Klik> & <b>UMKM</b>")
    config = _config(tmp_path)
    build_due_digests(store, config, NOW)
    deliver_pending(store, config, NOW)
    text = json.dumps(slack.payloads[0], ensure_ascii=False)
    assert "<!channel>" not in text and "<https://evil.example" not in text
    assert "&lt;!channel&gt; &lt;https://evil.example|Klik&gt; &amp; &lt;b&gt;UMKM&lt;/b&gt;" in text


def test_long_digest_is_split_within_limits_and_resumes_after_partial_failure(tmp_path, store, slack):
    for number in range(1, 121):  # many metrics' worth of lines: more than 50 blocks
        add_finding(store, metric=f"custom_metric_{number:03d}", value=float(number * 1000),
                    surface=f"{number} ribu UMKM", sentence=f"Tercatat {number} ribu UMKM " + "panjang " * 60)
    config = _config(tmp_path)
    digest = build_due_digests(store, config, NOW)[0]
    messages = build_messages(digest.payload)
    assert len(messages) >= 3
    for message in messages:
        assert len(message["blocks"]) <= MAX_BLOCKS
        for block in message["blocks"]:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= MAX_SECTION_CHARS
    slack.statuses = [200, 500]  # part 1 accepted, part 2 refused
    assert deliver_pending(store, config, NOW).retrying == 1
    assert len(slack.payloads) == 1
    assert deliver_pending(store, config, later(1)).sent == 1
    assert slack.payloads == messages  # every part exactly once, in order


def test_sections_never_exceed_the_limit_even_for_one_huge_metric(tmp_path, store):
    for _ in range(40):
        add_finding(store, sentence="Sebanyak 4,6 juta UMKM " + "sangat panjang sekali " * 30)
    config = _config(tmp_path)
    messages = build_messages(build_due_digests(store, config, NOW)[0].payload)
    sections = [b for m in messages for b in m["blocks"] if b["type"] == "section"]
    assert max(len(s["text"]["text"]) for s in sections) <= MAX_SECTION_CHARS
    assert len(sections) > 5


def _long_digest(store, config):
    for number in range(1, 121):  # more than 50 blocks: at least three messages
        add_finding(store, metric=f"custom_metric_{number:03d}", value=float(number * 1000),
                    surface=f"{number} ribu UMKM", sentence=f"Tercatat {number} ribu UMKM " + "panjang " * 60)
    return build_messages(build_due_digests(store, config, NOW)[0].payload)


def test_resume_point_is_its_own_column_and_errors_stay_plain(tmp_path, store, slack):
    config = _config(tmp_path)
    messages = _long_digest(store, config)
    slack.statuses = [200, 500]
    assert deliver_pending(store, config, NOW).retrying == 1
    row = store.db["deliveries"].get(1)
    assert row["parts_sent"] == 1 and row["last_error"].startswith("Slack webhook answered HTTP 500")
    assert deliver_pending(store, config, later(1)).sent == 1
    row = store.db["deliveries"].get(1)
    assert row["parts_sent"] == len(messages) and row["last_error"] is None


def test_a_process_killed_mid_digest_resumes_after_the_last_accepted_part(tmp_path, store, slack, monkeypatch):
    import alerts.channels.slack as slack_channel
    from alerts.worker import LEASE_SECONDS

    config = _config(tmp_path)
    messages = _long_digest(store, config)
    real_post, posted = slack_channel.post, []

    def post_then_die(url, message):
        if len(posted) == 2:
            raise SystemExit("killed")  # not an Exception: the worker can't record anything now
        real_post(url, message)
        posted.append(message)

    monkeypatch.setattr(slack_channel, "post", post_then_die)
    with pytest.raises(SystemExit):
        deliver_pending(store, config, NOW)
    monkeypatch.setattr(slack_channel, "post", real_post)
    row = store.db["deliveries"].get(1)
    assert row["status"] == "sending" and row["parts_sent"] == 2  # saved after each accepted part
    assert deliver_pending(store, config, later(LEASE_SECONDS / 60 + 1)).sent == 1
    # Parts 1 and 2 were not posted again; part 3 was in flight when the process died, so it is
    # posted with a note that it may have arrived already; the rest are new.
    assert slack.payloads[:2] == messages[:2] and slack.payloads[3:] == messages[3:]
    assert slack.payloads[2] == slack_channel.mark_repeat(messages[2], "id")
    assert slack.payloads[2]["blocks"][0]["elements"][0]["text"].startswith("_Dikirim ulang")
