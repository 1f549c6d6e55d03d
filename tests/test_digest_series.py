"""Digests of figures over time: percentage points, regions, conflicts, a retag's one line."""

from __future__ import annotations

import dataclasses

from test_alerts_support import NOW, make_config
from test_store_support import article

from alerts import render_html, render_text
from alerts.digest import build_due_digests
from extract import tag_text
from store.retag import retag

KOMDIGI = "https://www.komdigi.go.id/berita/siaran-pers/detail/bts-4g-juni"
DETIK = "https://inet.detik.com/berita/d-7500001/bts-4g-on-air"
LIPUTAN6 = "https://www.liputan6.com/tekno/read/5500001/penetrasi-internet"
LIPUTAN6_LATER = "https://www.liputan6.com/tekno/read/5500002/penetrasi-internet-naik"
REPUBLIKA = "https://tekno.republika.co.id/berita/s4d5e6f7g/blank-spot-jateng"


def tagged(store, url, text, published, figures=None):
    return store.record_article(article(url, text, published_at=published), tag_text(text) if figures is None
                                else figures)


def digest(store, config):
    [built] = build_due_digests(store, config, NOW)
    return built.payload


def test_a_percentage_changes_by_points(tmp_path, store):
    tagged(store, LIPUTAN6, "Penetrasi internet per Maret 2026 mencapai 82 persen.", "2026-04-01T10:00:00+07:00")
    tagged(store, LIPUTAN6_LATER, "Penetrasi internet per September 2026 mencapai 87,8 persen.",
           "2026-10-01T10:00:00+07:00")
    config = make_config(tmp_path, recipients=[{"name": "id"}, {"name": "en", "language": "en"}])
    by_language = {d.payload["language"]: d.payload for d in build_due_digests(store, config, NOW)}
    assert "perubahan +5,8 poin" in render_text(by_language["id"], config)
    assert "change +5.8 points" in render_text(by_language["en"], config)
    assert "%)" not in render_text(by_language["id"], config).split("perubahan")[1].splitlines()[0]


def test_min_change_for_a_percentage_is_in_points(tmp_path, store):
    tagged(store, LIPUTAN6, "Penetrasi internet per Maret 2026 mencapai 82 persen.", "2026-04-01T10:00:00+07:00")
    config = make_config(tmp_path, recipients=[{"name": "tim", "min_change_pct": 5}])
    digest(store, config)
    # 82 → 85: 3 points (3,7 % of 82) is below 5; 85 → 91: 6 points is not
    tagged(store, LIPUTAN6_LATER, "Penetrasi internet per Juni 2026 mencapai 85 persen.", "2026-07-01T10:00:00+07:00")
    tagged(store, LIPUTAN6_LATER + "-lagi", "Penetrasi internet per September 2026 mencapai 91 persen.",
           "2026-10-01T10:00:00+07:00")
    lines = [item for group in digest(store, config)["groups"] for m in group["metrics"] for item in m["items"]]
    assert [item["value"] for item in lines] == [91]


def test_a_regional_line_names_its_region(tmp_path, store):
    tagged(store, REPUBLIKA, "Sebanyak 310 desa di Jawa Tengah masih belum terjangkau sinyal seluler.",
           "2026-11-20T10:00:00+07:00")
    config = make_config(tmp_path)
    payload = digest(store, config)
    text = render_text(payload, config)
    assert "capaian · Jawa Tengah · republika" in text
    assert '<span class="chip">Jawa Tengah</span>' in render_html(payload, config)


BTS_KOMDIGI = "Jumlah BTS 4G BAKTI yang beroperasi per Juni 2026 mencapai 7.690 BTS."
BTS_DETIK = "Data operator menunjukkan per Juni 2026 baru 7.402 BTS 4G BAKTI yang on air."


def test_a_conflict_shows_both_values_sources_and_links(tmp_path, store):
    tagged(store, KOMDIGI, BTS_KOMDIGI, "2026-07-02T10:00:00+07:00")
    tagged(store, DETIK, BTS_DETIK, "2026-07-20T10:00:00+07:00")
    config = make_config(tmp_path, recipients=[{"name": "id"}, {"name": "en", "language": "en"}])
    by_language = {d.payload["language"]: d.payload for d in build_due_digests(store, config, NOW)}
    payload = by_language["id"]
    assert payload["counts"]["conflict"] == 1
    text = render_text(payload, config)
    assert "* Konflik (periode 2026-06): detik 7.402 BTS = 7.402 BTS vs komdigi 7.690 BTS = 7.690 BTS" in text
    assert DETIK in text and KOMDIGI in text
    assert "1 konflik" in text.splitlines()[1]            # the subject line
    html = render_html(payload, config)
    assert f'href="{KOMDIGI}"' in html and f'href="{DETIK}"' in html and "Konflik" in html
    english = render_text(by_language["en"], config)
    assert "* Conflict (period 2026-06): detik 7.402 BTS = 7,402 BTS vs komdigi 7.690 BTS = 7,690 BTS" in english
    assert f"komdigi: {KOMDIGI}" in english and "· 1 conflicting" in english.splitlines()[1]


def test_a_recipient_of_either_site_gets_the_conflict(tmp_path, store):
    tagged(store, KOMDIGI, BTS_KOMDIGI, "2026-07-02T10:00:00+07:00")
    tagged(store, DETIK, BTS_DETIK, "2026-07-20T10:00:00+07:00")
    config = make_config(tmp_path, recipients=[{"name": "komdigi", "sites": ["komdigi"]}])
    assert digest(store, config)["counts"]["conflict"] == 1


def test_a_retag_is_one_line_in_the_next_digest(tmp_path, store):
    texts = {
        "https://www.komdigi.go.id/berita/siaran-pers/detail/penetrasi-87":
            "Survei mencatat penetrasi internet rumah tangga mencapai 87 persen.\n"
            "Angka itu naik dari 82 persen pada survei sebelumnya.",
        REPUBLIKA: "Sebanyak 310 desa di Jawa Tengah masih belum terjangkau sinyal seluler.",
        DETIK: "Pemerintah mencatat 6 juta UMKM sudah berjualan online.",
    }
    for url, text in texts.items():   # tagged by a tagger without when and scope
        older = [dataclasses.replace(f, when="now", scope=None) for f in tag_text(text)]
        tagged(store, url, text, "2026-11-01T10:00:00+07:00", figures=older)
    store.db.execute("update articles set tagger_version = 'old'")
    store.db.conn.commit()
    config = make_config(tmp_path, recipients=[{"name": "id"}, {"name": "en", "language": "en"}])
    build_due_digests(store, config, NOW)                 # the crawl's digest
    report = retag(store, lambda text: tag_text(text, store.taxonomy))
    assert (report.articles, report.figures_changed) == (3, 2)
    by_language = {d.payload["language"]: d.payload for d in build_due_digests(store, config, NOW)}
    text = render_text(by_language["id"], config)
    assert "Pembacaan ulang: 3 artikel dibaca ulang, 2 angka berubah" in text
    assert by_language["id"]["groups"] == []              # the retag's own findings are not listed
    assert "3 articles re-read, 2 figures changed" in render_text(by_language["en"], config)
    assert "3 artikel dibaca ulang, 2 angka berubah" in render_html(by_language["id"], config)
