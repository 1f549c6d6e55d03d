"""alerts/: findings become digests, delivered exactly once by email, Slack or files.

    build_due_digests(store, config, now, window_end=None) -> list[Digest]   # build + enqueue, one transaction each
    deliver_pending(store, config, now) -> DeliveryReport   # the outbox worker
    render_text(payload, config) -> str                     # a digest as terminal text (demo, --dry-run)
    run_digests(store, config, now, window_end=None)        # both, and the Atom feeds: what `pantau digest`
                                                            # and the daemon do
"""

from __future__ import annotations

import logging
import typing

from alerts.digest import Digest, build_due_digests, plan_digests
from alerts.render import render_html, render_text
from alerts.worker import DeliveryReport, deliver_pending

if typing.TYPE_CHECKING:
    from datetime import datetime

    from pantau_config import Config
    from store import Store

__all__ = ["Digest", "DeliveryReport", "build_due_digests", "deliver_pending", "plan_digests",
           "render_html", "render_text", "run_digests"]


_log = logging.getLogger(__name__)


def run_digests(store: Store, config: Config, now: datetime,
                window_end: datetime | None = None) -> tuple[list[Digest], DeliveryReport]:
    """Build due digests, deliver everything due, write the Atom feeds of findings into the outbox
    folder: what `pantau digest`, the demo and the daemon do."""
    from alerts.feed import write_feeds

    built = build_due_digests(store, config, now, window_end)
    report = deliver_pending(store, config, now)
    try:
        write_feeds(store.db.conn, config, store_name=store.path.stem, now=now)
    except OSError as exc:  # a feed file is a convenience: it never fails the digest run
        _log.warning("cannot write the Atom feeds in %s: %s", config.alerts.outbox_dir, exc.strerror or exc)
    return built, report
