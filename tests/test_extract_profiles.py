"""The per-site extraction profiles (data) and their loader."""

from __future__ import annotations

import pytest

from extract import profiles
from extract.profiles import load_profile


@pytest.mark.parametrize("site", ["detik", "liputan6", "republika", "komdigi", "generic", "blog.example.id"])
def test_bundled_profiles_load(site):
    profile = load_profile(site)
    assert profile.boilerplate is not None and profile.end_markers is not None
    assert profile.boilerplate.match("ADVERTISEMENT") and profile.end_markers.match("Terpopuler")


def test_site_profile_extends_generic():
    detik = load_profile("detik")
    assert detik.site == "detik"
    assert detik.body[0].css == ".detail__body-text"  # site selectors first
    assert detik.boilerplate.match("Hoegeng Awards 2026")  # own pattern
    assert detik.boilerplate.match("Iklan Tengah Artikel 1")  # inherited
    assert load_profile("example.org").site == "generic"


def test_invalid_profile_names_the_file_and_selector(tmp_path, monkeypatch):
    (tmp_path / "generic.toml").write_text('site = "generic"\nbody = ["div[["]\n', encoding="utf-8")
    monkeypatch.setattr(profiles, "PROFILE_DIR", tmp_path)
    profiles._compiled.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"generic\.toml.*div\[\["):
            load_profile("generic")
    finally:
        profiles._compiled.cache_clear()
