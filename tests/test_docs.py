"""Documentation keeps up with the code: every command has --help and a place in the README."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

import pantau_config
from cli import SUBCOMMANDS, main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", list(SUBCOMMANDS))
def test_every_command_has_help(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and len(result.output.splitlines()) > 3


@pytest.mark.parametrize("name", list(SUBCOMMANDS))
def test_every_command_is_in_the_readme(name):
    assert f"pantau {name}" in README, f"README does not mention `pantau {name}`"


def test_top_level_help_lists_every_command():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in SUBCOMMANDS:
        assert f"  {name} " in result.output


def _config_sections():
    for field in dataclasses.fields(pantau_config.Config):
        if field.name in ("source", "recipients"):
            continue
        yield field.name


@pytest.mark.parametrize("section", list(_config_sections()))
def test_every_config_section_is_in_the_readme(section):
    assert f"[{section}]" in README, f"README does not show the [{section}] section of pantau.toml"
