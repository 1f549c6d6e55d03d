"""alerts/: findings become digests, delivered exactly once by email, Slack or files.

    build_due_digests(store, config, now, window_end=None) -> list[Digest]   # build + enqueue, one transaction each
    deliver_pending(store, config, now) -> DeliveryReport   # the outbox worker
    render_text(payload, config) -> str                     # a digest as terminal text (demo, --dry-run)
    run_digests(store, config, now, window_end=None)        # both: what `pantau digest` and the daemon do
"""

from __future__ import annotations

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


def run_digests(store: Store, config: Config, now: datetime,
                window_end: datetime | None = None) -> tuple[list[Digest], DeliveryReport]:
    """Build due digests, then deliver everything due: what `pantau digest`, the demo and the daemon do."""
    built = build_due_digests(store, config, now, window_end)
    return built, deliver_pending(store, config, now)
