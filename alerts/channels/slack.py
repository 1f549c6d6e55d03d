"""Slack digests: Block Kit messages posted to an incoming webhook, split within Slack's limits.

Page text is escaped for mrkdwn (& < > become entities), so a title like ``<!channel>`` or
``<https://x|click>`` is shown literally and never becomes a mention or a link.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from alerts.channels import DeliveryError
from alerts.labels import labels
from alerts.render import view, zone_of
from alerts.secrets import MissingSecret, slack_webhook
from pantau_config import Config, RecipientConfig

# Slack's documented limits: 50 blocks per message, 3000 characters per section text,
# 150 characters per header text.
MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_HEADER_CHARS = 150
# One webhook call should not hang a digest run; Slack answers in well under a second.
TIMEOUT_SECONDS = 20.0
# Slack allows about one message per second per webhook; a long digest's parts are spaced out.
PART_PAUSE_SECONDS = 1.0


def escape(text: Any) -> str:
    """Slack mrkdwn escaping: the only three characters Slack treats as control characters."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str, text: str) -> str:
    if not url:
        return escape(text)
    # The URL part of <url|text> must not contain the separators themselves.
    safe_url = url.replace("|", "%7C").replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
    return f"<{safe_url}|{escape(text)}>"


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_SECTION_CHARS]}}


def _item_text(item: dict, t: dict[str, str]) -> str:
    flags = escape(item["flag"]) + (f" · {t['year']} {item['year']}" if item["year"] else "")
    if item["revised"]:
        head = (f"*{escape(t['revised'])}*: {escape(t['was'])} {escape(item['was'])}"
                f"{' (' + escape(item['was_date']) + ')' if item['was_date'] else ''}, {escape(t['now'])} "
                f"*{escape(item['value'])}*{' (' + escape(item['now_date']) + ')' if item['now_date'] else ''} · {flags}")
        change = ""
    else:
        head = f"*{escape(item['value'])}* (“{escape(item['surface'])}”) · {flags}"
        note = f" ({escape(item['previous_note'])})" if item["previous_note"] else ""
        change = (f"\n{escape(t['previous'])} {escape(item['previous'])}{note} · "
                  f"{escape(t['change'])} {escape(item['change'])}"
                  if item["previous"] else f"\n_{escape(t['first_value'])}_")
    quote = escape(item["before"]) + (f"*{escape(item['match'])}*" if item["match"] else "") + escape(item["after"])
    source = " · ".join(part for part in (escape(item["site"]), escape(item["date"])) if part)
    link = _link(item["url"], item["title"] or t["read_article"])
    return f"{head}{change}\n>{quote}\n{source} · {link}"


def _pack(lines: list[str], separator: str = "\n\n") -> list[str]:
    """Join lines into texts of at most MAX_SECTION_CHARS (a line longer than that is cut)."""
    texts: list[str] = []
    current = ""
    for line in lines:
        line = line[:MAX_SECTION_CHARS]
        if current and len(current) + len(separator) + len(line) > MAX_SECTION_CHARS:
            texts.append(current)
            current = line
        else:
            current = f"{current}{separator}{line}" if current else line
    if current:
        texts.append(current)
    return texts


def build_blocks(payload: dict, config: Config | None = None) -> list[dict]:
    """All blocks of the digest, in order, before splitting into messages."""
    d = view(payload, zone_of(config))
    t = labels(payload.get("language", "id"))
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"{t['title']} · {d['datetime']}"[:MAX_HEADER_CHARS]}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(d["subject"])}]},
    ]
    if d["empty"]:
        blocks.append(_section(escape(d["nothing_new"])))
    for family in d["families"]:
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": family["title"][:MAX_HEADER_CHARS]}})
        for metric in family["metrics"]:
            title = f"*{escape(metric['name'])}* `{escape(metric['metric'])}`"
            if metric["history_url"]:
                title += " · " + _link(metric["history_url"], t["history"])
            for chart in metric["charts"]:
                title += f"\n{escape(t['trend'])}: {escape(chart['trend'])}"
            blocks.append(_section(title))
            lines = [_item_text(item, t) for item in metric["lines"]]
            if metric["more"]:
                lines.append(f"_{escape(metric['more'])}_")
            for text in _pack(lines):
                blocks.append(_section(text))
    blocks.append({"type": "divider"})
    health_lines = [f"*{escape(h['site'])}*: {escape(h['problem'])}" + (f" ({escape(h['detail'])})" if h["detail"] else "")
                    + (f" · {escape(h['since'])}" if h["since"] else "") for h in d["health"]]
    health_lines += [f"*{escape(t['delivery_failed'])}*: {escape(f['recipient'])} / {escape(f['channel'])}, "
                     f"{f['attempts']} {escape(t['attempts'])}: {escape(f['error'])}" for f in d["failures"]]
    if not health_lines:
        health_lines = [escape(t["health_ok"])]
    for text in _pack([f"*{escape(t['health'])}*"] + health_lines, separator="\n"):
        blocks.append(_section(text))
    footer = escape(d["footer_counts"]) + (f" · {escape(d['footer_window'])}" if d["footer_window"] else "")
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": footer}]})
    return blocks


def build_messages(payload: dict, config: Config | None = None) -> list[dict]:
    """Webhook payloads of at most MAX_BLOCKS blocks each, with a plain fallback text."""
    blocks = build_blocks(payload, config)
    t = labels(payload.get("language", "id"))
    per_message = MAX_BLOCKS - 1  # one block kept free for the note of a repeated message (mark_repeat)
    chunks = [blocks[i:i + per_message] for i in range(0, len(blocks), per_message)]
    fallback = escape(view(payload)["subject"])
    messages = []
    for number, chunk in enumerate(chunks, start=1):
        text = fallback if len(chunks) == 1 else f"{fallback} ({t['part']} {number}/{len(chunks)})"
        messages.append({"text": text, "blocks": chunk})
    return messages


def post(url: str, message: dict) -> None:
    request = urllib.request.Request(url, data=json.dumps(message).encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(200).decode("utf-8", "replace")
            if not 200 <= response.status < 300:
                raise DeliveryError(f"Slack webhook answered HTTP {response.status}: {body}")
    except urllib.error.HTTPError as exc:
        body = exc.read(200).decode("utf-8", "replace") if exc.fp else ""
        raise DeliveryError(f"Slack webhook answered HTTP {exc.code}: {body}".strip()) from None
    except urllib.error.URLError as exc:  # no connection: nothing was posted
        raise DeliveryError(f"Slack webhook unreachable: {exc.reason}") from None
    except OSError as exc:  # connected, then the answer never came: Slack may have posted it
        raise DeliveryError(f"Slack webhook did not answer: {exc}", in_doubt=True) from None


def mark_repeat(message: dict, language: str) -> dict:
    """The message with a note first that it is sent again and may have arrived already."""
    note = labels(language)["repeat_note"]
    return {"text": f"{escape(note)} {message['text']}",
            "blocks": [{"type": "context", "elements": [{"type": "mrkdwn", "text": f"_{escape(note)}_"}]},
                       *message["blocks"]]}


def send_slack(payload: dict, recipient: RecipientConfig, config: Config, *, parts_sent: int = 0,
               on_part_sent: Callable[[int], None] | None = None, repeat: bool = False) -> int:
    """Post the digest's messages, skipping the ``parts_sent`` already accepted; returns how many
    messages the digest has. ``on_part_sent(n)`` is told after each accepted message (n accepted so
    far), so the outbox can save the resume point even if this process is killed mid-digest.
    ``repeat``: the message at ``parts_sent`` may have been posted already (its outcome is unknown):
    it opens with a note saying so; the messages after it are new."""
    try:
        url = slack_webhook(recipient)
    except MissingSecret as exc:
        raise DeliveryError(str(exc), parts_sent=parts_sent) from None
    messages = build_messages(payload, config)
    for number in range(parts_sent, len(messages)):
        if number > parts_sent:
            time.sleep(PART_PAUSE_SECONDS)
        message = messages[number]
        if repeat and number == parts_sent:
            message = mark_repeat(message, payload.get("language", "id"))
        try:
            post(url, message)
        except DeliveryError as exc:
            raise DeliveryError(str(exc), parts_sent=number, in_doubt=exc.in_doubt) from None
        if on_part_sent is not None:
            on_part_sent(number + 1)
    return len(messages)
