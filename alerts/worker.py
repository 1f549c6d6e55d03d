"""The outbox worker: send due deliveries, mark them sent only after the other side accepted them.

A row is claimed (compare-and-set, counting the attempt) with a lease; a process killed while
sending leaves the row to be taken again once the lease has run out. Failures are retried with
exponential backoff (``retry_base_seconds`` × 2^(attempt-1)) up to ``max_attempts``, then marked
failed (``failed_at``): `pantau status` lists them and every recipient's next digest reports them.
A split Slack digest saves ``parts_sent`` after each accepted message; a retry resumes after it.

What a reader can rely on when a send's outcome is unknown (the process was killed after the SMTP
server's 250 or Slack's 200 but before the row was marked sent; or the connection broke after the
message went out): the delivery is *in doubt* and is sent again after the lease, marked as such.

* email: the same Message-ID (a receiver that de-duplicates drops it) and a subject starting with
  "[dikirim ulang]" / "[sent again]" plus an ``X-Pantau-Repeat`` header for the others;
* Slack: only the message that was in flight is posted again (``parts_sent`` covers the ones
  before), opening with a note that it may have arrived already;
* files: written again under the same names (replaced atomically): nothing doubles.

`pantau status` counts the deliveries in doubt and the repeats sent.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from alerts.channels import DeliveryError
from alerts.secrets import mask
from kernel.times import to_utc_iso
from pantau_config import Config
from store import outbox
from store.core import Store

log = logging.getLogger(__name__)

# Longer than any one send can take (SMTP timeout 30 s, a few Slack posts): a claimed row whose
# lease ran out belongs to a process that died.
LEASE_SECONDS = 600.0


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.retrying} to retry, {self.failed} failed"


def backoff_seconds(attempts: int, config: Config) -> float:
    return config.alerts.retry_base_seconds * 2 ** max(0, attempts - 1)


def deliver_pending(store: Store, config: Config, now: datetime) -> DeliveryReport:
    """Send every delivery that is due at ``now``; each is attempted at most once per call."""
    report = DeliveryReport()
    now_iso = to_utc_iso(now)
    recipients = {r.name: r for r in config.effective_recipients()}
    for row in outbox.due_deliveries(store, now_iso):
        if row["status"] == outbox.SENDING and row["attempts"] >= config.alerts.max_attempts:
            # Its last attempt's process died mid-send, again and again: stop, don't loop forever.
            outbox.mark_failed(store, row["id"], now_iso,
                               f"the sending process stopped during attempt {row['attempts']} (lease ran out)")
            report.failed += 1
            continue
        lease = to_utc_iso(now + timedelta(seconds=LEASE_SECONDS))
        if not outbox.claim(store, row, lease):
            continue  # another worker took it
        attempts = row["attempts"] + 1
        parts_sent = row.get("parts_sent") or 0
        # The last attempt may have arrived (its process died mid-send, or the connection broke after
        # the message went out): this send says it is a repeat.
        repeat = bool(row.get("in_doubt")) or row["status"] == outbox.SENDING
        try:
            recipient = recipients.get(row["recipient"])
            if recipient is None:
                raise DeliveryError(f"recipient {row['recipient']} is no longer in the configuration")
            digest = outbox.get_digest(store, row["digest_id"])
            if digest is None:
                raise DeliveryError(f"digest {row['digest_id']} not found")
            delivery_id = row["id"]
            parts = _send(row["channel"], digest["id"], digest["payload"], recipient, config, parts_sent,
                          functools.partial(outbox.record_parts_sent, store, delivery_id), repeat=repeat)
        except Exception as exc:  # noqa: BLE001 - every failure must end in a retry or failed row
            error = mask(str(exc) if isinstance(exc, DeliveryError) else f"{type(exc).__name__}: {exc}", config)
            progress = getattr(exc, "parts_sent", None)
            if attempts >= config.alerts.max_attempts:
                outbox.mark_failed(store, row["id"], now_iso, error, parts_sent=progress)
                report.failed += 1
                log.error("delivery %s (%s via %s) failed for good after %d attempts: %s",
                          row["key"], row["recipient"], row["channel"], attempts, error)
            else:
                retry_at = to_utc_iso(now + timedelta(seconds=backoff_seconds(attempts, config)))
                outbox.mark_retry(store, row["id"], retry_at, error, parts_sent=progress,
                                  in_doubt=repeat or bool(getattr(exc, "in_doubt", False)))
                report.retrying += 1
                log.warning("delivery %s (%s via %s) attempt %d failed, retry at %s: %s",
                            row["key"], row["recipient"], row["channel"], attempts, retry_at, error)
            continue
        outbox.mark_sent(store, row["id"], now_iso, parts_sent=parts, repeated=repeat and row["channel"] != "file")
        report.sent += 1
        log.info("delivery %s (%s via %s) sent%s", row["key"], row["recipient"], row["channel"],
                 " again, marked as a repeat (the last attempt's outcome was unknown)" if repeat else "")
    return report


def _send(channel: str, digest_id: int, payload: dict, recipient: Any, config: Config, parts_sent: int,
          on_part_sent: Callable[[int], None] | None = None, *, repeat: bool = False) -> int | None:
    """Send one delivery; the number of parts (messages) sent for split channels (Slack), else None.
    ``repeat``: the last attempt may have arrived; the message says it is sent again."""
    if channel == "email":
        from alerts.channels.email import send_email
        send_email(digest_id, payload, recipient, config, repeat=repeat)
        return None
    if channel == "slack":
        from alerts.channels.slack import send_slack
        return send_slack(payload, recipient, config, parts_sent=parts_sent, on_part_sent=on_part_sent,
                          repeat=repeat)
    if channel == "file":
        from alerts.channels.files import write_files
        write_files(digest_id, payload, recipient, config)
        return None
    raise DeliveryError(f"unknown channel '{channel}'")
