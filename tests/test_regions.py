"""Where a figure holds (`scope`): national unless its clause names a region."""

from __future__ import annotations

import pytest

from extract import tag_text


def scopes(text: str) -> list[tuple[str, str | None]]:
    return [(f.surface, f.scope) for f in tag_text(text)]


@pytest.mark.parametrize("text, expected", [
    # a province by its name, its abbreviation, with "Provinsi"/"Pemprov", glued "se-"
    ("Sebanyak 410 desa di Jawa Tengah masih belum terjangkau sinyal seluler.", "Jawa Tengah"),
    ("Pemprov Jatim memasang 1.200 titik wifi gratis di balai desa.", "Jawa Timur"),
    ("Tercatat 2.100 BTS 4G beroperasi se-Kalimantan Barat.", "Kalimantan Barat"),
    ("Jumlah UMKM Jabar yang sudah go online mencapai 2,4 juta UMKM.", "Jawa Barat"),
    ("Dinas Kominfo Provinsi NTT mencatat 880 desa belum terjangkau internet.", "Nusa Tenggara Timur"),
    # the longest name wins
    ("BAKTI membangun 120 BTS di Papua Barat Daya tahun ini.", "Papua Barat Daya"),
    # a regency or city by its pattern
    ("Pemerintah Kabupaten Gunung Kidul mencatat 45 desa belum terjangkau internet.", "Kabupaten Gunung Kidul"),
    ("Wali Kota Makassar Dani menyebut 300 titik wifi publik sudah menyala.", "Kota Makassar"),
    # an island group and the 3T regions
    ("Sebanyak 3.000 desa di Pulau Sulawesi belum terjangkau sinyal 4G.", "Sulawesi"),
    ("BAKTI telah mengoperasikan 6.900 BTS 4G di wilayah 3T.", "wilayah 3T"),
    # a short opening clause names the place for the whole sentence
    ("Di Provinsi Bali, desa yang belum terjangkau sinyal tinggal 12 desa.", "Bali"),
])
def test_a_named_region_is_the_scope(text, expected):
    assert scopes(text)[-1][1] == expected


@pytest.mark.parametrize("text", [
    "Sebanyak 12 ribu desa di Indonesia masih berstatus blank spot.",
    # a place where something was said is not the figure's place
    "Menteri mengatakan di Jakarta, Senin, bahwa 4,8 juta UMKM sudah berjualan online.",
    "JAKARTA -- Kementerian mencatat 27 juta UMKM sudah go digital.",
    # a span across the country
    "Jaringan serat optik sepanjang 12.000 km kini terhubung dari Sumatera hingga Papua.",
    # secara nasional beats the region of the opening clause
    "Di Jawa Barat, pemerintah pusat menyebut secara nasional 11 ribu desa belum terjangkau sinyal.",
])
def test_a_figure_is_national_unless_its_clause_names_a_region(text):
    assert scopes(text)[-1][1] is None


def test_a_region_in_another_clause_is_not_the_figures():
    text = ("Secara nasional masih ada 11 ribu desa belum terjangkau sinyal, sementara di Jawa Tengah "
            "tinggal 300 desa.")
    assert scopes(text) == [("11 ribu desa", None), ("300 desa", "Jawa Tengah")]


def test_each_figure_takes_the_region_that_follows_it():
    text = "Pemerintah membangun 400 BTS di Maluku dan 250 BTS di Papua."
    assert scopes(text) == [("400 BTS", "Maluku"), ("250 BTS", "Papua")]


def test_di_provinsi_itu_is_the_province_named_before():
    text = ("Pemerintah Provinsi Sumatera Barat meluncurkan program desa digital.\n"
            "Gubernur menargetkan seluruh 1.100 desa di provinsi itu tersambung internet pada tahun depan.")
    [target] = tag_text(text)
    assert (target.scope, target.when) == ("Sumatera Barat", "planned")
    unresolved = "Gubernur menargetkan seluruh 1.100 desa di provinsi itu tersambung internet."
    assert tag_text(unresolved)[0].scope == "provinsi tidak disebut"


# --- the anaphor's antecedent: the windowed rescan agrees with scanning text[:cut] -------------

# Our own sentences, full of place names, regency heads and near-misses (a head with no name, a
# name cut in two by a cut point, an official's name after the place, several spaces and newlines).
_PLACE_PIECES = (
    "Pemprov Jawa Barat menyiapkan 500 titik wifi.", "Kabupaten Bogor menerima 40 BTS.",
    "Wali Kota  Surabaya meresmikan jaringan baru.", "Bupati Sleman Kustini membuka pelatihan.",
    "Di Papua Barat dan Nusa Tenggara Timur desa belum tersambung.", "Kota itu kini punya 12 menara.",
    "Warga kabupaten tersebut menunggu sinyal.", "Kab. Sigi masih tertinggal.", "Pemkot\nBandung bergerak.",
    "DKI Jakarta memimpin.", "di provinsi itu", "Kalimantan", "Sulawesi Selatan,", "Kota yang ramai.",
    "Pemkab Banyuwangi Raya dan Walikota Medan Baru datang.", "Maluku Utara (Malut) menyusul.", "Kota",
)


def _brute_antecedent(kind: str, text: str, cut: int) -> str | None:
    """The old, quadratic reading: scan the text before the cut from its start."""
    from extract.regions import _regency, _rules

    rules = _rules()
    before = text[:cut]
    candidates: list[tuple[int, str]] = []
    if kind in ("provinsi", "any"):
        for m in rules.bare_names.finditer(before):
            scope = rules.scope_of_name[m.group()]
            if kind == "any" or scope in rules.provinces:
                candidates.append((m.start(), scope))
    if kind in ("kabupaten", "kota", "any"):
        for m in rules.regency.finditer(before):
            regency = _regency(m, rules)
            if regency is not None and (kind == "any" or regency[1].lower().startswith(kind)):
                candidates.append((m.start(), regency[1]))
    return max(candidates)[1] if candidates else None


def test_the_antecedent_of_an_anaphor_matches_a_scan_from_the_start_at_every_cut():
    import random

    from extract.regions import _antecedent, _rules

    rules = _rules()
    assert rules.reach > 0, "the region names stopped being plain words: the fast path is off"
    rng = random.Random(7)
    for _ in range(30):
        text = "".join(rng.choice(_PLACE_PIECES) + rng.choice((" ", "  ", "\n", " \n ", ""))
                       for _ in range(rng.randint(5, 60)))
        for cut in sorted({rng.randrange(len(text) + 1) for _ in range(60)} | {0, len(text)}):
            for kind in ("provinsi", "kabupaten", "kota", "any"):
                assert _antecedent(kind, text, cut, rules) == _brute_antecedent(kind, text, cut), (kind, cut)


def test_a_province_named_long_before_the_anaphor_is_still_its_antecedent():
    filler = "Pemerintah terus membangun jaringan dan melatih pelaku usaha di banyak tempat. " * 40
    text = ("Pemerintah Provinsi Jambi membuka program desa digital.\n" + filler +
            "\nGubernur menargetkan 300 desa di provinsi itu tersambung internet pada tahun depan.")
    [target] = tag_text(text)
    assert target.scope == "Jambi"
