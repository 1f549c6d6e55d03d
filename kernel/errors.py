"""Every error pantau raises on purpose, under one root.

Catch ``PantauError`` to handle anything pantau anticipated; let everything else (a bug) propagate.
Each class also keeps the built-in base it had before the tree existed, so ``except ValueError``
around config loading keeps working.

::

    PantauError
    ├── ConfigError            the configuration is missing, unreadable, or a key has a bad value
    │                          (``key``, ``problem``, ``path``); also a ValueError
    ├── ProfileError           a discovery profile (crawler/sites/*.toml) is missing or has a bad key;
    │                          also a ValueError
    ├── DiscoveryParseError    a feed or sitemap body is not the XML it should be; also a ValueError
    ├── ExtractError           a page gave no article (``url``, ``reason``)
    │   ├── NotAnArticle       an index, listing, tag or search page, not a single article
    │   └── ExtractionError    meant to be an article but no usable body: empty, undecodable …
    ├── PageFailed             the crawl's extraction step gave no article (``reason`` is stored)
    ├── FetchRefused           the crawler refused or gave up a request on purpose (``reason`` is
    │                          stored): off-site or private address, too large, truncated,
    │                          Retry-After past the time limit
    ├── WorkerGone             an extraction worker process died (killed, out of memory, crashed)
    ├── StoreError             the store file cannot be used: not SQLite, not a pantau store, newer
    │   │                      pantau; also a RuntimeError
    │   └── StoreUnavailable   the store cannot be read or written now: disk full, read-only,
    │                          locked, I/O error (``path``, ``cause``)
    ├── DeliveryError          a send that did not go through (``parts_sent``: Slack messages
    │                          already accepted; ``in_doubt``: it may have arrived); also a RuntimeError
    ├── MissingSecret          a config key names an environment variable that is not set; also a
    │                          RuntimeError
    └── DaemonLockError        another daemon holds the store's lock (``lock_file``, ``store_path``,
                               ``pid``); also a RuntimeError
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ConfigError",
    "DaemonLockError",
    "DeliveryError",
    "DiscoveryParseError",
    "ExtractError",
    "ExtractionError",
    "FetchRefused",
    "MissingSecret",
    "NotAnArticle",
    "PageFailed",
    "PantauError",
    "ProfileError",
    "StoreError",
    "StoreUnavailable",
    "WorkerGone",
]


class PantauError(Exception):
    """The root of every anticipated pantau error."""


class ConfigError(PantauError, ValueError):
    """The configuration is missing, unreadable or has a key with a bad value."""

    def __init__(self, key: str, problem: str, *, path: Path | None = None) -> None:
        self.key = key
        self.problem = problem
        self.path = path
        where = f"{path}: " if path else ""
        super().__init__(f"{where}{key}: {problem}")


class ProfileError(PantauError, ValueError):
    """A discovery profile is missing or has a bad key."""


class DiscoveryParseError(PantauError, ValueError):
    """A feed or sitemap body is not the XML it should be (truncated, malformed)."""


class ExtractError(PantauError):
    """Base of every extraction failure: ``url`` and a human-readable ``reason``."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class NotAnArticle(ExtractError):
    """The page is an index, listing, tag or search page, not a single article."""


class ExtractionError(ExtractError):
    """The page is (meant to be) an article but has no usable body: empty, truncated, undecodable."""


class PageFailed(PantauError):
    """The page gave no article; ``reason`` is what ``record_crawl_error`` stores."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FetchRefused(PantauError):
    """A request the crawler refused or gave up on purpose; ``reason`` is what the crawl records."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class WorkerGone(PantauError):
    """The worker process extracting a page exited (killed, out of memory, crashed)."""


class StoreError(PantauError, RuntimeError):
    """The store file cannot be used: not SQLite, not a pantau store, or from a newer pantau."""


class StoreUnavailable(StoreError):
    """The store cannot be read or written now (disk full, read-only file or folder, locked by
    another process, I/O error): nothing is wrong with its contents, the run that met it failed."""

    def __init__(self, path: Path | str, cause: str, *, action: str = "write to") -> None:
        self.path, self.cause = Path(path), cause
        super().__init__(f"cannot {action} the store {path}: {cause}")


class DeliveryError(PantauError, RuntimeError):
    """A send that did not go through. ``parts_sent``: Slack messages already accepted;
    ``in_doubt``: the message may still have reached the receiver (the connection broke after it
    went out), so the next attempt is marked as a repeat."""

    def __init__(self, message: str, *, parts_sent: int = 0, in_doubt: bool = False) -> None:
        super().__init__(message)
        self.parts_sent = parts_sent
        self.in_doubt = in_doubt


class MissingSecret(PantauError, RuntimeError):
    """A config key names an environment variable that is not set."""


class DaemonLockError(PantauError, RuntimeError):
    """Another daemon holds the store's lock."""

    def __init__(self, lock_file: Path, store_path: Path, pid: int | None) -> None:
        self.lock_file, self.store_path, self.pid = lock_file, store_path, pid
        who = f"pid {pid}" if pid else "unknown pid"
        super().__init__(f"another pantau daemon ({who}) is already running on {store_path} "
                         f"(lock file {lock_file}); stop it first, or use a different [store] path")
