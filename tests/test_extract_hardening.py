"""Fault audit (issue 14), extraction side: control characters, pages without closing tags, photo
pages whose story is their captions, the detik dateline. Each scenario runs through
``extract_article`` and through the ``pantau extract`` CLI, on pages of our own."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import main
from extract import ExtractionError, extract_article

STORY = ("<p>Sebanyak 1.250 pelaku UMKM di Kabupaten Sukamaju kini berjualan lewat lokapasar setelah "
         "mengikuti pelatihan digital selama tiga bulan.</p>"
         "<p>Dinas koperasi menargetkan 2.000 usaha mikro lain ikut program yang sama sebelum akhir "
         "tahun depan, terutama perajin anyaman dan penjual makanan olahan.</p>")
URL = "https://kabarsukamaju.example.id/berita/2026/11/umkm-lokapasar"


def _cli(args, stdin=None):
    return CliRunner().invoke(main, ["extract", *args], input=stdin)


# -- item 2: control characters and bidi overrides ------------------------------------------------

HOSTILE = ("<!DOCTYPE html><html><head><meta charset='utf-8'>"
           "<title>UMKM\x1b[2J Naik Kelas\x07</title>"
           "<meta name='author' content='Rina\u202e Wati\x1b[31m'></head><body>"
           "<h1>UMKM\x1b[2J Naik\u2066 Kelas\x07</h1><div class='isi'>"
           "<p>Sebanyak 1.250 pelaku UMKM\x1b[1m di Kabupaten Sukamaju\u202e kini berjualan lewat lokapasar "
           "setelah mengikuti pelatihan\x00 digital\x85 selama tiga bulan.</p>"
           "<p>Dinas koperasi menargetkan 2.000 usaha mikro lain ikut program yang sama\u2069 sebelum akhir "
           "tahun depan,\ttermasuk perajin anyaman.</p></div></body></html>")
FORBIDDEN = ["\x1b", "\x07", "\x00", "\x85", "\u202e", "\u2066", "\u2069"]


def _assert_clean(values):
    for value in values:
        for ch in FORBIDDEN:
            assert ch not in value, f"{ch!r} left in {value!r}"


def test_control_and_bidi_characters_are_stripped_from_every_string():
    article = extract_article(HOSTILE.encode("utf-8"), URL)
    _assert_clean([article.title, article.text, article.author or "", article.url])
    assert article.title == "UMKM[2J Naik Kelas"
    assert article.author == "Rina Wati[31m"
    assert "Sebanyak 1.250 pelaku UMKM[1m di Kabupaten Sukamaju kini" in article.text
    assert "mengikuti pelatihan digital selama" in article.text and "\ufffd" not in article.text
    assert len(article.text.splitlines()) == 2  # newlines between paragraphs are kept


def test_control_characters_never_reach_the_cli_output(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(HOSTILE.encode("utf-8"))
    result = _cli([str(page), "--url", URL])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    _assert_clean([record["title"], record["text"], record["author"]] + [f["sentence"] for f in record["figures"]])
    assert "\\u001b" not in result.stdout and "\\u202e" not in result.stdout


# -- item 4: no closing tags ------------------------------------------------------------------------

FRAGMENT = f"<h1>UMKM Sukamaju Masuk Lokapasar</h1><div class='isi-berita'>{STORY}"


def test_page_without_closing_body_and_html_is_extracted():
    page = f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>UMKM</title></head><body>{FRAGMENT}"
    article = extract_article(page.encode("utf-8"), URL)
    assert article.text.startswith("Sebanyak 1.250 pelaku UMKM")
    assert article.text.endswith("penjual makanan olahan.")


def test_cli_extracts_a_saved_fragment_of_an_articles_markup(tmp_path):
    path = tmp_path / "fragment.html"
    path.write_text(FRAGMENT, encoding="utf-8")
    result = _cli([str(path), "--url", URL])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["title"] == "UMKM Sukamaju Masuk Lokapasar"
    assert "2.000 usaha mikro" in record["text"]
    assert any(f["surface"] == "1.250 pelaku UMKM" for f in record["figures"])


def test_a_body_known_to_be_truncated_is_refused():
    with pytest.raises(ExtractionError, match="truncated"):
        extract_article(f"<html><body>{FRAGMENT}</body></html>", URL, truncated=True)


# -- item 5: photo pages, the detik dateline --------------------------------------------------------

GALLERY = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Foto: Sinyal 4G Tiba di Desa Nelayan</title></head>
<body><h1>Foto: Sinyal 4G Tiba di Desa Nelayan</h1>
<div class="galeri-foto">
<figure><img src="1.jpg"><figcaption>Anak-anak nelayan di Desa Tanjung Biru belajar daring di balai desa setelah menara BTS baru menyala.</figcaption></figure>
<figure><img src="2.jpg"><figcaption>Seorang penjual ikan asin menerima pembayaran lewat kode QR untuk pertama kalinya. Foto: Dok. Kabar</figcaption></figure>
<figure><img src="3.jpg"><figcaption>Teknisi memeriksa antena di puncak menara setinggi 42 meter yang melayani 3 desa</figcaption></figure>
</div><div class="bagikan"><a href="#">Bagikan</a></div></body></html>"""
GALLERY_URL = "https://kabarpesisir.example.id/galeri/2026/11/sinyal-desa-nelayan"


def test_photo_page_without_prose_gives_its_captions_as_the_body():
    article = extract_article(GALLERY.encode("utf-8"), GALLERY_URL)
    assert article.body_kind == "captions"
    assert article.text.splitlines() == [
        "Anak-anak nelayan di Desa Tanjung Biru belajar daring di balai desa setelah menara BTS baru menyala.",
        "Seorang penjual ikan asin menerima pembayaran lewat kode QR untuk pertama kalinya.",
        "Teknisi memeriksa antena di puncak menara setinggi 42 meter yang melayani 3 desa",
    ]


def test_an_article_with_prose_keeps_its_captions_out():
    page = (f"<html><body><h1>Judul</h1><figure><img src='a.jpg'><figcaption>Warga antre di depan "
            f"warung kopi yang menerima 3 jenis dompet digital sejak bulan lalu.</figcaption></figure>"
            f"<div class='isi'>{STORY}</div></body></html>")
    article = extract_article(page, URL)
    assert article.body_kind == "story" and "Warga antre" not in article.text


def test_cli_marks_a_captions_body(tmp_path):
    path = tmp_path / "galeri.html"
    path.write_text(GALLERY, encoding="utf-8")
    result = _cli([str(path), "--url", GALLERY_URL])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["body_kind"] == "captions" and record["text"].startswith("Anak-anak nelayan")


# The current detik template: the dateline stands in the body before the first <p>.
DETIK = """<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>Kominfo Tambah 300 BTS di Perbatasan</title><meta name="publishdate" content="2026/11/24 10:20:00"></head>
<body><article class="detail">
<h1 class="detail__title">Kominfo Tambah 300 BTS di Perbatasan</h1>
<div class="detail__author">Dewi Anggraini - detikInet</div>
<div class="detail__body itp_bodycontent_wrapper"><div class="detail__body-text itp_bodycontent">
<strong>Jakarta</strong> - <p>Kementerian menambah 300 menara BTS 4G di kecamatan perbatasan yang selama ini belum terjangkau sinyal seluler.</p>
<p>Pembangunan dibiayai dana kewajiban pelayanan universal dan ditargetkan rampung dalam delapan bulan.</p>
<p><strong>(dwa/rns)</strong></p>
</div></div></article></body></html>"""
DETIK_URL = "https://inet.detik.com/telecommunication/d-8671555/kominfo-tambah-300-bts-di-perbatasan"


def test_detik_dateline_joins_the_first_paragraph():
    article = extract_article(DETIK.encode("utf-8"), DETIK_URL)
    assert article.text.splitlines()[0] == (
        "Jakarta - Kementerian menambah 300 menara BTS 4G di kecamatan perbatasan yang selama ini belum "
        "terjangkau sinyal seluler.")
    assert "Jakarta -\n" not in article.text


def test_cli_detik_dateline_joins_the_first_paragraph(tmp_path):
    path = tmp_path / "detik.html"
    path.write_text(DETIK, encoding="utf-8")
    result = _cli([str(path), "--url", DETIK_URL])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["text"].startswith("Jakarta - Kementerian menambah 300 menara BTS 4G")
