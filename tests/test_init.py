"""`pantau init`: the sample config covers every option, loads cleanly and holds the defaults."""

from __future__ import annotations

import dataclasses
import re

from click.testing import CliRunner

import demo
from cli import main
from pantau_config import (
    Config,
    CrawlConfig,
    RecipientConfig,
    ScheduleConfig,
    SiteConfig,
    SmtpConfig,
    TaxonomyConfig,
    load_config,
)


def all_options() -> list[tuple[str, str]]:
    """(section, key) for every field of every config dataclass, walked here independently of demo."""
    options = []
    for section in dataclasses.fields(Config):
        if section.name == "source":
            continue
        cls = RecipientConfig if section.name == "recipients" else type(getattr(Config(), section.name))
        options += [(section.name, f.name) for f in dataclasses.fields(cls)]
    options += [("crawl.sites", f.name) for f in dataclasses.fields(SiteConfig)]
    return options


def test_sample_has_every_option_in_its_section():
    text = demo.sample_config()
    sections: dict[str, set[str]] = {}
    current = ""
    for line in text.splitlines():
        header = re.match(r"^\[\[?([\w.]+)\]\]?$", line)
        if header:
            current = header.group(1)
            if current.startswith("crawl.sites."):
                sections.setdefault("crawl", set()).add("sites")  # [crawl.sites.<site>] tables
                current = "crawl.sites"
            continue
        key = re.match(r"^(\w+) = ", line)
        if key:
            sections.setdefault(current, set()).add(key.group(1))
    missing = [f"[{s}] {k}" for s, k in all_options() if k not in sections.get(s, set())]
    assert not missing, f"sample pantau.toml lacks: {missing}"


def test_sample_loads_and_holds_the_defaults(tmp_path):
    path = tmp_path / "pantau.toml"
    path.write_text(demo.sample_config(), encoding="utf-8")
    config = load_config(path)
    assert config.crawl == CrawlConfig()
    assert config.schedule == ScheduleConfig()
    assert config.smtp == SmtpConfig()
    assert config.taxonomy == TaxonomyConfig()
    assert config.store.path == tmp_path / "pantau.db"
    assert config.alerts.outbox_dir == tmp_path / "outbox"
    assert [r.name for r in config.recipients] == ["team"] and config.recipients[0].files
    defaults = Config()
    assert config.alerts.max_attempts == defaults.alerts.max_attempts


def test_every_option_is_commented_or_obvious():
    # Sections carry a comment; the sample is for reading, not only for loading.
    text = demo.sample_config()
    for header in ("[store]", "[crawl]", "[taxonomy]", "[schedule]", "[smtp]", "[alerts]", "[[recipients]]"):
        before = text.split(header)[0].rstrip().splitlines()[-1]
        assert before.startswith("#"), f"{header} has no comment above it"


def test_init_writes_and_refuses_to_overwrite(tmp_path):
    runner = CliRunner()
    target = tmp_path / "conf" / "pantau.toml"
    result = runner.invoke(main, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == demo.sample_config()
    again = runner.invoke(main, ["init", str(target)])
    assert again.exit_code == 1 and "already exists" in again.output
    forced = runner.invoke(main, ["init", "--force", str(target)])
    assert forced.exit_code == 0


def test_init_default_path_is_pantau_toml_in_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PANTAU_CONFIG", raising=False)
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pantau.toml").exists()
