"""Tagger v2 (issue 11): reading figures across clauses, sentences and list items.

One block per error class of the issue, each with at least two example texts of our own (written
for these tests in the styles of Indonesian news copy; none is taken from an evaluation set), then
paraphrase tests: the same fact said three ways gives the same record. Each expected figure is
(surface, metric, unit, is_target, approx, year).
"""

from __future__ import annotations

import pytest

from extract import tag_text

CLASSES: dict[str, list[tuple[str, list[tuple]]]] = {
    # 1. Elliptical counts: the counted noun is in an earlier clause, sentence, list introduction or
    #    sibling item; a bare number inherits unit and metric from the figure it continues.
    "1 elliptical counts": [
        ("Tahun ini sudah 6.200 UMKM di Sleman yang berjualan daring. Tahun sebelumnya baru 2,8 ribu "
         "yang masuk lokapasar.", [
            ("6.200 UMKM", "umkm_online", "umkm", False, False, None),
            ("2,8 ribu", "umkm_online", "umkm", False, False, None)]),
        ("Dari 3.600 menara yang dibangun BAKTI, 2.700 sudah memancarkan sinyal dan 900 belum.", [
            ("3.600 menara", "bts_towers", "bts", False, False, None),
            ("2.700", "bts_towers", "bts", False, False, None),
            ("900", "bts_towers", "bts", False, False, None)]),
        ("Jaringan fiber itu terbagi atas kabel laut sepanjang 820 kilometer dan 410 kabel darat.", [
            ("820 kilometer", "fiber_optic_km", "km", False, False, None),
            ("410", "fiber_optic_km", "km", False, False, None)]),
        ("Pemkab meminta empat BTS kepada operator, lalu gubernur meminta satu lagi.", [
            ("empat BTS", "bts_towers", "bts", True, False, None),
            ("satu", "bts_towers", "bts", True, False, None)]),
        ("Kabel optik itu dibagi dua ruas, yakni Utara sepanjang 1.150 dan Selatan sepanjang 980.", [
            ("1.150", "fiber_optic_km", "km", False, False, None),
            ("980", "fiber_optic_km", "km", False, False, None)]),
    ],
    # 2. Topic carried from the previous sentence for numbers with their own noun, Rp or %.
    "2 topic carried": [
        ("Dinas menggelar pelatihan jualan daring untuk pelaku UMKM di Bantul. Sebanyak 1.450 orang "
         "mendaftar.", [
            ("1.450 orang", "umkm_digital_training", "orang", False, False, None)]),
        ("Penetrasi internet di Kalimantan mencapai 71,3 persen pada 2021. Setahun kemudian angkanya "
         "73,9 persen, lalu 75 persen.", [
            ("71,3 persen", "internet_penetration_pct", "persen", False, False, 2021),
            ("73,9 persen", "internet_penetration_pct", "persen", False, False, None),
            ("75 persen", "internet_penetration_pct", "persen", False, False, None)]),
        ("Pada 2022, anggaran TIK kementerian itu sebesar Rp 8,4 triliun. Sementara itu pada 2023 "
         "tercatat Rp 7,1 triliun.", [
            ("Rp 8,4 triliun", "ict_budget_idr", "rupiah", False, False, 2022),
            ("Rp 7,1 triliun", "ict_budget_idr", "rupiah", False, False, 2023)]),
        ("Berikut sebaran desa yang belum terjangkau sinyal di kabupaten itu.\n"
         "Kemudian untuk Kecamatan Timur ada 14 desa, Kecamatan Barat 9 desa.", [
            ("14 desa", "villages_unconnected", "desa", False, False, None),
            ("9 desa", "villages_unconnected", "desa", False, False, None)]),
    ],
    # 3. Targets inherited by breakdowns, list items and follow-on sentences of a plan.
    "3 targets inherited": [
        ("Kominfo akan membangun 3.000 BTS tahun depan. Sebanyak 1.900 BTS di Papua dan 1.100 BTS di "
         "Maluku.", [
            ("3.000 BTS", "bts_towers", "bts", True, False, None),
            ("1.900 BTS", "bts_towers", "bts", True, False, None),
            ("1.100 BTS", "bts_towers", "bts", True, False, None)]),
        ("Pemerintah menargetkan 8.000 titik wifi publik, dengan rincian sebagai berikut:\n"
         "1. Jawa sebanyak 3.000 titik\n2. Sumatra sebanyak 2.500 titik", [
            ("8.000 titik", "internet_access_points", "titik", True, False, None),
            ("3.000 titik", "internet_access_points", "titik", True, False, None),
            ("2.500 titik", "internet_access_points", "titik", True, False, None)]),
        ("Kementerian akan membangun 900 BTS di NTT. Saat ini 350 BTS di provinsi itu sudah beroperasi.", [
            ("900 BTS", "bts_towers", "bts", True, False, None),
            ("350 BTS", "bts_towers", "bts", False, False, None)]),
    ],
    # 4. Forward-looking wording in classes, not phrases.
    "4 forward-looking classes": [
        ("Bupati berharap pemerintah pusat menambah sepuluh BTS pada tahun depan.", [
            ("sepuluh BTS", "bts_towers", "bts", True, False, None)]),
        ("Provinsi itu harus menyediakan 400 titik wifi publik di sekolah.", [
            ("400 titik", "internet_access_points", "titik", True, False, None)]),
        ("Dinas tengah menyiapkan 220 UMKM untuk masuk e-katalog LKPP.", [
            ("220 UMKM", "other_umkm", "umkm", True, False, None)]),
        ("Kalau semua sekolah ikut, program itu bisa menghasilkan 50 ribu talenta digital.", [
            ("50 ribu talenta digital", "digital_talent", "orang", True, False, None)]),
        ("Program 5.000 Desa Internet berjalan sejak 2021.", [
            ("5.000 Desa", "villages_4g_covered", "desa", True, False, None)]),
        ("Sebanyak 1,1 juta UMKM sudah onboarding dari target 2 juta UMKM.", [
            ("1,1 juta UMKM", "umkm_online", "umkm", False, False, None),
            ("2 juta UMKM", "umkm_online_target", "umkm", True, False, None)]),
    ],
    # 5. A cue applies to the number in its own phrase, not to every number of the clause.
    "5 cue bound to its number": [
        ("Kini tercatat 9 juta UMKM berjualan daring, atau 30 persen dari total target 30 juta.", [
            ("9 juta UMKM", "umkm_online", "umkm", False, False, None),
            ("30 persen", "umkm_online_pct", "persen", False, False, None),
            ("30 juta", "umkm_online_target", "umkm", True, False, None)]),
        ("Operator itu menggelar 2.400 km serat optik untuk menghubungkan 35 kabupaten/kota.", [
            ("2.400 km", "fiber_optic_km", "km", False, False, None),
            ("35 kabupaten/kota", "regencies_connected", "kabupaten_kota", False, False, None)]),
        ("Program beasiswa talenta digital itu ditargetkan menjaring 150 ribu peserta dan realisasinya "
         "mencapai 171 ribu peserta.", [
            ("150 ribu peserta", "digital_talent_target", "orang", True, False, None),
            ("171 ribu peserta", "digital_talent", "orang", False, False, None)]),
    ],
    # 6. Unit nouns and heads; never a unit from a proper name or title.
    "6 unit nouns and heads": [
        ("Pemkot memasang 1.300 wifi publik dan menghubungkan 2.100 polsek ke jaringan internet.", [
            ("1.300 wifi publik", "internet_access_points", "titik", False, False, None),
            ("2.100 polsek", "internet_access_points", "titik", False, False, None)]),
        ("BAKTI telah membangun 2.750 titik BTS di Papua.", [
            ("2.750 titik", "bts_towers", "bts", False, False, None)]),
        ("Menteri Koperasi dan UKM membuka pameran itu bersama 12 perusahaan rintisan.", []),
        ("Kecepatan rata-rata jaringan di desa itu 18 Megabits per second.", [
            ("18 Megabits per second", "other_connectivity", "mbps", False, False, None)]),
    ],
    # 7. Totals and denominators.
    "7 totals and denominators": [
        ("Baru 7 juta dari 62 juta UMKM yang berjualan daring.", [
            ("7 juta", "umkm_online", "umkm", False, False, None),
            ("62 juta UMKM", "umkm_total", "umkm", False, False, None)]),
        ("Jumlah UMKM di provinsi itu sekitar 2,4 juta unit.", [
            ("2,4 juta unit", "umkm_total", "umkm", False, True, None)]),
        ("Masih ada total 640 desa yang belum tersentuh 4G di provinsi tersebut.", [
            ("640 desa", "villages_unconnected", "desa", False, False, None)]),
        ("Berkat program itu, totalnya menjadi 18 juta UMKM online.", [
            ("18 juta UMKM", "umkm_online", "umkm", False, False, None)]),
        ("Dari 150 desa dan 12 kelurahan yang ada di kabupaten itu, masih ada 31 desa yang belum "
         "terjangkau sinyal.", [
            ("150 desa", "villages_total", "desa", False, False, None),
            ("12 kelurahan", "villages_total", "desa", False, False, None),
            ("31 desa", "villages_unconnected", "desa", False, False, None)]),
    ],
    # 8. Exclusions by the counted head, not a character window.
    "8 exclusions by head": [
        ("Survei itu menemukan 58 persen penduduk kota sudah belanja daring.", []),
        ("Jumlah pengguna internet mencapai 212 juta jiwa dari total populasi 276 juta jiwa penduduk.", [
            ("212 juta jiwa", "internet_users", "orang", False, False, None)]),
        ("Simak 6 provinsi berikut yang sudah terjangkau sinyal 4G.", []),
        ("Dalam gerakan itu, pemerintah menyediakan 40 website per relawan untuk UMKM.", [
            ("40 website", "other_umkm", "website", False, False, None)]),
        ("Belanja TIK pemerintah setara 0,3 persen PDB.", [
            ("0,3 persen", "other_connectivity", "persen", False, False, None)]),
        # a change of a number that is no figure, pointed at in the next sentence, is no figure either
        ("Nilai transaksi uang elektronik UMKM tahun lalu mencapai Rp 400 triliun.\n"
         "Bank sentral memperkirakan angka itu naik 20 persen tahun ini.", []),
        ("Survei itu mencatat 20 persen pelaku UMKM perempuan berjualan daring, atau sekitar 3 juta orang.", []),
    ],
    # 9. UMKM flows and shares.
    "9 UMKM flows and shares": [
        ("Kementerian menargetkan 1,2 juta UMKM pada 2025 dan 1,8 juta UMKM lagi pada 2026 masuk "
         "ekosistem digital.", [
            ("1,2 juta UMKM", "umkm_online_added", "umkm", True, False, 2025),
            ("1,8 juta UMKM", "umkm_online_added", "umkm", True, False, 2026)]),
        ("Tahun ini tercatat peningkatan 640 ribu UMKM yang masuk lokapasar.", [
            ("640 ribu UMKM", "umkm_online_added", "umkm", False, False, None)]),
        ("Dari target UMKM go digital nasional, porsi 45 persen diberikan kepada provinsi di Jawa.", [
            ("45 persen", "other_umkm", "persen", False, False, None)]),
    ],
    # 10. Word forms: enclitics, brackets in the gap, "N kali lipat", a postposed "lebih".
    "10 word forms": [
        ("Survei itu mengukur akses internet warga. Tingkat penetrasinya di perdesaan mencapai 69 persen.", [
            ("69 persen", "internet_penetration_pct", "persen", False, False, None)]),
        ("Omzet daring pelaku UMKM itu naik 4 kali lipat dari tahun lalu.", [
            ("4 kali lipat", "other_umkm", "kali", False, False, None)]),
        ("Kini ada 25 juta lebih UMKM yang terhubung ke ekosistem digital.", [
            ("25 juta", "umkm_online", "umkm", False, True, None)]),
        ("Kebutuhannya pada 2029 diperkirakan 7 juta talenta digital.", [
            ("7 juta talenta digital", "digital_talent_target", "orang", True, False, 2029)]),
    ],
    # 11. Years: a year per item of a series, as-of dates, not a year of something else.
    "11 years": [
        ("BAKTI membangun 2021 sebanyak 3.100 titik, 2022 sebanyak 4.600 titik akses internet.", [
            ("3.100 titik", "internet_access_points", "titik", False, False, 2021),
            ("4.600 titik", "internet_access_points", "titik", False, False, 2022)]),
        ("Data per 31 Maret 2023 menunjukkan 8.900 desa sudah terjangkau 4G.", [
            ("8.900 desa", "villages_4g_covered", "desa", False, False, 2023)]),
        ("Satelit yang dirancang pada 2017 itu kini melayani 31.000 titik layanan publik.", [
            ("31.000 titik", "internet_access_points", "titik", False, False, None)]),
        ("Penetrasi internet tahun ini naik 2,1 persen dibandingkan 2022.", [
            ("2,1 persen", "other_connectivity", "persen", False, False, None)]),
        ("Pada 2024, menteri menyebut Indonesia membutuhkan 700 ribu talenta digital per tahun.", [
            ("700 ribu talenta digital", "digital_talent_target", "orang", True, False, None)]),
    ],
}

_CASES = [(kind, text, expected) for kind, cases in CLASSES.items() for text, expected in cases]


def _records(text: str) -> list[tuple]:
    return [(f.surface, f.metric, f.unit, f.is_target, f.approx, f.year) for f in tag_text(text)]


@pytest.mark.parametrize("kind, text, expected", _CASES, ids=[f"{k}: {t[:40]}" for k, t, _ in _CASES])
def test_error_classes(kind: str, text: str, expected: list) -> None:
    assert _records(text) == expected, kind


def test_every_class_has_two_examples() -> None:
    assert len(CLASSES) == 11
    assert {kind: len(cases) for kind, cases in CLASSES.items() if len(cases) < 2} == {}


# The same fact said three ways gives the same record (metric, value, unit, flags).
PARAPHRASES = [
    (("Kominfo menargetkan 4.500 desa terjangkau sinyal 4G pada 2026.",
      "Pada 2026, sebanyak 4.500 desa ditargetkan sudah terjangkau sinyal 4G.",
      "Sinyal 4G direncanakan menjangkau 4.500 desa hingga 2026."),
     ("villages_4g_covered", 4500, "desa", True, False, 2026)),
    (("Masih ada 1.240 desa yang belum terjangkau internet.",
      "Sebanyak 1.240 desa hingga kini belum terkoneksi internet.",
      "Jaringan internet belum menjangkau 1.240 desa."),
     ("villages_unconnected", 1240, "desa", False, False, None)),
    (("Indonesia membutuhkan 9 juta talenta digital hingga 2030.",
      "Kebutuhan talenta digital hingga 2030 mencapai 9 juta orang.",
      "Hingga 2030 dibutuhkan 9 juta talenta digital."),
     ("digital_talent_target", 9000000, "orang", True, False, 2030)),
    (("Sudah 21 juta UMKM yang masuk ekosistem digital.",
      "UMKM yang masuk ekosistem digital kini mencapai 21 juta.",
      "Sebanyak 21 juta pelaku UMKM telah go digital."),
     ("umkm_online", 21000000, "umkm", False, False, None)),
    (("Bupati berharap ada tambahan sepuluh BTS di wilayahnya.",
      "Bupati berharap pemerintah menambah sepuluh BTS pada tahun depan.",
      "Bupati meminta sepuluh BTS lagi untuk wilayahnya."),
     ("bts_towers", 10, "bts", True, False, None)),
    (("Di Kalimantan Tengah tinggal 64 desa yang belum terjangkau sinyal.",
      "Sinyal 4G sudah masuk ke 300 desa di Kalimantan Utara, sedangkan di Kalimantan Tengah tinggal 64 desa.",
      "Jaringan seluler kini menjangkau hampir semua desa dan menyisakan 64 desa di Kalimantan Tengah."),
     ("villages_unconnected", 64, "desa", False, False, None)),
]


@pytest.mark.parametrize("texts, expected", PARAPHRASES, ids=[p[0][0][:40] for p in PARAPHRASES])
def test_paraphrases_give_the_same_record(texts: tuple[str, ...], expected: tuple) -> None:
    metric, value = expected[0], expected[1]
    for text in texts:
        matching = [f for f in tag_text(text) if f.value == value]
        assert len(matching) == 1, (text, tag_text(text))
        f = matching[0]
        assert (f.metric, f.value, f.unit, f.is_target, f.approx, f.year) == expected, text
        assert metric == f.metric
