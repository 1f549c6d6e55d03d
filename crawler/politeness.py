"""Politeness per site across crawler processes: one request slot per host and delay, kept in Redis.

With several crawlers sharing a frontier, each one's ``DOWNLOAD_DELAY`` alone would multiply the
rate a host sees by the number of crawlers. With a frontier, ``SharedPolitenessMiddleware`` takes
over the delay (Scrapy's own per-process delay is set to 0, ``crawler.config_settings``): before a
request goes out it reserves the host's next free moment with one Redis script, and waits for it.
Reservations are spaced by ``[crawl] download_delay`` (jittered ±``jitter``, as Scrapy does, so the
average stays the delay), so all crawlers together send a host at most one request per delay; the
clock is Redis's own (``TIME``), so the hosts' clocks need not agree.
"""

from __future__ import annotations

import random
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

from crawler.frontier import KEY_PREFIX

SLOT_KEY_PREFIX = KEY_PREFIX + ":polite:"
# A host's slot key outlives its last reservation by this many delays (and at least a minute), so an
# idle host's key goes away on its own and a busy one's never expires under a waiting request.
SLOT_KEY_LIFETIME_DELAYS = 20
SLOT_KEY_MIN_LIFETIME_MS = 60_000

# Reserve the host's next slot: max(now, next free) → returned as microseconds to wait; the next
# free moment moves on by ARGV[1] microseconds. Integer microseconds via %d: Lua numbers are doubles
# and tostring() would round a 16-digit timestamp.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, free)
redis.call('SET', KEYS[1], string.format('%d', slot + tonumber(ARGV[1])), 'PX', ARGV[2])
return slot - now
"""


class SharedPolitenessMiddleware:
    """Wait for the host's shared slot before each request (robots.txt and retries included)."""

    def __init__(self, server: Any, delay: float, jitter: float, rng: random.Random | None = None) -> None:
        if delay <= 0:
            raise NotConfigured  # no delay to keep: nothing to share
        self.server = server
        self.delay = delay
        self.jitter = jitter
        self.rng = rng or random.Random()
        self.key_lifetime_ms = max(SLOT_KEY_MIN_LIFETIME_MS, int(delay * 1000 * SLOT_KEY_LIFETIME_DELAYS))
        self._reserve = server.register_script(_RESERVE)

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedPolitenessMiddleware:
        import redis

        settings = crawler.settings
        url = settings.get("PANTAU_FRONTIER_URL")
        if not url:
            raise NotConfigured
        return cls(redis.Redis.from_url(url), settings.getfloat("PANTAU_SHARED_DELAY"),
                   settings.getfloat("PANTAU_SHARED_DELAY_JITTER"))

    def spacing(self) -> float:
        """Seconds between this reservation and the next one for the same host."""
        if not self.jitter:
            return self.delay
        return self.delay * self.rng.uniform(1 - self.jitter, 1 + self.jitter)

    def reserve(self, host: str) -> float:
        """Seconds to wait before a request to ``host`` may go out (its slot is taken)."""
        wait_us = self._reserve(keys=[SLOT_KEY_PREFIX + host],
                                args=[int(self.spacing() * 1_000_000), self.key_lifetime_ms])
        return int(wait_us) / 1_000_000

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        host = urlsplit(request.url).hostname or ""
        wait = self.reserve(host)
        if wait > 0:
            from twisted.internet import reactor  # imported late: Scrapy installs the reactor first

            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return None
