"""The figure tagger on made-up sentences: every metric, every flag rule, every "not a figure" class.

The sentences are our own, written in the styles of Indonesian news copy; none is taken from the
seed articles (those are checked in test_tagger_seeds.py).
"""

from __future__ import annotations

import pytest

from extract import Figure, load_taxonomy, tag_text
from extract.taxonomy import default_taxonomy

CASES = [
# umkm_online
("Hingga kini tercatat 12 juta UMKM sudah terhubung ke ekosistem digital.", [("12 juta UMKM", "umkm_online", 12e6, dict(is_target=False))]),
("Kementerian Koperasi dan UKM mencatat sekitar 16,4 juta pelaku UMKM telah go digital per Juni 2021.", [("16,4 juta pelaku UMKM", "umkm_online", 16.4e6, dict(approx=True, year=2021))]),
("Jumlah UMKM yang berjualan di marketplace mencapai 20,5 juta unit usaha.", [("20,5 juta unit usaha", "umkm_online", 20.5e6, {})]),
("Sebanyak 3,8 juta usaha mikro sudah onboarding ke platform daring.", [("3,8 juta usaha mikro", "umkm_online", 3.8e6, {})]),
# umkm_online_target
("Pemerintah menargetkan 30 juta UMKM masuk ekosistem digital pada 2024.", [("30 juta UMKM", "umkm_online_target", 30e6, dict(is_target=True, year=2024))]),
("Targetnya, 24 juta UMKM go digital tahun 2023.", [("24 juta UMKM", "umkm_online_target", 24e6, dict(is_target=True, year=2023))]),
("Kominfo berencana membawa sepuluh juta UMKM ke platform digital.", [("sepuluh juta UMKM", "umkm_online_target", 10e6, dict(is_target=True))]),
# umkm_online_added
("Sepanjang 2020 terjadi penambahan 3,7 juta UMKM yang masuk ke platform digital.", [("3,7 juta UMKM", "umkm_online_added", 3.7e6, dict(is_target=False, year=2020))]),
("Setiap tahun ditargetkan 2 juta UMKM baru go online.", [("2 juta UMKM", "umkm_online_added", 2e6, dict(is_target=True))]),
("Sejak Mei hingga Agustus jumlah UMKM online bertambah 2,4 juta.", [("2,4 juta", "umkm_online_added", 2.4e6, {})]),
# umkm_online_pct
("Baru 19 persen UMKM yang sudah go digital.", [("19 persen", "umkm_online_pct", 19, {})]),
("Pemerintah menargetkan 50% UMKM terhubung ke ekosistem digital pada 2024.", [("50%", "umkm_online_pct", 50, dict(is_target=True, year=2024))]),
("Sekitar 25,5 persen pelaku UMKM kini memanfaatkan platform online.", [("25,5 persen", "umkm_online_pct", 25.5, dict(approx=True))]),
# umkm_digital_training
("Pelatihan jualan daring diberikan bagi 5.000 pelaku UMKM di Jawa Tengah.", [("5.000 pelaku UMKM", "umkm_digital_training", 5000, {})]),
("Program pendampingan digital tahun ini diikuti 12.500 peserta dari kalangan UMKM.", [("12.500 peserta", "umkm_digital_training", 12500, dict(unit="orang"))]),
("Kementerian akan melatih 200 ribu UMKM agar mampu berjualan online.", [("200 ribu UMKM", "umkm_digital_training", 200000, dict(is_target=True))]),
# umkm_total
("Dari total 64 juta UMKM di Indonesia, baru sebagian kecil yang go digital.", [("64 juta UMKM", "umkm_total", 64e6, {})]),
("Jumlah UMKM di Indonesia mencapai 65,4 juta unit.", [("65,4 juta unit", "umkm_total", 65.4e6, dict(unit="umkm"))]),
("Indonesia memiliki sekitar 64,2 juta UMKM.", [("64,2 juta UMKM", "umkm_total", 64.2e6, dict(approx=True))]),
# other_umkm
("Penjualan daring UMKM naik 30 persen selama pandemi.", [("30 persen", "other_umkm", 30, {})]),
("Pemerintah menyediakan sejuta situs web gratis untuk UMKM.", [("sejuta situs web", "other_umkm", 1e6, dict(unit="website"))]),
("Sebanyak 1.200 koperasi sudah memanfaatkan aplikasi digital.", [("1.200 koperasi", "other_umkm", 1200, dict(unit="koperasi"))]),
("Masih ada 80 persen UMKM yang belum go online.", [("80 persen", "other_umkm", 80, {})]),
# internet_access_points
("BAKTI telah membangun 11.000 titik akses internet di daerah 3T.", [("11.000 titik", "internet_access_points", 11000, {})]),
("Tahun depan akan dipasang 150 ribu titik layanan publik berbasis satelit.", [("150 ribu titik", "internet_access_points", 150000, dict(is_target=True))]),
("Sekitar 2.500-an titik wifi gratis tersedia di Jakarta.", [("2.500-an titik", "internet_access_points", 2500, dict(approx=True))]),
("Satelit SATRIA akan melayani 50.000 sekolah dan puskesmas.", [("50.000 sekolah", "internet_access_points", 50000, dict(is_target=True, unit="titik"))]),
# bts_towers
("Hingga akhir 2022 BAKTI sudah membangun 4.200 BTS 4G di wilayah 3T.", [("4.200 BTS", "bts_towers", 4200, dict(year=2022))]),
("Pembangunan 7.904 menara BTS ditargetkan rampung tahun depan.", [("7.904 menara BTS", "bts_towers", 7904, dict(is_target=True))]),
("Dari jumlah itu, 1.900 site belum on air karena kendala keamanan.", [("1.900 site", "bts_towers", 1900, {})]),
# villages
("Masih ada 12.548 desa yang belum terjangkau sinyal 4G.", [("12.548 desa", "villages_unconnected", 12548, {})]),
("Sekitar 9 ribu desa dan kelurahan masih blank spot.", [("9 ribu desa", "villages_unconnected", 9000, dict(approx=True))]),
("Kominfo mencatat 3.435 desa di Papua tidak memiliki akses internet.", [("3.435 desa", "villages_unconnected", 3435, {})]),
("BTS 4G akan dibangun di 7.000 desa hingga 2022.", [("7.000 desa", "villages_4g_covered", 7000, dict(is_target=True, year=2022))]),
("Saat ini 70.670 desa sudah terjangkau jaringan 4G.", [("70.670 desa", "villages_4g_covered", 70670, dict(is_target=False))]),
("Sinyal 4G kini menjangkau 95 ribu desa/kelurahan.", [("95 ribu desa/kelurahan", "villages_4g_covered", 95000, {})]),
("Dari total 83.218 desa dan kelurahan, sebagian besar sudah terjangkau sinyal.", [("83.218 desa", "villages_total", 83218, {})]),
("Indonesia memiliki 74.961 desa yang tersebar di 34 provinsi.", [("74.961 desa", "villages_total", 74961, {})]),
("Jumlah desa di Indonesia mencapai 83.931 desa dan kelurahan.", [("83.931 desa", "villages_total", 83931, {})]),
# fiber
("Palapa Ring membentang sepanjang 12.148 km serat optik.", [("12.148 km", "fiber_optic_km", 12148, {})]),
("Telkom mengoperasikan jaringan fiber optik sepanjang 165 ribu kilometer.", [("165 ribu kilometer", "fiber_optic_km", 165000, dict(unit="km"))]),
("Proyek kabel laut itu direncanakan sepanjang 3.000km.", [("3.000km", "fiber_optic_km", 3000, dict(is_target=True))]),
# regencies
("Jaringan tulang punggung Palapa Ring kini menjangkau 514 kabupaten/kota.", [("514 kabupaten/kota", "regencies_connected", 514, {})]),
("Serat optik sudah terhubung ke 440 kabupaten dan kota.", [("440 kabupaten dan kota", "regencies_connected", 440, {})]),
("Pada 2024 backbone serat optik ditargetkan menjangkau 500 kabupaten.", [("500 kabupaten", "regencies_connected", 500, dict(is_target=True, year=2024))]),
# satellite
("Satelit SATRIA-1 berkapasitas 150 Gbps.", [("150 Gbps", "satellite_capacity_gbps", 150, {})]),
("Kapasitas satelit multifungsi itu mencapai 2 x 150 Gbps.", [("2 x 150 Gbps", "satellite_capacity_gbps", 300, {})]),
("Pemerintah juga menyewa kapasitas satelit asing sebesar 30 gigabyte per detik.", [("30 gigabyte per detik", "satellite_capacity_gbps", 30, dict(unit="gbps"))]),
# internet users
("Pengguna internet di Indonesia mencapai 210 juta orang.", [("210 juta orang", "internet_users", 210e6, {})]),
("Survei APJII 2022 mencatat jumlah pengguna internet sebanyak 215,63 juta.", [("215,63 juta", "internet_users", 215.63e6, dict(year=2022, unit="orang"))]),
("Sebanyak 196,7 juta warganet aktif menggunakan internet setiap hari.", [("196,7 juta warganet", "internet_users", 196.7e6, {})]),
# penetration
("Penetrasi internet Indonesia mencapai 77,02 persen pada 2022.", [("77,02 persen", "internet_penetration_pct", 77.02, dict(year=2022))]),
("Tingkat penetrasi internet di perdesaan baru 48%.", [("48%", "internet_penetration_pct", 48, {})]),
("Sekitar 73,7 persen penduduk Indonesia sudah terhubung ke internet.", [("73,7 persen", "internet_penetration_pct", 73.7, dict(approx=True))]),
# budget
("Anggaran Kominfo tahun 2023 sebesar Rp 23,8 triliun.", [("Rp 23,8 triliun", "ict_budget_idr", 23.8e12, dict(year=2023))]),
("Pemerintah mengalokasikan Rp30,5 triliun untuk pembangunan infrastruktur TIK.", [("Rp30,5 triliun", "ict_budget_idr", 30.5e12, {})]),
("Program BTS 4G BAKTI menelan anggaran Rp 28,3 triliun.", [("Rp 28,3 triliun", "ict_budget_idr", 28.3e12, {})]),
("Alokasi dana transformasi digital diperkirakan Rp 5-6 triliun.", [("Rp 5-6 triliun", "ict_budget_idr", 5e12, dict(value_max=6e12))]),
# talent
("Program Digital Talent Scholarship telah diikuti 100 ribu peserta.", [("100 ribu peserta", "digital_talent", 100000, {})]),
("Pada 2030 akan tersedia 5 juta talenta digital.", [("5 juta talenta digital", "digital_talent", 5e6, dict(is_target=True, year=2030))]),
("Kominfo telah mencetak 200.000 talenta digital sepanjang 2021.", [("200.000 talenta digital", "digital_talent", 200000, dict(year=2021))]),
("Indonesia membutuhkan 9 juta talenta digital hingga 2030.", [("9 juta talenta digital", "digital_talent_target", 9e6, dict(is_target=True, year=2030))]),
("Kebutuhan talenta digital diperkirakan mencapai 600 ribu orang per tahun.", [("600 ribu orang", "digital_talent_target", 600000, dict(is_target=True))]),
("Target pelatihan talenta digital tahun ini 200 ribu orang.", [("200 ribu orang", "digital_talent_target", 200000, dict(is_target=True))]),
("Indonesia kekurangan 600 ribu talenta digital setiap tahun.", [("600 ribu talenta digital", "digital_talent_gap", 600000, dict(is_target=False))]),
("Defisit talenta digital diprediksi mencapai 9 juta orang.", [("9 juta orang", "digital_talent_gap", 9e6, {})]),
("Kesenjangan talenta digital saat ini sekitar 560 ribu orang.", [("560 ribu orang", "digital_talent_gap", 560000, dict(approx=True))]),
# other_connectivity
("Kecepatan internet di lokasi itu mencapai 20 Mbps.", [("20 Mbps", "other_connectivity", 20, dict(unit="mbps"))]),
("Jaringan fiber telah melewati 1 juta homepass.", [("1 juta homepass", "other_connectivity", 1e6, dict(unit="homepass"))]),
("Progres pembangunan BTS sudah mencapai 85 persen.", [("85 persen", "other_connectivity", 85, {})]),
("Layanan internet satelit itu menawarkan kecepatan 20-50 Mbps.", [("20-50 Mbps", "other_connectivity", 20, dict(value_max=50))]),
("Jumlah pengguna internet tumbuh 10,5 persen dibanding tahun sebelumnya.", [("10,5 persen", "other_connectivity", 10.5, {})]),
("Jaringan 4G kini mencakup 34 provinsi.", [("34 provinsi", "other_connectivity", 34, dict(unit="provinsi"))]),
]

NEGATIVES = [
("Acara itu digelar Kamis 14 Mei 2020 pukul 10.00 WIB.", "date"),
("Siaran pers diterbitkan pada 23/6/2020 di Jakarta.", "date"),
("Jaringan 4G dan 5G menjangkau daerah 3T.", "tech"),
("Pandemi COVID-19 mendorong UMKM go digital.", "tech"),
("Liputan6.com melaporkan UMKM go online.", "tech"),
("Perpres No. 63 Tahun 2020 mengatur daerah tertinggal.", "regulation"),
("Ini adalah tahap ke-3 program UMKM go digital.", "ordinal"),
("Program UMKM go digital akan berjalan 2 tahun ke depan.", "duration"),
("Pelatihan UMKM digital berlangsung selama 3 bulan.", "duration"),
("Jumlah penduduk Indonesia mencapai 270 juta jiwa.", "population"),
("Survei melibatkan 7.568 responden dengan margin of error 1,14 persen.", "survey"),
("Sebanyak 51 persen pengguna internet adalah laki-laki.", "survey share"),
("Nilai transaksi e-commerce mencapai Rp 266 triliun.", "money"),
("Penyaluran KUR bagi UMKM mencapai Rp 180 triliun.", "money"),
("Kerugian negara akibat korupsi BTS mencapai Rp 8 triliun.", "money"),
("UMKM berkontribusi 61 persen terhadap PDB.", "macro"),
("UMKM menyerap 97 persen tenaga kerja nasional.", "macro"),
("Ekonomi digital tumbuh 5 persen tahun lalu.", "macro"),
("Program ini melibatkan 5.000 relawan TIK untuk mendampingi UMKM go digital.", "logistics"),
("Roadshow UMKM go digital digelar di 20 kota.", "logistics"),
("Kominfo menangani 1.200 hoaks terkait pandemi di internet.", "hoax"),
("Malaysia memiliki 30 juta pengguna internet.", "foreign"),
("Target 100 persen listrik sudah ada di desa-desa.", "unrelated"),
("Produk dijual di tujuh marketplace besar.", "unrelated"),
("Hubungi 021-3452841 atau 08123456789 untuk informasi.", "phone"),
("Ponsel 5G pertama diluncurkan di Indonesia.", "tech"),
("Salah satu desa di Papua kini bisa mengakses internet.", "salah satu"),
("Fashion Talks Day 8 membahas UMKM digital.", "label"),
("Iklan Tengah Artikel 1", "label"),
("Siaran Pers No. 123/HM/KOMINFO/06/2021 tentang UMKM go digital.", "label"),
("Sebanyak 1.500 UMKM mengikuti bazar offline di Jakarta.", "not digital"),
("Subsidi kuota internet untuk siswa mencapai Rp 7,2 triliun.", "quota subsidy"),
]


ALL_METRICS = set(default_taxonomy().metrics)


def _check(figure: Figure, text: str, metric: str, value: float, extra: dict) -> None:
    assert text[figure.start:figure.end] == figure.surface
    assert figure.metric == metric, (text, figure)
    assert figure.value == pytest.approx(value, rel=1e-9), (text, figure)
    for key, expected in extra.items():
        got = getattr(figure, key)
        if key == "value_max":
            assert got == pytest.approx(expected, rel=1e-9), (text, figure)
        else:
            assert got == expected, (key, text, figure)
    defaults = {"value_max": None, "is_target": None, "approx": False, "year": None}
    for key, expected in defaults.items():
        if key not in extra and expected is not None:
            assert getattr(figure, key) == expected, (key, text, figure)
    if "value_max" not in extra:
        assert figure.value_max is None


@pytest.mark.parametrize("text, expected", CASES, ids=[c[0][:50] for c in CASES])
def test_metric_and_flags(text: str, expected: list) -> None:
    figures = tag_text(text)
    assert [f.surface for f in figures] == [e[0] for e in expected], text
    for figure, (_, metric, value, extra) in zip(figures, expected, strict=True):
        _check(figure, text, metric, value, extra)


@pytest.mark.parametrize("text, why", NEGATIVES, ids=[n[1] + ": " + n[0][:40] for n in NEGATIVES])
def test_not_a_figure(text: str, why: str) -> None:
    assert tag_text(text) == [], why


def test_every_metric_has_at_least_three_sentences() -> None:
    counts = {name: 0 for name in ALL_METRICS}
    for _, expected in CASES:
        for _, metric, _, _ in expected:
            counts[metric] += 1
    assert {m: c for m, c in counts.items() if c < 3} == {}


def test_target_metrics_are_always_targets_and_online_stock_never() -> None:
    for text, _ in CASES:
        for figure in tag_text(text):
            if figure.metric in ("umkm_online_target", "digital_talent_target"):
                assert figure.is_target
            if figure.metric == "umkm_online":
                assert not figure.is_target


def test_target_cue_is_scoped_to_the_clause() -> None:
    text = "Kami menargetkan 8 juta UMKM go online hingga 2024, namun saat ini baru 4,6 juta."
    first, second = tag_text(text)
    assert (first.metric, first.is_target, first.year) == ("umkm_online_target", True, 2024)
    assert (second.metric, second.is_target, second.year) == ("umkm_online", False, None)


def test_present_state_count_is_not_a_target() -> None:
    [figure] = tag_text("Sebanyak 5.000 desa yang belum terjangkau sinyal akan dibangun BTS tahun depan.")
    assert (figure.metric, figure.is_target) == ("villages_unconnected", False)


def test_two_figures_in_one_clause() -> None:
    figures = tag_text("Tahun ini BAKTI membangun 1.200 BTS di 1.000 desa yang belum terjangkau sinyal.")
    assert [(f.surface, f.metric) for f in figures] == [
        ("1.200 BTS", "bts_towers"), ("1.000 desa", "villages_unconnected")]


def test_unconnected_from_the_paragraph() -> None:
    text = ("Masih ada 12.548 desa belum terjangkau internet. Dari jumlah itu, 9.113 desa berada di "
            "Papua.")
    assert [f.metric for f in tag_text(text)] == ["villages_unconnected", "villages_unconnected"]


def test_postposed_lebih_and_hedges() -> None:
    [a] = tag_text("UMKM yang sudah go online mencapai 300 ribu lebih.")
    assert a.approx and a.surface == "300 ribu"
    [b] = tag_text("Kalau tidak salah ada 2 juta UMKM yang sudah masuk marketplace.")
    assert b.approx
    [c] = tag_text("UMKM yang sudah go online mencapai 300 ribu.")
    assert not c.approx


def test_year_rules() -> None:
    [period] = tag_text("Sejak 2019 hingga Juni 2021 ada penambahan 5 juta UMKM yang go digital.")
    assert period.year == 2021
    [dateline] = tag_text("Sebanyak 14 ribu desa belum terkoneksi, kata Erick, Minggu (16/8/2020).")
    assert dateline.year is None
    [no_year] = tag_text("Pemerintah mendorong 2 juta UMKM go digital sampai akhir tahun.")
    assert (no_year.year, no_year.is_target, no_year.metric) == (None, True, "umkm_online_added")


def test_headline_without_scale_word_is_literal() -> None:
    [figure] = tag_text("10 UMKM Go Digital Bersama Kominfo")
    assert figure.value == 10


def test_offsets_survive_crlf_free_unicode() -> None:
    text = "“Kominfo menyediakan 7.634 titik internet gratis,” kata Menteri.\u00a0Baru 20\u00a0persen UMKM go digital."
    figures = tag_text(text)
    assert [text[f.start:f.end] for f in figures] == [f.surface for f in figures] == ["7.634 titik", "20\u00a0persen"]


def test_records_have_the_documented_key_order() -> None:
    [figure] = tag_text("Pengguna internet mencapai 210 juta orang.")
    assert list(figure.to_record()) == ["start", "end", "surface", "value", "value_max", "unit", "metric",
                                        "is_target", "approx", "year", "sentence", "when", "scope"]
    assert isinstance(figure.to_record()["value"], int)
    assert load_taxonomy().family_of(figure.metric) == "connectivity"


def test_sentence_field() -> None:
    text = "Judul Berita 5 Juta UMKM Online\nMenurut Dr. Budi, 5 juta UMKM sudah go online. Kalimat lain."
    figures = tag_text(text)
    assert [f.sentence for f in figures] == ["Judul Berita 5 Juta UMKM Online",
                                              "Menurut Dr. Budi, 5 juta UMKM sudah go online."]


def test_empty_and_numberless_text() -> None:
    assert tag_text("") == []
    assert tag_text("UMKM go digital tanpa angka.") == []

# News-style sentences in other outlets' phrasing: (text, [(surface, metric, unit, is_target, approx, year)]).
NEWS = [
    ('Kementerian Koperasi dan UKM mencatat hingga Mei 2023 sebanyak 21,8 juta UMKM telah terhubung ke ekosistem digital.', [
        ('21,8 juta UMKM', 'umkm_online', 'umkm', False, False, 2023),
    ]),
    ('Presiden Joko Widodo menargetkan 30 juta UMKM onboarding ke platform digital pada 2024.', [
        ('30 juta UMKM', 'umkm_online_target', 'umkm', True, False, 2024),
    ]),
    ('Sampai saat ini, baru sekitar 13 juta atau 20 persen UMKM yang sudah go digital.', [
        ('13 juta', 'umkm_online', 'umkm', False, True, None),
        ('20 persen', 'umkm_online_pct', 'persen', False, False, None),
    ]),
    ('Menkominfo Johnny G Plate mengatakan, pembangunan BTS 4G di 7.904 desa dan kelurahan di wilayah 3T ditargetkan selesai pada akhir 2022.', [
        ('7.904 desa', 'villages_4g_covered', 'desa', True, False, 2022),
    ]),
    ('Dari target tersebut, sebanyak 1.682 BTS telah on air pada 2021.', [
        ('1.682 BTS', 'bts_towers', 'bts', False, False, 2021),
    ]),
    ('BAKTI Kominfo juga telah menyediakan akses internet di 11.800 lokasi layanan publik.', [
        ('11.800 lokasi', 'internet_access_points', 'titik', False, False, None),
    ]),
    ('Satelit Republik Indonesia (SATRIA)-1 memiliki kapasitas 150 Gbps dan akan melayani 150 ribu titik layanan publik.', [
        ('150 Gbps', 'satellite_capacity_gbps', 'gbps', False, False, None),
        ('150 ribu titik', 'internet_access_points', 'titik', True, False, None),
    ]),
    ('Anggaran yang disiapkan untuk proyek satelit tersebut mencapai Rp 21,4 triliun.', [
        ('Rp 21,4 triliun', 'ict_budget_idr', 'rupiah', False, False, None),
    ]),
    ('Pada tahun 2022, pemerintah mengalokasikan anggaran TIK sebesar Rp 27,3 triliun.', [
        ('Rp 27,3 triliun', 'ict_budget_idr', 'rupiah', False, False, 2022),
    ]),
    ('Indonesia membutuhkan sekitar 9 juta talenta digital dalam kurun waktu 15 tahun, atau 600 ribu per tahun.', [
        ('9 juta talenta digital', 'digital_talent_target', 'orang', True, True, None),
        ('600 ribu', 'digital_talent_target', 'orang', True, False, None),
    ]),
    ('Jumlah desa yang belum terlayani sinyal 4G masih 12.548 desa.', [
        ('12.548 desa', 'villages_unconnected', 'desa', False, False, None),
    ]),
    ('Jaringan Palapa Ring sepanjang 36.000 km telah menghubungkan 57 kabupaten/kota.', [
        ('36.000 km', 'fiber_optic_km', 'km', False, False, None),
        ('57 kabupaten/kota', 'regencies_connected', 'kabupaten_kota', False, False, None),
    ]),
    ('Kementerian menargetkan 100.000 peserta mengikuti program Digital Talent Scholarship tahun ini.', [
        ('100.000 peserta', 'digital_talent_target', 'orang', True, False, None),
    ]),
    ('Menurut Teten, UMKM yang sudah onboarding ke e-commerce naik dari 8 juta menjadi 19 juta unit.', [
        ('8 juta', 'umkm_online', 'umkm', False, False, None),
        ('19 juta unit', 'umkm_online', 'umkm', False, False, None),
    ]),
    ('Sebanyak 64,2 juta UMKM di Indonesia menyumbang 61,07 persen PDB.', [
    ]),
    ('Jumlah transaksi di platform e-commerce tercatat sebesar Rp 476 triliun pada 2022.', [
    ]),
    ('Layanan internet gratis tersebut dinikmati oleh 1,2 juta pengguna setiap bulan.', [
        ('1,2 juta pengguna', 'internet_users', 'orang', False, False, None),
    ]),
    ('Kominfo menargetkan seluruh 83.218 desa terjangkau sinyal 4G pada 2022.', [
        ('83.218 desa', 'villages_4g_covered', 'desa', True, False, 2022),
    ]),
    ('Kecepatan unduh rata-rata di Indonesia kini 24,96 Mbps.', [
        ('24,96 Mbps', 'other_connectivity', 'mbps', False, False, None),
    ]),
    ('Pemerintah akan membangun 5.000 titik wifi gratis di 514 kabupaten/kota.', [
        ('5.000 titik', 'internet_access_points', 'titik', True, False, None),
    ]),
    ('Sebanyak 9.113 desa berada di wilayah 3T yang belum tersentuh sinyal.', [
        ('9.113 desa', 'villages_unconnected', 'desa', False, False, None),
    ]),
    ('Lebih dari 400 ribu UMKM mengikuti pelatihan digital sepanjang 2021.', [
        ('400 ribu UMKM', 'umkm_digital_training', 'umkm', False, True, 2021),
    ]),
    ('Tingkat penetrasi internet rumah tangga mencapai 82,07 persen pada 2022, naik dari 78,18 persen tahun sebelumnya.', [
        ('82,07 persen', 'internet_penetration_pct', 'persen', False, False, 2022),
        ('78,18 persen', 'internet_penetration_pct', 'persen', False, False, 2021),
    ]),
    ('Pemerintah menyalurkan BLT UMKM sebesar Rp 2,4 juta kepada 12 juta pelaku usaha mikro.', [
    ]),
    ('Dalam lima tahun ke depan, pemerintah berencana menambah 20.000 BTS.', [
        ('20.000 BTS', 'bts_towers', 'bts', True, False, None),
    ]),
    ('Hingga akhir Juni 2021, baru 14,5 juta UMKM yang terhubung ke ekosistem digital, atau sekitar 22 persen dari total 64,2 juta UMKM.', [
        ('14,5 juta UMKM', 'umkm_online', 'umkm', False, False, 2021),
        ('22 persen', 'umkm_online_pct', 'persen', False, True, 2021),
        ('64,2 juta UMKM', 'umkm_total', 'umkm', False, False, 2021),
    ]),
    ('Di Provinsi Papua terdapat 2.800 desa yang belum memiliki sinyal.', [
        ('2.800 desa', 'villages_unconnected', 'desa', False, False, None),
    ]),
    ('Kapasitas satelit yang disewa pemerintah saat ini sebesar 30 Gbps.', [
        ('30 Gbps', 'satellite_capacity_gbps', 'gbps', False, False, None),
    ]),
    ('Kominfo Targetkan 12.000 Desa Terjangkau 4G Tahun Ini', [
        ('12.000 Desa', 'villages_4g_covered', 'desa', True, False, None),
    ]),
    ('Baru 8 Juta UMKM yang Go Digital, Teten: Masih Jauh dari Target', [
        ('8 Juta UMKM', 'umkm_online', 'umkm', False, False, None),
    ]),
    ('Jakarta - Menteri Koperasi dan UKM Teten Masduki menyebut UMKM yang sudah masuk ekosistem digital baru 8 juta atau 13 persen dari total 64 juta UMKM.', [
        ('8 juta', 'other_umkm', 'koperasi', False, False, None),
        ('13 persen', 'umkm_online_pct', 'persen', False, False, None),
        ('64 juta UMKM', 'umkm_total', 'umkm', False, False, None),
    ]),
    ('Dia menjelaskan, pemerintah menargetkan 30 juta UMKM go digital pada 2024 mendatang.', [
        ('30 juta UMKM', 'umkm_online_target', 'umkm', True, False, 2024),
    ]),
    ('"Tahun ini kita akan bangun 4.200 BTS 4G di desa-desa yang belum ada sinyal," ujar Johnny.', [
        ('4.200 BTS', 'bts_towers', 'bts', True, False, None),
    ]),
    ('Saat ini ada sekitar 12.500-an desa yang masih blank spot.', [
        ('12.500-an desa', 'villages_unconnected', 'desa', False, True, None),
    ]),
    ('Untuk menuntaskan pembangunan tersebut, Kominfo membutuhkan anggaran hingga Rp 30 triliun.', [
        ('Rp 30 triliun', 'ict_budget_idr', 'rupiah', True, False, None),
    ]),
    ('Tahun ini, Kominfo mendapat pagu anggaran sebesar Rp 28,3 triliun, turun dibandingkan tahun lalu.', [
        ('Rp 28,3 triliun', 'ict_budget_idr', 'rupiah', False, False, None),
    ]),
    ('Penetrasi fixed broadband di Indonesia baru 15 persen rumah tangga.', [
        ('15 persen', 'internet_penetration_pct', 'persen', False, False, None),
    ]),
    ('Kapasitas internet satelit SATRIA-1 mencapai 150 gigabit per detik (Gbps).', [
        ('150 gigabit per detik', 'satellite_capacity_gbps', 'gbps', False, False, None),
    ]),
    ('Menurut data BPS, 66,48 persen penduduk Indonesia telah mengakses internet pada 2022.', [
        ('66,48 persen', 'internet_penetration_pct', 'persen', False, False, 2022),
    ]),
    ('Dalam program ini, Kominfo menggandeng 10 marketplace dan melatih 50.000 UMKM per tahun.', [
        ('50.000 UMKM', 'umkm_digital_training', 'umkm', False, False, None),
    ]),
    ('Sebanyak 200 ribu pelaku UMKM telah dilatih melalui program UMKM Go Online sejak 2017.', [
        # "sejak 2017" opens a period with no end year: the count is as of now (figures.md 5.3).
        ('200 ribu pelaku UMKM', 'umkm_digital_training', 'umkm', False, False, None),
    ]),
    ('Ke depan, Indonesia diproyeksikan kekurangan 9 juta talenta digital hingga 2030.', [
        ('9 juta talenta digital', 'digital_talent_gap', 'orang', True, False, 2030),
    ]),
    ('DTS 2023 menargetkan 200.000 penerima beasiswa.', [
        ('200.000 penerima beasiswa', 'digital_talent_target', 'orang', True, False, 2023),
    ]),
    ('Kominfo mencatat realisasi penerima beasiswa DTS tahun 2022 mencapai 168.000 orang.', [
        ('168.000 orang', 'digital_talent', 'orang', False, False, 2022),
    ]),
    ('Panjang kabel serat optik Palapa Ring Timur mencapai 6.878 kilometer.', [
        ('6.878 kilometer', 'fiber_optic_km', 'km', False, False, None),
    ]),
    ('Sebanyak 1.100 kabupaten dan kota akan terhubung jaringan serat optik.', [
        ('1.100 kabupaten dan kota', 'regencies_connected', 'kabupaten_kota', True, False, None),
    ]),
    ('Indonesia berhasil meluncurkan 2 satelit telekomunikasi dalam dua tahun terakhir.', [
        ('2 satelit', 'other_connectivity', 'satelit', False, False, None),
    ]),
    ('Jaringan 5G sudah hadir di 10 kota, namun cakupannya baru 2 persen wilayah.', [
        ('2 persen', 'other_connectivity', 'persen', False, False, None),
    ]),
    ('Internet desa kini menjangkau 80 persen wilayah pemukiman.', [
        ('80 persen', 'other_connectivity', 'persen', False, False, None),
    ]),
    ('Di Jawa Barat, 1.524 desa masih mengalami blank spot, sedangkan di Papua mencapai 3.500 desa.', [
        ('1.524 desa', 'villages_unconnected', 'desa', False, False, None),
        ('3.500 desa', 'villages_unconnected', 'desa', False, False, None),
    ]),
    ('Koperasi digital kini berjumlah 1.500 unit.', [
        ('1.500 unit', 'other_umkm', 'koperasi', False, False, None),
    ]),
    ('Kecepatan internet fixed broadband Indonesia naik menjadi 27,83 Mbps pada Juni 2023.', [
        ('27,83 Mbps', 'other_connectivity', 'mbps', False, False, 2023),
    ]),
    ('Menkominfo meresmikan 1.000 titik Wi-Fi publik di Bali.', [
        ('1.000 titik', 'internet_access_points', 'titik', False, False, None),
    ]),
    ('Pada semester I 2023 jumlah homepass mencapai 1,5 juta.', [
        ('1,5 juta', 'other_connectivity', 'homepass', False, False, 2023),
    ]),
    ('Sekitar 85 persen kabupaten/kota sudah terhubung serat optik.', [
        ('85 persen', 'other_connectivity', 'persen', False, True, None),
    ]),
    ('Pemerintah juga membangun 12 ribu km jaringan tulang punggung serat optik.', [
        ('12 ribu km', 'fiber_optic_km', 'km', False, False, None),
    ]),
    ('Nilai transaksi uang elektronik pada Juli 2023 mencapai Rp 35,1 triliun.', [
    ]),
    ('Pendapatan Telkomsel tahun lalu mencapai Rp 91 triliun.', [
    ]),
    ('Menara milik Mitratel dijual seharga Rp 10,3 triliun kepada investor.', [
    ]),
    ('Anggaran pendidikan tahun 2024 sebesar Rp 665 triliun.', [
    ]),
    ('Program Kartu Prakerja diikuti 16,4 juta peserta sejak 2020.', [
    ]),
    ('Kominfo melibatkan 50 ribu relawan TIK dan 100 pendamping digital dalam program ini.', [
    ]),
    ('Roadshow UMKM Go Digital digelar di 34 kota besar di Indonesia.', [
    ]),
    ('Pengguna internet di Malaysia mencapai 29 juta orang atau 89 persen penduduk.', [
    ]),
    ('Sebanyak 52,5 persen pengguna internet mengakses melalui ponsel.', [
    ]),
    ('Sebanyak 1.200 konten hoaks terkait vaksin telah ditangani Kominfo.', [
    ]),
    ('Kontribusi UMKM terhadap produk domestik bruto mencapai 60,5 persen.', [
    ]),
    ('Pertumbuhan ekonomi Indonesia pada kuartal II 2023 mencapai 5,17 persen.', [
    ]),
    ('Survei dilakukan terhadap 8.510 responden pada 10-27 Januari 2023 dengan margin of error 1,44 persen.', [
    ]),
    ('Jumlah penduduk usia 15-64 tahun mencapai 190 juta jiwa.', [
    ]),
    ('Harga paket data turun menjadi Rp 10.000 per 10 GB.', [
    ]),
    ('Peserta yang lahir tahun 1997-2012 disebut generasi Z.', [
    ]),
    ('Pada 17 Agustus 2022 pukul 19.00 WIB, layanan internet gratis diluncurkan.', [
    ]),
    ('Acara Bulan Fintech Nasional 2023 dibuka oleh OJK.', [
    ]),
    ('Kominfo memblokir 800 ribu situs judi online sepanjang 2023.', [
    ]),
    ('Pemerintah menargetkan pertumbuhan ekonomi digital 20 persen per tahun.', [
    ]),
    ('Ia memulai usahanya pada 2015 dengan modal Rp 5 juta.', [
    ]),
    ('Sebanyak 3 dari 5 UMKM belum memanfaatkan internet.', [
    ]),
    ('Diskon hingga 50 persen diberikan kepada pelaku UMKM yang berjualan di marketplace.', [
    ]),
    ('Bantuan kuota internet diberikan kepada 27 juta siswa dan guru.', [
    ]),
    ('Ponsel seharga Rp 1,5 juta sudah mendukung jaringan 4G.', [
    ]),
    ('Dana desa sebesar Rp 70 triliun juga dapat digunakan untuk membangun jaringan internet desa.', [
    ]),
    ('Indonesia berada di peringkat 9 dari 10 negara ASEAN dalam kecepatan internet.', [
    ]),
    ('UU Nomor 11 Tahun 2008 tentang ITE mengatur transaksi elektronik.', [
    ]),
    ('Dalam 3 tahun terakhir, jumlah UMKM yang go online meningkat pesat.', [
    ]),
]


@pytest.mark.parametrize("text, expected", NEWS, ids=[n[0][:50] for n in NEWS])
def test_news_style_sentences(text: str, expected: list) -> None:
    got = [(f.surface, f.metric, f.unit, f.is_target, f.approx, f.year) for f in tag_text(text)]
    assert got == expected



# ---- robustness: any text, no exception, and the record invariants hold ---------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TOKENS = ["7.634", "4,6", "juta", "ribu", "Rp", "Rp.", "persen", "%", "UMKM", "desa", "titik", "internet",
           "belum", "akan", "target", "2019", "(16/8/2020)", "05.30", "WIB", "-", "–", "sampai", "x", "an",
           "-an", "lebih", "dari", "sekitar", ".", ",", "“", "”", "\"", "\n", " ", "\u00a0", "delapan",
           "belas", "puluh", "setengah", "sejuta", "BTS", "unit", "4G", "COVID-19", "ke-3", "No.", "İ", "ß",
           "talenta digital", "membutuhkan", "Gbps", "km", "serat optik", "penetrasi", "anggaran", "TIK"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=40), st.lists(st.sampled_from([" ", "", "\n"]), max_size=40))
def test_random_text_never_breaks_the_invariants(tokens: list[str], glue: list[str]) -> None:
    parts = []
    for i, token in enumerate(tokens):
        parts.append(token)
        parts.append(glue[i] if i < len(glue) else " ")
    text = "".join(parts)
    figures = tag_text(text)
    assert [f.start for f in figures] == sorted(f.start for f in figures)
    for f in figures:
        assert text[f.start:f.end] == f.surface
        assert f.surface in f.sentence
        assert f.value_max is None or f.value_max > f.value
        assert f.metric in ALL_METRICS


# ---- whole made-up articles: figures across sentences and paragraphs -----------------------------

ARTICLE_VILLAGES = """Kominfo: 12.548 Desa Belum Tersentuh Sinyal 4G, Pembangunan BTS Dikebut

Kamis, 10 Feb 2022 14:05 WIB

JAKARTA, KOMPAS.com - Kementerian Komunikasi dan Informatika (Kominfo) mencatat masih ada 12.548 desa dan kelurahan yang belum terjangkau layanan 4G. Dari jumlah tersebut, 9.113 desa berada di wilayah 3T (terdepan, terluar, tertinggal).
Untuk program tersebut, BAKTI Kominfo mendapat alokasi anggaran Rp 11 triliun pada tahun 2021 dan Rp 17 triliun pada 2022.
Selain BTS, pemerintah juga menyiapkan satelit SATRIA-1 berkapasitas 150 Gbps yang akan melayani 150.000 titik layanan publik, antara lain 93.900 sekolah dan 3.700 puskesmas.
Baca juga: Pengguna Internet Indonesia Tembus 210 Juta Orang
Hingga akhir 2021, tercatat 16,4 juta UMKM telah go digital. Pemerintah menargetkan angka itu naik menjadi 30 juta UMKM pada 2024."""

ARTICLE_UMKM = """Teten Targetkan 30 Juta UMKM Go Digital pada 2024

Liputan6.com, Jakarta - Hingga Agustus 2022, jumlah UMKM yang terhubung ke ekosistem digital mencapai 20,76 juta unit atau sekitar 32 persen dari total UMKM di Indonesia.
Menteri Koperasi dan UKM Teten Masduki mengatakan, angka tersebut meningkat signifikan dibandingkan sebelum pandemi yang hanya 8 juta UMKM. "Artinya ada penambahan 12 juta lebih UMKM yang masuk ke ekosistem digital selama pandemi," kata Teten.
Meski begitu, Teten mengakui masih ada 70 persen UMKM yang belum go digital.
Program ini melibatkan 1.000 pendamping di 34 provinsi.
Teten juga menyebut kontribusi UMKM terhadap PDB mencapai 60,51 persen dan menyerap 97 persen tenaga kerja.
Sementara itu, nilai transaksi e-commerce pada 2022 diproyeksikan mencapai Rp 489 triliun, tumbuh 22 persen dibanding tahun lalu.
Sementara di Malaysia, 70 persen UMKM sudah go digital."""


@pytest.mark.parametrize("text, expected", [
    (ARTICLE_VILLAGES, [
        ("12.548 Desa", "villages_unconnected", False, False, None),
        ("12.548 desa", "villages_unconnected", False, False, None),
        ("9.113 desa", "villages_unconnected", False, False, None),
        ("Rp 11 triliun", "ict_budget_idr", False, False, 2021),
        ("Rp 17 triliun", "ict_budget_idr", False, False, 2022),
        ("150 Gbps", "satellite_capacity_gbps", True, False, None),
        ("150.000 titik", "internet_access_points", True, False, None),
        ("93.900 sekolah", "internet_access_points", True, False, None),
        ("3.700 puskesmas", "internet_access_points", True, False, None),
        ("210 Juta Orang", "internet_users", False, True, None),
        ("16,4 juta UMKM", "umkm_online", False, False, 2021),
        ("30 juta UMKM", "umkm_online_target", True, False, 2024),
    ]),
    (ARTICLE_UMKM, [
        ("30 Juta UMKM", "umkm_online_target", True, False, 2024),
        ("20,76 juta unit", "umkm_online", False, False, 2022),
        ("32 persen", "umkm_online_pct", False, True, 2022),
        ("8 juta UMKM", "umkm_online", False, False, None),
        ("12 juta", "umkm_online_added", False, True, None),
        ("70 persen", "other_umkm", False, False, None),
    ]),
], ids=["villages article", "umkm article"])
def test_whole_articles(text: str, expected: list) -> None:
    got = [(f.surface, f.metric, f.is_target, f.approx, f.year) for f in tag_text(text)]
    assert got == expected


# More phrasing: frequencies, growth versus stock, operators' money, spelled numbers.
NEWS_MORE = [
    ('Kominfo telah 3 kali menggelar pelatihan internet sehat bagi UMKM.', [
    ]),
    ('Pasal 27 ayat 3 UU ITE kerap digunakan untuk menjerat pengguna internet.', [
    ]),
    ('Harga paket internet kini Rp 2.000 per GB.', [
    ]),
    ('Indonesia masuk 10 besar negara dengan pengguna internet terbanyak.', [
    ]),
    ('Lebih dari 10 tahun ia berjualan online.', [
    ]),
    ('Dua juta UMKM ditargetkan go digital tahun ini.', [
        ('Dua juta UMKM', 'umkm_online_target', 'umkm', True, False, None),
    ]),
    ('Kominfo menargetkan (sekitar 20 persen) UMKM go digital.', [
        ('20 persen', 'umkm_online_pct', 'persen', True, True, None),
    ]),
    ('Sebanyak 25.000 UMKM (sekitar 40 persen) sudah berjualan daring.', [
        ('25.000 UMKM', 'umkm_online', 'umkm', False, False, None),
        ('40 persen', 'umkm_online_pct', 'persen', False, True, None),
    ]),
    ('Trafik data naik 30 kali lipat di jaringan seluler selama Lebaran.', [
        ('30 kali lipat', 'other_connectivity', 'kali', False, False, None),
    ]),
    ('Penggunaan internet naik 40% selama pandemi.', [
        ('40%', 'other_connectivity', 'persen', False, False, None),
    ]),
    ('Pemerintah menyiapkan Rp 1,5 triliun untuk subsidi kuota internet siswa.', [
    ]),
    ('Indosat menyiapkan belanja modal Rp 12 triliun untuk memperluas jaringan 4G.', [
    ]),
    ('XL Axiata menargetkan 5.000 BTS baru tahun ini.', [
        ('5.000 BTS', 'bts_towers', 'bts', True, False, None),
    ]),
    ('Program ini sudah berjalan selama 5 tahun dan menjangkau 1.000 desa digital.', [
    ]),
    ('Ada 1.209 kecamatan yang belum terjangkau 4G.', [
    ]),
    ('Rp 50.000 per bulan untuk paket internet desa.', [
    ]),
    ('Sebanyak 7 persen desa masih belum memiliki akses internet.', [
        ('7 persen', 'other_connectivity', 'persen', False, False, None),
    ]),
    ('Pengguna internet Indonesia pada tahun 2019 sebanyak 171,17 juta, naik dari 143,26 juta pada 2017.', [
        ('171,17 juta', 'internet_users', 'orang', False, False, 2019),
        ('143,26 juta', 'internet_users', 'orang', False, False, 2017),
    ]),
    ('Kominfo juga telah membangun 1.500 BTS dan akan menambah 2.000 BTS lagi.', [
        ('1.500 BTS', 'bts_towers', 'bts', False, False, None),
        ('2.000 BTS', 'bts_towers', 'bts', True, False, None),
    ]),
    ('BAKTI akan menyalakan 3.000 BTS 4G baru sampai Desember.', [
        ('3.000 BTS', 'bts_towers', 'bts', True, False, None),
    ]),
]


@pytest.mark.parametrize("text, expected", NEWS_MORE, ids=[n[0][:50] for n in NEWS_MORE])
def test_more_news_style_sentences(text: str, expected: list) -> None:
    got = [(f.surface, f.metric, f.unit, f.is_target, f.approx, f.year) for f in tag_text(text)]
    assert got == expected



def test_current_figure_takes_the_attribution_date_year() -> None:
    [current] = tag_text("Saat ini sudah ada 5 juta UMKM yang go online, kata Teten, Senin (16/8/2020).")
    assert current.year == 2020
    [dated] = tag_text("Hingga kini 7.634 titik internet gratis sudah tersedia, ujar Johnny pada 14 Mei 2020.")
    assert dated.year == 2020


def test_foreign_currency_is_neither_budget_nor_count() -> None:
    figures = tag_text("Perusahaan menyiapkan US$ 500 juta untuk membangun 1.000 BTS.")
    assert [f.surface for f in figures] == ["1.000 BTS"]
    assert [f.surface for f in tag_text("Investasi 2 miliar dolar AS untuk 5.000 BTS baru.")] == ["5.000 BTS"]


# Qualifiers, spelled numbers, capitals, typos and ranges in context.
NEWS_FLAGS = [
    ('Hingga kini, tidak sampai 10 persen UMKM di daerah itu yang memanfaatkan marketplace.', [
        ('10 persen', 'other_umkm', 'persen', False, True, None),
    ]),
    ('Sedikitnya 1.500-an titik Wi-Fi gratis dipasang di ruang publik kota itu.', [
        ('1.500-an titik', 'internet_access_points', 'titik', False, True, None),
    ]),
    ('Kurang lebih Rp.2,5 triliun dialokasikan untuk pembangunan infrastruktur TIK di daerah.', [
        ('Rp.2,5 triliun', 'ict_budget_idr', 'rupiah', False, True, None),
    ]),
    ('Anggaran BAKTI tahun depan mencapai Rp30 trilyun.', [
        ('Rp30 trilyun', 'ict_budget_idr', 'rupiah', False, False, None),
    ]),
    ('Satu juta UMKM ditargetkan masuk e-katalog tahun ini.', [
        ('Satu juta UMKM', 'other_umkm', 'umkm', True, False, None),
    ]),
    ('Setengah juta pelaku UMKM sudah bergabung dengan platform digital itu.', [
        ('Setengah juta pelaku UMKM', 'umkm_online', 'umkm', False, False, None),
    ]),
    ('Empat belas ribu desa akan dijangkau sinyal 4G dalam dua tahun.', [
        ('Empat belas ribu desa', 'villages_4g_covered', 'desa', True, False, None),
    ]),
    ('UMKM YANG GO DIGITAL CAPAI 20 JUTA', [
        ('20 JUTA', 'umkm_online', 'umkm', False, False, None),
    ]),
    ('Di Kabupaten Sleman, 2.300 UMKM sudah terdaftar di marketplace lokal.', [
        ('2.300 UMKM', 'umkm_online', 'umkm', False, False, None),
    ]),
    ('Kini ada 70.000-an desa yang sudah menikmati sinyal 4G.', [
        ('70.000-an desa', 'villages_4g_covered', 'desa', False, True, None),
    ]),
    ('Dari 12.548 desa blank spot, 9.113 desa berada di daerah 3T.', [
        ('12.548 desa', 'villages_unconnected', 'desa', False, False, None),
        ('9.113 desa', 'villages_unconnected', 'desa', False, False, None),
    ]),
    ('Jaringan tulang punggung serat optik Palapa Ring sepanjang 12.229 kilometer itu menjangkau 57 kabupaten/kota.', [
        ('12.229 kilometer', 'fiber_optic_km', 'km', False, False, None),
        ('57 kabupaten/kota', 'regencies_connected', 'kabupaten_kota', False, False, None),
    ]),
    ('Pemerintah menargetkan 4G menjangkau 100 persen desa pada 2022.', [
        ('100 persen', 'other_connectivity', 'persen', True, False, 2022),
    ]),
    ('Sekitar 5-6 juta UMKM diperkirakan akan go digital tahun depan.', [
        ('5-6 juta UMKM', 'umkm_online_target', 'umkm', True, True, None),
    ]),
    ('Penambahan UMKM go digital mencapai 3 juta pada semester I.', [
        ('3 juta', 'umkm_online_added', 'umkm', False, False, None),
    ]),
    ('Menkominfo: Kebutuhan SDM Digital 600 Ribu per Tahun', [
        ('600 Ribu', 'digital_talent_target', 'orang', True, False, None),
    ]),
    ('Kominfo menargetkan 50.000 peserta Digital Leadership Academy sampai 2024.', [
        ('50.000 peserta', 'digital_talent_target', 'orang', True, False, 2024),
    ]),
    ('Nilai ekonomi digital Indonesia pada 2025 diperkirakan mencapai 146 miliar dolar AS.', [
    ]),
    ('Kominfo telah menurunkan 1,2 juta konten negatif sepanjang 2022.', [
    ]),
    ('Sebanyak 6.000 BTS 4G ditargetkan beroperasi di 3.435 desa pada 2023.', [
        ('6.000 BTS', 'bts_towers', 'bts', True, False, 2023),
        ('3.435 desa', 'villages_4g_covered', 'desa', True, False, 2023),
    ]),
]


@pytest.mark.parametrize("text, expected", NEWS_FLAGS, ids=[n[0][:50] for n in NEWS_FLAGS])
def test_flags_in_context(text: str, expected: list) -> None:
    got = [(f.surface, f.metric, f.unit, f.is_target, f.approx, f.year) for f in tag_text(text)]
    assert got == expected



def test_sentence_always_contains_the_surface() -> None:
    text = "BAKTI mendapat anggaran Rp 11 triliun pada 2021 dan Rp. 17 triliun pada 2022."
    figures = tag_text(text)
    assert [f.surface for f in figures] == ["Rp 11 triliun", "Rp. 17 triliun"]
    assert all(f.surface in f.sentence for f in figures)
    assert figures[1].sentence == text


def test_sentence_rule_matches_the_reference() -> None:
    from extract.sentences import sentence_at

    text = ('Kata Prof. Budi, "UMKM online naik." Dr. Ani menambahkan 5 juta UMKM. Itu\n'
            "Judul tanpa titik 7 Juta UMKM\n  baris dengan spasi.  ")
    assert sentence_at(text, text.index("UMKM online"), text.index("UMKM online") + 4) == (
        'Kata Prof. Budi, "UMKM online naik."')
    assert sentence_at(text, text.index("5 juta"), text.index("5 juta") + 6) == "Dr. Ani menambahkan 5 juta UMKM."
    assert sentence_at(text, text.index("7 Juta"), text.index("7 Juta") + 6) == "Judul tanpa titik 7 Juta UMKM"


# In-scope articles crowded with out-of-scope numbers: macro statistics, credit, operators' money.
ARTICLE_NOISY_UMKM = 'Pemerintah Dorong UMKM Naik Kelas Lewat Digitalisasi\n\nJakarta, CNN Indonesia -- Pemerintah terus mendorong pelaku usaha mikro, kecil, dan menengah (UMKM) naik kelas melalui digitalisasi. Berdasarkan data Kementerian Koperasi dan UKM, jumlah UMKM di Indonesia saat ini mencapai 65,4 juta unit yang menyerap 123,3 juta tenaga kerja.\nMenko Perekonomian Airlangga Hartarto mengatakan UMKM menyumbang 61 persen terhadap produk domestik bruto (PDB) atau senilai Rp 9.580 triliun. Pada 2022, pemerintah menyalurkan Kredit Usaha Rakyat (KUR) sebesar Rp 365,5 triliun kepada 7,8 juta debitur.\n"Kami ingin UMKM bisa masuk ke rantai pasok global. Saat ini ekspor UMKM baru 15,7 persen dari total ekspor nasional," ujarnya di Jakarta, Selasa (14/3/2023).\nAirlangga menambahkan, pemerintah menargetkan 30 juta UMKM masuk ekosistem digital pada 2024. Hingga akhir 2022, baru 20,76 juta UMKM yang sudah onboarding.\nMenurut dia, Gerakan Nasional Bangga Buatan Indonesia (Gernas BBI) yang diluncurkan pada Mei 2020 telah melibatkan lebih dari 1.000 kurator dan 500 pendamping.\nIa juga menyebut pertumbuhan ekonomi Indonesia pada 2022 mencapai 5,31 persen, tertinggi sejak 2013. Inflasi terkendali di level 5,51 persen.\nSementara itu, Bank Indonesia mencatat nilai transaksi uang elektronik pada 2022 mencapai Rp 399,6 triliun, naik 30,84 persen dibanding tahun sebelumnya.\nDi sisi lain, sebanyak 8 dari 10 UMKM mengaku kesulitan mengakses pembiayaan.\nDalam acara tersebut juga hadir 250 pelaku UMKM dari 34 provinsi yang memamerkan produknya di 120 stan.'
ARTICLE_NOISY_CONNECTIVITY = 'Telkomsel Perluas Jaringan 5G, Kominfo Siapkan Lelang Frekuensi\n\nJakarta, detikInet - Telkomsel menambah 500 BTS 5G di 56 kota sepanjang 2023. Operator seluler terbesar di Indonesia itu kini melayani 159,3 juta pelanggan dengan trafik data yang tumbuh 15,2 persen.\nDirektur Utama Telkomsel mengatakan, perseroan menyiapkan belanja modal Rp 12 triliun pada 2024. Pendapatan perusahaan tahun lalu mencapai Rp 91,6 triliun.\nSementara itu, Kominfo menyiapkan lelang frekuensi 700 MHz dan 26 GHz. Menkominfo Budi Arie mengatakan frekuensi 700 MHz akan digunakan untuk memperluas jangkauan 4G di 7.000 desa yang masih blank spot.\n"Harga dasar lelang pita 700 MHz sekitar Rp 1,5 triliun per blok," ujarnya.\nKecepatan internet seluler Indonesia berada di peringkat ke-97 dari 142 negara dengan rata-rata 24,96 Mbps.\nPengguna internet di Indonesia saat ini mencapai 221,5 juta jiwa, atau 79,5 persen dari populasi.\nDia menambahkan, BAKTI juga telah mengoperasikan 5.618 BTS 4G di wilayah 3T hingga Desember 2023.'


@pytest.mark.parametrize("text, expected", [
    (ARTICLE_NOISY_UMKM, [
        ('65,4 juta unit', 'umkm_total', False, False, None),
        ('30 juta UMKM', 'umkm_online_target', True, False, 2024),
        ('20,76 juta UMKM', 'umkm_online', False, False, 2022),
    ]),
    (ARTICLE_NOISY_CONNECTIVITY, [
        ('500 BTS', 'bts_towers', False, False, 2023),
        ('15,2 persen', 'other_connectivity', False, False, None),
        ('7.000 desa', 'villages_unconnected', False, False, None),
        ('24,96 Mbps', 'other_connectivity', False, False, None),
        ('221,5 juta jiwa', 'internet_users', False, False, None),
        ('79,5 persen', 'internet_penetration_pct', False, False, None),
        ('5.618 BTS', 'bts_towers', False, False, 2023),
    ]),
], ids=["noisy umkm article", "noisy connectivity article"])
def test_noisy_articles(text: str, expected: list) -> None:
    got = [(f.surface, f.metric, f.is_target, f.approx, f.year) for f in tag_text(text)]
    assert got == expected


def test_a_year_after_sampai_is_not_a_range_end() -> None:
    [figure] = tag_text("Target UMKM go digital 30 juta sampai 2024.")
    assert (figure.surface, figure.metric, figure.value_max, figure.year) == (
        "30 juta", "umkm_online_target", None, 2024)


# A ministry press release: numbered header, lists of achievements, hoax and gambling-site counts.
PRESS_RELEASE = 'Siaran Pers No. 215/HM/KOMINFO/12/2022\nTanggal 28 Desember 2022\nKilas Balik 2022: Kominfo Percepat Transformasi Digital Nasional\nJakarta, Kominfo – Sepanjang tahun 2022, Kementerian Komunikasi dan Informatika terus mempercepat transformasi digital nasional melalui tiga pilar: infrastruktur, talenta, dan ekosistem.\nDi sektor infrastruktur, BAKTI Kominfo telah menyelesaikan pembangunan 2.987 BTS 4G. Selain itu, layanan akses internet telah tersedia di 20.286 titik layanan publik yang terdiri dari sekolah, puskesmas, dan kantor desa.\nUntuk memperkuat jaringan tulang punggung, Kominfo mengoperasikan Palapa Ring sepanjang 12.229 km yang melintasi 57 kabupaten/kota. Satelit SATRIA-1 dengan kapasitas 150 Gbps dijadwalkan meluncur pada 2023.\nDi bidang talenta digital, program Digital Talent Scholarship 2022 diikuti oleh 200.000 peserta, sedangkan Digital Leadership Academy melibatkan 400 pimpinan.\nProgram Gerakan Nasional Literasi Digital menjangkau 5,5 juta warga di 514 kabupaten/kota. Menkominfo mengatakan Indonesia membutuhkan sekitar 9 juta talenta digital hingga 2030 atau rata-rata 600 ribu per tahun.\nDi sektor ekonomi digital, Kominfo bersama kementerian/lembaga telah mendorong 20,76 juta UMKM masuk ekosistem digital. Target tahun 2024 sebanyak 30 juta UMKM.\nKominfo juga menangani 1.321 isu hoaks dan memutus akses 5.000 situs judi online.'


def test_press_release() -> None:
    got = [(f.surface, f.metric, f.is_target, f.approx, f.year) for f in tag_text(PRESS_RELEASE)]
    assert got == [
        ('2.987 BTS', 'bts_towers', False, False, None),
        ('20.286 titik', 'internet_access_points', False, False, None),
        ('12.229 km', 'fiber_optic_km', False, False, None),
        ('57 kabupaten/kota', 'regencies_connected', False, False, None),
        ('150 Gbps', 'satellite_capacity_gbps', True, False, 2023),
        ('200.000 peserta', 'digital_talent', False, False, 2022),
        # "warga" counts people: a digital-literacy programme's reach in a talent paragraph.
        ('5,5 juta warga', 'digital_talent', False, False, None),
        ('9 juta talenta digital', 'digital_talent_target', True, True, 2030),
        ('600 ribu', 'digital_talent_target', True, False, 2030),
        ('20,76 juta UMKM', 'umkm_online', False, False, None),
        ('30 juta UMKM', 'umkm_online_target', True, False, 2024),
    ]


def test_regencies_need_backbone_context() -> None:
    assert tag_text("Program literasi digital menjangkau 5,5 juta warga di 514 kabupaten/kota.") == []
    text = "Palapa Ring kini beroperasi penuh.\nBantuan pangan menjangkau 400 kabupaten/kota."
    assert [f.metric for f in tag_text(text)] == []  # another paragraph: no context
    # ... unless the sentence points back at it ("Proyek itu", "tersebut").
    text = "Palapa Ring kini beroperasi penuh.\nProyek itu menjangkau 400 kabupaten/kota."
    assert [f.metric for f in tag_text(text)] == ["regencies_connected"]
    text = "Palapa Ring kini beroperasi penuh. Proyek itu menjangkau 400 kabupaten/kota."
    assert [f.metric for f in tag_text(text)] == ["regencies_connected"]


def test_prices_and_per_head_amounts_are_not_budgets() -> None:
    assert tag_text("Anggaran internet sekolah Rp 50 ribu per siswa per bulan.") == []
    assert tag_text("Harga internet Rp 2.000/GB dari anggaran TIK.") == []
    assert [f.surface for f in tag_text("Anggaran TIK Rp 5 triliun/tahun.")] == ["Rp 5 triliun"]
    assert [f.surface for f in tag_text("Anggaran TIK Rp 5 triliun per tahun.")] == ["Rp 5 triliun"]


def test_target_cue_after_an_achieved_count_does_not_count() -> None:
    [built] = tag_text("Sebanyak 5.000 BTS yang telah dibangun akan diresmikan Presiden.")
    assert not built.is_target
    [planned] = tag_text("Sebanyak 5.000 BTS akan dibangun tahun depan.")
    assert planned.is_target


# Regional news: denominators, local budgets, public-space wifi, proportions.
NEWS_REGIONAL = [
    ('Di Kabupaten Garut, baru 1.200 dari 15.000 UMKM yang sudah memanfaatkan platform digital.', [
        ('1.200', 'umkm_online', 'umkm', False, False, None),
        ('15.000 UMKM', 'umkm_total', 'umkm', False, False, None),
    ]),
    ('Pemprov Jatim menargetkan 100 ribu UMKM onboarding ke e-commerce tahun ini, naik dari 60 ribu tahun lalu.', [
        ('100 ribu UMKM', 'umkm_online_target', 'umkm', True, False, None),
        ('60 ribu', 'umkm_online', 'umkm', False, False, None),
    ]),
    ('Dinas Kominfo Sumut mencatat 1.135 desa di provinsi itu masih blank spot.', [
        ('1.135 desa', 'villages_unconnected', 'desa', False, False, None),
    ]),
    ('Sebanyak 45 desa di Kabupaten Malinau belum bisa menikmati sinyal telepon seluler.', [
        ('45 desa', 'villages_unconnected', 'desa', False, False, None),
    ]),
    ('Bupati berharap 30 BTS yang dibangun BAKTI segera beroperasi.', [
        ('30 BTS', 'bts_towers', 'bts', False, False, None),
    ]),
    ('Pemkab menyediakan 250 titik wifi gratis di balai desa dan ruang publik.', [
        ('250 titik', 'internet_access_points', 'titik', False, False, None),
    ]),
    ('Anggaran Diskominfo Kota Bandung tahun 2023 untuk internet publik mencapai Rp 25 miliar.', [
        ('Rp 25 miliar', 'ict_budget_idr', 'rupiah', False, False, 2023),
    ]),
    ('Dana sebesar Rp 2,1 miliar dari APBD digunakan untuk memasang internet di 150 sekolah.', [
        ('Rp 2,1 miliar', 'ict_budget_idr', 'rupiah', False, False, None),
        # What a budget is for ("untuk memasang … di 150 sekolah") is planned coverage (figures.md 5.2).
        ('150 sekolah', 'internet_access_points', 'titik', True, False, None),
    ]),
    ('Jumlah pengguna internet di Jawa Barat mencapai 35,1 juta orang.', [
        ('35,1 juta orang', 'internet_users', 'orang', False, False, None),
    ]),
    ('Tercatat 76,3 persen rumah tangga di Bali sudah mengakses internet.', [
        ('76,3 persen', 'internet_penetration_pct', 'persen', False, False, None),
    ]),
    ('Kota Surabaya memiliki 1.500 ruang publik yang terhubung wifi gratis.', [
        ('1.500 ruang publik', 'internet_access_points', 'titik', False, False, None),
    ]),
    ('Hanya 3 dari 10 pelaku UMKM di Papua yang sudah berjualan online.', [
    ]),
    ('Pada 2021, jumlah desa yang belum terjangkau internet di NTT mencapai 400-an desa.', [
        ('400-an desa', 'villages_unconnected', 'desa', False, True, 2021),
    ]),
    ('Kecepatan internet di desa itu hanya 2 Mbps.', [
        ('2 Mbps', 'other_connectivity', 'mbps', False, False, None),
    ]),
    ('Sejak 2019 hingga 2022 Pemprov DKI telah melatih 45.000 pelaku UMKM untuk berjualan online.', [
        ('45.000 pelaku UMKM', 'umkm_digital_training', 'umkm', False, False, 2022),
    ]),
]


@pytest.mark.parametrize("text, expected", NEWS_REGIONAL, ids=[n[0][:50] for n in NEWS_REGIONAL])
def test_regional_news(text: str, expected: list) -> None:
    got = [(f.surface, f.metric, f.unit, f.is_target, f.approx, f.year) for f in tag_text(text)]
    assert got == expected



def test_kurang_lebih_is_a_hedge_not_a_shortfall() -> None:
    [figure] = tag_text("Indonesia membutuhkan kurang lebih 9 juta talenta digital.")
    assert (figure.metric, figure.approx, figure.is_target) == ("digital_talent_target", True, True)


# ------------------------------------------------------------------------------------------------
# Accuracy on unseen articles (issue 3): one block per error class, our own sentences. Each entry
# is (text, [(surface, metric, unit, is_target, approx, year), ...]).

UNSEEN_ARTICLE_RULES = {
    # Catch-alls (figures.md 3.1, 2.2): growth, construction progress, provinces, shares.
    "catch_all": [
        ("Survei terbaru mencatat penetrasi internet nasional 79 persen. Dibandingkan survei lalu, angka "
         "penetrasi itu meningkat 1,4 persen.", [
            ("79 persen", "internet_penetration_pct", "persen", False, False, None),
            ("1,4 persen", "other_connectivity", "persen", False, False, None)]),
        ("Pengguna internet di Indonesia kini 221 juta orang. Jumlah pengguna tersebut naik 8 juta orang "
         "dibanding tahun lalu.", [
            ("221 juta orang", "internet_users", "orang", False, False, None),
            ("8 juta orang", "other_connectivity", "orang", False, False, None)]),
        ("Pembangunan jaringan serat optik di Maluku telah rampung 85 persen.", [
            ("85 persen", "other_connectivity", "persen", False, False, None)]),
        ("Kabel laut baru itu dibentangkan di Maluku. Rutenya memiliki panjang 1.500 kilometer dan "
         "melewati tiga provinsi.", [
            ("1.500 kilometer", "fiber_optic_km", "km", False, False, None),
            ("tiga provinsi", "other_connectivity", "provinsi", False, False, None)]),
        ("Sebanyak 800 desa di Maluku belum terjangkau sinyal. Jumlah itu kira-kira 60 persen dari total "
         "desa di sana.", [
            ("800 desa", "villages_unconnected", "desa", False, False, None),
            ("60 persen", "other_connectivity", "persen", False, True, None)]),
        # A share of an online-UMKM count is the online share (the metric's `share`).
        ("Kemenkop UKM mencatat 2,1 juta pelaku UMKM di Jawa Timur sudah berjualan daring. Jumlah itu "
         "setara 22 persen dari seluruh pelaku usaha di provinsi tersebut.", [
            ("2,1 juta pelaku UMKM", "umkm_online", "umkm", False, False, None),
            ("22 persen", "umkm_online_pct", "persen", False, False, None)]),
        ("Jaringan tulang punggung antarkota itu memiliki kapasitas 4 x 100 Gbps.", [
            ("4 x 100 Gbps", "other_connectivity", "gbps", False, False, None)]),
    ],
    # is_target (figures.md 5.2): headline goal verbs, quotas, projections, what a budget pays for,
    # the parts of a planned count.
    "is_target": [
        ("Kominfo Kejar 5.000 Desa Terjangkau 4G pada 2025", [
            ("5.000 Desa", "villages_4g_covered", "desa", True, False, 2025)]),
        ("Satelit Baru Siap Layani 20 Ribu Titik Wifi di Pelosok", [
            ("20 Ribu Titik", "internet_access_points", "titik", True, False, None)]),
        ("Setiap provinsi memperoleh kuota 40 ribu UMKM baru untuk masuk platform digital.", [
            ("40 ribu UMKM", "umkm_online_added", "umkm", True, False, None)]),
        ("Tanpa intervensi, kekurangan talenta digital dapat mencapai 3 juta orang pada 2028.", [
            ("3 juta orang", "digital_talent_gap", "orang", True, False, 2028)]),
        ("Pemkab mengalokasikan Rp 3 miliar dari APBD untuk membangun wifi publik di 120 balai desa.", [
            ("Rp 3 miliar", "ict_budget_idr", "rupiah", False, False, None),
            ("120 balai desa", "internet_access_points", "titik", True, False, None)]),
        ("Kominfo akan menghadirkan internet di 10 ribu titik layanan publik. Titik-titik itu mencakup "
         "6.000 sekolah dan 900 puskesmas.", [
            ("10 ribu titik", "internet_access_points", "titik", True, False, None),
            ("6.000 sekolah", "internet_access_points", "titik", True, False, None),
            ("900 puskesmas", "internet_access_points", "titik", True, False, None)]),
        # An estimate of the present is not a projection.
        ("Jumlah pengguna internet diperkirakan mencapai 210 juta orang.", [
            ("210 juta orang", "internet_users", "orang", False, False, None)]),
    ],
    # Spans stop after the unit noun (figures.md 1.1); listed two-word nouns stay whole.
    "span": [
        # Preparing a count is forward-looking (issue 11, class 4): the surface still ends at "BTS".
        ("Pemerintah menyiapkan 2.300 BTS 4G di daerah perbatasan.", [
            ("2.300 BTS", "bts_towers", "bts", True, False, None)]),
        ("Wifi gratis tersedia di 4.100 titik akses publik.", [
            ("4.100 titik", "internet_access_points", "titik", False, False, None)]),
        ("Kementerian membangun 8.000 titik lokasi internet di desa.", [
            ("8.000 titik", "internet_access_points", "titik", False, False, None)]),
        ("Pada 2030 Indonesia membutuhkan 12 juta talenta digital.", [
            ("12 juta talenta digital", "digital_talent_target", "orang", True, False, 2030)]),
    ],
    # The metric follows what the clause says about the counted noun (figures.md 3.1).
    "metric": [
        ("Data kementerian menunjukkan UMKM makin akrab dengan platform digital. Sejak 2021 hingga 2023 "
         "ada tambahan 9,3 juta UMKM.", [
            ("9,3 juta UMKM", "umkm_online_added", "umkm", False, False, 2023)]),
        ("Kementerian latih 15 ribu pelaku UMKM Bali berjualan online", [
            ("15 ribu pelaku UMKM", "umkm_digital_training", "umkm", False, False, None)]),
        ("Usai pelatihan, 2.300 pelaku usaha langsung membuka toko di marketplace.", [
            ("2.300 pelaku usaha", "umkm_online_added", "umkm", False, False, None)]),
        ("Dari 64 juta pelaku usaha, baru 27 persen yang berjualan online.", [
            ("64 juta pelaku usaha", "umkm_total", "umkm", False, False, None),
            ("27 persen", "umkm_online_pct", "persen", False, False, None)]),
        # "yang memiliki izin" counts UMKM that have something, not all UMKM.
        ("Di sisi lain, UMKM yang memiliki izin edar baru 4.000 unit.", []),
        # A regional breakdown of a planned count is planned too.
        ("BAKTI menargetkan 4G masuk ke 6.500 desa. \"Dari jumlah tersebut, 2.100 desa ada di Papua,\" "
         "katanya.", [
            ("6.500 desa", "villages_4g_covered", "desa", True, False, None),
            ("2.100 desa", "villages_4g_covered", "desa", True, False, None)]),
    ],
    # ICT budgets: a spending verb bound to the amount in a connectivity paragraph (figures.md 3.1);
    # internet-quota subsidies are not budgets (3.2).
    "budget": [
        ("Jaringan 4G kini menjangkau pelosok NTT. Pemprov menggelontorkan Rp 21 miliar untuk program "
         "desa digital.", [
            ("Rp 21 miliar", "ict_budget_idr", "rupiah", False, False, None)]),
        ("Pembangunan BTS di perbatasan terus dikebut.\nProyek itu menelan biaya sekitar Rp 4 triliun.", [
            ("Rp 4 triliun", "ict_budget_idr", "rupiah", False, True, None)]),
        ("Kominfo memberikan subsidi kuota internet senilai Rp 3,4 triliun untuk siswa.", []),
        # Without a connectivity topic, spending is not an ICT budget.
        ("Pemprov menggelontorkan Rp 21 miliar untuk perbaikan jalan desa.", []),
        # A stated purpose outside connectivity decides, whatever the paragraph or the ministry.
        ("Jaringan 4G sudah menjangkau desa itu. Pemkab menyiapkan Rp 5 miliar untuk perbaikan jalan desa.", []),
        ("Kominfo menganggarkan Rp 2 miliar untuk seragam siswa.", []),
        ("Proyek BTS ini mendapat alokasi anggaran Rp 9,5 triliun untuk periode 2023-2024.", [
            ("Rp 9,5 triliun", "ict_budget_idr", "rupiah", False, False, 2024)]),
    ],
    # A veto concerns the number's own phrase, not the whole sentence (figures.md 3.2).
    "veto_scope": [
        ("Kecepatan internet seluler Indonesia 26 Mbps, jauh di bawah Thailand yang mencapai 60 Mbps.", [
            ("26 Mbps", "other_connectivity", "mbps", False, False, None)]),
        ("Kecepatan fixed broadband kita tercatat 30 Mbps, tertinggal dibanding Vietnam yang mencapai 90 Mbps.", [
            ("30 Mbps", "other_connectivity", "mbps", False, False, None)]),
        ("Dinas Koperasi punya 300 pendamping dan melatih 12 ribu pelaku UMKM jualan daring.", [
            ("12 ribu pelaku UMKM", "umkm_digital_training", "umkm", False, False, None)]),
        ("Pemerintah Sediakan 9 Ribu Titik Wifi, Hoaks Vaksin Tembus 2.000 Konten", [
            ("9 Ribu Titik", "internet_access_points", "titik", False, False, None)]),
    ],
    # A bare count takes the counted noun of the figure it refers back to (figures.md 1.1).
    "bare_count": [
        ("Tahun lalu UMKM yang sudah go digital mencapai 19 juta. Itu naik dari 11 juta pada 2019.", [
            ("19 juta", "umkm_online", "umkm", False, False, None),
            ("11 juta", "umkm_online", "umkm", False, False, 2019)]),
        ("Saat ini ada 21 juta UMKM yang sudah onboarding ke ekosistem digital. Sekitar 6 juta di "
         "antaranya berjualan di marketplace.", [
            ("21 juta UMKM", "umkm_online", "umkm", False, False, None),
            ("6 juta", "umkm_online", "umkm", False, True, None)]),
        ("Target tahun ini 3 juta UMKM baru masuk ekosistem digital. Hingga Agustus sudah bertambah 1,2 juta.", [
            ("3 juta UMKM", "umkm_online_added", "umkm", True, False, None),
            ("1,2 juta", "umkm_online_added", "umkm", False, False, None)]),
        # No link to the earlier count: a bare number stays out.
        ("Ada 21 juta UMKM yang sudah go digital. Warga kota mencapai 3 juta.", [
            ("21 juta UMKM", "umkm_online", "umkm", False, False, None)]),
    ],
    # Years (figures.md 5.3): an as-of date before a list; an open period has no year.
    "year": [
        ("Per Maret 2022, jumlah usaha mikro, kecil, dan menengah yang sudah masuk platform digital "
         "tercatat 18,5 juta unit.", [
            ("18,5 juta unit", "umkm_online", "umkm", False, False, 2022)]),
        ("Kominfo menargetkan pembangunan 2.000 BTS di wilayah terdepan, terluar, dan tertinggal selesai "
         "pada akhir 2024.", [
            ("2.000 BTS", "bts_towers", "bts", True, False, 2024)]),
        ("Sejak 2020, peserta beasiswa talenta digital mencapai 300 ribu orang.", [
            ("300 ribu orang", "digital_talent", "orang", False, False, None)]),
    ],
    # Context from a list's introduction, and no cable in a walk to find a signal.
    "context": [
        ("Berikut capaian program beasiswa talenta digital tahun ini:\n- Peserta sebanyak 150.000 orang.\n"
         "- Kuota tahun depan 180.000 orang.", [
            ("150.000 orang", "digital_talent", "orang", False, False, None),
            ("180.000 orang", "digital_talent", "orang", True, False, None)]),
        ("Warga harus berjalan 3 kilometer untuk mencari jaringan.", []),
    ],
}

_UNSEEN_CASES = [(kind, text, expected) for kind, cases in UNSEEN_ARTICLE_RULES.items()
                 for text, expected in cases]


@pytest.mark.parametrize("kind, text, expected", _UNSEEN_CASES,
                         ids=[f"{kind}: {text[:40]}" for kind, text, _ in _UNSEEN_CASES])
def test_rules_for_unseen_articles(kind: str, text: str, expected: list) -> None:
    got = [(f.surface, f.metric, f.unit, f.is_target, f.approx, f.year) for f in tag_text(text)]
    assert got == expected, kind
    for figure in tag_text(text):
        assert text[figure.start:figure.end] == figure.surface


def test_every_unseen_error_class_has_two_sentences() -> None:
    assert {kind: len(cases) for kind, cases in UNSEEN_ARTICLE_RULES.items() if len(cases) < 2} == {}


# Issue 3 (blind set 2 error report): general rules of figures.md, each with sentences of our own.
ISSUE3_RULES = {
    "village synonyms kampung/nagari/gampong (1.1)": [
        ("Di Kabupaten Jayawijaya masih ada 41 kampung yang belum terjangkau sinyal seluler.",
         [("41 kampung", "villages_unconnected", "desa", False, False, None)]),
        ("Hingga kini sedikitnya 12 nagari di Sumatera Barat belum terhubung internet.",
         [("12 nagari", "villages_unconnected", "desa", False, True, None)]),
        ("Sebanyak 30 gampong di Aceh Besar masih berstatus blank spot.",
         [("30 gampong", "villages_unconnected", "desa", False, False, None)]),
    ],
    "berharap/mengharapkan is a target cue (5.2)": [
        ("Kepala desa berharap ada tambahan tiga BTS di wilayahnya.",
         [("tiga BTS", "bts_towers", "bts", True, False, None)]),
        ("Warga mengharapkan pembangunan 15 menara BTS baru di kecamatan itu.",
         [("15 menara BTS", "bts_towers", "bts", True, False, None)]),
    ],
    "berkisar is not a qualifier (5.1)": [
        ("Kecepatan internet di daerah itu berkisar 5-12 Mbps.",
         [("5-12 Mbps", "other_connectivity", "mbps", False, False, None)]),
        ("Kecepatan unduh di sekolah tersebut berkisar 8 Mbps.",
         [("8 Mbps", "other_connectivity", "mbps", False, False, None)]),
    ],
    "'yang sudah/telah' after the noun keeps an earlier 'akan' off the count (3.1, 5.2)": [
        ("Dana itu akan dipakai untuk merawat 2.300 BTS 4G yang telah beroperasi di daerah 3T.",
         [("2.300 BTS", "bts_towers", "bts", False, False, None)]),
        ("Anggaran tambahan akan digunakan untuk pemeliharaan 700 titik akses yang sudah terpasang.",
         [("700 titik", "internet_access_points", "titik", False, False, None)]),
        ("Pemerintah akan membangun 900 BTS di wilayah blank spot.",
         [("900 BTS", "bts_towers", "bts", True, False, None)]),
    ],
    "'kini' between a launch year and the figure: no year (5.3)": [
        ("Satelit yang diresmikan pada Mei 2022 kini melayani 15.000 titik layanan publik.",
         [("15.000 titik", "internet_access_points", "titik", False, False, None)]),
        ("Program yang dimulai pada 2021 saat ini sudah menjangkau 4.000 desa dengan sinyal 4G.",
         [("4.000 desa", "villages_4g_covered", "desa", False, False, None)]),
        ("Pada 2021 BAKTI membangun 1.500 BTS 4G.",
         [("1.500 BTS", "bts_towers", "bts", False, False, 2021)]),
    ],
    "'tersisa N desa' in a connectivity sentence is unconnected (3.1)": [
        ("Tahun ini 300 desa di Maluku mulai tersambung sinyal 4G, sementara di Maluku Utara tersisa 57 desa.",
         [("300 desa", "villages_4g_covered", "desa", False, False, None),
          ("57 desa", "villages_unconnected", "desa", False, False, None)]),
        ("Jaringan 4G kini menjangkau 1.200 desa dan menyisakan 35 desa di wilayah perbatasan.",
         [("1.200 desa", "villages_4g_covered", "desa", False, False, None),
          ("35 desa", "villages_unconnected", "desa", False, False, None)]),
    ],
    "'program di atas' takes the budget's topic from the paragraph or list above (3.1)": [
        ("Pembangunan BTS 4G dan jaringan serat optik di desa terpencil terus berjalan.\n"
         "Untuk seluruh kegiatan di atas, Komdigi menganggarkan Rp 3,2 triliun tahun ini.",
         [("Rp 3,2 triliun", "ict_budget_idr", "rupiah", False, False, None)]),
        ("- Pembangunan 500 BTS 4G di daerah 3T.\n- Pemasangan 2.000 titik wifi di sekolah.\n"
         "Untuk semua program di atas, pemerintah mengalokasikan Rp 7 triliun pada 2025.",
         [("500 BTS", "bts_towers", "bts", False, False, None),
          ("2.000 titik", "internet_access_points", "titik", False, False, None),
          ("Rp 7 triliun", "ict_budget_idr", "rupiah", False, False, 2025)]),
        ("Pasar tradisional direnovasi.\nUntuk semua program di atas, pemda mengalokasikan Rp 7 miliar pada 2025.",
         []),
    ],
    "'rata-rata' between a growth verb and 'N kali lipat' (2.3)": [
        ("Penjualan UMKM yang berjualan online naik rata-rata 3 kali lipat.",
         [("3 kali lipat", "other_umkm", "kali", False, False, None)]),
        ("Transaksi pelaku UMKM di marketplace meningkat rerata 4 kali lipat.",
         [("4 kali lipat", "other_umkm", "kali", False, False, None)]),
    ],
}

_ISSUE3_CASES = [(kind, text, expected) for kind, cases in ISSUE3_RULES.items() for text, expected in cases]


@pytest.mark.parametrize("kind, text, expected", _ISSUE3_CASES,
                         ids=[f"{kind}: {text[:40]}" for kind, text, _ in _ISSUE3_CASES])
def test_issue3_rules(kind: str, text: str, expected: list) -> None:
    got = [(f.surface, f.metric, f.unit, f.is_target, f.approx, f.year) for f in tag_text(text)]
    assert got == expected, kind
