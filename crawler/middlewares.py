"""Downloader middlewares: the roots override (live site ↔ mirror) and a polite retry.

``RootsMiddleware`` is the only place where the mirror differs from the live sites: spiders,
extract and store see real URLs (``https://inet.detik.com/…``) only.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

logger = logging.getLogger(__name__)

REAL_URL_META = "pantau_real_url"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class RootsMiddleware:
    """Rewrite each outgoing request's real origin to its override (``PANTAU_ROOTS``) and give the
    response (and the request) the real URL back.

    It sits next to the downloader (priority 950), so every other middleware, robots.txt and
    redirects included, works on real URLs: ``RobotsTxtMiddleware`` asks for
    ``https://<realhost>/robots.txt`` and this middleware sends that to the host's own override.
    The rewrite is in place (no new Request), so nothing is rescheduled or counted twice.
    """

    def __init__(self, roots: dict[str, str], *, only: bool = False) -> None:
        if not roots:
            # No message: Scrapy would log one as a warning on every live crawl.
            raise NotConfigured
        self.roots = {k.rstrip("/").lower(): v.rstrip("/") for k, v in roots.items()}
        self.only = only

    @classmethod
    def from_crawler(cls, crawler: Any) -> RootsMiddleware:
        return cls(crawler.settings.getdict("PANTAU_ROOTS"), only=crawler.settings.getbool("PANTAU_ROOTS_ONLY"))

    def override_url(self, url: str) -> str | None:
        """The override URL for a real URL, or None when its origin has no override."""
        origin = _origin(url)
        target = self.roots.get(origin)
        if target is None:
            return None
        return target + url[len(origin):]

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if REAL_URL_META in request.meta:
            return None
        target = self.override_url(request.url)
        if target is None:
            if self.only:
                raise IgnoreRequest(f"{_origin(request.url)} has no entry in [crawl] roots and roots_only is on")
            return None
        real = request.url
        request.meta[REAL_URL_META] = real
        # One download slot per real host, as on the live sites (all overrides share 127.0.0.1).
        request.meta.setdefault("download_slot", urlsplit(real).hostname)
        request._set_url(target)  # in place: a returned Request would be rescheduled
        return None

    def _restore(self, request: Request) -> str | None:
        real = request.meta.pop(REAL_URL_META, None)
        if real is not None:
            request._set_url(real)
        return real

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        real = self._restore(request)
        if real is None:
            return response
        location = response.headers.get(b"Location")
        if location is not None:
            # A redirect to the override origin points back at the real one.
            loc = location.decode("latin-1")
            for origin, target in self.roots.items():
                # The whole origin: http://127.0.0.1:4101 is not a prefix match for port 41017.
                if loc.lower() == target.lower() or loc.lower().startswith(tuple(target.lower() + c for c in "/?#")):
                    response.headers[b"Location"] = (origin + loc[len(target):]).encode("latin-1")
                    break
        return response.replace(url=real, request=request)

    def process_exception(self, request: Request, exception: Exception, spider: Spider | None = None) -> None:
        self._restore(request)
        return None


# Longest wait we accept from a Retry-After header; a longer one means "come back another crawl".
RETRY_AFTER_MAX_SECONDS = 120.0


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None if absent/bad."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's retry with a pause first: Retry-After when the server sends it (429/503), otherwise
    exponential backoff (``RETRY_BACKOFF_BASE`` × 2^attempt, capped by ``RETRY_BACKOFF_MAX``).
    Replaces ``scrapy.downloadermiddlewares.retry.RetryMiddleware`` at the same priority.

    A pause that would run past the crawl's time limit (``CLOSESPIDER_TIMEOUT``), or a Retry-After
    beyond ``RETRY_AFTER_MAX_SECONDS``, is not waited for: the URL ends for this crawl with the
    reason recorded (the next crawl tries it again), so a server can never hold a crawl open."""

    def __init__(self, settings: Any, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)
        self.time_limit = settings.getfloat("CLOSESPIDER_TIMEOUT", 0.0)
        self.clock = clock
        self.started = clock()

    @classmethod
    def from_crawler(cls, crawler: Any) -> PoliteRetryMiddleware:
        from scrapy import signals

        middleware = super().from_crawler(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        self.started = self.clock()  # CloseSpider counts the time limit from here too

    def remaining_seconds(self) -> float | None:
        """Seconds left before the time limit closes the crawl (None: no limit)."""
        if not self.time_limit:
            return None
        return self.time_limit - (self.clock() - self.started)

    def delay_for(self, request: Request, response: Response | None) -> float:
        """The pause before the retry; raises ``Refused`` when it is not worth waiting for."""
        from crawler.reasons import Refused

        attempt = request.meta.get("retry_times", 0)
        after = retry_after_seconds(response.headers.get(b"Retry-After")) if response is not None else None
        delay = after if after is not None else min(self.backoff_base * (2 ** attempt), self.backoff_max)
        status = f"HTTP {response.status}, " if response is not None else ""
        remaining = self.remaining_seconds()
        if remaining is not None and delay >= remaining:
            asked = "the server asked to retry after" if after is not None else "the next retry is due in"
            raise Refused(f"gave up for this crawl: {status}{asked} {delay:.0f} s, past the {max(remaining, 0):.0f} s "
                          f"left of [crawl] time_limit_seconds ({self.time_limit:.0f} s)")
        if after is not None and after > RETRY_AFTER_MAX_SECONDS:
            raise Refused(f"gave up for this crawl: {status}the server asked to retry after {after:.0f} s, "
                          f"longer than the {RETRY_AFTER_MAX_SECONDS:.0f} s a crawl waits")
        return delay

    async def _pause(self, seconds: float) -> None:
        if seconds > 0:
            from twisted.internet import (
                reactor,  # imported late: Scrapy installs the reactor first
            )

            await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))

    # Scrapy 2.13+ awaits coroutine middleware methods; its stubs still declare the sync signature.
    async def process_response(  # type: ignore[override]
            self, request: Request, response: Response, spider: Spider | None = None) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        await self._pause(self.delay_for(request, response))
        return retry

    async def process_exception(  # type: ignore[override]
            self, request: Request, exception: Exception, spider: Spider | None = None) -> Request | None:
        if request.meta.get("dont_retry", False) or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self._retry(request, exception)
        if retry is None:
            return None
        await self._pause(self.delay_for(request, None))
        return retry
