"""The CLI surface of the daemon: config errors end with exit code 2 and name the key."""

from __future__ import annotations

from click.testing import CliRunner

from cli import SUBCOMMANDS, main


def run(args: list[str], tmp_path, toml: str | None = None):
    if toml is not None:
        (tmp_path / "pantau.toml").write_text(toml, encoding="utf-8")
        args = ["--config", str(tmp_path / "pantau.toml"), *args]
    return CliRunner().invoke(main, args)


def test_bad_cron_in_config_stops_run_with_the_key(tmp_path):
    result = run(["run"], tmp_path, '[schedule]\ncrawl = "every hour"\n')
    assert result.exit_code == 2
    assert "invalid configuration" in result.output and "[schedule] crawl" in result.output


def test_unknown_key_stops_run(tmp_path):
    result = run(["run"], tmp_path, '[schedule]\ndigests = "0 7 * * *"\n')
    assert result.exit_code == 2 and "[schedule] digests: unknown key" in result.output


def test_wrong_type_stops_run(tmp_path):
    result = run(["run"], tmp_path, '[crawl]\ntime_limit_seconds = "lama"\n')
    assert result.exit_code == 2 and "[crawl] time_limit_seconds: must be a number" in result.output


def test_missing_config_file_stops_run(tmp_path):
    result = run(["--config", str(tmp_path / "absent.toml"), "run"], tmp_path)
    assert result.exit_code == 2 and "file not found" in result.output


def test_invalid_toml_stops_run(tmp_path):
    result = run(["run"], tmp_path, "[store\n")
    assert result.exit_code == 2 and "not valid TOML" in result.output


def test_help_lists_commands_and_run_has_log_format():
    listing = CliRunner().invoke(main, ["--help"])
    assert all(name in listing.output for name in SUBCOMMANDS)
    run_help = CliRunner().invoke(main, ["run", "--help"])
    assert run_help.exit_code == 0 and "--log-format" in run_help.output
    for name in ("init", "demo"):
        assert CliRunner().invoke(main, [name, "--help"]).exit_code == 0


def test_store_that_is_a_folder_stops_run(tmp_path):
    (tmp_path / "pantau.db").mkdir()
    result = run(["run"], tmp_path, '[schedule]\ncrawl = ""\ndigest = ""\n')
    assert result.exit_code == 2 and "cannot open the store" in result.output and "is a folder" in result.output


def test_a_missing_taxonomy_file_stops_crawl_with_exit_2_and_no_traceback(tmp_path):
    # roots_only with one closed loopback root: even a crawl that started would request nothing else.
    result = run(["crawl", "detik"], tmp_path,
                 '[taxonomy]\nfiles = ["gone.toml"]\n[crawl]\nroots_only = true\n'
                 '[crawl.roots]\n"https://www.detik.com" = "http://127.0.0.1:9"\n')
    assert result.exit_code == 2, result.output
    assert "invalid configuration" in result.output and "[taxonomy] files[0]: file not found" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_a_recipient_filter_naming_nothing_stops_digest_with_exit_2(tmp_path):
    result = run(["digest"], tmp_path, '[[recipients]]\nname = "r"\nfiles = true\nmetrics = ["umkm_onlne"]\n')
    assert result.exit_code == 2 and "recipients[0] metrics[0]" in result.output
    assert "did you mean 'umkm_online'?" in result.output
