"""kernel.stores.CrawlStore: the SQLite Store offers every operation a crawl needs, with the same
parameters, so a spider runs on it unchanged (and on any other implementation of the protocol)."""

from __future__ import annotations

import inspect

from kernel.stores import CrawlStore
from store import Store


def _members(protocol: type) -> list[str]:
    return [name for name, value in vars(protocol).items() if callable(value) and not name.startswith("_")]


def test_store_has_every_crawl_operation_with_the_same_parameters():
    members = _members(CrawlStore)
    assert "known_article" in members and "start_crawl_run" in members
    for name in members:
        wanted = list(inspect.signature(getattr(CrawlStore, name)).parameters)
        offered = list(inspect.signature(getattr(Store, name)).parameters)
        assert offered == wanted, f"Store.{name}{offered} differs from CrawlStore.{name}{wanted}"


def test_a_spider_runs_its_bookkeeping_through_the_protocol(tmp_path):
    store: CrawlStore = Store.open(tmp_path / "p.db")
    run_id = store.start_crawl_run("detik", at="2026-01-05T03:00:00Z")
    store.record_crawl_error(run_id, "https://inet.detik.com/x", "HTTP 503", at="2026-01-05T03:00:01Z")
    store.finish_crawl_run(run_id, {"fetched": 1, "errors": 1}, at="2026-01-05T03:00:02Z")
    assert store.last_runs(per_site=1)[0]["errors"] == 1
    assert store.known_article("https://inet.detik.com/x") is None
