"""`pantau crawl` input errors: named clearly, exit code 2, before anything is fetched."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli import main


@pytest.mark.parametrize("toml, args, message", [
    ("", ["crawl", "nosuch"], "unknown site 'nosuch'"),
    ('[crawl.sites.detik]\nchannels = ["olahraga"]\n', ["crawl", "detik"], "unknown channel 'olahraga'"),
])
def test_bad_site_or_channel_exits_2_naming_it(tmp_path, toml, args, message):
    config = tmp_path / "pantau.toml"
    config.write_text(toml, encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_summary_table_format():
    from crawler.run import format_summary

    text = format_summary({"detik": {"discovered": 10, "fetched": 4, "new": 3, "changed": 1, "skipped": 6,
                                     "errors": 0, "seconds": 2.5}})
    header, row = text.splitlines()
    assert header.split() == ["site", "discovered", "fetched", "new", "changed", "skipped", "errors", "seconds"]
    assert row.split() == ["detik", "10", "4", "3", "1", "6", "0", "2.5s"]
