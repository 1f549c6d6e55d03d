"""The taxonomy data file and its loader (extract/taxonomy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract import load_taxonomy, tag_text
from extract.taxonomy import DEFAULT_PATH, default_taxonomy
from pantau_config import ConfigError

METRICS = {
    "umkm": ["umkm_online", "umkm_online_target", "umkm_online_added", "umkm_online_pct",
             "umkm_digital_training", "umkm_total", "other_umkm"],
    "connectivity": ["internet_access_points", "bts_towers", "villages_unconnected", "villages_4g_covered",
                     "villages_total", "fiber_optic_km", "regencies_connected", "satellite_capacity_gbps",
                     "internet_users", "internet_penetration_pct", "ict_budget_idr", "digital_talent",
                     "digital_talent_target", "digital_talent_gap", "other_connectivity"],
}
UNITS = set("umkm titik bts desa km persen rupiah orang gbps mbps kabupaten_kota homepass provinsi kali "
            "koperasi domain website satelit".split())


def test_default_covers_the_22_metrics_with_families() -> None:
    tax = load_taxonomy()
    assert len(tax.metrics) == 22
    for family, names in METRICS.items():
        for name in names:
            assert tax.family_of(name) == family
            assert tax.metrics[name].name == name
    assert {m for m, v in tax.metrics.items() if v.context} == {"umkm_total", "villages_total"}
    assert all(set(m.units) <= UNITS for m in tax.metrics.values())
    assert all(m.keywords or m.name == "other_connectivity" for m in tax.metrics.values())


def test_default_is_cached() -> None:
    assert load_taxonomy() is default_taxonomy() is load_taxonomy([])


def test_unknown_metric_family() -> None:
    with pytest.raises(KeyError, match="nope"):
        default_taxonomy().family_of("nope")


def test_user_file_adds_a_metric(tmp_path: Path) -> None:
    extra = tmp_path / "extra.toml"
    extra.write_text(
        '[units]\nbandara = ["bandara"]\n'
        '[metrics.airports_wifi]\nfamily = "connectivity"\nunits = ["bandara"]\n'
        'rules = [{ all = [["wifi", "internet"]], priority = 20 }]\n', encoding="utf-8")
    tax = load_taxonomy([extra])
    assert len(tax.metrics) == 23
    [figure] = tag_text("Wifi gratis kini tersedia di 30 bandara.", tax)
    assert (figure.surface, figure.metric, figure.unit) == ("30 bandara", "airports_wifi", "bandara")
    assert tag_text("Wifi gratis kini tersedia di 30 bandara.") == []


def test_user_file_overrides_keywords(tmp_path: Path) -> None:
    text = "Sebanyak 2 juta UMKM kini aktif di aplikasi Qasir."
    assert tag_text(text) == []
    extra = tmp_path / "kw.toml"
    extra.write_text('[keywords]\nonline = ["online", "aplikasi qasir"]\n', encoding="utf-8")
    [figure] = tag_text(text, load_taxonomy([extra]))
    assert figure.metric == "umkm_online"
    # A same-named group replaces the bundled one: "daring" is gone.
    assert tag_text("Sebanyak 2 juta UMKM kini berjualan daring.", load_taxonomy([extra])) == []


def test_user_file_extends_a_group_by_naming_it(tmp_path: Path) -> None:
    extra = tmp_path / "kw.toml"
    extra.write_text('[keywords]\nonline = ["@online", "aplikasi qasir"]\n'
                     '[grammar]\nremainder = ["@remainder", "sisa-sisa"]\n', encoding="utf-8")
    tax = load_taxonomy([extra])
    assert [f.metric for f in tag_text("Sebanyak 2 juta UMKM kini aktif di aplikasi Qasir.", tax)] == ["umkm_online"]
    assert [f.metric for f in tag_text("Sebanyak 2 juta UMKM kini berjualan daring.", tax)] == ["umkm_online"]
    assert "sisa-sisa" in tax.words["remainder"] and "tinggal" in tax.words["remainder"]


def test_extending_an_undefined_group_is_an_error(tmp_path: Path) -> None:
    extra = tmp_path / "kw.toml"
    extra.write_text('[keywords]\nnope = ["@nope", "x"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="not defined before"):
        load_taxonomy([extra])


def test_replace_uses_only_the_user_files(tmp_path: Path) -> None:
    own = tmp_path / "own.toml"
    own.write_text('[units]\numkm = ["umkm"]\n[metrics.only]\nfamily = "umkm"\nunits = ["umkm"]\n'
                   'rules = [{ all = ["umkm"] }]\n', encoding="utf-8")
    tax = load_taxonomy([own], replace=True)
    assert list(tax.metrics) == ["only"]
    assert [f.metric for f in tag_text("Ada 5 juta UMKM.", tax)] == ["only"]


@pytest.mark.parametrize("content, message", [
    ('[metrics.x]\nfamily = "toko"\nunits = ["umkm"]\nrules = [{ all = [] }]\n', "family"),
    ('[metrics.x]\nfamily = "umkm"\nunits = []\nrules = [{ all = [] }]\n', "units"),
    ('[metrics.x]\nfamily = "umkm"\nunits = ["umkm"]\n', "rules"),
    ('[metrics.x]\nfamily = "umkm"\nunits = ["umkm"]\nrules = [{ all = ["@nope"] }]\n', "unknown keyword group"),
    ('[metrics.x]\nfamily = "umkm"\nunits = ["umkm"]\nrules = [{ all = ["(unclosed"] }]\n', "regular expression"),
    ('[metrics.x]\nfamily = "umkm"\nunits = ["umkm"]\ntarget = "maybe"\nrules = [{ all = [] }]\n', "target"),
    ('[metrics.x]\nfamily = "umkm"\nunits = ["umkm"]\nrules = [{ alll = [] }]\n', "unknown key"),
    ('[metrics.x]\nfamily = "umkm"\nunits = ["umkm"]\nrules = [{ units = ["km"] }]\n', "units"),
    ('[metric.x]\nfamily = "umkm"\n', "unknown section"),
    ('[keywords]\numkm = "umkm"\n', "list of strings"),
    ('not toml = = 1', "not valid TOML"),
    ('[metrics.x]\nfamily = "umkm"\nunits = ["umkm"]\nrules = [{ all = [], bare = "yes" }]\n', "bare"),
    ('[metrics.x]\nfamily = "umkm"\nunits = ["umkm"]\nrules = [{ all = [], paragraph = 1 }]\n', "paragraph"),
    ('[metrics.x]\nfamily = "umkm"\nunits = ["umkm"]\nrules = [{ all = [], purpose = true }]\n', "purpose"),
    ('[metrics.x]\nfamily = "umkm"\nunits = ["umkm"]\nshare = "nope"\nrules = [{ all = [] }]\n', "share"),
    ('[metrics.x]\nfamily = "umkm"\nunits = ["umkm"]\nshare = "bts_towers"\nrules = [{ all = [] }]\n', "share"),
])
def test_bad_files_name_the_problem(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_taxonomy([bad])


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_taxonomy([tmp_path / "absent.toml"])


def test_bundled_file_is_package_data() -> None:
    assert DEFAULT_PATH.name == "default.toml" and DEFAULT_PATH.exists()


def test_rule_context_keys_are_loaded() -> None:
    tax = default_taxonomy()
    assert tax.metrics["umkm_online"].share == "umkm_online_pct"
    assert tax.metrics["internet_users"].share == "internet_penetration_pct"
    assert any(rule.bare for rule in tax.metrics["umkm_total"].rules)
    assert any(rule.paragraph for rule in tax.metrics["ict_budget_idr"].rules)
