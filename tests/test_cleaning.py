"""The text cleaner on the owner's seed articles and on general rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.cleaning import clean_text

# Per seed: the lines (stripped) that are boilerplate. Every other non-empty line is story text
# (headline included) and must survive.
SEED_BOILERPLATE = {
    "000": ["Iklan Atas Artikel", "Iklan Tengah Artikel 1", "Iklan Tengah Artikel 2", "Iklan bawah postingan"],
    "001": ["Baca Juga", "TINGGALKAN KOMENTAR", "Silakan masukkan komentar anda!", "Silakan masukkan nama Anda di sini",
            "Berita Terbaru", "AMN Manado Upaya BIN Tanamkan Nasionalisme Generasi Muda",
            "Badan Intelijen Negara Republik Indonesia (BIN RI) terus berupaya",
            "- Advertisement -", "Baca berita yang ini"],
    "002": ["Highlight"],
    "003": ["oleh Tira Santia diperbarui", "Diterbitkan 16 Agu 2020", "** Saksikan", "Saksikan video pilihan",
            "Erick Thohir: Kita Harus Bisa Gerogoti", "Erick Thohir Bertemu Aburizal Bakrie", "Ketua Tim Kampanye Nasional",
            "Sebelumnya, Menteri", "Erick menjelaskan, salah satu", "Kini saatnya UMKM Go Global", "Selain itu, dengan banyaknya",
            "Namun, Erick Thohir memingatkan", "“Kita punya", "Begitu Pula dalam hal", "“Mari kita jadikan",
            "Lanjutkan Membaca", "Loading", "POPULER", "Berita Terkini Selengkapnya"],
    "004": ["Kamis 16 Nov 2017 01:36 WIB", "Menteri Komunikasi dan Informatika Rudiantara", "Foto: ROL/Abdul Kodir",
            "sumber : Antara", "Advertisement", "Berita Lainnya", "Terpopuler"],
}
# Photo title and caption of seed 003's lead image: not boilerplate by any rule here (kept).


def _seed(seeds_dir: Path, prefix: str) -> str:
    return next(seeds_dir.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.mark.parametrize("prefix", sorted(SEED_BOILERPLATE))
def test_seed_cleaning(seeds_dir, prefix):
    raw = _seed(seeds_dir, prefix)
    cleaned_lines = clean_text(raw).split("\n")
    boiler = SEED_BOILERPLATE[prefix]
    for line in (line.strip() for line in raw.splitlines()):
        if not line:
            continue
        is_boiler = any(line.replace("\xa0", " ").startswith(b) for b in boiler)
        if is_boiler:
            assert line not in cleaned_lines, f"boilerplate kept: {line[:60]}"
        else:
            assert line in cleaned_lines, f"story line dropped: {line[:60]}"


def test_seed_figures_survive(seeds_dir):
    cleaned = clean_text(_seed(seeds_dir, "003"))
    assert "Rp 30,5 triliun" in cleaned and "14 ribu desa" in cleaned
    assert "\n\n" not in cleaned


def test_list_header_cuts_the_rest():
    text = "Badan X mencatat 5 juta UMKM online.\nIa menambahkan target tahun depan.\nBerita Terkait\nHarga cabai naik 10 persen\nOjol demo di 12 kota"
    assert clean_text(text) == "Badan X mencatat 5 juta UMKM online.\nIa menambahkan target tahun depan."


def test_initials_end_detik_story():
    text = "Jakarta - Satu.\nDua.\n(rns/fay)\nHoegeng Awards 2026: baca kisah 7 polisi teladan."
    assert clean_text(text, "detik") == "Jakarta - Satu.\nDua."


def test_single_upper_case_initials_end_the_story():
    # Okezone 2017 closes with one editor's initials "(FHM)" followed by the comment counter.
    text = "Jakarta - Omzet warung naik 15 persen.\nIa menambah dua karyawan.\n(FHM)\n0 Komentar"
    assert clean_text(text) == "Jakarta - Omzet warung naik 15 persen.\nIa menambah dua karyawan."


def test_bracketed_lower_case_word_is_not_initials():
    text = "Satu kalimat berita yang cukup panjang.\n(bersambung)\nKalimat berikutnya juga berita."
    assert "Kalimat berikutnya juga berita." in clean_text(text)


def test_long_sentence_starting_like_a_header_is_kept():
    line = "Terpopuler di kalangan pelaku UMKM saat ini adalah aplikasi kasir digital yang dipakai 2 juta pedagang."
    assert clean_text("Kalimat pertama.\n" + line) == "Kalimat pertama.\n" + line


def test_video_promo_without_appended_story_drops_only_the_promo():
    text = "Satu.\nSaksikan video pilihan berikut ini:\nDua tetap berita."
    assert clean_text(text, "liputan6") == "Satu.\nDua tetap berita."


def test_inline_boilerplate_lines_dropped():
    text = ("Satu.\nADVERTISEMENT\nSCROLL TO CONTINUE WITH CONTENT\nBaca juga: Harga Cabai Tembus Rp 90 Ribu\n"
            "[Gambas:Video 20detik]\nSimak Video \"Sinyal\"\nDua.\n2 dari 3 halaman\nTiga.")
    assert clean_text(text, "detik") == "Satu.\nDua.\nTiga."


def test_trailing_headlines_under_unknown_header_dropped():
    text = ("Pemerintah mencatat 7.634 titik internet gratis.\n\"Kami terus menambah titik,\" ujarnya.\n"
            "Rekomendasi Pilihan Redaksi\nHarga Cabai Tembus Rp 90 Ribu per Kg\nOjol Demo di 12 Kota")
    assert clean_text(text) == "Pemerintah mencatat 7.634 titik internet gratis.\n\"Kami terus menambah titik,\" ujarnya."
