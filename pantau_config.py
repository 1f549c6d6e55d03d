"""pantau's configuration: one TOML file (``pantau.toml``) in which every key has a default.

The file is optional: with no file pantau crawls the live sites, keeps its store in ``pantau.db``
and writes digests to the ``outbox/`` folder. ``pantau init`` writes a commented sample.

Each section maps to one dataclass below. ``load_config`` validates every key and raises
``ConfigError`` naming the key and the problem (``[crawl] time_limit_seconds: must be a number
greater than 0, got 'abc'``); unknown keys are errors too, because a typo in a key would otherwise
silently fall back to the default. Relative paths are resolved against the config file's folder.

Secrets never live here: SMTP passwords and Slack webhook URLs are read from environment
variables whose *names* the config gives (``password_env``, ``slack_webhook_env``).
"""

from __future__ import annotations

import dataclasses
import difflib
import email.utils
import fnmatch
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

from kernel.cron import cron_trigger
from kernel.errors import ConfigError
from kernel.sites import SITES

CONFIG_FILENAME = "pantau.toml"
# Placeholder contact for the User-Agent; `pantau crawl` warns while a live crawl still uses it.
DEFAULT_CONTACT_URL = "https://github.com/pantau-id/pantau"
# Environment variable that points at the config when --config is not given.
CONFIG_ENV = "PANTAU_CONFIG"

# Title/summary words that make a discovered article worth fetching (lower-case substrings).
# Both ministry names matter: Kominfo became Komdigi in Oct 2024.
DEFAULT_KEYWORDS = [
    "umkm", "ukm", "usaha mikro", "go digital", "go online", "digitalisasi", "ekonomi digital",
    "e-commerce", "marketplace", "internet", "bts", "4g", "5g", "sinyal", "satelit", "palapa ring",
    "serat optik", "fiber optik", "konektivitas", "jaringan", "telekomunikasi", "blank spot",
    "desa", "talenta digital", "transformasi digital", "kominfo", "kemkominfo", "menkominfo",
    "komdigi", "kemkomdigi", "bakti", "akses internet", "wifi", "broadband",
]



@dataclass
class StoreConfig:
    path: Path = Path("pantau.db")
    # A write waits this long for another process's transaction before it fails as "locked".
    busy_timeout_seconds: float = 60.0


@dataclass
class SiteConfig:
    enabled: bool = True
    # Channel names from the site's discovery profile; empty means the profile's defaults.
    channels: list[str] = field(default_factory=list)
    # Fetch every discovered article in the chosen channels, not only keyword matches.
    fetch_all: bool = False


@dataclass
class CrawlConfig:
    # Contact URL that site operators see in our User-Agent; set it to your own page.
    contact_url: str = DEFAULT_CONTACT_URL
    # Empty means "pantau/<version> (+<contact_url>)". Must not contain "Scrapy": Republika blocks it.
    user_agent: str = ""
    # A crawl that runs longer than this is closed (Scrapy CLOSESPIDER_TIMEOUT) and, in the daemon, killed.
    time_limit_seconds: float = 1800.0
    # None of the sites sets a Crawl-delay; one second between requests per site is the polite floor.
    download_delay: float = 1.0
    # Two parallel requests per host, as Media Cloud's batch crawler uses.
    concurrent_per_domain: int = 2
    autothrottle: bool = True
    obey_robots: bool = True
    # Read timeout per request; long enough for a slow government site, short enough to move on.
    download_timeout: float = 30.0
    retry_times: int = 3
    # Articles are fetched again to look for edits when they are this many hours old (and once each).
    revision_check_hours: list[float] = field(default_factory=lambda: [6.0, 24.0, 72.0])
    # On a site's first crawl, articles older than this are not fetched (no backfill by default).
    max_age_days: float = 7.0
    keywords: list[str] = field(default_factory=lambda: list(DEFAULT_KEYWORDS))
    # Real origin -> override origin, e.g. {"https://inet.detik.com" = "http://127.0.0.1:8001"}.
    # This is how the local mirror is reached; empty for the live sites.
    roots: dict[str, str] = field(default_factory=dict)
    # Refuse every request whose origin has no entry in roots: the mirror can never leak to a live site.
    roots_only: bool = False
    # Processes that extract + tag pages while the crawl process fetches and stores (throughput on
    # multi-core machines); -1 = one per core but the crawl's own, 0 = in the crawl process.
    extract_workers: int = -1
    # A page (after decompression) larger than this is refused and recorded; news pages are 50-500 KB.
    max_page_bytes: int = 10 * 1024 * 1024
    # A page larger than this is logged as unusually big (it is still fetched).
    warn_page_bytes: int = 2 * 1024 * 1024
    # This many article pages of a site in a row (across crawls) that give no article open a
    # source_health problem: the site's layout changed or it became a JavaScript shell.
    extraction_failure_streak: int = 10
    sites: dict[str, SiteConfig] = field(default_factory=lambda: {s: SiteConfig() for s in SITES})
    # A shared Redis ("redis://HOST:PORT/DB") for crawlers on several processes or hosts: empty
    # means one machine, the crawl writes the store itself. Set, crawler processes share one request
    # queue, seen-set and per-host politeness there (crawler/frontier.py), and put articles and
    # crawl records on a Redis stream that `pantau store-writer` on the store's host commits.
    frontier: str = ""
    # A crawler that has not renewed its liveness in the frontier for this long counts as gone: the
    # requests it held go back to the queue. Longer than any page's extraction, short enough that
    # a killed crawler's pages are picked up within the crawl.
    frontier_lease_seconds: float = 15.0

    def enabled_sites(self) -> list[str]:
        return [name for name in SITES if self.sites.get(name, SiteConfig()).enabled]


@dataclass
class TaxonomyConfig:
    # Extra taxonomy files (TOML) merged over the bundled default: add metrics or override keywords.
    files: list[Path] = field(default_factory=list)
    # Replace the bundled taxonomy instead of extending it.
    replace: bool = False


@dataclass
class ScheduleConfig:
    timezone: str = "Asia/Jakarta"
    # Cron expressions (minute hour day month weekday, weekday 0 or 7 = Sunday), read in `timezone`;
    # a sixth leading field gives seconds ("*/5 * * * * *"). An empty string disables the job.
    crawl: str = "0 */3 * * *"
    digest: str = "0 7 * * *"
    # A run missed while the daemon was down still runs at start if it is at most this late.
    misfire_grace_seconds: int = 6 * 3600
    # Added for the daemon's shutdown: a crawl asked to stop (SIGTERM) is killed after this long.
    stop_grace_seconds: float = 30.0


@dataclass
class SmtpConfig:
    host: str = ""
    port: int = 587
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str = ""
    # Name of the environment variable holding the SMTP password (never the password itself).
    password_env: str = ""
    sender: str = "pantau <pantau@localhost>"
    timeout_seconds: float = 30.0

    @property
    def configured(self) -> bool:
        return bool(self.host)


@dataclass
class RecipientConfig:
    name: str = ""
    email: list[str] = field(default_factory=list)
    # Name of the environment variable holding the Slack incoming-webhook URL.
    slack_webhook_env: str = ""
    # Also write .eml/.json files to the outbox folder (the default when no other channel is set).
    files: bool = False
    families: list[str] = field(default_factory=list)
    # Metric names; shell wildcards allowed ("umkm_*").
    metrics: list[str] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    figures: Literal["all", "targets", "actuals"] = "all"
    # Leave out new values whose change against the previous value is smaller than this (percent).
    min_change_pct: float = 0.0
    send_when_empty: bool = False
    language: Literal["id", "en"] = "id"
    include_context_metrics: bool = False

    def wants_metric(self, metric: str) -> bool:
        return not self.metrics or any(fnmatch.fnmatchcase(metric, pat) for pat in self.metrics)


@dataclass
class AlertsConfig:
    outbox_dir: Path = Path("outbox")
    # Base URL of a Datasette serving the store; digests then link each metric to its history.
    datasette_url: str = ""
    # A failed send is retried with exponential backoff this many times before it is reported failed.
    max_attempts: int = 6
    # First retry after this many seconds, doubling each time (1 min, 2, 4, 8, 16 …).
    retry_base_seconds: float = 60.0
    # A site with no new article for this long is reported in the digest's health section.
    stale_site_hours: float = 48.0
    # Folder of Jinja2 templates overriding the bundled ones (digest.txt.j2, digest.html.j2, <lang>/…).
    templates_dir: str = ""


@dataclass
class DisplayConfig:
    # Time zone of every time a person reads: digests, the Atom feed, status, Datasette, the email
    # Date header (an IANA name; Asia/Jakarta = WIB). Stored times stay UTC.
    timezone: str = "Asia/Jakarta"
    # Language of `pantau demo`'s digests, the overall Atom feed and the Datasette labels.
    language: Literal["id", "en"] = "id"


@dataclass
class Config:
    store: StoreConfig = field(default_factory=StoreConfig)
    crawl: CrawlConfig = field(default_factory=CrawlConfig)
    taxonomy: TaxonomyConfig = field(default_factory=TaxonomyConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    alerts: AlertsConfig = field(default_factory=AlertsConfig)
    display: DisplayConfig = field(default_factory=DisplayConfig)
    recipients: list[RecipientConfig] = field(default_factory=list)
    # Where the config came from (None: built-in defaults).
    source: Path | None = None

    def user_agent(self) -> str:
        from importlib.metadata import PackageNotFoundError, version

        if self.crawl.user_agent:
            return self.crawl.user_agent
        try:
            ver = version("pantau")
        except PackageNotFoundError:  # running from a source tree without install
            ver = "dev"
        return f"pantau/{ver} (+{self.crawl.contact_url})"

    def effective_recipients(self) -> list[RecipientConfig]:
        """The configured recipients, or one catch-all file recipient when none is configured."""
        if self.recipients:
            return self.recipients
        return [RecipientConfig(name="default", files=True, send_when_empty=True)]


def _describe(value: Any) -> str:
    return repr(value) if not isinstance(value, str) else f"'{value}'"


def _coerce(key: str, value: Any, hint: Any, base: Path) -> Any:
    """Check ``value`` against the type ``hint`` and convert it; raise ConfigError(key, …) if wrong."""
    origin = get_origin(hint)
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(key, f"must be true or false, got {_describe(value)}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(key, f"must be a whole number, got {_describe(value)}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(key, f"must be a number, got {_describe(value)}")
        if not math.isfinite(value):  # TOML has nan and inf; no setting means either
            raise ConfigError(key, f"must be a finite number, got {value}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(key, f"must be a string, got {_describe(value)}")
        return value
    if hint is Path:
        if not isinstance(value, str) or not value:
            raise ConfigError(key, f"must be a path string, got {_describe(value)}")
        path = Path(os.path.expanduser(value))
        return path if path.is_absolute() else base / path
    if origin is Literal:
        allowed = get_args(hint)
        if value not in allowed:
            raise ConfigError(key, f"must be one of {', '.join(map(repr, allowed))}, got {_describe(value)}")
        return value
    if origin is list:
        (item_hint,) = get_args(hint)
        if not isinstance(value, list):
            raise ConfigError(key, f"must be a list, got {_describe(value)}")
        return [_coerce(f"{key}[{i}]", item, item_hint, base) for i, item in enumerate(value)]
    if origin is dict:
        _, val_hint = get_args(hint)
        if not isinstance(value, dict):
            raise ConfigError(key, f"must be a table, got {_describe(value)}")
        return {k: _coerce(f"{key}.{k}", v, val_hint, base) for k, v in value.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _build(hint, value, key, base)
    raise TypeError(f"unsupported config type {hint!r} for {key}")  # a bug in this module


def _build(cls: type, table: Any, key: str, base: Path) -> Any:
    if not isinstance(table, dict):
        raise ConfigError(key, f"must be a table, got {_describe(table)}")
    hints = get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls) if f.name != "source"}
    # TOML can't use "from" as a friendly key name in code, so SmtpConfig.sender also accepts it.
    if cls is SmtpConfig and "from" in table:
        table = {("sender" if k == "from" else k): v for k, v in table.items()}
    unknown = sorted(set(table) - names)
    if unknown:
        raise ConfigError(f"{key}.{unknown[0]}" if key else unknown[0],
                          f"unknown key (known keys: {', '.join(sorted(names))})")
    kwargs = {}
    for name, value in table.items():
        kwargs[name] = _coerce(f"{key}.{name}" if key else name, value, hints[name], base)
    obj = cls(**kwargs)
    _check(obj, key)
    return obj


def _check(obj: Any, key: str) -> None:
    """Range checks that types alone can't express."""
    def fail(name: str, problem: str) -> None:
        raise ConfigError(f"{key}.{name}" if key else name, problem)

    if isinstance(obj, StoreConfig):
        if obj.busy_timeout_seconds <= 0:
            fail("busy_timeout_seconds", f"must be greater than 0, got {obj.busy_timeout_seconds:g}")
    elif isinstance(obj, CrawlConfig):
        if obj.time_limit_seconds <= 0:
            fail("time_limit_seconds", "must be greater than 0")
        if obj.download_delay < 0:
            fail("download_delay", "must be 0 or more")
        if obj.download_timeout <= 0:
            fail("download_timeout", f"must be greater than 0 seconds, got {obj.download_timeout:g}")
        if obj.retry_times < 0:
            fail("retry_times", f"must be 0 (no retries) or more, got {obj.retry_times}")
        if obj.concurrent_per_domain < 1:
            fail("concurrent_per_domain", "must be at least 1")
        if obj.extract_workers < -1:
            fail("extract_workers", "must be -1 (one per spare core), 0 (in-process) or a number of processes")
        if obj.max_age_days <= 0:
            fail("max_age_days", f"must be greater than 0, got {obj.max_age_days:g}")
        for i, hours in enumerate(obj.revision_check_hours):
            if hours < 0:
                fail(f"revision_check_hours[{i}]", f"must be 0 or more hours, got {hours:g}")
        for i, word in enumerate(obj.keywords):
            if not word.strip():
                fail(f"keywords[{i}]", "must not be empty (an empty keyword matches every title)")
        if obj.max_page_bytes < 1:
            fail("max_page_bytes", f"must be at least 1 byte, got {obj.max_page_bytes}")
        if not 0 < obj.warn_page_bytes <= obj.max_page_bytes:
            fail("warn_page_bytes", f"must be between 1 and max_page_bytes ({obj.max_page_bytes}), "
                                    f"got {obj.warn_page_bytes}")
        if obj.extraction_failure_streak < 1:
            fail("extraction_failure_streak", f"must be at least 1, got {obj.extraction_failure_streak}")
        if not _is_http_url(obj.contact_url):
            fail("contact_url", f"must be an http:// or https:// URL, got {_describe(obj.contact_url)}")
        if "scrapy" in obj.user_agent.lower():
            fail("user_agent", "must not contain 'Scrapy': Republika's robots.txt blocks that agent")
        unknown = sorted(set(obj.sites) - set(SITES))
        if unknown:
            fail(f"sites.{unknown[0]}", f"unknown site{_did_you_mean(unknown[0], SITES)} (known: {', '.join(SITES)})")
        for real, override in obj.roots.items():
            for which, url in (("origin", real), ("override", override)):
                if not url.startswith(("http://", "https://")):
                    fail(f"roots.{real}", f"{which} must start with http:// or https://, got '{url}'")
                if not _is_origin(url):
                    fail(f"roots.{real}", f"{which} must be an origin (scheme, host and port, no path), got '{url}'")
        if obj.frontier_lease_seconds <= 0:
            fail("frontier_lease_seconds", f"must be greater than 0, got {obj.frontier_lease_seconds:g}")
        if obj.frontier:
            problem = frontier_url_problem(obj.frontier)
            if problem:
                fail("frontier", problem)
        for name in SITES:
            obj.sites.setdefault(name, SiteConfig())
    elif isinstance(obj, ScheduleConfig):
        try:
            from zoneinfo import ZoneInfo
            ZoneInfo(obj.timezone)
        except Exception:
            fail("timezone", f"unknown time zone '{obj.timezone}' (use an IANA name like 'Asia/Jakarta')")
        for name in ("crawl", "digest"):
            expr = getattr(obj, name)
            if expr.strip():
                try:
                    cron_trigger(expr, obj.timezone)
                except ValueError as exc:
                    fail(name, f"not a valid cron expression '{expr}': {exc}")
        if obj.misfire_grace_seconds < 0:
            fail("misfire_grace_seconds", "must be 0 or more")
        if obj.stop_grace_seconds < 0:
            fail("stop_grace_seconds", "must be 0 or more")
    elif isinstance(obj, DisplayConfig):
        from kernel.times import display_zone

        try:
            display_zone(obj.timezone)
        except ValueError:
            fail("timezone", f"unknown time zone '{obj.timezone}' (use an IANA name like 'Asia/Jakarta')")
    elif isinstance(obj, SmtpConfig):
        if not 0 < obj.port < 65536:
            fail("port", f"must be a TCP port (1-65535), got {obj.port}")
        if obj.timeout_seconds <= 0:
            fail("timeout_seconds", f"must be greater than 0, got {obj.timeout_seconds:g}")
        if not _is_email(email.utils.parseaddr(obj.sender)[1]):
            fail("from", f"must be an address like 'pantau <pantau@example.org>', got {_describe(obj.sender)}")
        if obj.password_env and not ENV_NAME.fullmatch(obj.password_env):
            fail("password_env", f"must be the NAME of an environment variable, got {_describe(obj.password_env)}")
    elif isinstance(obj, RecipientConfig):
        if not obj.name:
            fail("name", "every recipient needs a name")
        if obj.min_change_pct < 0:
            fail("min_change_pct", "must be 0 or more")
        for i, address in enumerate(obj.email):
            if not _is_email(address):
                fail(f"email[{i}]", f"must be an email address like redaksi@example.org, got {_describe(address)}")
        if obj.slack_webhook_env and not ENV_NAME.fullmatch(obj.slack_webhook_env):
            fail("slack_webhook_env", "must be the NAME of an environment variable holding the webhook URL, "
                                      f"got {_describe(obj.slack_webhook_env)}")
        for i, site in enumerate(obj.sites):
            if site not in SITES:
                fail(f"sites[{i}]", f"names no known site{_did_you_mean(site, SITES)} (known: {', '.join(SITES)})")
    elif isinstance(obj, AlertsConfig):
        if obj.max_attempts < 1:
            fail("max_attempts", "must be at least 1")
        if obj.retry_base_seconds <= 0:
            fail("retry_base_seconds", f"must be greater than 0, got {obj.retry_base_seconds:g}")
        if obj.stale_site_hours <= 0:
            fail("stale_site_hours", f"must be greater than 0, got {obj.stale_site_hours:g}")
        if obj.datasette_url and not _is_http_url(obj.datasette_url):
            fail("datasette_url", f"must be an http:// or https:// URL, got {_describe(obj.datasette_url)}")


# An environment variable name as POSIX shells accept it.
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A bare address for SMTP's RCPT TO: local part, @, a domain (dots optional: root@localhost is valid).
_EMAIL = re.compile(r"[^@\s<>(),;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*")


def _is_email(text: str) -> bool:
    return bool(_EMAIL.fullmatch(text))


def _is_http_url(text: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def frontier_url_problem(url: str) -> str | None:
    """What is wrong with a ``[crawl] frontier`` URL (None: nothing): redis://HOST[:PORT][/DB]."""
    from urllib.parse import urlsplit

    shape = "must be a Redis URL like 'redis://127.0.0.1:6379/0'"
    parts = urlsplit(url)
    if parts.password:  # an error line must not print a Redis password
        url = url.replace(f":{parts.password}@", ":***@", 1)
    if parts.scheme not in ("redis", "rediss"):
        return f"{shape}, got {_describe(url)}"
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return f"{shape} (the port is not a number from 1 to 65535), got {_describe(url)}"
    if not parts.hostname:
        return f"{shape} (no host), got {_describe(url)}"
    db = parts.path.strip("/")
    if db and not db.isdigit():
        return f"{shape} (the database after the host is a number), got {_describe(url)}"
    if parts.query or parts.fragment:
        return f"{shape} (no query or fragment), got {_describe(url)}"
    return None


def _is_origin(text: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(text)
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return False
    return bool(parts.hostname) and parts.path in ("", "/") and not parts.query and not parts.fragment


def _did_you_mean(name: str, known: Any) -> str:
    """`` (did you mean 'umkm_online'?)`` when a known name is close to ``name``, else ``""``."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


# The bundled taxonomy, read here as plain TOML (importing extract/ costs a quarter second).
_BUNDLED_TAXONOMY = Path(__file__).resolve().parent / "extract" / "taxonomy" / "default.toml"


def _taxonomy_names(taxonomy: TaxonomyConfig, base_key: str = "taxonomy") -> tuple[set[str], set[str]]:
    """(metric names, family names) of the configured taxonomy: the bundled file unless ``replace``,
    then each of ``files``. A file that is missing or not TOML is an error naming the key."""
    metrics: dict[str, Any] = {}
    sources = ([] if taxonomy.replace else [(None, _BUNDLED_TAXONOMY)]) + list(enumerate(taxonomy.files))
    for index, path in sources:
        key = f"{base_key}.files[{index}]" if index is not None else base_key
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(key, f"file not found: {path}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(key, f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(key, f"{path} is not valid TOML: {exc}") from None
        tables = data.get("metrics", {})
        if not isinstance(tables, dict):
            raise ConfigError(key, f"{path}: [metrics] must be a table of metric tables")
        for name, table in tables.items():
            merged = dict(metrics.get(name) or {})
            merged.update(table if isinstance(table, dict) else {})
            metrics[name] = merged
    if not metrics:
        raise ConfigError(f"{base_key}.replace", "the taxonomy defines no metrics (replace = true needs files "
                                                 "with [metrics.*] tables)")
    families = {str(t.get("family")) for t in metrics.values() if t.get("family")}
    return set(metrics), families


def _check_recipient_filters(config: Config) -> None:
    """A filter naming no known family or metric would leave its recipient without digests forever."""
    if not any(r.families or r.metrics for r in config.recipients):
        if config.taxonomy.files or config.taxonomy.replace:
            _taxonomy_names(config.taxonomy)  # still: a missing taxonomy file is a load-time error
        return
    metrics, families = _taxonomy_names(config.taxonomy)
    for i, recipient in enumerate(config.recipients):
        for j, family in enumerate(recipient.families):
            if family not in families:
                raise ConfigError(f"recipients[{i}] families[{j}]",
                                  f"names no family of the taxonomy: '{family}'{_did_you_mean(family, families)}"
                                  f" (known: {', '.join(sorted(families))})")
        for j, pattern in enumerate(recipient.metrics):
            if not fnmatch.filter(metrics, pattern):
                raise ConfigError(f"recipients[{i}] metrics[{j}]",
                                  f"matches no metric of the taxonomy: '{pattern}'{_did_you_mean(pattern, metrics)}")


def config_from_dict(data: dict[str, Any], *, base: Path | None = None, source: Path | None = None) -> Config:
    """Build a validated Config from parsed TOML (a dict); relative paths resolve against ``base``."""
    base = base or Path.cwd()
    data = dict(data)
    recipients = data.pop("recipients", [])
    if not isinstance(recipients, list):
        raise ConfigError("recipients", "must be an array of tables ([[recipients]])", path=source)
    try:
        config = _build(Config, data, "", base)
        config.recipients = [
            _build(RecipientConfig, r, f"recipients[{i}]", base) for i, r in enumerate(recipients)
        ]
    except ConfigError as exc:
        raise ConfigError(_bracket(exc.key), exc.problem, path=source) from None
    names = [r.name for r in config.recipients]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError("recipients", f"recipient name '{dupes[0]}' is used twice", path=source)
    if not isinstance(config.store.path, Path):
        config.store.path = Path(config.store.path)
    if not config.store.path.is_absolute():
        config.store.path = base / config.store.path
    if not config.alerts.outbox_dir.is_absolute():
        config.alerts.outbox_dir = base / config.alerts.outbox_dir
    try:
        _check_recipient_filters(config)
        _check_paths(config, base)
    except ConfigError as exc:
        raise ConfigError(_bracket(exc.key), exc.problem, path=source) from None
    config.source = source
    return config


def _check_paths(config: Config, base: Path) -> None:
    """Paths that must exist when pantau starts (the store file and outbox folder are created on use)."""
    if config.alerts.templates_dir:
        folder = Path(os.path.expanduser(config.alerts.templates_dir))
        folder = folder if folder.is_absolute() else base / folder
        if not folder.is_dir():
            raise ConfigError("alerts.templates_dir", f"no such folder: {folder}")


def _bracket(key: str) -> str:
    """'crawl.time_limit_seconds' -> '[crawl] time_limit_seconds', as a user sees it in the file."""
    head, _, rest = key.partition(".")
    if not rest or head.startswith("recipients["):
        return key if not rest else f"{head} {rest}"
    return f"[{head}] {rest}"


def load_config(path: str | Path | None = None, *, required: bool = False) -> Config:
    """Load ``path``, or $PANTAU_CONFIG, or ./pantau.toml; with none of them, the defaults.

    ``required``: a missing file is an error even when no path was given explicitly.
    """
    explicit = path is not None or bool(os.environ.get(CONFIG_ENV))
    chosen = Path(path or os.environ.get(CONFIG_ENV) or CONFIG_FILENAME)
    if not chosen.exists():
        if explicit or required:
            raise ConfigError("config", f"file not found: {chosen}", path=None)
        return config_from_dict({}, base=Path.cwd())
    try:
        data = tomllib.loads(chosen.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError("config", f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=chosen) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("config", f"not valid TOML: {exc}", path=chosen) from None
    except OSError as exc:
        raise ConfigError("config", f"cannot read: {exc.strerror}", path=chosen) from None
    return config_from_dict(data, base=chosen.resolve().parent, source=chosen)
