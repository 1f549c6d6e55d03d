"""Config validation: each bad value is an error naming the key and the problem."""

from __future__ import annotations

import pytest

from pantau_config import ConfigError, config_from_dict, load_config


def error_for(data: dict) -> ConfigError:
    with pytest.raises(ConfigError) as err:
        config_from_dict(data)
    return err.value


@pytest.mark.parametrize("data, key, words", [
    ({"schedule": {"crawl": "0 7 * *"}}, "[schedule] crawl", "expected 5 fields"),
    ({"schedule": {"digest": "61 * * * *"}}, "[schedule] digest", "59"),
    ({"schedule": {"digest": "0 7 * * 8"}}, "[schedule] digest", "weekday out of range"),
    ({"schedule": {"timezone": "Asia/Jakarte"}}, "[schedule] timezone", "unknown time zone"),
    ({"schedule": {"misfire_grace_seconds": -1}}, "[schedule] misfire_grace_seconds", "0 or more"),
    ({"schedule": {"misfire_grace_seconds": "6h"}}, "[schedule] misfire_grace_seconds", "whole number"),
    ({"schedule": {"stop_grace_seconds": -5}}, "[schedule] stop_grace_seconds", "0 or more"),
    ({"schedule": {"cron": "0 7 * * *"}}, "[schedule] cron", "unknown key"),
    ({"crawl": {"time_limit_seconds": "abc"}}, "[crawl] time_limit_seconds", "must be a number"),
    ({"crawl": {"sites": {"kompas": {}}}}, "[crawl] sites.kompas", "unknown site"),
    ({"recipients": [{"email": ["a@b.c"]}]}, "recipients[0] name", "needs a name"),
    ({"smtp": {"security": "tls"}}, "[smtp] security", "must be one of"),
])
def test_bad_values_name_the_key(data, key, words):
    err = error_for(data)
    assert err.key == key and words in err.problem, str(err)


def test_six_field_cron_and_empty_job_are_valid():
    config = config_from_dict({"schedule": {"crawl": "*/5 * * * * *", "digest": ""}})
    assert config.schedule.crawl == "*/5 * * * * *" and config.schedule.digest == ""


def test_missing_explicit_file_and_bad_toml(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[schedule\ncrawl = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
