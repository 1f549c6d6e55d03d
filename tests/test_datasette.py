"""The Datasette metadata's canned queries (through Datasette's own client), `pantau browse`, `pantau status`."""

from __future__ import annotations

import asyncio
import html
import json
import re
import socket

import pytest
from click.testing import CliRunner
from test_store_support import article, figure

from store import Store
from store.queries import METADATA_PATH, datasette_metadata

DETIK = "https://inet.detik.com/berita/d-7000001/umkm-go-online"
LIPUTAN6 = "https://www.liputan6.com/bisnis/read/5000001/umkm-go-digital"
KOMDIGI = "https://www.komdigi.go.id/berita/pengumuman/detail/bts-4g"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("ds") / "pantau.db"
    with Store.open(path) as store:
        t1 = "Terdapat 4,6 juta UMKM yang telah mengakses online."
        store.record_article(article(DETIK, t1, published_at="2024-03-01T10:00:00+07:00"),
                             [figure(t1, "4,6 juta UMKM", 4.6e6)], fetched_at="2024-03-01T04:00:00Z")
        t2 = "Kini sudah 8 juta UMKM go online, naik dari tahun lalu."
        store.record_article(article(LIPUTAN6, t2, published_at="2024-06-01T10:00:00+07:00"),
                             [figure(t2, "8 juta UMKM", 8e6)], fetched_at="2024-06-01T04:00:00Z")
        t3 = "Kominfo telah membangun BTS sebanyak 479.125 unit di seluruh Indonesia."
        store.record_article(article(KOMDIGI, t3, published_at="2024-06-02T10:00:00+07:00"),
                             [figure(t3, "479.125 unit", 479_125, metric="bts_towers", unit="bts")],
                             fetched_at="2024-06-02T04:00:00Z")
        store.record_health("komdigi", "http_errors", "403 lima kali", at="2024-06-03T00:00:00Z")
        run = store.start_crawl_run("detik", at="2024-06-03T00:00:00Z")
        store.finish_crawl_run(run, {"fetched": 3, "new": 2, "errors": 0, "seconds": 4.0})
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def datasette(path):
    """Datasette as `pantau browse` starts it: the store's metadata, pantau's plugin and template."""
    from datasette.app import Datasette

    from pantau_config import config_from_dict
    from store.commands import DATASETTE_DIR, browse_metadata

    return Datasette([str(path)], metadata=browse_metadata(path, config_from_dict({})),
                     plugins_dir=str(DATASETTE_DIR / "plugins"), template_dir=str(DATASETTE_DIR / "templates"),
                     settings={"truncate_cells_html": 300})


def get(path, url):
    async def run():
        ds = datasette(path)
        await ds.invoke_startup()
        return await ds.client.get(url)

    return asyncio.run(run())


def query(path, name, **params):
    from datasette.app import Datasette

    async def run():
        ds = Datasette([str(path)], metadata=datasette_metadata(path.stem))
        await ds.invoke_startup()
        qs = "&".join(f"{k}={v}" for k, v in params.items())
        response = await ds.client.get(f"/{path.stem}/{name}.json?_shape=array&{qs}")
        assert response.status_code == 200, response.text
        return response.json()

    return asyncio.run(run())


def test_shipped_metadata_names_tables_and_queries():
    metadata = json.loads(METADATA_PATH.read_text(encoding="utf-8"))
    database = metadata["databases"]["pantau"]
    assert metadata["title"]
    assert {"articles", "figures", "findings", "series", "crawl_runs", "feeds"} <= set(database["tables"])
    assert set(database["queries"]) >= {"latest_values", "metric_history", "article_figures", "findings_since",
                                        "source_health"}
    assert set(datasette_metadata("toko")["databases"]) == {"toko"}


def test_latest_values(store_path):
    rows = query(store_path, "latest_values")
    assert [(r["metric"], r["value"], r["url"], r["sources"]) for r in rows] == [
        ("bts_towers", 479125, KOMDIGI, 1), ("umkm_online", 8e6, LIPUTAN6, 1)]
    assert rows[1]["sentence"].startswith("Kini sudah 8 juta UMKM")


def test_metric_history(store_path):
    rows = query(store_path, "metric_history", metric="umkm_online")
    assert [(r["value"], r["url"], r["published_at"]) for r in rows] == [
        (8e6, LIPUTAN6, "2024-06-01T03:00:00+00:00"), (4.6e6, DETIK, "2024-03-01T03:00:00+00:00")]
    assert query(store_path, "metric_history", metric="tidak_ada") == []


def test_article_figures(store_path):
    rows = query(store_path, "article_figures", url=KOMDIGI)
    assert [(r["surface"], r["metric"], r["value"], r["withdrawn_at"]) for r in rows] == [
        ("479.125 unit", "bts_towers", 479125, None)]


def test_findings_since(store_path):
    rows = query(store_path, "findings_since", since="2024-06-01")
    assert [(r["kind"], r["metric"], r["value"], r["previous_value"]) for r in rows] == [
        ("new_value", "umkm_online", 8e6, 4.6e6), ("new_value", "bts_towers", 479125, None),
        ("source_health", None, None, None)]
    assert len(query(store_path, "findings_since", since="2024-01-01")) == 4


def test_source_health_and_runs(store_path):
    [problem] = query(store_path, "source_health")
    assert (problem["site"], problem["problem"], problem["state"]) == ("komdigi", "http_errors", "open")
    [run] = query(store_path, "recent_crawl_runs")
    assert (run["site"], run["fetched"], run["new"]) == ("detik", 3, 2)


def test_full_text_search_in_datasette(store_path):
    from datasette.app import Datasette

    async def run():
        ds = Datasette([str(store_path)], metadata=datasette_metadata(store_path.stem))
        await ds.invoke_startup()
        response = await ds.client.get(f"/{store_path.stem}/articles.json?_search=mengakses&_shape=array")
        return response.json()

    assert [row["url"] for row in asyncio.run(run())] == [DETIK]


def test_status_command(store_path):
    from cli import main

    result = CliRunner().invoke(main, ["status", "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    assert "3 articles, 3 live figures, 4 findings" in result.output
    assert "detik" in result.output and "fetched 3, new 2" in result.output
    # Times in WIB; a problem without a wording of its own keeps its code and detail.
    assert "komdigi: http_errors (403 lima kali) · since 3 Jun 2024 07:00 WIB (seen 1×, last 2024-06-03 07:00 WIB)" \
        in result.output
    assert "detik      2024-06-03 07:00 WIB" in result.output
    assert "Deliveries: none" in result.output


def test_status_without_store(tmp_path):
    from cli import main

    result = CliRunner().invoke(main, ["status", "--store", str(tmp_path / "belum.db")])
    assert result.exit_code == 2 and "no store at" in result.output


def test_browse_runs_datasette_read_only(store_path, monkeypatch):
    import store.commands as commands
    from cli import main

    seen = {}

    def fake_run(command):
        seen["command"] = command
        metadata = json.loads(open(command[command.index("--metadata") + 1], encoding="utf-8").read())
        seen["databases"] = list(metadata["databases"])
        return 0

    monkeypatch.setattr(commands, "run_datasette", fake_run)
    port = free_port()
    result = CliRunner().invoke(main, ["browse", "--store", str(store_path), "--port", str(port), "--no-open"])
    assert result.exit_code == 0, result.output
    command = seen["command"]
    assert command[1:4] == ["-m", "datasette", "serve"] and str(store_path) in command
    assert command[command.index("--host") + 1] == "127.0.0.1" and command[command.index("--port") + 1] == str(port)
    assert "--plugins-dir" in command and "--template-dir" in command
    assert "--open" not in command and "-i" not in command
    assert seen["databases"] == ["pantau"]
    CliRunner().invoke(main, ["browse", "--store", str(store_path), "--immutable"])
    assert "-i" in seen["command"] and "--open" in seen["command"]


def test_status_lists_unsent_deliveries(tmp_path):
    from cli import main

    path = tmp_path / "kirim.db"
    with Store.open(path) as store:
        with store.transaction() as conn:
            conn.execute("insert into digests (id, recipient, first_finding_id, last_finding_id, created_at, payload)"
                         " values (1, 'redaksi', 1, 5, '2024-06-03T00:00:00+00:00', '{}')")
            for key, channel, status, attempts, error in [
                    ("1:redaksi:email", "email", "failed", 6, "SMTP 550 mailbox unavailable"),
                    ("1:redaksi:slack", "slack", "pending", 1, "HTTP 503"),
                    ("1:redaksi:file", "file", "sent", 1, None)]:
                conn.execute("insert into deliveries (digest_id, recipient, channel, key, status, attempts,"
                             " next_attempt_at, last_error, created_at) values (1, 'redaksi', ?, ?, ?, ?,"
                             " '2024-06-03T00:10:00+00:00', ?, '2024-06-03T00:00:00+00:00')",
                             [channel, key, status, attempts, error])
    result = CliRunner().invoke(main, ["status", "--store", str(path)])
    assert result.exit_code == 0, result.output
    assert "Deliveries: 1 failed, 1 pending, 1 sent" in result.output
    assert "failed   redaksi via email, 6 attempt(s), last error: SMTP 550 mailbox unavailable" in result.output
    assert "pending  redaksi via slack, 1 attempt(s), next attempt 2024-06-03 07:10 WIB" in result.output
    assert "via file" not in result.output


def test_status_before_the_first_crawl_says_the_config_is_valid(tmp_path, monkeypatch):
    from cli import main

    config = tmp_path / "pantau.toml"
    config.write_text('[store]\npath = "data/pantau.db"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "status"])
    assert result.exit_code == 0, result.output
    assert f"Config: {config} is valid" in result.output
    assert "none yet" in result.output and not (tmp_path / "data" / "pantau.db").exists()
    config.write_text('[store]\npaht = "x.db"\n', encoding="utf-8")
    bad = CliRunner().invoke(main, ["--config", str(config), "status"])
    assert bad.exit_code == 2 and "[store] paht: unknown key" in bad.output


def test_browse_names_a_free_port_when_its_port_is_taken(store_path):
    from cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["browse", "--store", str(store_path), "--port", str(port), "--no-open"])
    assert result.exit_code == 2
    match = re.search(rf"port {port} on 127.0.0.1 is taken .*port (\d+) is free: pantau browse --port (\d+)",
                      result.output)
    assert match and match.group(1) == match.group(2) and int(match.group(1)) != port


def test_figure_list_reads_like_a_table_for_people(store_path):
    page = get(store_path, "/pantau/figure_list").text
    assert "8 juta UMKM" in page and 'class="pantau-raw">8000000<' in page  # formatted, plain number under it
    assert "capaian" in page  # target/actual in words
    assert "1 Jun 2024 10.00 WIB" in page  # as_of in WIB, stored 03:00 UTC
    assert 'title="2024-06-01T03:00:00+00:00"' in page
    for facet in ("metric", "site", "family", "target_or_actual"):
        assert f'data-column="{facet}"' in page, facet
    rows = get(store_path, "/pantau/figure_list.json?_shape=array").json()
    assert list(rows[0])[:8] == ["id", "as_of", "metric_name", "metric", "value", "value_max", "unit",
                                 "target_or_actual"]
    assert rows[0]["value"] == 479125 and rows[0]["as_of"].endswith("+00:00")  # JSON keeps raw values


def test_metrics_table_lists_every_metric_with_names_and_units(store_path):
    rows = get(store_path, "/pantau/metrics.json?_shape=array&_size=max").json()
    by_id = {row["id"]: row for row in rows}
    assert len(rows) == 22
    assert by_id["villages_unconnected"]["name_id"] == "Desa belum terkoneksi"
    assert by_id["villages_unconnected"]["name_en"] == "Unconnected villages"
    assert (by_id["ict_budget_idr"]["unit"], by_id["ict_budget_idr"]["family"]) == ("rupiah", "connectivity")
    assert all(row["description_id"] and row["description_en"] for row in rows)


def test_metric_history_page_draws_the_series(store_path):
    page = get(store_path, "/pantau/metric_history?metric=umkm_online").text
    match = re.search(r'<img src="(/-/pantau/chart/pantau\.png\?[^"]+)" alt="Grafik UMKM online: 4,6 jt \(2024\) → 8 jt',
                      page)
    assert match, page[:3000]
    assert "select" in page and '"umkm_online"' in page  # the metric box becomes a list of the metrics
    png = get(store_path, html.unescape(match.group(1)))
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    assert get(store_path, "/-/pantau/chart/pantau.png?metric=tidak_ada").status_code == 404
    assert "Pilih metrik" in get(store_path, "/pantau/metric_history").text


def test_facets_on_missing_columns_are_left_out(store_path):
    from store.queries import datasette_metadata

    metadata = datasette_metadata("pantau", columns={"figure_list": {"metric", "site"}})
    assert metadata["databases"]["pantau"]["tables"]["figure_list"]["facets"] == ["metric", "site"]
    full = json.loads(METADATA_PATH.read_text(encoding="utf-8"))
    assert "scope" in full["databases"]["pantau"]["tables"]["figure_list"]["facets"]
