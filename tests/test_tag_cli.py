"""`pantau tag PATH|-`: JSON Lines on stdout, clear errors with exit code 2, config taxonomy."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cli import main

TEXT = ("Pengguna internet mencapai 210 juta orang.\n"
        "“Baru 20 persen UMKM yang sudah go digital,” kata Menteri.")


def _run(args: list[str], stdin: bytes | None = None):
    return CliRunner().invoke(main, args, input=stdin, catch_exceptions=False)


def _records(output: bytes) -> list[dict]:
    return [json.loads(line) for line in output.decode("utf-8").splitlines()]


def test_file_to_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = _run(["tag", str(path)])
    assert result.exit_code == 0, result.output
    records = _records(result.stdout_bytes)
    assert [r["surface"] for r in records] == ["210 juta orang", "20 persen"]
    assert list(records[0]) == ["start", "end", "surface", "value", "value_max", "unit", "metric",
                                "is_target", "approx", "year", "sentence", "when", "scope"]
    assert records[0]["value"] == 210000000 and isinstance(records[0]["value"], int)
    # Typographic quotes stay readable UTF-8 in the output.
    assert "“Baru" in result.stdout_bytes.decode("utf-8")


def test_stdin_with_universal_newlines(tmp_path: Path) -> None:
    result = _run(["tag", "-"], stdin=TEXT.replace("\n", "\r\n").encode("utf-8"))
    assert result.exit_code == 0
    records = _records(result.stdout_bytes)
    # Offsets index the text as open(..., encoding="utf-8").read() sees it: "\r\n" reads as "\n".
    assert records[1]["start"] == TEXT.index("20 persen")


def test_crlf_file_offsets_match_python_text_mode(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode("utf-8"))
    records = _records(_run(["tag", str(path)]).stdout_bytes)
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    assert all(text[r["start"]:r["end"]] == r["surface"] for r in records)


def test_invalid_utf8_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Pengguna internet 210 juta orang – café".encode("cp1252"))
    result = _run(["tag", str(path)])
    assert result.exit_code == 2
    assert f"pantau: cannot read {path}:" in result.stderr
    assert "UTF-8" in result.stderr
    assert result.stdout_bytes == b""


def test_invalid_utf8_on_stdin() -> None:
    result = _run(["tag", "-"], stdin=b"\xff\xfe 5 juta UMKM")
    assert result.exit_code == 2
    assert "pantau: cannot read stdin:" in result.stderr


def test_missing_file_and_directory(tmp_path: Path) -> None:
    result = _run(["tag", str(tmp_path / "absent.txt")])
    assert result.exit_code == 2
    assert "pantau: cannot read" in result.stderr and "absent.txt" in result.stderr
    result = _run(["tag", str(tmp_path)])
    assert result.exit_code == 2
    assert "pantau: cannot read" in result.stderr


def test_empty_file_prints_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("", encoding="utf-8")
    result = _run(["tag", str(path)])
    assert result.exit_code == 0 and result.stdout_bytes == b""


def test_config_taxonomy_files_are_used(tmp_path: Path) -> None:
    (tmp_path / "extra.toml").write_text(
        '[units]\nbandara = ["bandara"]\n'
        '[metrics.airports_wifi]\nfamily = "connectivity"\nunits = ["bandara"]\n'
        'rules = [{ all = [["wifi"]], priority = 20 }]\n', encoding="utf-8")
    config = tmp_path / "pantau.toml"
    config.write_text('[taxonomy]\nfiles = ["extra.toml"]\n', encoding="utf-8")
    text = tmp_path / "t.txt"
    text.write_text("Wifi gratis tersedia di 30 bandara.", encoding="utf-8")
    assert _records(_run(["tag", str(text)]).stdout_bytes) == []
    records = _records(_run(["--config", str(config), "tag", str(text)]).stdout_bytes)
    assert [(r["surface"], r["metric"]) for r in records] == [("30 bandara", "airports_wifi")]


def test_bad_taxonomy_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text('[metrics.x]\nfamily = "toko"\n', encoding="utf-8")
    config = tmp_path / "pantau.toml"
    config.write_text('[taxonomy]\nfiles = ["bad.toml"]\n', encoding="utf-8")
    text = tmp_path / "t.txt"
    text.write_text("5 juta UMKM go online.", encoding="utf-8")
    result = _run(["--config", str(config), "tag", str(text)])
    assert result.exit_code == 2
    assert "pantau: invalid taxonomy:" in result.stderr and "family" in result.stderr
