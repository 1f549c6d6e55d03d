"""Older and variant templates of the four sites (hand-written pages in each template's markup)."""

from __future__ import annotations

from extract import extract_article

OLD_DETIK = """<html><head><title>detikInet</title></head><body>
<div class="content_detail">
<div class="date">Kamis, 05/11/2015 10:08 WIB</div>
<h1>Kominfo Bangun 100 Titik Wifi di Perbatasan</h1>
<div class="author">Rahmat Hidayat - detikinet</div>
<div class="detail_text" id="detikdetailtext">
<strong>Jakarta</strong> - Kementerian Komunikasi dan Informatika membangun 100 titik wifi di wilayah perbatasan tahun ini.<br><br>
Menurut menteri, titik akses itu diprioritaskan di kecamatan yang belum dilayani operator seluler.<br><br>
"Kami ingin warga perbatasan juga bisa berjualan daring," ujarnya di Jakarta, Kamis (5/11/2015).<br><br>
<strong>(rhd/ash)</strong>
</div></div>
<div class="box_terpopuler"><h2>Terpopuler</h2><ul><li><a href="http://inet.detik.com/read/2015/11/05/1/2/3/x">1. Ponsel Rp 5 juta laris</a></li></ul></div>
</body></html>"""


def test_old_detik_template():
    a = extract_article(OLD_DETIK, "http://inet.detik.com/read/2015/11/05/100800/3063131/328/kominfo-bangun-100-titik-wifi")
    assert a.title == "Kominfo Bangun 100 Titik Wifi di Perbatasan"
    assert a.published_at == "2015-11-05T10:08:00+07:00"
    assert a.author == "Rahmat Hidayat"
    assert a.text.startswith("Jakarta - Kementerian") and a.text.endswith("(5/11/2015).")
    assert "rhd/ash" not in a.text and "Ponsel" not in a.text


LIPUTAN6_2016 = """<html><head><title>Liputan6</title>
<meta property="og:title" content="Operator Siapkan 2.000 BTS Baru di Sumatera"></head><body>
<article class="hentry main">
<header class="read-page--header"><h1 class="read-page--header__title entry-title" itemprop="headline">Operator Siapkan 2.000 BTS Baru di Sumatera</h1>
<span class="fn" itemprop="author">By Dewi Lestari</span>
<time class="read-page--header__datetime updated" itemprop="datePublished" datetime="2016-02-16 09:10:56">on 16 Feb 2016 at 09:10 WIB</time></header>
<div class="read-page__content-body text-detail">
<p><strong>Liputan6.com, Medan</strong> - Operator seluler menyiapkan 2.000 BTS baru di Sumatera untuk memperluas jaringan 4G.</p>
<p>Baca Juga</p>
<div class="baca-juga"><ul><li><a href="http://tekno.liputan6.com/read/2440000/x">Harga Ponsel 4G Turun 20 Persen</a></li></ul></div>
<p>Pembangunan dimulai dari kabupaten yang jumlah pengguna internetnya tumbuh paling cepat.</p>
<p>Saksikan video pilihan berikut ini:</p>
<p>(Dew/Isk)</p>
</div></article>
<div class="tags--topics">Tag Terkait</div></body></html>"""


def test_liputan6_2016_template():
    a = extract_article(LIPUTAN6_2016, "http://tekno.liputan6.com/read/2436789/operator-siapkan-2000-bts-baru-di-sumatera")
    assert a.title == "Operator Siapkan 2.000 BTS Baru di Sumatera"
    assert a.published_at == "2016-02-16T09:10:56+07:00"
    assert a.author == "Dewi Lestari"
    assert a.text == ("Liputan6.com, Medan - Operator seluler menyiapkan 2.000 BTS baru di Sumatera untuk memperluas jaringan 4G.\n"
                      "Pembangunan dimulai dari kabupaten yang jumlah pengguna internetnya tumbuh paling cepat.")


OLD_REPUBLIKA = """<html><head><title>Republika Online</title>
<meta name="description" content="REPUBLIKA.CO.ID, JAKARTA -- Kementerian mencatat ..."></head><body>
<div class="wrap_detail"><div class="jdl-detail"><h2>Sejuta UMKM Ikut Pelatihan Daring</h2></div>
<div class="date-detail">Senin, 15 Februari 2016, 16:15 WIB</div><div class="red">Red: Nur Aini</div>
<div class="artikel">
<p>REPUBLIKA.CO.ID, JAKARTA -- Kementerian Koperasi mencatat sejuta UMKM mengikuti pelatihan daring sepanjang tahun lalu.</p>
<p>Baca juga, Ekspor Kopi Naik 12 Persen.</p>
<p>Pelatihan itu mencakup pemasaran, pembukuan sederhana, dan pengemasan produk untuk lokapasar.</p>
<p>Sumber : Antara</p>
</div></div>
<div class="terkait"><h3>BERITA TERKAIT</h3><ul><li>Harga Gula Naik 3 Persen</li></ul></div></body></html>"""


def test_old_republika_template():
    a = extract_article(OLD_REPUBLIKA, "http://ekonomi.republika.co.id/berita/ekonomi/makro/16/02/15/o2l07x284-sejuta-umkm")
    assert a.title == "Sejuta UMKM Ikut Pelatihan Daring"
    assert a.published_at == "2016-02-15T16:15:00+07:00"
    assert a.author == "Nur Aini"
    assert a.text == ("REPUBLIKA.CO.ID, JAKARTA -- Kementerian Koperasi mencatat sejuta UMKM mengikuti pelatihan daring sepanjang tahun lalu.\n"
                      "Pelatihan itu mencakup pemasaran, pembukuan sederhana, dan pengemasan produk untuk lokapasar.")


DETIK_2015 = """<html><head><meta property="og:type" content="article" /><meta property="og:title" content="Kominfo Kebut 500 BTS di Perbatasan" />
<meta name="pubdate" content="2015-11-05 T10:08:58Z" itemprop="datePublished" />
<link rel="canonical" href="http://inet.detik.com/read/2015/11/05/100026/3062999/328/kominfo-kebut-500-bts-di-perbatasan" />
<title>Kominfo Kebut 500 BTS di Perbatasan</title></head><body>
<div class="kiri content_1"><div class="content_detail">
<div id="headline"><ul id="beritautama"><li>Kamis, 05/11/2015 09:25 WIB<h6><a href="http://inet.detik.com/readfoto/2015/11/05/1/2/3/x">Hujan 24 Jam di Desa Terbasah</a></h6></li></ul></div>
<ul class="breadcrumb"><li><a href="http://inet.detik.com">Home</a></li></ul>
<h1 class="l_blue2_detik">Kominfo Kebut 500 BTS di Perbatasan</h1>
<div class="author"><strong>Sari Wulandari</strong> - detikinet</div>
<div class="date">Kamis, 05/11/2015 10:08 WIB</div>
<div class="pic_artikel"><img src="x.jpg" /><span>Menara BTS (ist)</span></div>
<div class="text_detail">
<strong>Jakarta</strong> - <p>Kementerian Komunikasi dan Informatika mengebut pembangunan 500 BTS di wilayah perbatasan tahun ini.<br /><br />Dikutip <strong>detikINET</strong> dari keterangan resmi, Kamis (5/11/2015), pembangunan dibiayai dana kewajiban pelayanan universal sebesar Rp 1,4 triliun.<br /><br />"Warga perbatasan berhak atas sinyal yang sama," kata pejabat kementerian.</p><!--S:AUTHOR INISIAL-->
<strong>(swl/ash)</strong>
<!--E:AUTHOR INISIAL--> <br /><br /></div>
<div class="box_artikel2" id="bacajugabox"><div class="title"><strong>Baca Juga</strong></div><ul><li><a href="http://inet.detik.com/read/2015/08/06/1/2/3/x">Ponsel 4G Rp 1 Juta Laris</a></li></ul></div>
</div></div>
<div class="kanan_2"><div class="most_pop_new"><a href="#pop">MOST POPULAR</a><ul id="pop"><li><div class="number">01</div><span class="date">Kamis, 05/11/2015 09:25 WIB</span><h5><a href="http://inet.detik.com/read/2015/11/05/1/2/3/y">8 Miliar Video Ditonton</a></h5></li></ul></div></div>
</body></html>"""


def test_detik_2015_template_with_fake_utc_pubdate():
    # The 2015 pubdate meta writes WIB wall time with a "Z" (and a space before "T"); the visible
    # date is the truth, and the sidebar's dates must not be taken.
    a = extract_article(DETIK_2015, "http://inet.detik.com/read/2015/11/05/100026/3062999/328/kominfo-kebut-500-bts-di-perbatasan")
    assert a.published_at == "2015-11-05T10:08:00+07:00"
    assert a.title == "Kominfo Kebut 500 BTS di Perbatasan" and a.author == "Sari Wulandari"
    assert a.text.split("\n") == [
        "Jakarta - Kementerian Komunikasi dan Informatika mengebut pembangunan 500 BTS di wilayah perbatasan tahun ini.",
        "Dikutip detikINET dari keterangan resmi, Kamis (5/11/2015), pembangunan dibiayai dana kewajiban pelayanan universal sebesar Rp 1,4 triliun.",
        '"Warga perbatasan berhak atas sinyal yang sama," kata pejabat kementerian.',
    ]


LIPUTAN6_NESTED_PAGES = """<html><head><meta property="article:published_time" content="2020-06-26T13:58:52+07:00"></head><body>
<h1 class="read-page--header--title entry-title">Judul Uji Halaman Bersarang</h1>
<div class="article-content-body">
<div class="article-content-body__item-page" data-page="1"><div class="article-content-body__item-content">
<p><b>Liputan6.com, Jakarta</b> - Kalimat pertama tentang 4,6 juta UMKM yang sudah berjualan daring di lokapasar.</p>
<p>Kalimat kedua yang menjelaskan program pendampingan digital di seluruh provinsi.</p>
<div class="article-content-body__item-page" data-page="2"><h2 class="article-content-body__item-title">Sub Judul</h2>
<div class="article-content-body__item-content"><p>Kalimat ketiga di halaman dua tentang 7.634 titik internet gratis.</p></div></div>
</div></div></div></body></html>"""


def test_liputan6_nested_page_blocks_still_split_into_sections():
    a = extract_article(LIPUTAN6_NESTED_PAGES, "https://www.liputan6.com/bisnis/read/4289456/judul-uji")
    assert a.published_at == "2020-06-26T13:58:52+07:00"
    assert len(a.sections) == 2
    start, end = a.sections[1]
    assert a.text[start:end] == "Sub Judul\nKalimat ketiga di halaman dua tentang 7.634 titik internet gratis."
