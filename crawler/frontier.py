"""A shared frontier: crawler processes on any host share one request queue and seen-set in Redis.

``[crawl] frontier = "redis://HOST:PORT/DB"`` switches Scrapy to scrapy-redis's scheduler and
duplicate filter (``frontier_settings``); without it nothing here runs. Our spiders stay as they are
(scrapy-redis's RedisSpider does not follow Scrapy's async ``start()``): every request a spider
yields, discovery and articles alike, goes through the shared seen-set, so each feed, sitemap, index
page and article page is fetched once per crawl round by whichever crawler pops it.

Keys of one site (``pantau:<site>:…``):

``requests``    the queue (a list: first in, first out, so hosts stay interleaved as listings gave them)
``dupefilter``  the round's seen-set (request fingerprints, scrapy-redis's RFPDupeFilter)
``processing``  requests popped and not finished yet: field ``<owner>|<n>``, value the request
``crawlers``    the owners taking part in the round; each keeps ``pantau:crawler:<owner>`` alive
``evidence``    what the round's listings said about each article URL (crawler.frontier_evidence)
``round-errors`` failures in the round (no crawler saves new feed validators after one)

scrapy-redis pops destructively: a crawler killed between the pop and the end of a request would
lose it. Here the pop moves the request into ``processing`` in one script; it leaves when the
engine is done with it (downloaded, parsed, its items through the pipelines: the store or the
stream has them). A crawler whose liveness key expired (killed, or stuck longer than the lease)
has its requests put back at the head of the queue by the next crawler that looks.

A round is every crawler that overlaps: the last one to leave deletes the round's keys (or, when
that one was killed, the first crawler of the next round does), so the next round starts with an
empty seen-set and the store (known articles, revision checks, feed
validators) decides again what to fetch. ``SCHEDULER_PERSIST`` is on for that reason: with it off,
scrapy-redis would flush the shared queue and seen-set when the *first* crawler closes.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import warnings
from typing import Any

from scrapy.exceptions import NotConfigured, ScrapyDeprecationWarning
from scrapy_redis.queue import FifoQueue
from scrapy_redis.scheduler import Scheduler

from crawler.frontier_evidence import SharedEvidence

logger = logging.getLogger(__name__)

# scrapy-redis 0.9.1 still calls APIs Scrapy 2.19 deprecates (Spider.log, stats with a spider
# argument): they work; the warning on every request would only bury pantau's own output.
warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module=r"scrapy_redis(\.|$)")

# Every key pantau keeps in the frontier's Redis starts with this (a Redis shared with other apps).
KEY_PREFIX = "pantau"
QUEUE_KEY = KEY_PREFIX + ":%(spider)s:requests"
DUPEFILTER_KEY = KEY_PREFIX + ":%(spider)s:dupefilter"
ALIVE_PREFIX = KEY_PREFIX + ":crawler:"
# Seconds between a crawler's looks at the shared queue when its own work gives Scrapy no reason to
# look (Scrapy's own heartbeat is 5 s): requests another crawler queued, or the end of the round,
# are seen within this; each look is two Redis calls. The liveness key is renewed at each look too,
# so many renewals can be late (a page extracted in-process holds the event loop) within a lease.
WAKE_SECONDS = 0.5
# Seconds between looks for orphaned requests while the queue is empty: Redis sees one HKEYS per
# crawler per second, and a survivor picks up a dead crawler's requests within a second of its lease.
ORPHAN_LOOK_SECONDS = 1.0

# Pop the queue's oldest request and park it in ``processing`` under ``field`` in one step.
_POP_CLAIM = """
local data = redis.call('RPOP', KEYS[1])
if not data then return false end
redis.call('HSET', KEYS[2], ARGV[1], data)
return data
"""

# Put the requests of owners whose liveness key is gone back at the head of the queue.
_REQUEUE_ORPHANS = """
local moved = 0
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  local owner = string.match(field, '^(.*)|')
  if owner and redis.call('EXISTS', ARGV[1] .. owner) == 0 then
    redis.call('RPUSH', KEYS[2], redis.call('HGET', KEYS[1], field))
    redis.call('HDEL', KEYS[1], field)
    moved = moved + 1
  end
end
return moved
"""

# Join the round: drop members whose liveness key is gone (killed); if none is left, the last
# round ended without its last crawler leaving: delete its keys (its seen-set would hide this round's
# articles), then join with this owner's liveness key.
_JOIN = """
for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. member) == 0 then redis.call('SREM', KEYS[1], member) end
end
local fresh = 0
if redis.call('SCARD', KEYS[1]) == 0 then
  for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
  fresh = 1
end
redis.call('SET', ARGV[1] .. ARGV[2], '1', 'PX', ARGV[3])
redis.call('SADD', KEYS[1], ARGV[2])
return fresh
"""

# Leave the round: drop this owner and dead ones; the last one out deletes the round's keys.
_LEAVE = """
redis.call('SREM', KEYS[1], ARGV[2])
for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. member) == 0 then redis.call('SREM', KEYS[1], member) end
end
if redis.call('SCARD', KEYS[1]) > 0 then return 0 end
for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
return 1
"""


def frontier_settings(frontier_url: str, lease_seconds: float) -> dict[str, Any]:
    """The Scrapy settings of a shared frontier (merged over ``settings_from_config``'s)."""
    return {
        "SCHEDULER": "crawler.frontier.FrontierScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "crawler.frontier.ClaimingQueue",
        "SCHEDULER_QUEUE_KEY": QUEUE_KEY,
        "SCHEDULER_DUPEFILTER_KEY": DUPEFILTER_KEY,
        # Never flush on close: the first crawler to finish would empty the others' queue and seen-set
        # (the last one out of a round deletes them instead: FrontierScheduler.close).
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_FLUSH_ON_START": False,
        # No blocking pop: an empty queue must not hold up the event loop (orphans are looked for instead).
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
        "REDIS_URL": frontier_url,
        "PANTAU_FRONTIER_URL": frontier_url,
        "PANTAU_FRONTIER_LEASE": lease_seconds,
    }


def owner_id() -> str:
    """This crawler's name in the round: host, process and a random part (a pid can be reused)."""
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


class ClaimingQueue(FifoQueue):
    """scrapy-redis's FIFO queue whose pop parks the request in ``processing`` (see the module doc)."""

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.processing_key = f"{KEY_PREFIX}:{spider.name}:processing"
        self._pop_claim = server.register_script(_POP_CLAIM)

    def pop_claimed(self, field: str) -> Any:
        """The next request, parked under ``field`` until released; None when the queue is empty."""
        data = self._pop_claim(keys=[self.key, self.processing_key], args=[field])
        return self._decode_request(data) if data else None

    def pop(self, timeout: int = 0) -> Any:
        raise NotImplementedError("the frontier pops through pop_claimed(), never destructively")


class FrontierScheduler(Scheduler):
    """scrapy-redis's Scheduler with claims (nothing popped is lost) and rounds (see the module doc)."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> FrontierScheduler:
        if not crawler.settings.get("PANTAU_FRONTIER_URL"):
            raise NotConfigured("FrontierScheduler needs [crawl] frontier")
        scheduler = super().from_crawler(crawler)
        assert isinstance(scheduler, FrontierScheduler)
        scheduler.crawler = crawler
        scheduler.lease_ms = int(crawler.settings.getfloat("PANTAU_FRONTIER_LEASE") * 1000)
        return scheduler

    crawler: Any = None
    lease_ms = 15000
    queue: ClaimingQueue

    def open(self, spider: Any) -> None:
        super().open(spider)
        self.owner = owner_id()
        self.alive_key = ALIVE_PREFIX + self.owner
        base = f"{KEY_PREFIX}:{spider.name}"
        self.crawlers_key = f"{base}:crawlers"
        self.errors_key = f"{base}:round-errors"
        self.processing_key = self.queue.processing_key
        # Claimed field -> the Request object the engine holds (identity: that is how it tracks it).
        self.claims: dict[str, Any] = {}
        self._claimed = 0
        self._last_orphan_look = 0.0
        self.round_errors_at_close: int | None = None
        self._requeue_orphans = self.server.register_script(_REQUEUE_ORPHANS)
        self._leave = self.server.register_script(_LEAVE)
        self.evidence = SharedEvidence(self.server, f"{base}:evidence")
        self.round_keys = [self.crawlers_key, self.queue.key, self.df.key, self.processing_key, self.errors_key,
                           self.evidence.key]
        join = self.server.register_script(_JOIN)
        fresh = join(keys=self.round_keys, args=[ALIVE_PREFIX, self.owner, self.lease_ms])
        spider.frontier = self
        from twisted.internet import task

        self._heartbeat = task.LoopingCall(self._beat)
        self._heartbeat.start(WAKE_SECONDS, now=False)
        logger.info("%s: frontier: %s a round as %s (%d requests queued)", spider.name,
                    "starting" if fresh else "joining", self.owner, len(self.queue))

    def _beat(self) -> None:
        """Keep this crawler alive in the round, and wake the engine: another crawler may have queued
        requests (Scrapy looks at its scheduler only when one of its own requests finished, or every 5 s)."""
        try:
            self.server.set(self.alive_key, "1", px=self.lease_ms)
        except Exception as exc:  # the crawl goes on; the next refresh may get through
            logger.warning("frontier: liveness refresh failed: %s", exc)
            return
        engine = getattr(self.crawler, "engine", None)
        slot = getattr(engine, "_slot", None)
        if slot is not None and slot.closing is None:
            slot.nextcall.schedule()

    # -- claims ------------------------------------------------------------------------------
    def _in_progress(self) -> set[Any]:
        slot = getattr(getattr(self.crawler, "engine", None), "_slot", None)
        return slot.inprogress if slot is not None else set()

    def release_finished(self) -> None:
        """Drop the claims of requests the engine is done with (it holds a request in its slot from
        the pop until the response is parsed and its items went through the pipelines)."""
        if not self.claims:
            return
        live = self._in_progress()
        done = [field for field, request in self.claims.items() if request not in live]
        if done:
            self.server.hdel(self.processing_key, *done)
            for field in done:
                del self.claims[field]

    def requeue_orphans(self, *, force: bool = False) -> int:
        """Put dead crawlers' claimed requests back at the head of the queue (at most once a second)."""
        import time

        now = time.monotonic()
        if not force and now - self._last_orphan_look < ORPHAN_LOOK_SECONDS:
            return 0
        self._last_orphan_look = now
        moved = int(self._requeue_orphans(keys=[self.processing_key, self.queue.key], args=[ALIVE_PREFIX]))
        if moved:
            logger.warning("%s: %d request(s) of a crawler that stopped answering are queued again",
                           self.spider.name, moved)
            if self.stats:
                self.stats.inc_value("frontier/requeued")
        return moved

    def next_request(self) -> Any:
        self.release_finished()
        self._claimed += 1
        field = f"{self.owner}|{self._claimed}"
        request = self.queue.pop_claimed(field)
        if request is None and self.requeue_orphans():
            request = self.queue.pop_claimed(field)
        if request is None:
            return None
        self.claims[field] = request
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        """Pending while the queue holds requests or any crawler of the round still works on one:
        its responses may queue more, and a dead crawler's requests come back here."""
        self.release_finished()
        if len(self.queue) > 0:
            return True
        if not self.server.hlen(self.processing_key):
            return False
        self.requeue_orphans()
        return True

    # -- the round ---------------------------------------------------------------------------
    def note_round_error(self) -> None:
        """A failure in this round: no crawler of it may save new feed validators (a 304 next time
        must not hide a page whose fetch failed)."""
        try:
            self.server.incr(self.errors_key)
        except Exception as exc:
            logger.warning("frontier: cannot count an error of the round: %s", exc)

    def round_had_errors(self) -> bool:
        if self.round_errors_at_close is not None:
            return self.round_errors_at_close > 0
        return int(self.server.get(self.errors_key) or 0) > 0

    def close(self, reason: str) -> None:
        if self._heartbeat.running:
            self._heartbeat.stop()
        self.release_finished()
        if self.claims:  # closed early (time limit, shutdown): what it held goes back for the others
            for field in list(self.claims):
                data = self.server.hget(self.processing_key, field)
                if data:
                    self.server.rpush(self.queue.key, data)
                self.server.hdel(self.processing_key, field)
            self.claims.clear()
        self.round_errors_at_close = int(self.server.get(self.errors_key) or 0)
        self.server.delete(self.alive_key)
        last = self._leave(keys=self.round_keys, args=[ALIVE_PREFIX, self.owner])
        if last:
            logger.info("%s: last crawler of the round: the frontier's queue and seen-set are cleared",
                        self.spider.name)
