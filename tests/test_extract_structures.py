"""Structural rules learnt from real saved pages (old detik, old Republika and its subsites, KLY
2016, a wire agency, RSS), each pinned with a minimal page of our own markup and sentences."""

from __future__ import annotations

import pytest

from extract import NotAnArticle, extract_article
from extract.article import _labelled_byline

BODY = ("<p>Sebanyak 42 warung kopi di Kecamatan Sukamaju kini menerima pembayaran dengan kode QR setelah "
        "sinyal 4G masuk ke desa itu.</p><p>Dinas koperasi menargetkan 150 usaha mikro lain memakai pembayaran "
        "digital sebelum akhir tahun ini.</p>")
URL = "https://contoh.example/berita/123/warung-kopi-desa"


def _page(head: str = "", body: str = "") -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize("document", [
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Terkini</title><item><title>A</title></item></channel></rss>',
    '<?xml version="1.0" encoding="UTF-8"?>\n<!-- dibuat otomatis -->\n<urlset xmlns="x"><url><loc>https://a/b</loc></url></urlset>',
    '<feed xmlns="http://www.w3.org/2005/Atom"><title>Kabar</title><entry><title>B</title></entry></feed>',
])
def test_feed_or_sitemap_fetched_as_a_page_is_not_an_article(document):
    with pytest.raises(NotAnArticle, match="feed or sitemap"):
        extract_article(document.encode(), "https://www.republika.co.id/feed/terkini")


def test_title_loses_the_pages_own_site_name_suffix():
    head = ("<title>Nelayan Dapat Internet Satelit | kabarpesisir.co.id</title>"
            "<meta property='og:site_name' content='kabarpesisir.co.id'>")
    article = extract_article(_page(head, f"<div>{BODY}</div>"), URL)
    assert article.title == "Nelayan Dapat Internet Satelit"


def test_h1_title_is_never_cut():
    head = "<meta property='og:site_name' content='Kabar'>"
    article = extract_article(_page(head, f"<h1>Warung - Kabar</h1><div>{BODY}</div>"), URL)
    assert article.title == "Warung - Kabar"


@pytest.mark.parametrize("text, person", [
    ("Reporter : Dewi Lestari Redaktur : Joko Susilo", "Dewi Lestari"),
    ("Redaktur : Wulan Sari Sumber : antara", "Wulan Sari"),
    ("Rep: Dewi Lestari/ Red: Joko Susilo", "Dewi Lestari"),
    ("Sumber : antara", None),
    ("Dewi Lestari", None),
])
def test_labelled_byline_names_the_reporter_first(text, person):
    assert _labelled_byline(text) == person


def test_byline_table_without_profile_selector():
    byline = ("<div class='kotak'><table><tr><td><strong>Redaktur :</strong> Wulan Sari</td></tr>"
              "<tr><td><strong>Sumber :</strong> antara</td></tr></table></div>")
    article = extract_article(_page("", f"<h1>Judul</h1><div class='isi'>{BODY}</div>{byline}"), URL)
    assert article.author == "Wulan Sari"
    assert "Redaktur" not in article.text and "Sumber" not in article.text


def test_visible_oleh_byline_beats_json_ld_author():
    ld = ('<script type="application/ld+json">{"@type":"NewsArticle","headline":"Judul",'
          '"author":{"@type":"Person","name":"Nama Editor"}}</script>')
    article = extract_article(_page(ld, f"<h1>Judul</h1><div class='penulis'>Oleh <span>Maria Tuasikal</span></div>"
                                        f"<div class='isi'>{BODY}</div>"), URL)
    assert article.author == "Maria Tuasikal"


def test_image_block_with_credit_and_caption_is_dropped():
    image = ("<div class='bingkai'><div class='foto'><img src='a.jpg'><div class='kredit'>Kabar/ Andi Pratama</div></div>"
             "<div class='ket'>Warga antre di depan warung yang menjual 3 jenis kopi (ilustrasi)</div></div>")
    article = extract_article(_page("", f"<h1>Judul</h1>{image}<div class='isi'>{BODY}</div>"), URL)
    assert "Andi Pratama" not in article.text and "3 jenis kopi" not in article.text
    assert "Sebanyak 42 warung kopi" in article.text


def test_long_caption_with_figures_beside_image_is_dropped():
    caption = ("Teknisi memeriksa menara pemancar senilai Rp 2,1 miliar yang melayani 4.000 warga di tiga desa, "
               "Senin (19/6/2017). (KABAR/Yohanes)")
    page = _page("", f"<h1>Judul</h1><div class='media'><img src='m.jpg'><div>{caption}</div></div>"
                     f"<div id='isi'>{BODY}</div>")
    assert "Rp 2,1 miliar" not in extract_article(page, URL).text


def test_paragraph_with_inline_image_is_kept():
    body = ("<div class='isi'><p>Omzet warung naik 15 persen <img src='emoji.png'> dalam dua pekan setelah kode QR "
            "dipasang di meja kasir.</p>" + BODY + "</div>")
    assert "Omzet warung naik 15 persen" in extract_article(_page("", body), URL).text


def test_body_found_without_profile_selector_drops_sidebar_labels_before_it():
    sidebar = ("<div class='kiri'><div class='kepala'>TERKOMENTARI</div><ul><li><a href='/a'>Kredit Usaha Naik "
               "Jadi Rp 30 Triliun</a></li></ul><div class='kom'>Komentar : 0</div></div>")
    page = _page("", f"{sidebar}<div class='tengah'><h1>Judul</h1><div class='kredit-foto'>Kabar/Budi</div>"
                     f"<div class='teks'>{BODY}</div></div>")
    text = extract_article(page, URL).text
    assert text.splitlines()[0].startswith("Sebanyak 42 warung kopi")
    assert "TERKOMENTARI" not in text and "Komentar : 0" not in text and "Kabar/Budi" not in text


def test_br_separated_body_without_paragraphs():
    body = ("<div id='isi'>Ambon - Sebanyak 18 pulau terluar kini terjangkau sinyal 4G setelah 25 menara baru "
            "selesai dibangun.<br><br>Pemerintah provinsi menargetkan 40 desa lain tersambung internet cepat "
            "pada 2018.<br><p>Editor: Agus Salim</p><p>COPYRIGHT &copy; KABAR 2017</p></div>")
    text = extract_article(_page("", f"<h1>Sinyal</h1>{body}"), URL).text
    assert text.splitlines() == [
        "Ambon - Sebanyak 18 pulau terluar kini terjangkau sinyal 4G setelah 25 menara baru selesai dibangun.",
        "Pemerintah provinsi menargetkan 40 desa lain tersambung internet cepat pada 2018."]


def test_dateline_after_headline_beats_dated_sidebar_items():
    sidebar = "<div class='populer'><div>Senin , 13 February 2017, 09:04 WIB</div></div>"
    page = _page("", f"{sidebar}<div class='judul'><h1>Judul</h1><div class='waktu'>Rabu , 08 March 2017, "
                     f"10:45 WIB</div></div><div class='isi'>{BODY}</div>")
    assert extract_article(page, URL).published_at == "2017-03-08T10:45:00+07:00"


def test_utc_json_ld_date_is_given_in_wib():
    ld = ('<script type="application/ld+json">{"@type":"NewsArticle","headline":"Judul",'
          '"datePublished":"2016-02-16T02:20:00Z","dateModified":"2016-02-16T04:13:19Z"}</script>')
    article = extract_article(_page(ld, f"<h1>Judul</h1><div class='isi'>{BODY}</div>"), URL)
    assert (article.published_at, article.modified_at) == ("2016-02-16T09:20:00+07:00", "2016-02-16T11:13:19+07:00")


def test_short_story_in_one_br_separated_paragraph_is_not_a_listing():
    links = "".join(f"<li><a href='/berita/{i}'>Judul berita lain nomor {i}</a></li>" for i in range(12))
    story = ("<p>Sebanyak 1.200 warung kelontong di Depok kini menjual pulsa dan token listrik agar tetap ramai "
             "pembeli.<br><br>Ketua paguyuban pedagang menyebut ada lima cara yang dipakai anggotanya untuk "
             "bertahan di tengah belanja daring.</p>")
    article = extract_article(_page("", f"<ul>{links}</ul><h1>Warung</h1><div class='isi'>{story}</div>"), URL)
    assert article.text.startswith("Sebanyak 1.200 warung kelontong")
