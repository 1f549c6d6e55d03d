"""Findings computed on write, over realistic sequences of articles (DESIGN.md "Findings")."""

from __future__ import annotations

import pytest
from test_store_support import article, figure

from kernel.records import Figure
from store import Store
from store.recording import FIGURE_FIELDS

DETIK = "https://inet.detik.com/berita/d-7000001/umkm-go-online"
LIPUTAN6 = "https://www.liputan6.com/bisnis/read/5000001/umkm-go-digital"
REPUBLIKA = "https://ekonomi.republika.co.id/berita/s1a2b3c4d/umkm-daring"
KOMDIGI = "https://www.komdigi.go.id/berita/pengumuman/detail/umkm-go-online"

TEXT_46 = ("Kementerian menyebutkan terdapat 4,6 juta UMKM yang telah mengakses online.\n"
           "Menurut dia, sekarang baru 4,6 juta yang sudah berjualan di marketplace.")
TEXT_46_DOTS = "Hingga Juni tercatat 4.600.000 UMKM sudah go online di berbagai platform."
TEXT_8 = "Kini jumlah UMKM yang go online sudah mencapai 8 juta UMKM, kata menteri."


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "pantau.db") as s:
        yield s


def record_46(store, url=DETIK, published="2024-03-01T10:00:00+07:00"):
    return store.record_article(article(url, TEXT_46, published_at=published), [
        figure(TEXT_46, "4,6 juta UMKM", 4_600_000), figure(TEXT_46, "4,6 juta", 4_600_000, occurrence=1)])


def test_first_value_of_a_metric_is_one_new_value_despite_two_mentions(store):
    result = record_46(store)
    assert result.status == "new" and result.version == 1
    [finding] = result.findings
    assert (finding.kind, finding.metric, finding.value, finding.previous_value) == ("new_value", "umkm_online",
                                                                                     4_600_000, None)
    assert finding.family == "umkm" and finding.site == "detik" and finding.url == DETIK
    assert finding.sentence.startswith("Kementerian menyebutkan") and finding.detail["mentions"] == 2
    assert finding.published_at == "2024-03-01T03:00:00+00:00"  # stored in UTC


def test_same_value_from_another_site_adds_a_source_not_a_finding(store):
    record_46(store)
    again = store.record_article(article(LIPUTAN6, TEXT_46_DOTS, published_at="2024-03-02T09:00:00+07:00"),
                                 [figure(TEXT_46_DOTS, "4.600.000 UMKM", 4_600_000)])
    assert again.status == "new" and again.findings == []
    [latest] = store.latest_values()
    assert latest["sources"] == 2 and latest["value"] == 4_600_000
    assert latest["url"] == canonical(LIPUTAN6)  # the latest statement is the newer article


def canonical(url):
    from kernel.urls import canonical_url
    return canonical_url(url)


def test_rounded_and_exact_values_agree_but_a_nearby_value_does_not(store):
    record_46(store)
    text = "Data terbaru menunjukkan 4.612.345 UMKM sudah go online, naik dari bulan lalu."
    exact = store.record_article(article(REPUBLIKA, text, published_at="2024-03-03T08:00:00+07:00"),
                                 [figure(text, "4.612.345 UMKM", 4_612_345)])
    assert exact.findings == []  # "4,6 juta" stands for 4 550 000 … 4 650 000
    text2 = "Sementara itu 4,7 juta UMKM go online menurut data kementerian."
    # (a month later: another site's different value in the same month would be a conflict)
    nearby = store.record_article(article(KOMDIGI, text2, published_at="2024-04-04T08:00:00+07:00"),
                                  [figure(text2, "4,7 juta UMKM", 4_700_000)])
    [finding] = nearby.findings
    assert finding.kind == "new_value" and finding.previous_value == 4_612_345


def test_new_value_carries_previous_latest_and_change(store):
    record_46(store)
    result = store.record_article(article(LIPUTAN6, TEXT_8, published_at="2024-06-01T10:00:00+07:00"),
                                  [figure(TEXT_8, "8 juta UMKM", 8_000_000)])
    [finding] = result.findings
    assert finding.kind == "new_value"
    assert finding.previous_value == 4_600_000 and finding.abs_change == 3_400_000
    assert finding.pct_change == pytest.approx(73.913, rel=1e-4)
    assert finding.previous_url == DETIK and finding.previous_published_at == "2024-03-01T03:00:00+00:00"
    assert finding.previous_figure_id is not None


def test_a_value_that_returns_after_another_is_a_new_value_again(store):
    record_46(store)
    store.record_article(article(LIPUTAN6, TEXT_8, published_at="2024-06-01T10:00:00+07:00"),
                         [figure(TEXT_8, "8 juta UMKM", 8_000_000)])
    back = store.record_article(article(REPUBLIKA, TEXT_46_DOTS, published_at="2024-07-01T10:00:00+07:00"),
                                [figure(TEXT_46_DOTS, "4.600.000 UMKM", 4_600_000)])
    [finding] = back.findings
    assert (finding.kind, finding.value, finding.previous_value) == ("new_value", 4_600_000, 8_000_000)
    assert finding.pct_change == pytest.approx(-42.5)
    history = store.metric_history("umkm_online")
    assert [row["value"] for row in history] == [4_600_000, 8_000_000, 4_600_000]
    assert history[0]["mentions"] == 2


def test_an_older_article_repeating_a_known_value_is_not_news(store):
    record_46(store)
    store.record_article(article(LIPUTAN6, TEXT_8, published_at="2024-06-01T10:00:00+07:00"),
                         [figure(TEXT_8, "8 juta UMKM", 8_000_000)])
    late = store.record_article(article(REPUBLIKA, TEXT_46_DOTS, published_at="2024-02-01T10:00:00+07:00"),
                                [figure(TEXT_46_DOTS, "4.600.000 UMKM", 4_600_000)])
    assert late.findings == []
    assert store.latest_values()[0]["value"] == 8_000_000


def test_revision_that_changes_a_number(store):
    v1 = "Pemerintah menargetkan 30 juta UMKM go digital pada 2024, ujar menteri."
    v2 = "Pemerintah menargetkan 24 juta UMKM go digital pada 2024, ujar menteri (diralat)."
    kwargs = dict(metric="umkm_online_target", is_target=True, year=2024)
    first = store.record_article(article(KOMDIGI, v1, published_at="2024-01-10T09:00:00+07:00"),
                                 [figure(v1, "30 juta UMKM", 30_000_000, **kwargs)], fetched_at="2024-01-10T03:00:00Z")
    edited = store.record_article(
        article(KOMDIGI, v2, published_at="2024-01-10T09:00:00+07:00", modified_at="2024-01-11T08:00:00+07:00"),
        [figure(v2, "24 juta UMKM", 24_000_000, **kwargs)], fetched_at="2024-01-11T02:00:00Z")
    assert edited.status == "changed" and edited.version == 2 and edited.article_id == first.article_id
    [finding] = edited.findings
    assert finding.kind == "revised"
    assert (finding.old_value, finding.value, finding.previous_value) == (30_000_000, 24_000_000, 30_000_000)
    assert finding.abs_change == -6_000_000 and finding.article_version == 2
    assert finding.previous_published_at == "2024-01-10T02:00:00+00:00"  # old version's date
    assert finding.published_at == "2024-01-11T01:00:00+00:00"  # new version's modified date
    assert finding.detail["old_surface"] == "30 juta UMKM" and finding.detail["old_version"] == 1
    old = store.db.execute("select withdrawn_at, withdrawn_in_version from figures where value = 30000000").fetchone()
    assert old == ("2024-01-11T02:00:00+00:00", 2)
    versions = store.db.execute("select version, text from article_versions").fetchall()
    assert versions == [(1, v1)]
    [latest] = store.latest_values()
    assert latest["value"] == 24_000_000
    history = store.metric_history("umkm_online_target")
    assert [(row["value"], row["withdrawn_at"] is not None) for row in history] == [(30e6, True), (24e6, False)]


def test_revision_keeping_a_number_keeps_its_figure(store):
    result = record_46(store)
    edited_text = TEXT_46 + "\nPemerintah terus mendorong digitalisasi."
    edited = store.record_article(article(DETIK, edited_text), [
        figure(edited_text, "4,6 juta UMKM", 4_600_000), figure(edited_text, "4,6 juta", 4_600_000, occurrence=1)])
    assert edited.status == "changed" and edited.findings == []
    rows = store.db.execute("select id, version, withdrawn_at from figures order by id").fetchall()
    assert [(r[1], r[2]) for r in rows] == [(2, None), (2, None)]
    assert [row["mentions"] for row in store.metric_history("umkm_online")] == [2]
    assert result.findings[0].figure_id == rows[0][0]


def test_withdrawn_figure_no_longer_counts_as_latest(store):
    record_46(store)
    store.record_article(article(LIPUTAN6, TEXT_8, published_at="2024-06-01T10:00:00+07:00"),
                         [figure(TEXT_8, "8 juta UMKM", 8_000_000)])
    # Liputan6 edits the article and drops the number altogether: the figure is withdrawn, not deleted.
    dropped = "Kini jumlah UMKM yang go online terus bertambah, kata menteri."
    edit = store.record_article(article(LIPUTAN6, dropped, published_at="2024-06-01T10:00:00+07:00"), [])
    assert edit.status == "changed" and edit.findings == []
    assert store.db.execute("select count(*) from figures where withdrawn_at is not null").fetchone()[0] == 1
    assert store.latest_values()[0]["value"] == 4_600_000
    # 8 juta stated again by another site: new against the live latest (4,6 juta), not a repeat.
    again = store.record_article(article(REPUBLIKA, TEXT_8, published_at="2024-07-01T10:00:00+07:00"),
                                 [figure(TEXT_8, "8 juta UMKM", 8_000_000)])
    [finding] = again.findings
    assert finding.kind == "new_value" and finding.previous_value == 4_600_000


def test_targets_and_actuals_are_separate_series(store):
    record_46(store)
    text = "Pemerintah menargetkan 8 juta UMKM go online hingga 2019."
    result = store.record_article(article(LIPUTAN6, text), [
        figure(text, "8 juta UMKM", 8_000_000, metric="umkm_online_target", is_target=True, year=2019)])
    [finding] = result.findings
    assert finding.previous_value is None and finding.is_target is True and finding.year == 2019
    assert len(store.latest_values()) == 2


def test_unknown_year_agrees_with_a_known_year(store):
    text = "Delapan Juta UMKM Ditargetkan Melek Internet 2019\nTarget mengonlinekan delapan juta UMKM hingga tahun 2019."
    kwargs = dict(metric="umkm_online_target", is_target=True)
    first = store.record_article(article(REPUBLIKA, text), [
        figure(text, "Delapan Juta UMKM", 8e6, year=2019, **kwargs),
        figure(text, "delapan juta UMKM", 8e6, year=2019, **kwargs)])
    assert len(first.findings) == 1
    text2 = "Ditargetkan delapan juta UMKM go online tahun ini."
    second = store.record_article(article(LIPUTAN6, text2, published_at="2024-03-05T10:00:00+07:00"),
                                  [figure(text2, "delapan juta UMKM", 8e6, **kwargs)])
    assert second.findings == []


def test_context_metric_findings_are_flagged(store):
    text = "Dari total 64 juta UMKM di Indonesia, sebagian besar belum go digital."
    result = store.record_article(article(DETIK, text), [figure(text, "64 juta UMKM", 64e6, metric="umkm_total")])
    [finding] = result.findings
    assert finding.is_context is True and finding.metric == "umkm_total"
    assert store.latest_values(include_context=False) == []


def test_findings_after_returns_later_findings_in_order(store):
    first = record_46(store).findings[0]
    store.record_article(article(LIPUTAN6, TEXT_8, published_at="2024-06-01T10:00:00+07:00"),
                         [figure(TEXT_8, "8 juta UMKM", 8_000_000)])
    health = store.record_health("komdigi", "feed_empty", "sitemap kosong 3 kali berturut-turut")
    later = store.findings_after(first.id)
    assert [f.kind for f in later] == ["new_value", "source_health"]
    assert later[-1] == health and health.detail == {"problem": "feed_empty",
                                                      "message": "sitemap kosong 3 kali berturut-turut"}
    assert store.findings_after(health.id) == []


SEED_SOURCES = {  # seed -> (URL we file it under, publication date as its text gives it)
    "004_f91d3a2904191421": ("https://ekonomi.republika.co.id/berita/ozjlbd382/umkm-go-online",
                             "2017-11-16T01:36:00+07:00"),
    "001_e9640ddfbbba4f75": ("https://www.komdigi.go.id/berita/pengumuman/detail/bbi-talenta-digital",
                             "2020-05-14T10:00:00+07:00"),
    "002_29840af72acb5eab": ("https://www.komdigi.go.id/berita/pengumuman/detail/umkm-jualan-online",
                             "2020-05-21T10:00:00+07:00"),
    "000_795ef96f8852a83b": ("https://news.detik.com/berita/d-5064000/titik-internet-gratis",
                             "2020-06-23T10:00:00+07:00"),
    "003_fe6cf007ba2786d0": ("https://www.liputan6.com/bisnis/read/4331000/ict-desa", "2020-08-16T18:30:00+07:00"),
}


def test_the_five_sample_articles_in_publication_order(store, seeds_dir):
    import json

    gold: dict[str, list[dict]] = {}
    for line in (seeds_dir / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold.setdefault(row.pop("article"), []).append({k: v for k, v in row.items() if k != "note"})
    kinds = {}
    for seed, (url, published) in SEED_SOURCES.items():
        text = (seeds_dir / f"{seed}.txt").read_text(encoding="utf-8")
        figures = [Figure(**{name: row[name] for name in FIGURE_FIELDS if name in row}) for row in gold[seed]]
        result = store.record_article(article(url, text, published_at=published, title=text.split("\n")[0]),
                                      figures)
        kinds[seed] = sorted(f.metric for f in result.findings)
    assert kinds == {
        "004_f91d3a2904191421": ["umkm_online", "umkm_online", "umkm_online_target"],  # 4,6 juta; 3,79 juta; 8 juta
        "001_e9640ddfbbba4f75": ["digital_talent_target", "internet_access_points"],
        "002_29840af72acb5eab": ["bts_towers"],
        "000_795ef96f8852a83b": ["umkm_online", "umkm_online_added"],  # 7.634 titik again: a source, not news
        "003_fe6cf007ba2786d0": ["ict_budget_idr", "villages_4g_covered", "villages_unconnected"],
    }
    [umkm_500k] = [f for f in store.findings_after(0) if f.value == 500_000]
    assert umkm_500k.previous_value == 3_790_000  # 004's last statement (ties on date go to the later figure)
    latest = {row["metric"]: row for row in store.latest_values()}
    assert latest["internet_access_points"]["sources"] == 2
    assert latest["internet_access_points"]["url"] == SEED_SOURCES["000_795ef96f8852a83b"][0]
    assert store.db.execute("select count(*) from figures").fetchone()[0] == 18
    assert len(store.metric_history("internet_access_points")) == 2  # one row per article, not per mention
