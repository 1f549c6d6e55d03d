"""The store files figures with the taxonomy it is given: a user's own metric keeps its family."""

from __future__ import annotations

from datetime import UTC, datetime

from test_alerts_support import make_config
from test_store_support import article, figure

from alerts import plan_digests
from store import Store

USER_TAXONOMY = """
[units]
warung = ["warung"]

[metrics.warung_online]
family = "umkm"
units = ["warung"]
rules = [{ all = [["online", "daring"]], priority = 20 }]
"""


def test_a_users_umkm_metric_is_stored_as_umkm_and_reaches_an_umkm_recipient(tmp_path):
    (tmp_path / "mine.toml").write_text(USER_TAXONOMY, encoding="utf-8")
    config = make_config(tmp_path, recipients=[{"name": "umkm-desk", "families": ["umkm"]}],
                         taxonomy={"files": [str(tmp_path / "mine.toml")]})
    text = "Dinas mencatat 1.250 warung kini berjualan daring di pasar kabupaten."
    with Store.from_config(config) as store:
        store.record_article(article("https://www.detik.com/berita/d-1000001/warung-daring", text),
                             [figure(text, "1.250 warung", 1250, metric="warung_online", unit="warung")])
        families = {row["family"] for row in store.db.query("select family from figures")}
        assert families == {"umkm"}
        assert next(store.db.query("select family from series"))["family"] == "umkm"
        digests = plan_digests(store, config, datetime(2026, 12, 1, tzinfo=UTC))
    assert [d.recipient for d in digests] == ["umkm-desk"]
    assert digests[0].has_findings


def test_context_metrics_come_from_the_stores_taxonomy(tmp_path):
    with Store.open(tmp_path / "pantau.db") as store:
        assert store.taxonomy.context_metrics() == {"umkm_total", "villages_total"}
