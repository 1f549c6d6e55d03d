"""The year of a figure (extract/years.py), through tag_text on our own sentences."""

from __future__ import annotations

import pytest

from extract import tag_text


@pytest.mark.parametrize("text, surface, year", [
    ("Pada 2023 BAKTI membangun 1.700 BTS 4G.", "1.700 BTS", 2023),
    ("Anggaran TIK mencapai Rp 14 triliun pada 2024.", "Rp 14 triliun", 2024),
    # a series: each year belongs to its own item
    ("Pemprov memasang 2022 sebanyak 800 titik, 2023 sebanyak 1.100 titik wifi gratis.", "800 titik", 2022),
    ("Pemprov memasang 2022 sebanyak 800 titik, 2023 sebanyak 1.100 titik wifi gratis.", "1.100 titik", 2023),
    # a year introduced after another figure is that figure's
    ("Sudah 12 juta UMKM onboarding, atau 40 persen dari target 30 juta UMKM pada 2025.", "40 persen", None),
    ("Sudah 12 juta UMKM onboarding, atau 40 persen dari target 30 juta UMKM pada 2025.", "30 juta UMKM", 2025),
    # a breakdown does not take its parent's year
    ("Pada 2021 ada 9 desa yang diusulkan, di antaranya di Kecamatan Utara ada 5 desa.", "5 desa", None),
    # an as-of date, also a full one
    ("Hingga tanggal 30 Juni 2024, sebanyak 4.200 titik sudah tersambung internet.", "4.200 titik", 2024),
    ("Hingga akhir Mei 2023, baru 2,1 juta UMKM yang go online, atau 18 persen dari total UMKM.", "18 persen", 2023),
    # an open period, a comparison, a statement's date, a name, an earlier verb
    ("Sejak program itu dimulai pada 2019, pesertanya mencapai 300 ribu talenta digital.",
     "300 ribu talenta digital", None),
    ("Penetrasi internet naik 1,3 persen dibandingkan 2022.", "1,3 persen", None),
    ("Pada 2024, menteri menyebut Indonesia membutuhkan 500 ribu talenta digital.", "500 ribu talenta digital", None),
    ("Visi Indonesia Emas 2045 membutuhkan 12 juta talenta digital.", "12 juta talenta digital", None),
    ("Satelit yang diluncurkan pada Juni 2023 kini melayani 21.000 titik layanan publik.", "21.000 titik", None),
    # a period's end; "sejak … hingga …"
    ("Sejak Januari hingga Oktober 2024 sudah bertambah 510 ribu UMKM yang go digital.", "510 ribu UMKM", 2024),
    ("Kuota itu berlaku untuk periode 2022-2024 bagi 900 desa terjangkau 4G.", "900 desa", 2024),
    # "tahun sebelumnya" against the sentence's year
    ("Penetrasi internet mencapai 80 persen pada 2024, naik dari 78 persen tahun sebelumnya.", "78 persen", 2023),
    # a current figure takes the attribution date's year, also a two-digit one
    ("Saat ini ada 7.100 titik wifi yang aktif, kata Kepala Dinas, Senin (3/6/24).", "7.100 titik", 2024),
])
def test_year(text: str, surface: str, year: int | None) -> None:
    [figure] = [f for f in tag_text(text) if f.surface == surface]
    assert figure.year == year
