"""A live crawl with the placeholder contact URL warns; the mirror (roots_only) does not."""

from __future__ import annotations

from click.testing import CliRunner

import cli


def _run(tmp_path, body: str) -> str:
    config = tmp_path / "pantau.toml"
    config.write_text(f'[store]\npath = "x.db"\n{body}', encoding="utf-8")
    # An unknown site stops the command before any request is made (exit 2).
    result = CliRunner().invoke(cli.main, ["--config", str(config), "crawl", "nosuchsite"])
    assert result.exit_code == 2
    return result.output


def test_placeholder_contact_url_warns_on_a_live_crawl(tmp_path):
    assert "contact_url is the placeholder" in _run(tmp_path, "")


def test_own_contact_url_or_mirror_does_not_warn(tmp_path):
    assert "placeholder" not in _run(tmp_path, '[crawl]\ncontact_url = "https://example.org/me"\n')
    assert "placeholder" not in _run(tmp_path, "[crawl]\nroots_only = true\n")
