"""The mirror's article corpus: hand-written articles for the four sites plus cheap synthetic ones.

The same articles are the extraction test fixtures (rendered by ``crawler.mirror.render``) and the
pages the local mirror serves, so every field a template needs lives here.

API
---
``load_corpus() -> list[MirrorArticle]``
    The hand-written articles: per site at least 5 topical ones (with UMKM / connectivity figures)
    and 2 off-topic ones (sport, entertainment: numbers that must not be tagged); a multi-page
    detik and Liputan6 article; a Liputan6 article with an appended older story; per site one
    article that appears at clock step 1 and one whose figure is revised at step 1.
``synthetic_articles(n, seed=0) -> list[MirrorArticle]``
    ``n`` generated articles spread round-robin over the four sites (for the crawl benchmark);
    deterministic for a given seed, cheap (thousands per second). Ids never clash with the corpus.
``MirrorArticle``  (frozen dataclass, one article across all its versions)
    ``site`` (``detik`` | ``liputan6`` | ``republika`` | ``komdigi``), ``url`` (the real canonical
    URL, e.g. ``https://inet.detik.com/telecommunication/d-8671201/…``), ``channel`` (detik kanal,
    Liputan6 channel, Republika kanal, Komdigi category such as ``siaran-pers``), ``title``,
    ``summary``, ``author``, ``tags``, ``paragraphs`` (version 0 body, plain text, no dateline),
    ``dateline`` (city; each renderer writes it in its site's style), ``age_minutes`` (how long
    before the mirror's start it was published; for step > 0 articles: minutes before that step's
    time), ``appears_at_step`` (0 = present at start, 1 = published at the first clock step …),
    ``revisions`` (clock step -> the complete new paragraph list from that step on, e.g. with a
    changed figure), ``page_breaks`` (paragraph indexes where page 2, 3 … start; empty = one page),
    ``page_titles`` (sub-heading of page 2, 3 … on Liputan6), ``topical``, ``caption`` (lead photo
    caption), ``appended`` (an older, different story appended below the body: Liputan6),
    ``reporter_initials`` (detik ``(abc/xyz)``), ``api_id`` / ``portal_id`` (Komdigi API item id and
    portal page id), ``key`` (``extract.urls.article_key(url)``), ``portal_url``.
    ``visible_at(step)``, ``revision_at(step)`` (the revision step in force, 0 = original),
    ``view(step, published_at, modified_at) -> ArticleView``.
``ArticleView`` (frozen dataclass, one concrete version as served)
    every ``MirrorArticle`` field except ``revisions``, with ``paragraphs`` of that version, plus
    ``step``, ``revision`` and concrete aware ``published_at`` / ``modified_at`` datetimes;
    ``pages`` (paragraph lists per page), ``page_count``, ``key``, ``portal_url``, ``text`` (paragraphs joined by "\\n").
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta, timezone
from functools import cached_property

from extract.urls import article_key

WIB = timezone(timedelta(hours=7), "WIB")
SITES = ("detik", "liputan6", "republika", "komdigi")


@dataclass(frozen=True)
class AppendedStory:
    """An older, different story an editor appended below the article (Liputan6)."""

    title: str
    paragraphs: tuple[str, ...]
    caption: str = ""


@dataclass(frozen=True)
class MirrorArticle:
    site: str
    url: str
    channel: str
    title: str
    summary: str
    author: str
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...] = ()
    dateline: str = "Jakarta"
    age_minutes: int = 60
    appears_at_step: int = 0
    revisions: dict[int, list[str]] = field(default_factory=dict)
    page_breaks: tuple[int, ...] = ()
    page_titles: tuple[str, ...] = ()
    topical: bool = True
    caption: str = ""
    appended: AppendedStory | None = None
    reporter_initials: str = "ara/fay"
    api_id: int | None = None
    portal_id: int | None = None

    def __post_init__(self) -> None:
        if self.site not in SITES:
            raise ValueError(f"MirrorArticle site must be one of {SITES}, got {self.site!r}")
        if not self.paragraphs:
            raise ValueError(f"MirrorArticle {self.url} has no paragraphs")

    __hash__ = object.__hash__  # dict field: identity hash keeps instances usable as keys

    @property
    def key(self) -> str | None:
        return article_key(self.url)

    @property
    def portal_url(self) -> str | None:
        if self.portal_id is None:
            return None
        return f"https://portal.komdigi.go.id/kanal-publik/berita-kini/{self.portal_id}"

    def visible_at(self, step: int) -> bool:
        return step >= self.appears_at_step

    def revision_at(self, step: int) -> int:
        """The revision step in force at clock ``step`` (0 = the original text)."""
        done = [s for s in self.revisions if s <= step]
        return max(done) if done else 0

    def paragraphs_at(self, step: int) -> tuple[str, ...]:
        rev = self.revision_at(step)
        return tuple(self.revisions[rev]) if rev else self.paragraphs

    def view(self, step: int, published_at: datetime, modified_at: datetime | None = None) -> ArticleView:
        """The article as served at clock ``step``; datetimes must be timezone-aware."""
        if published_at.tzinfo is None:
            raise ValueError("ArticleView.published_at must be timezone-aware")
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "revisions"}
        values["paragraphs"] = self.paragraphs_at(step)
        return ArticleView(**values, step=step, revision=self.revision_at(step),
                           published_at=published_at, modified_at=modified_at or published_at)


@dataclass(frozen=True)
class ArticleView:
    site: str
    url: str
    channel: str
    title: str
    summary: str
    author: str
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...]
    dateline: str
    age_minutes: int
    appears_at_step: int
    page_breaks: tuple[int, ...]
    page_titles: tuple[str, ...]
    topical: bool
    caption: str
    appended: AppendedStory | None
    reporter_initials: str
    api_id: int | None
    portal_id: int | None
    step: int
    revision: int
    published_at: datetime
    modified_at: datetime

    @property
    def key(self) -> str | None:
        return article_key(self.url)

    @property
    def portal_url(self) -> str | None:
        if self.portal_id is None:
            return None
        return f"https://portal.komdigi.go.id/kanal-publik/berita-kini/{self.portal_id}"

    @cached_property
    def pages(self) -> list[list[str]]:
        """Paragraphs per page; page breaks beyond the paragraph count are ignored."""
        bounds = [0] + [b for b in self.page_breaks if 0 < b < len(self.paragraphs)] + [len(self.paragraphs)]
        return [list(self.paragraphs[a:b]) for a, b in zip(bounds, bounds[1:]) if b > a]

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def at(minutes_ago: int, start: datetime) -> datetime:
    """Helper for servers and tests: the publication time ``minutes_ago`` before ``start``."""
    return start - timedelta(minutes=minutes_ago)


# ----------------------------------------------------------------------------------------------
# Hand-written articles. Bodies are original Indonesian text about UMKM going digital and about
# connectivity; off-topic ones carry numbers (scores, ages, minutes) that a tagger must ignore.

def _detik() -> list[MirrorArticle]:
    d = "https://inet.detik.com"
    f = "https://finance.detik.com"
    return [
        MirrorArticle(
            site="detik", channel="telecommunication",
            url=f"{d}/telecommunication/d-8671201/kominfo-sebut-7634-titik-internet-gratis-sudah-menyala",
            title="Komdigi Sebut 7.634 Titik Internet Gratis Sudah Menyala",
            summary="Pemerintah menyalakan ribuan titik akses internet gratis di daerah 3T.",
            author="Agus Tri Haryanto", tags=("internet gratis", "komdigi", "bakti"),
            age_minutes=180, reporter_initials="agt/fay",
            caption="Petugas memasang antena akses internet di sebuah sekolah. Foto: Agus Tri Haryanto/detikInet",
            paragraphs=(
                "Kementerian Komunikasi dan Digital menyebut 7.634 titik internet gratis sudah menyala di sekolah, puskesmas dan kantor desa sepanjang tahun ini.",
                "Menurut juru bicara kementerian, titik akses itu sebagian besar berada di wilayah terdepan, terluar dan tertinggal yang belum dilayani operator seluler.",
                "Pemerintah menargetkan 10.000 titik tambahan hingga akhir tahun depan, dengan prioritas pada desa yang sama sekali belum memiliki sinyal.",
                "Kecepatan rata-rata di tiap titik disebut mencapai 20 Mbps, cukup untuk kegiatan belajar daring dan layanan kesehatan jarak jauh.",
                "Warga yang ingin melaporkan gangguan dapat menghubungi pusat layanan yang dibuka setiap hari kerja.",
            )),
        MirrorArticle(
            site="detik", channel="berita-ekonomi-bisnis",
            url=f"{f}/berita-ekonomi-bisnis/d-8671315/baru-4-6-juta-umkm-jualan-online-pemerintah-kejar-target",
            title="Baru 4,6 Juta UMKM Jualan Online, Pemerintah Kejar Target",
            summary="Jumlah UMKM yang masuk platform digital masih jauh dari target.",
            author="Anisa Indraini", tags=("umkm", "digitalisasi"),
            age_minutes=240, reporter_initials="ara/hns",
            caption="Pelaku UMKM memotret produk untuk toko daring. Foto: Grandyos Zafna/detikcom",
            paragraphs=(
                "Pemerintah mencatat baru 4,6 juta UMKM yang sudah berjualan secara online hingga bulan lalu.",
                "Angka itu masih jauh dari target 8 juta UMKM go digital yang dicanangkan untuk tahun ini.",
                "Deputi bidang usaha mikro mengatakan pendampingan akan diperluas ke 34 provinsi dengan melibatkan kampus dan komunitas.",
                "\"Kendalanya bukan hanya akses internet, tetapi juga kemampuan mengelola toko daring dan membalas pembeli,\" ujarnya.",
                "Ia menambahkan pelatihan pemasaran digital gratis dibuka setiap bulan melalui balai pelatihan daerah.",
            ),
            revisions={1: [
                "Pemerintah mencatat sudah 4,8 juta UMKM yang berjualan secara online hingga bulan lalu.",
                "Angka itu masih jauh dari target 8 juta UMKM go digital yang dicanangkan untuk tahun ini.",
                "Deputi bidang usaha mikro mengatakan pendampingan akan diperluas ke 34 provinsi dengan melibatkan kampus dan komunitas.",
                "\"Kendalanya bukan hanya akses internet, tetapi juga kemampuan mengelola toko daring dan membalas pembeli,\" ujarnya.",
                "Ia menambahkan pelatihan pemasaran digital gratis dibuka setiap bulan melalui balai pelatihan daerah.",
            ]}),
        MirrorArticle(
            site="detik", channel="telecommunication",
            url=f"{d}/telecommunication/d-8671422/bts-4g-bakti-jangkau-12548-desa-ini-rinciannya",
            title="BTS 4G BAKTI Jangkau 12.548 Desa, Ini Rinciannya",
            summary="Pembangunan menara BTS 4G di desa tanpa sinyal dikebut dalam beberapa tahap.",
            author="Rachmatunnisa", tags=("bts 4g", "bakti", "sinyal"),
            age_minutes=400, reporter_initials="rns/fay",
            page_breaks=(3, 5),
            paragraphs=(
                "Badan Aksesibilitas Telekomunikasi dan Informasi menyebut BTS 4G kini menjangkau 12.548 desa yang sebelumnya tidak memiliki sinyal.",
                "Pembangunan dilakukan bertahap, dimulai dari Papua dan Maluku yang medannya paling sulit dijangkau.",
                "Setiap menara dipasok listrik tenaga surya karena sebagian besar lokasi belum tersambung jaringan listrik.",
                "Pada tahap berikutnya pemerintah menyiapkan 1.500 menara lagi untuk desa di perbatasan.",
                "Anggaran pembangunan tahun ini disebut mencapai Rp 3,2 triliun dari kas negara.",
                "Pejabat BAKTI menegaskan pemeliharaan menara akan melibatkan warga setempat agar perangkat tidak mudah rusak.",
                "Operator seluler kemudian menyewa menara tersebut untuk melayani pelanggan di desa sekitar.",
            )),
        MirrorArticle(
            site="detik", channel="law-and-policy",
            url=f"{d}/law-and-policy/d-8671530/palapa-ring-12229-km-pemerintah-dorong-operator-sewa-kapasitas",
            title="Palapa Ring 12.229 Km, Pemerintah Dorong Operator Sewa Kapasitas",
            summary="Utilisasi tulang punggung serat optik nasional masih rendah.",
            author="Adi Fida Rahman", tags=("palapa ring", "serat optik"),
            age_minutes=600, reporter_initials="afr/rns",
            paragraphs=(
                "Jaringan tulang punggung Palapa Ring sepanjang 12.229 km kini terhubung dari Sumatera hingga Papua.",
                "Namun utilisasi kapasitasnya baru sekitar 40 persen, sehingga pemerintah mendorong operator untuk menyewa lebih banyak.",
                "Menurut pejabat kementerian, tarif sewa akan ditinjau agar lebih menarik bagi penyedia layanan internet lokal.",
                "Penyedia internet di kabupaten diharapkan dapat menjual paket rumah tangga dengan harga terjangkau.",
            )),
        MirrorArticle(
            site="detik", channel="business",
            url=f"{d}/business/d-8671644/penetrasi-internet-indonesia-tembus-79-5-persen",
            title="Penetrasi Internet Indonesia Tembus 79,5 Persen",
            summary="Survei asosiasi penyelenggara jasa internet mencatat kenaikan pengguna.",
            author="Josina", tags=("apjii", "pengguna internet"),
            age_minutes=30, appears_at_step=1, reporter_initials="jsn/fay",
            paragraphs=(
                "Survei asosiasi penyelenggara jasa internet mencatat penetrasi internet Indonesia tembus 79,5 persen tahun ini.",
                "Jumlah pengguna internet diperkirakan mencapai 221,5 juta jiwa dari total populasi.",
                "Kenaikan terbesar terjadi di perdesaan, seiring bertambahnya menara dan titik akses publik.",
                "Asosiasi meminta pemerintah menjaga harga paket data tetap terjangkau bagi rumah tangga berpenghasilan rendah.",
            )),
        MirrorArticle(
            site="detik", channel="sepakbola", topical=False,
            url="https://sport.detik.com/sepakbola/d-8671755/timnas-menang-2-1-atas-vietnam-di-gbk",
            title="Timnas Menang 2-1 atas Vietnam di GBK",
            summary="Gol di menit akhir memastikan kemenangan tim Garuda.",
            author="Mercy Raya", tags=("timnas", "sepakbola"), age_minutes=120, reporter_initials="mcy/cas",
            paragraphs=(
                "Tim nasional Indonesia menang 2-1 atas Vietnam di Stadion Utama Gelora Bung Karno, Kamis (14/11) malam.",
                "Gol penentu dicetak pada menit ke-87 lewat sundulan dari sepak pojok.",
                "Sekitar 65 ribu penonton memadati stadion dan terus bernyanyi hingga peluit akhir.",
                "Pelatih menyebut timnya masih harus memperbaiki penyelesaian akhir sebelum laga tandang pekan depan.",
            )),
        MirrorArticle(
            site="detik", channel="celeb", topical=False,
            url="https://hot.detik.com/celeb/d-8671866/konser-reuni-band-legendaris-digelar-3-malam",
            title="Konser Reuni Band Legendaris Digelar 3 Malam",
            summary="Tiket hari pertama habis dalam hitungan jam.",
            author="Devy Octaviany", tags=("konser", "musik"), age_minutes=300, reporter_initials="dvy/dar",
            paragraphs=(
                "Band legendaris asal Bandung menggelar konser reuni selama 3 malam berturut-turut di Jakarta.",
                "Sebanyak 12 ribu tiket untuk malam pertama habis dalam waktu dua jam sejak penjualan dibuka.",
                "Para personel yang kini berusia di atas 50 tahun mengaku sudah berlatih sejak enam bulan lalu.",
            )),
    ]


def _liputan6() -> list[MirrorArticle]:
    w = "https://www.liputan6.com"
    return [
        MirrorArticle(
            site="liputan6", channel="bisnis",
            url=f"{w}/bisnis/read/6301101/erick-thohir-pembangunan-ict-di-14-ribu-desa-dikebut",
            title="Erick Thohir: Pembangunan ICT di 14 Ribu Desa Dikebut 2 Tahun",
            summary="Anggaran ICT tahun depan disebut mencapai Rp 30,5 triliun.",
            author="Tira Santia", tags=("erick thohir", "umkm", "ict"), age_minutes=200,
            caption="Menteri BUMN berbicara dalam forum UMKM go global. (Liputan6.com/Angga Yuniar)",
            page_breaks=(3,), page_titles=("Pasar Lokal Jangan Dilupakan",),
            paragraphs=(
                "Menteri BUMN menyatakan pemerintah mempercepat pembangunan teknologi informasi di 14 ribu desa dalam dua tahun.",
                "Menurut dia, masih banyak desa yang belum tersambung internet sehingga pelaku UMKM di sana sulit memasarkan produk.",
                "Diketahui pembangunan ICT di tahun depan memiliki anggaran sebesar Rp 30,5 triliun.",
                "Ia juga meminta pelaku usaha tidak melupakan pasar dalam negeri ketika mengejar pasar ekspor.",
                "\"Produk lokal harus jadi tuan rumah di negeri sendiri,\" ujar dia di Jakarta.",
            ),
            appended=AppendedStory(
                title="UMKM Didorong Gerogoti Pasar Global",
                caption="Perajin batik menyelesaikan pesanan ekspor. (Liputan6.com/Fery Pradolo)",
                paragraphs=(
                    "Sebelumnya, Erick meminta 500 ribu pelaku UMKM bersiap memasuki pasar global lewat lokapasar lintas negara.",
                    "Ia menyebut produk batik dan kopi paling siap bersaing di luar negeri.",
                ))),
        MirrorArticle(
            site="liputan6", channel="tekno",
            url=f"{w}/tekno/read/6301212/satelit-satria-1-berkapasitas-150-gbps-layani-37-ribu-titik",
            title="Satelit SATRIA-1 Berkapasitas 150 Gbps Layani 37 Ribu Titik",
            summary="Satelit multifungsi milik pemerintah mulai beroperasi penuh.",
            author="Agustinus Mario Damar", tags=("satria-1", "satelit"), age_minutes=90,
            caption="Ilustrasi satelit di orbit. (Liputan6.com/Trie Yasni)",
            paragraphs=(
                "Satelit SATRIA-1 dengan kapasitas 150 Gbps mulai melayani 37 ribu titik layanan publik.",
                "Titik layanan itu meliputi sekolah, puskesmas, kantor pemerintahan dan pos keamanan di perbatasan.",
                "Setiap titik mendapat kecepatan sekitar 4 Mbps yang bisa ditingkatkan sesuai kebutuhan.",
                "Pemerintah berharap satelit ini menutup kesenjangan digital di wilayah yang sulit dijangkau kabel serat optik.",
            ),
            revisions={1: [
                "Satelit SATRIA-1 dengan kapasitas 150 Gbps mulai melayani 39 ribu titik layanan publik.",
                "Titik layanan itu meliputi sekolah, puskesmas, kantor pemerintahan dan pos keamanan di perbatasan.",
                "Setiap titik mendapat kecepatan sekitar 4 Mbps yang bisa ditingkatkan sesuai kebutuhan.",
                "Pemerintah berharap satelit ini menutup kesenjangan digital di wilayah yang sulit dijangkau kabel serat optik.",
            ]}),
        MirrorArticle(
            site="liputan6", channel="bisnis",
            url=f"{w}/bisnis/read/6301323/30-juta-umkm-ditargetkan-masuk-ekosistem-digital-tahun-depan",
            title="30 Juta UMKM Ditargetkan Masuk Ekosistem Digital Tahun Depan",
            summary="Kementerian Koperasi dan UKM memperluas program pendampingan.",
            author="Arthur Gideon", tags=("umkm", "ekosistem digital"), age_minutes=500,
            page_breaks=(2, 4), page_titles=("Kendala Literasi", "Dukungan Pembiayaan"),
            paragraphs=(
                "Pemerintah menargetkan 30 juta UMKM masuk ekosistem digital pada tahun depan.",
                "Saat ini tercatat 20,76 juta UMKM yang sudah terhubung ke platform digital.",
                "Kendala terbesar adalah literasi digital pelaku usaha mikro yang sebagian besar berusia lanjut.",
                "Karena itu pelatihan akan digelar di balai desa dengan mentor dari kalangan mahasiswa.",
                "Bank milik negara juga menyiapkan kredit usaha rakyat senilai Rp 1,2 triliun untuk pembelian perangkat.",
                "Bunga kredit disebut tetap rendah agar tidak memberatkan pelaku usaha.",
            )),
        MirrorArticle(
            site="liputan6", channel="bisnis",
            url=f"{w}/bisnis/read/6301434/pengguna-qris-tembus-32-juta-merchant-mayoritas-umkm",
            title="Pengguna QRIS Tembus 32 Juta Merchant, Mayoritas UMKM",
            summary="Pembayaran digital makin luas dipakai pedagang kecil.",
            author="Maulandy Rizky Bayu Kencana", tags=("qris", "pembayaran digital"), age_minutes=45,
            appears_at_step=1,
            paragraphs=(
                "Bank Indonesia mencatat jumlah merchant QRIS tembus 32 juta, dan mayoritas adalah UMKM.",
                "Nilai transaksi melalui kode QR nasional itu naik hampir dua kali lipat dibanding tahun lalu.",
                "Pedagang pasar tradisional mulai terbiasa menerima pembayaran dari telepon genggam pembeli.",
                "Bank sentral menargetkan perluasan ke pasar-pasar di kabupaten yang belum tersentuh.",
            )),
        MirrorArticle(
            site="liputan6", channel="tekno",
            url=f"{w}/tekno/read/6301545/12-ribu-desa-masih-blank-spot-operator-diminta-bangun-bts",
            title="12 Ribu Desa Masih Blank Spot, Operator Diminta Bangun BTS",
            summary="Wilayah tanpa sinyal masih tersebar di timur Indonesia.",
            author="Iskandar", tags=("blank spot", "bts"), age_minutes=700,
            paragraphs=(
                "Sebanyak 12 ribu desa di Indonesia masih berstatus blank spot atau tanpa sinyal seluler.",
                "Kementerian meminta operator seluler membangun BTS di desa yang secara bisnis dinilai layak.",
                "Desa yang tidak layak secara bisnis akan dibangun oleh pemerintah melalui dana kewajiban pelayanan universal.",
                "Operator menyatakan siap asalkan biaya sewa lahan dan perizinan di daerah dipermudah.",
            )),
        MirrorArticle(
            site="liputan6", channel="bola", topical=False,
            url=f"{w}/bola/read/6301656/persib-kalahkan-persija-3-1-di-stadion-gbla",
            title="Persib Kalahkan Persija 3-1 di Stadion GBLA",
            summary="Tuan rumah tampil dominan sejak babak pertama.",
            author="Marco Tampubolon", tags=("persib", "liga 1"), age_minutes=150,
            paragraphs=(
                "Persib Bandung mengalahkan Persija Jakarta 3-1 pada pekan ke-12 Liga 1 di Stadion GBLA.",
                "Dua gol dicetak pada babak pertama, sedangkan gol ketiga lahir di menit ke-76.",
                "Hasil ini membuat Persib naik ke posisi 2 klasemen dengan 25 poin.",
            )),
        MirrorArticle(
            site="liputan6", channel="showbiz", topical=False,
            url=f"{w}/showbiz/read/6301767/film-horor-lokal-tembus-5-juta-penonton",
            title="Film Horor Lokal Tembus 5 Juta Penonton",
            summary="Film ini bertahan di bioskop selama 6 pekan.",
            author="Wayan Diananto", tags=("film", "bioskop"), age_minutes=360,
            paragraphs=(
                "Film horor produksi rumah produksi lokal tembus 5 juta penonton setelah 6 pekan tayang.",
                "Sutradaranya mengaku tidak menyangka film berdurasi 105 menit itu diterima luas.",
                "Sekuelnya dijadwalkan mulai syuting pada awal tahun depan.",
            )),
    ]


def _republika() -> list[MirrorArticle]:
    e = "https://ekonomi.republika.co.id"
    t = "https://tekno.republika.co.id"
    return [
        MirrorArticle(
            site="republika", channel="ekonomi",
            url=f"{e}/berita/tahjqa370/kemenkop-catat-3-79-juta-umkm-sudah-go-online",
            title="Kemenkop Catat 3,79 Juta UMKM Sudah Go Online",
            summary="Kementerian menargetkan jumlah itu naik dua kali lipat.",
            author="Teguh Firmansyah", tags=("umkm", "go online"), age_minutes=160,
            caption="Pelaku UMKM melayani pembeli secara daring. Foto: Republika/Putra M. Akbar",
            paragraphs=(
                "Kementerian Koperasi dan UKM mencatat 3,79 juta UMKM sudah go online dan memanfaatkan lokapasar.",
                "Jumlah itu baru sekitar 6 persen dari total pelaku usaha mikro, kecil dan menengah di Indonesia.",
                "Kementerian menargetkan 8 juta UMKM terhubung ke platform digital dalam dua tahun ke depan.",
                "Pendampingan dilakukan bersama perusahaan teknologi dan perguruan tinggi di setiap provinsi.",
            ),
            revisions={1: [
                "Kementerian Koperasi dan UKM mencatat 3,95 juta UMKM sudah go online dan memanfaatkan lokapasar.",
                "Jumlah itu baru sekitar 6 persen dari total pelaku usaha mikro, kecil dan menengah di Indonesia.",
                "Kementerian menargetkan 8 juta UMKM terhubung ke platform digital dalam dua tahun ke depan.",
                "Pendampingan dilakukan bersama perusahaan teknologi dan perguruan tinggi di setiap provinsi.",
            ]}),
        MirrorArticle(
            site="republika", channel="tekno",
            url=f"{t}/berita/t9kx2m5pq/kecepatan-internet-tetap-naik-jadi-50-mbps",
            title="Kecepatan Internet Tetap Rata-Rata Naik Jadi 50 Mbps",
            summary="Pembangunan serat optik ke rumah mendorong kenaikan kecepatan.",
            author="Dwina Agustin", tags=("internet tetap", "fiber optik"), age_minutes=260,
            paragraphs=(
                "Kecepatan rata-rata internet tetap di Indonesia naik menjadi 50 Mbps menurut lembaga pengukur independen.",
                "Kenaikan ini didorong pembangunan jaringan serat optik ke rumah di kota-kota menengah.",
                "Meski demikian, kesenjangan antara Jawa dan wilayah timur masih lebar.",
                "Penyelenggara jaringan berjanji menambah 2 juta sambungan rumah tahun depan.",
            )),
        MirrorArticle(
            site="republika", channel="ekonomi",
            url=f"{e}/berita/tb7w4n1rs/64-2-juta-umkm-jadi-tulang-punggung-ekonomi",
            title="64,2 Juta UMKM Jadi Tulang Punggung Ekonomi",
            summary="Kontribusi UMKM terhadap PDB mencapai lebih dari separuh.",
            author="Lida Puspaningtyas", tags=("umkm", "pdb"), age_minutes=820,
            paragraphs=(
                "Jumlah pelaku usaha mikro, kecil dan menengah di Indonesia mencapai 64,2 juta unit.",
                "Kontribusinya terhadap produk domestik bruto disebut mencapai 61 persen.",
                "Pemerintah menilai digitalisasi menjadi kunci agar UMKM naik kelas dan mampu mengekspor.",
                "Program pelatihan pemasaran digital akan menyasar 1 juta pelaku usaha tahun ini.",
            )),
        MirrorArticle(
            site="republika", channel="tekno",
            url=f"{t}/berita/tc3p8q2vw/desa-digital-di-jabar-capai-5-000-desa",
            title="Desa Digital di Jabar Capai 5.000 Desa",
            summary="Pemprov memperluas akses internet desa bekerja sama dengan operator.",
            author="Arie Lukihardianti", dateline="Bandung", tags=("desa digital", "jawa barat"),
            age_minutes=60, appears_at_step=1,
            paragraphs=(
                "Pemerintah provinsi mencatat program desa digital kini menjangkau 5.000 desa di Jawa Barat.",
                "Setiap desa mendapat akses internet dan pelatihan pemasaran daring untuk produk unggulan.",
                "Gubernur menargetkan seluruh 5.312 desa di provinsi itu tersambung internet pada tahun depan.",
                "Badan usaha milik desa diminta mengelola jaringan agar layanan berkelanjutan.",
            )),
        MirrorArticle(
            site="republika", channel="ekonomi",
            url=f"{e}/berita/td5r6s7tu/transaksi-e-commerce-umkm-capai-rp-180-triliun",
            title="Transaksi E-Commerce UMKM Capai Rp 180 Triliun",
            summary="Belanja daring terus tumbuh meski daya beli melambat.",
            author="Friska Yolandha", tags=("e-commerce", "umkm"), age_minutes=420,
            paragraphs=(
                "Nilai transaksi e-commerce produk UMKM sepanjang tahun lalu mencapai Rp 180 triliun.",
                "Bank Indonesia memperkirakan angka itu tumbuh 15 persen tahun ini.",
                "Produk makanan olahan dan fesyen menjadi kategori yang paling banyak dibeli.",
                "Asosiasi e-commerce meminta ongkos kirim ke luar Jawa ditekan agar UMKM daerah lebih bersaing.",
            )),
        MirrorArticle(
            site="republika", channel="sepakbola", topical=False,
            url="https://bola.republika.co.id/berita/te1f2g3hi/timnas-u-23-lolos-ke-semifinal",
            title="Timnas U-23 Lolos ke Semifinal",
            summary="Kemenangan 4-2 lewat adu penalti.",
            author="Israr Itah", tags=("timnas u-23",), age_minutes=220,
            paragraphs=(
                "Timnas U-23 lolos ke semifinal setelah menang adu penalti 4-2 usai bermain imbang 1-1 selama 120 menit.",
                "Kiper berusia 21 tahun menjadi pahlawan dengan menggagalkan 2 tendangan.",
                "Semifinal akan digelar Selasa pekan depan pukul 20.00 WIB.",
            )),
        MirrorArticle(
            site="republika", channel="khazanah", topical=False,
            url="https://khazanah.republika.co.id/berita/tf4g5h6jk/kuota-haji-tahun-ini-221-ribu-jamaah",
            title="Kuota Haji Tahun Ini 221 Ribu Jamaah",
            summary="Pemerintah mulai menyiapkan pemberangkatan kloter pertama.",
            author="Muhyiddin", tags=("haji",), age_minutes=640,
            paragraphs=(
                "Kuota haji Indonesia tahun ini ditetapkan sebanyak 221 ribu jamaah.",
                "Kloter pertama dijadwalkan berangkat pada pekan ke-2 bulan depan dari 14 embarkasi.",
                "Jamaah lanjut usia di atas 65 tahun mendapat prioritas pendampingan.",
            )),
    ]


def _komdigi() -> list[MirrorArticle]:
    s = "https://www.komdigi.go.id/berita/siaran-pers/detail"
    b = "https://www.komdigi.go.id/berita/berita-kementerian/detail"
    return [
        MirrorArticle(
            site="komdigi", channel="siaran-pers", api_id=21001, portal_id=10601,
            url=f"{s}/komdigi-targetkan-30-juta-umkm-go-digital",
            title="Komdigi Targetkan 30 Juta UMKM Go Digital",
            summary="Siaran Pers No. 201/HM-KKD/10/2026 tentang percepatan digitalisasi UMKM.",
            author="Biro Humas Kementerian Komunikasi dan Digital", tags=("umkm", "go digital"),
            age_minutes=100,
            paragraphs=(
                "Siaran Pers No. 201/HM-KKD/10/2026",
                "Kementerian Komunikasi dan Digital menargetkan 30 juta UMKM go digital melalui pelatihan dan pendampingan berkelanjutan.",
                "Menteri Komunikasi dan Digital menyatakan hingga kuartal ini sudah 25,5 juta UMKM yang memanfaatkan platform digital.",
                "Pelatihan literasi digital akan menjangkau 514 kabupaten dan kota dengan melibatkan relawan TIK.",
                "Kementerian juga membuka kanal aduan bagi pelaku usaha yang menjadi korban penipuan daring.",
            ),
            revisions={1: [
                "Siaran Pers No. 201/HM-KKD/10/2026",
                "Kementerian Komunikasi dan Digital menargetkan 30 juta UMKM go digital melalui pelatihan dan pendampingan berkelanjutan.",
                "Menteri Komunikasi dan Digital menyatakan hingga kuartal ini sudah 26,1 juta UMKM yang memanfaatkan platform digital.",
                "Pelatihan literasi digital akan menjangkau 514 kabupaten dan kota dengan melibatkan relawan TIK.",
                "Kementerian juga membuka kanal aduan bagi pelaku usaha yang menjadi korban penipuan daring.",
            ]}),
        MirrorArticle(
            site="komdigi", channel="siaran-pers", api_id=21002, portal_id=10602,
            url=f"{s}/akses-internet-di-9-113-desa-3t-rampung",
            title="Akses Internet di 9.113 Desa 3T Rampung",
            summary="BAKTI Komdigi menuntaskan pembangunan akses internet di desa terpencil.",
            author="Biro Humas Kementerian Komunikasi dan Digital", tags=("bakti", "desa 3t"),
            age_minutes=350,
            paragraphs=(
                "Badan Aksesibilitas Telekomunikasi dan Informasi menuntaskan pembangunan akses internet di 9.113 desa 3T.",
                "Direktur utama BAKTI menyebut seluruh titik sudah diuji dan dapat digunakan oleh warga.",
                "Pemerintah menyiapkan anggaran Rp 2,5 triliun untuk operasional jaringan selama tiga tahun.",
                "Warga diimbau menjaga perangkat yang dipasang di fasilitas umum desa.",
            )),
        MirrorArticle(
            site="komdigi", channel="berita-kementerian", api_id=21003, portal_id=10603,
            url=f"{b}/menkomdigi-resmikan-1-000-titik-wifi-publik-di-ntt",
            title="Menkomdigi Resmikan 1.000 Titik Wifi Publik di NTT",
            summary="Titik wifi publik dipasang di sekolah dan pasar.", dateline="Kupang",
            author="Tim Komunikasi Publik", tags=("wifi publik", "ntt"), age_minutes=520,
            paragraphs=(
                "Menteri Komunikasi dan Digital meresmikan 1.000 titik wifi publik di Nusa Tenggara Timur.",
                "Titik wifi dipasang di sekolah, pasar dan pusat layanan kesehatan di 22 kabupaten.",
                "Menteri berharap pedagang pasar memanfaatkan akses itu untuk menerima pembayaran digital.",
            )),
        MirrorArticle(
            site="komdigi", channel="siaran-pers", api_id=21004, portal_id=10604,
            url=f"{s}/penetrasi-internet-rumah-tangga-capai-87-persen",
            title="Penetrasi Internet Rumah Tangga Capai 87 Persen",
            summary="Survei kementerian menunjukkan kenaikan akses internet rumah tangga.",
            author="Biro Humas Kementerian Komunikasi dan Digital", tags=("survei", "internet"),
            age_minutes=20, appears_at_step=1,
            paragraphs=(
                "Survei Kementerian Komunikasi dan Digital mencatat penetrasi internet rumah tangga mencapai 87 persen.",
                "Angka itu naik dari 82 persen pada survei sebelumnya.",
                "Kementerian akan memprioritaskan 3.400 desa yang rumah tangganya masih sulit mengakses internet.",
            )),
        MirrorArticle(
            site="komdigi", channel="artikel", api_id=21005, portal_id=10605,
            url="https://www.komdigi.go.id/berita/artikel/detail/literasi-digital-bantu-umkm-naik-kelas",
            title="Literasi Digital Bantu UMKM Naik Kelas",
            summary="Program literasi digital telah diikuti jutaan peserta.",
            author="Tim Komunikasi Publik", tags=("literasi digital", "umkm"), age_minutes=900,
            paragraphs=(
                "Program literasi digital nasional telah diikuti 24,6 juta peserta sejak pertama kali digelar.",
                "Sebanyak 1,5 juta di antaranya adalah pelaku UMKM yang belajar memasarkan produk secara daring.",
                "Kementerian menilai peningkatan keterampilan digital berdampak langsung pada omzet usaha.",
            )),
        MirrorArticle(
            site="komdigi", channel="berita-hoaks", api_id=21006, portal_id=10606, topical=False,
            url="https://www.komdigi.go.id/berita/berita-hoaks/detail/hoaks-pembagian-hadiah-undian-rp-100-juta",
            title="[HOAKS] Pembagian Hadiah Undian Rp 100 Juta",
            summary="Beredar pesan berantai berisi undian berhadiah.",
            author="Tim AIS", tags=("hoaks",), age_minutes=140,
            paragraphs=(
                "Beredar pesan berantai yang menyebut warga memenangkan undian berhadiah Rp 100 juta dari sebuah bank.",
                "Penjelasan: pihak bank memastikan tidak pernah mengadakan undian tersebut dan meminta warga tidak mengisi tautan apa pun.",
                "Kategori: Hoaks.",
            )),
        MirrorArticle(
            site="komdigi", channel="berita-kementerian", api_id=21007, portal_id=10607, topical=False,
            url=f"{b}/komdigi-gelar-lomba-lari-5-km-hari-bakti",
            title="Komdigi Gelar Lomba Lari 5 Km Peringati Hari Bakti",
            summary="Sebanyak 2.000 pelari ikut meramaikan.",
            author="Tim Komunikasi Publik", tags=("hari bakti",), age_minutes=1000,
            paragraphs=(
                "Kementerian menggelar lomba lari 5 km untuk memperingati Hari Bakti yang ke-80.",
                "Sebanyak 2.000 pelari dari 12 kelompok umur ikut meramaikan acara di halaman kantor.",
                "Pemenang kategori umum menyelesaikan lintasan dalam waktu 16 menit.",
            )),
    ]


def load_corpus() -> list[MirrorArticle]:
    """The hand-written articles of all four sites (detik, liputan6, republika, komdigi in order)."""
    return _detik() + _liputan6() + _republika() + _komdigi()


# ----------------------------------------------------------------------------------------------
# Synthetic articles: sentence templates filled with random figures and places.

_PLACES = ("Aceh", "Medan", "Padang", "Palembang", "Lampung", "Bandung", "Semarang", "Yogyakarta",
           "Surabaya", "Denpasar", "Mataram", "Kupang", "Pontianak", "Balikpapan", "Makassar",
           "Manado", "Ambon", "Ternate", "Jayapura", "Sorong")
_SUBJECTS = ("UMKM", "pelaku usaha mikro", "desa", "sekolah", "puskesmas", "pedagang pasar")
_TEMPLATES = (
    "Pemerintah daerah {place} mencatat {n} {subj} sudah terhubung internet hingga bulan ini.",
    "Dinas koperasi {place} menyebut {n} UMKM telah berjualan secara online lewat lokapasar.",
    "Operator membangun {n} menara BTS 4G baru di sekitar {place} untuk menutup area tanpa sinyal.",
    "Anggaran digitalisasi {subj} di {place} tahun ini mencapai Rp {m} miliar.",
    "Pelatihan pemasaran digital di {place} diikuti {n} peserta dari kalangan {subj}.",
    "Kecepatan internet rata-rata di {place} disebut naik menjadi {k} Mbps.",
    "Warga {place} berharap layanan internet tetap stabil saat musim hujan.",
    "Kepala dinas mengatakan pendampingan akan dilanjutkan tahun depan dengan melibatkan kampus setempat.",
)
_OFFTOPIC = (
    "Klub sepak bola asal {place} menang {k}-1 dalam laga pekan ke-{n2}.",
    "Festival kuliner di {place} menarik {n} pengunjung selama tiga hari.",
    "Cuaca di {place} diperkirakan cerah berawan dengan suhu {k} derajat.",
)
_CHANNELS = {"detik": ("inet.detik.com", "telecommunication"), "liputan6": ("www.liputan6.com", "bisnis"),
             "republika": ("ekonomi.republika.co.id", "ekonomi"), "komdigi": ("www.komdigi.go.id", "siaran-pers")}
_CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def _synthetic_url(site: str, index: int, slug: str, rng: random.Random) -> str:
    host, channel = _CHANNELS[site]
    if site == "detik":
        return f"https://{host}/{channel}/d-{9_000_000 + index}/{slug}"
    if site == "liputan6":
        return f"https://{host}/{channel}/read/{7_000_000 + index}/{slug}"
    if site == "republika":
        code = "s" + "".join(rng.choice(_CODE_ALPHABET) for _ in range(8))
        return f"https://{host}/berita/{code}/{slug}"
    return f"https://{host}/berita/{channel}/detail/{slug}-{index}"


def synthetic_articles(n: int, seed: int = 0) -> list[MirrorArticle]:
    """``n`` generated articles, round-robin over the four sites; about 1 in 5 off-topic,
    1 in 10 appearing at step 1, 1 in 10 revised at step 1."""
    rng = random.Random(seed)
    out: list[MirrorArticle] = []
    for i in range(n):
        site = SITES[i % len(SITES)]
        place = rng.choice(_PLACES)
        topical = rng.random() >= 0.2
        fill = dict(place=place, subj=rng.choice(_SUBJECTS), n=f"{rng.randint(2, 950)}.{rng.randint(0, 999):03d}",
                    m=f"{rng.randint(2, 900)},{rng.randint(1, 9)}", k=rng.randint(2, 90), n2=rng.randint(1, 34))
        pool = _TEMPLATES if topical else _OFFTOPIC
        paragraphs = [t.format(**fill) for t in rng.sample(pool, k=min(len(pool), rng.randint(3, 5)))]
        title = f"{place}: {paragraphs[0].split(' ', 3)[-1][:60].rstrip('.')}".strip()
        slug = "-".join(w for w in "".join(c if c.isalnum() or c == " " else " " for c in title.lower()).split())[:70]
        url = _synthetic_url(site, i, slug, rng)
        revisions = {}
        if rng.random() < 0.1:
            revised = list(paragraphs)
            revised[0] = revised[0] + " Angka ini diperbarui setelah verifikasi ulang."
            revisions = {1: revised}
        out.append(MirrorArticle(
            site=site, url=url, channel=_CHANNELS[site][1], title=title,
            summary=paragraphs[0], author=rng.choice(("Redaksi", "Tim Liputan", "Humas Daerah")),
            paragraphs=tuple(paragraphs), tags=(place.lower(),), dateline=place,
            age_minutes=rng.randint(5, 60 * 24 * 3), appears_at_step=1 if rng.random() < 0.1 else 0,
            revisions=revisions, topical=topical, reporter_initials="red/syn",
            api_id=50_000 + i if site == "komdigi" else None,
            portal_id=20_000 + i if site == "komdigi" else None))
    return out
