"""Where a spider may go: its own site's domains, over HTTP(S), to public addresses only.

Three layers, each for what the one before cannot see:

* ``SiteGuardMiddleware`` (in place of Scrapy's OffsiteMiddleware, same priority, real URLs):
  every request, redirects included, must be http(s) on the spider's ``allowed_domains`` (from
  ``kernel.sites``). A redirect that leaves the site, goes to another configured site, loops, or
  lands on an article this crawl already requests is refused with a reason (Scrapy's own offsite
  filter drops such requests silently at scheduling time, leaving no trace of the article).
* ``AddressGuardMiddleware`` (after ``RootsMiddleware``, so it sees the address actually used):
  the host is resolved and every address checked; loopback, private, link-local, multicast and
  reserved addresses are refused. The one exception is a request ``RootsMiddleware`` rewrote to a
  configured ``[crawl] roots`` target, and only that exact origin (scheme, host, port): the mirror
  on 127.0.0.1 is reachable, another port on 127.0.0.1 is not.
* ``GuardedResolver`` (``TWISTED_DNS_RESOLVER``): the resolver the connections use refuses the
  same addresses, so a name that resolves to a public address for the check and to a private one
  for the connection (DNS rebinding) still cannot reach it. Only the host names of roots targets
  may resolve to non-public addresses; their ports were checked by the middleware.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import DNSLookupError

from crawler.middlewares import REAL_URL_META
from crawler.reasons import Refused
from kernel.sites import SITE_DOMAINS
from kernel.urls import canonical_url

logger = logging.getLogger(__name__)

ALLOWED_SCHEMES = ("http", "https")




def site_domains(site: str) -> list[str]:
    """The registered domains of a configured site (``kernel/sites.toml``)."""
    return sorted(domain for domain, name in SITE_DOMAINS.items() if name == site)


def _on_domains(host: str, domains: Iterable[str]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def configured_site_of(host: str) -> str | None:
    """The configured site whose domains hold ``host``, or None."""
    host = host.lower().rstrip(".")
    for domain, name in SITE_DOMAINS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return None


def address_problem(address: str) -> str | None:
    """Why a crawler must not connect to ``address`` (an IP literal), or None for a public address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    # Most specific first: Python counts link-local and unspecified addresses as private too.
    for attribute, kind in (("is_loopback", "loopback"), ("is_link_local", "link-local"),
                            ("is_unspecified", "unspecified"), ("is_multicast", "multicast"),
                            ("is_private", "private"), ("is_reserved", "reserved")):
        if getattr(ip, attribute):
            return f"a {kind} address"
    if not ip.is_global:  # shared address space (100.64/10), documentation ranges …
        return "not a public address"
    return None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def roots_targets(roots: dict[str, str]) -> frozenset[str]:
    """The override origins of ``[crawl] roots``, normalised like ``RootsMiddleware`` uses them."""
    return frozenset(_origin(target.rstrip("/")) for target in roots.values())


def _chain(request: Request) -> list[str]:
    return [*request.meta.get("redirect_urls", ()), request.url]


def offsite_reason(url: str, spider: Any, *, redirected: bool) -> str | None:
    """Why ``url`` is off the spider's site (None when it is on it, or the spider has no domains)."""
    domains = getattr(spider, "allowed_domains", None) or []
    host = urlsplit(url).hostname or ""
    if not domains or _on_domains(host, domains):
        return None
    other = configured_site_of(host)
    if redirected and other is not None:
        return f"redirected to another configured site ({other}): {url}"
    return (f"off-site {'redirect' if redirected else 'request'} refused: {url} is not on {spider.name}'s "
            f"domains ({', '.join(domains)})")


class SiteGuardMiddleware:
    """Requests stay on the spider's site, over HTTP(S); redirects that would lose an article say so."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> SiteGuardMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        spider = spider or self.crawler.spider
        parts = urlsplit(request.url)
        redirected = bool(request.meta.get("redirect_urls"))
        what = "redirect" if redirected else "request"
        if parts.scheme not in ALLOWED_SCHEMES:
            raise Refused(f"{what} to a non-HTTP(S) address refused: {request.url[:200]}")
        reason = offsite_reason(request.url, spider, redirected=redirected)
        if reason is not None:
            raise Refused(reason)
        if redirected:
            chain = _chain(request)
            canonical = [canonical_url(u) for u in chain]
            if canonical[-1] in canonical[:-1]:
                raise Refused(f"redirect loop: {' → '.join(chain)}")
            claim: Callable[[Request], str | None] | None = getattr(spider, "claim_redirect", None)
            if claim is not None and (reason := claim(request)) is not None:
                raise Refused(reason)
        return None


class AddressGuardMiddleware:
    """Resolve each request's host and refuse non-public addresses (roots targets excepted, exactly)."""

    def __init__(self, exempt_origins: frozenset[str],
                 resolve: Callable[[str, int], list[str]] | None = None) -> None:
        self.exempt_origins = exempt_origins
        self._resolve = resolve or _resolve_host
        # host -> its refusal reason ("" when public): resolved once per crawl.
        self._verdicts: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> AddressGuardMiddleware:
        return cls(roots_targets(crawler.settings.getdict("PANTAU_ROOTS")))

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        parts = urlsplit(request.url)
        if REAL_URL_META in request.meta and _origin(request.url) in self.exempt_origins:
            return None  # a configured roots target, reached through RootsMiddleware
        host = (parts.hostname or "").lower()
        if parts.scheme not in ALLOWED_SCHEMES:
            raise Refused(f"request to a non-HTTP(S) address refused: {request.url[:200]}")
        verdict = self._verdicts.get(host)
        if verdict is None:
            verdict = await self._judge(host, parts.port or (443 if parts.scheme == "https" else 80))
            self._verdicts[host] = verdict
        if verdict:
            raise Refused(f"refused {request.url}: {verdict}")
        return None

    async def _judge(self, host: str, port: int) -> str:
        if not host:
            return "no host name"
        try:
            ipaddress.ip_address(host.strip("[]"))
            addresses = [host.strip("[]")]
        except ValueError:
            from twisted.internet import threads

            try:
                addresses = await maybe_deferred_to_future(threads.deferToThread(self._resolve, host, port))
            except OSError as exc:
                return f"cannot resolve {host}: {exc.strerror or exc}"
        for address in addresses:
            problem = address_problem(address)
            if problem is not None:
                return f"{host} resolves to {address}, {problem}" if address != host else f"{host} is {problem}"
        return ""


def _resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6), as the connection would see them."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver that never hands a connection a non-public address, except for
    the host names of ``[crawl] roots`` targets (whose exact origins ``AddressGuardMiddleware``
    checked). Installed with ``TWISTED_DNS_RESOLVER``."""

    def __init__(self, reactor: Any, cache_size: int, timeout: float, exempt_hosts: frozenset[str]) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.exempt_hosts = exempt_hosts

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        exempt = frozenset((urlsplit(origin).hostname or "").lower()
                           for origin in roots_targets(settings.getdict("PANTAU_ROOTS")))
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"), exempt)

    def getHostByName(self, name: str, timeout: Any = ()) -> Any:  # noqa: N802 (Twisted's interface)
        d = super().getHostByName(name, timeout)
        d.addCallback(self._checked, name)
        return d

    def _checked(self, address: str, name: str) -> str:
        if name.lower() in self.exempt_hosts:
            return address
        problem = address_problem(address)
        if problem is not None:
            logger.warning("refused to connect to %s: it resolves to %s, %s", name, address, problem)
            raise DNSLookupError(f"{name} resolves to {address}, {problem}: refused")
        return address
