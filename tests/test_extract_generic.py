"""Extraction on sites no profile knows (issue 18): when a page is a listing, where the body is,
what the reader keeps. Every page here is our own minimal markup with our own sentences; each pins
one structural rule, not a page of any benchmark."""

from __future__ import annotations

import pytest

from extract import NotAnArticle, extract_article, tag_text
from extract.body import find_body
from extract.tables import row_lines

P1 = ("Sebanyak 1.250 pelaku UMKM di Kabupaten Sukamaju kini berjualan lewat lokapasar setelah mengikuti "
      "pelatihan digital selama tiga bulan.")
P2 = ("Dinas koperasi menargetkan 2.000 usaha mikro lain ikut program yang sama sebelum akhir tahun depan, "
      "terutama perajin anyaman dan penjual makanan olahan.")
P3 = ("Menurut kepala dinas, sebagian besar peserta sudah mendapat pesanan pertama dari luar provinsi dalam "
      "dua pekan setelah toko daring mereka dibuka.")
URL = "https://kabarsukamaju.example.id/berita/2026/11/umkm-lokapasar"


def _page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>UMKM Sukamaju</title>{head}</head><body>{body}</body></html>"


def _story(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


# -- listing only on evidence ------------------------------------------------------------------------

def test_comment_and_teaser_articles_do_not_make_a_page_a_listing():
    comments = "".join(f"<article class='komentar'><p>Pembaca {i}: Semoga programnya berlanjut ke desa kami juga, "
                       f"karena warga di sini sudah lama menunggu pelatihan seperti ini.</p></article>" for i in range(8))
    teasers = "".join(f"<article class='kartu'><h3><a href='/berita/{i}'>Judul berita lain nomor {i}</a></h3></article>"
                      for i in range(6))
    page = _page(f"<article class='utama'><h1>UMKM Sukamaju</h1>{_story(P1, P2, P3)}</article>"
                 f"<section id='comments'>{comments}</section><div>{teasers}</div>")
    article = extract_article(page, URL)
    assert article.text.splitlines() == [P1, P2, P3]


@pytest.mark.parametrize("url", ["https://blog-desa.example.id/?p=4521", "https://blog-desa.example.id/",
                                 "https://blog-desa.example.id/index.php?id=88"])
def test_query_keyed_and_root_urls_of_unknown_sites_are_articles(url):
    assert extract_article(_page(f"<div class='isi'>{_story(P1, P2)}</div>"), url).text.startswith("Sebanyak 1.250")


def test_a_site_profiles_home_page_is_not_an_article():
    with pytest.raises(NotAnArticle, match="listing URL"):
        extract_article(_page(f"<div>{_story(P1, P2)}</div>"), "https://www.detik.com/")


def _link_list(n: int) -> str:
    return "<ul>" + "".join(f"<li><a href='/berita/{i}'>Warga desa nomor {i} mulai berjualan daring</a></li>"
                            for i in range(n)) + "</ul>"


def test_a_body_that_is_a_list_of_links_is_not_an_article():
    with pytest.raises(NotAnArticle, match="list of links"):
        extract_article(_page(f"<h1>Indeks</h1>{_link_list(30)}"), URL)


def test_json_ld_collection_needs_a_body_without_prose():
    ld = '<script type="application/ld+json">{"@type": "CollectionPage", "name": "Kategori UMKM"}</script>'
    with pytest.raises(NotAnArticle, match="collection"):
        extract_article(_page(f"<h1>Kategori</h1>{_link_list(5)}", head=ld), URL)
    # A category page that also tells a story is read (small sites put their text there).
    assert P1 in extract_article(_page(f"<h1>Kategori</h1><div>{_story(P1, P2, P3)}</div>{_link_list(5)}", head=ld), URL).text


def test_short_lines_next_to_many_links_are_not_a_listing():
    # A song or a poem in short lines on a page full of links (a lyrics blog).
    poem = "<div class='lirik'>" + "<br>".join(f"Baris lagu nomor {i} tentang desa" for i in range(30)) + "</div>"
    article = extract_article(_page(f"<h1>Lagu</h1>{poem}{_link_list(60)}"), URL)
    assert "Baris lagu nomor 7 tentang desa" in article.text


# -- the body ------------------------------------------------------------------------------------------

def test_body_spans_lead_and_sibling_blocks_under_one_parent():
    page = _page("<div class='kolom'><h1>UMKM Sukamaju</h1>"
                 f"<p class='lead'>{P1}</p>"
                 "<div class='foto'><img src='a.jpg'></div>"
                 f"<div class='grup'><div class='teks'>{_story(P2, P3, P2.replace('2.000', '3.000'))}</div></div>"
                 "<div class='terkait'>" + _link_list(12) + "</div></div>")
    text = extract_article(page, URL).text
    assert text.splitlines()[0] == P1 and P3 in text
    assert "Warga desa nomor" not in text


def test_a_comment_list_with_more_prose_than_the_story_is_not_the_body():
    comment = ("Saya pedagang kerupuk dan sudah mencoba jualan daring sejak tahun lalu, hasilnya lumayan "
               "walau ongkos kirim ke luar pulau masih mahal sekali.")
    comments = "<ol class='comment-list'>" + "".join(f"<li><p>{comment} ({i})</p></li>" for i in range(12)) + "</ol>"
    page = _page(f"<div class='konten'><h1>UMKM</h1>{_story(P1, P2)}</div>{comments}")
    text = extract_article(page, URL).text
    assert P1 in text and "pedagang kerupuk" not in text


def test_a_sidebar_or_cookie_notice_is_not_the_body():
    notice = ("Situs ini memakai kuki untuk mengingat pilihan Anda dan mengukur kunjungan; dengan terus "
              "membaca Anda menyetujui penggunaan kuki sesuai kebijakan privasi kami yang berlaku.")
    page = _page(f"<div class='cookie-banner'><p>{notice}</p><p>{notice}</p></div>"
                 f"<aside class='samping'><p>{P3} {P3}</p></aside><div class='isi'>{_story(P1, P2)}</div>")
    text = extract_article(page, URL).text
    assert text.splitlines() == [P1, P2]


def test_a_layout_named_wrapper_is_not_taken_for_a_sidebar():
    page = _page(f"<div class='main-content has-sidebar'><div class='isi'>{_story(P1, P2)}</div></div>"
                 f"<div class='widget-area sidebar'>{_link_list(8)}</div>")
    assert extract_article(page, URL).text.splitlines() == [P1, P2]


def test_noscript_copy_is_read_only_when_no_body_stands_outside_it():
    scripted = _page(f"<div id='app'></div><noscript><div class='isi'>{_story(P1, P2)}</div></noscript>")
    assert extract_article(scripted, URL).text.splitlines() == [P1, P2]
    both = _page(f"<div class='isi'>{_story(P1, P2)}</div><noscript><p>{P3}</p><p>{P3}</p><p>{P3}</p></noscript>")
    assert P3 not in extract_article(both, URL).text


@pytest.mark.parametrize("wrapper", ["<div class='widget'>{}</div>", "<div class='post ads'>{}</div>",
                                     "<div class='js-dynamic-advertorial konten'>{}</div>",
                                     "<form id='mainform'>{}</form>"])
def test_no_prune_selector_removes_the_element_holding_the_story(wrapper):
    # (ASP.NET wraps a whole page, headline included, in one <form>.)
    page = _page(wrapper.format(f"<h1>UMKM</h1><div class='teks'>{_story(P1, P2, P3)}</div>"))
    assert extract_article(page, URL).text.splitlines() == [P1, P2, P3]


def test_find_body_returns_the_story_element_and_its_best_block():
    page = extract_article  # noqa: F841 (keeps the import list honest)
    from extract.article import _parse

    tree = _parse(_page(f"<nav>{_link_list(5)}</nav><main><div class='teks'>{_story(P1, P2)}</div></main>"), URL)
    body = find_body(tree)
    assert body.best.get("class") == "teks" and body.link_density < 0.1


# -- what the reader keeps ------------------------------------------------------------------------------

def test_headings_inside_the_body_are_kept():
    page = _page(f"<div class='isi'>{_story(P1)}<h2>Target Tahun Depan</h2>{_story(P2)}<h3>Kendala</h3>{_story(P3)}</div>")
    assert extract_article(page, URL).text.splitlines() == [P1, "Target Tahun Depan", P2, "Kendala", P3]


def test_a_heading_over_a_list_of_links_goes_with_it():
    page = _page(f"<div class='isi'>{_story(P1, P2)}<h3>Baca Artikel Lain</h3>{_link_list(4)}</div>")
    assert extract_article(page, URL).text.splitlines() == [P1, P2]


def test_text_directly_in_divs_and_pre_is_kept():
    code = "ping -c 4 server-desa.example.id\n  traceroute server-desa.example.id"
    page = _page(f"<div class='isi'><div>{P1}</div><div>{P2}<br><br>{P3}</div><pre>{code}</pre><div>{P1}</div></div>")
    text = extract_article(page, URL).text
    assert text.splitlines() == [P1, P2, P3, "ping -c 4 server-desa.example.id", "traceroute server-desa.example.id", P1]


def test_ruby_readings_are_dropped():
    sentence = ("<p>村の<ruby>商店<rp>(</rp><rt>しょうてん</rt><rp>)</rp></ruby>はオンライン販売を始め、売り上げが"
                "三割増えたと<ruby>組合<rt>くみあい</rt></ruby>は話している。このような取り組みは地方の小さな町でも広がっている。</p>"
                "<p>町の役場は来年、店主向けの講習会を三回開き、写真の撮り方や商品説明の書き方を教える予定だ。</p>")
    page = _page(f"<div class='isi'>{sentence}</div>")
    text = extract_article(page, URL).text
    assert "村の商店はオンライン販売を始め" in text and "しょうてん" not in text and "くみあい" not in text


def test_an_unpunctuated_last_line_of_cjk_text_is_kept():
    body = ("<p>乡村小店开始在网上销售土特产，三个月内订单增长了一倍多，合作社负责人说明年还要培训更多店主。</p>"
            "<p>县里今年新建了十二个快递服务站，山区农户的包裹两天之内就能送到城里的买家手中。</p>"
            "<p>电商培训班每期招收四十名学员，课程包括拍照、写商品介绍和回复顾客留言。</p>"
            "<p>记者 王小明</p>")
    text = extract_article(_page(f"<div class='isi'>{body}</div>"), URL).text
    assert text.splitlines()[-1] == "记者 王小明"


def test_an_unpunctuated_last_line_of_latin_text_still_goes():
    page = _page(f"<div class='isi'>{_story(P1, P2)}<p>Berita Pilihan Redaksi Hari Ini</p></div>")
    assert extract_article(page, URL).text.splitlines() == [P1, P2]


# -- tables ---------------------------------------------------------------------------------------------

TABLE = """<table><caption>Menara BTS 4G yang beroperasi, Oktober 2026</caption>
<thead><tr><th>Provinsi</th><th>Jumlah BTS</th><th>Anggaran</th></tr></thead>
<tbody><tr><td>Papua</td><td>1.200</td><td>Rp 2,4 triliun</td></tr>
<tr><td>Maluku</td><td>430</td><td>Rp 860 miliar</td></tr></tbody></table>"""


def test_a_data_table_becomes_one_line_per_row_with_its_headers():
    page = _page(f"<div class='isi'>{_story(P1)}{TABLE}{_story(P2)}</div>")
    lines = extract_article(page, URL).text.splitlines()
    assert lines == [P1, "Menara BTS 4G yang beroperasi, Oktober 2026",
                     "Provinsi: Papua; Jumlah BTS: 1.200; Anggaran: Rp 2,4 triliun",
                     "Provinsi: Maluku; Jumlah BTS: 430; Anggaran: Rp 860 miliar", P2]


def test_figures_in_table_cells_are_tagged_with_their_row_and_column():
    page = _page(f"<h1>BTS 4G</h1><div class='isi'>{_story(P1)}{TABLE}{_story(P3)}</div>")
    text = extract_article(page, URL).text
    in_rows = [f for f in tag_text(text) if f.sentence.startswith("Provinsi:")]
    towers = {(f.value, f.sentence.split(";")[0]) for f in in_rows if f.metric == "bts_towers"}
    assert towers == {(1200, "Provinsi: Papua"), (430, "Provinsi: Maluku")}
    for figure in in_rows:
        assert text[figure.start:figure.end] == figure.surface


def test_a_table_without_header_row_gives_plain_cells():
    from extract.article import _parse

    tree = _parse(_page("<table><tr><td>Desa Sukamaju</td><td>12 titik wifi</td></tr>"
                        "<tr><td>Desa Sukamulya</td><td>9 titik wifi</td></tr></table>"), URL)
    assert row_lines(tree.find(".//table")) == ["Desa Sukamaju; 12 titik wifi", "Desa Sukamulya; 9 titik wifi"]


def test_a_layout_table_reads_as_plain_blocks():
    page = _page(f"<table><tr><td class='menu'><a href='/'>Beranda</a></td><td><h1>UMKM</h1>{_story(P1, P2, P3)}</td></tr></table>")
    assert extract_article(page, URL).text.splitlines() == [P1, P2, P3]


def test_teaser_cards_after_the_story_are_dropped():
    cards = "".join(f"<div class='kartu'><h3><a href='/berita/{i}'>Judul berita lain nomor {i} tentang desa</a></h3>"
                    f"<p>Ringkasan singkat berita nomor {i} tentang kegiatan warga.</p></div>" for i in range(3))
    page = _page(f"<div class='isi'>{_story(P1, P2)}<h2>Berita Lainnya</h2>{cards}</div>")
    assert extract_article(page, URL).text.splitlines() == [P1, P2]


def test_loose_text_beside_paragraphs_is_dropped_but_a_loose_story_is_read():
    page = _page(f"<div class='isi'><div class='tgl'>Senin, 24 November 2026</div><span>5 menit baca</span>"
                 f"{_story(P1, P2, P3)}<div>Bagikan ke teman</div></div>")
    assert extract_article(page, URL).text.splitlines() == [P1, P2, P3]
    loose = _page(f"<div class='isi'>{P1}<br><br>{P2}<br><br>{P3}</div>")
    assert extract_article(loose, URL).text.splitlines() == [P1, P2, P3]


def test_a_story_ending_in_list_items_keeps_them_but_not_a_trailing_label():
    items = "<ul><li>Tepung terigu: 250 gram</li><li>Gula pasir: 100 gram</li></ul>"
    page = _page(f"<div class='isi'>{_story(P1, P2)}{items}<p>Ikuti Kami di Media Sosial</p></div>")
    assert extract_article(page, URL).text.splitlines() == [P1, P2, "Tepung terigu: 250 gram", "Gula pasir: 100 gram"]
