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


# Issue 14 item 16: values the audit found accepted silently. Each is an error naming key and problem.
@pytest.mark.parametrize("data, key, words", [
    ({"crawl": {"download_timeout": -5}}, "[crawl] download_timeout", "greater than 0"),
    ({"crawl": {"download_timeout": 0}}, "[crawl] download_timeout", "greater than 0"),
    ({"crawl": {"download_timeout": float("inf")}}, "[crawl] download_timeout", "finite number"),
    ({"crawl": {"download_delay": float("nan")}}, "[crawl] download_delay", "finite number"),
    ({"crawl": {"retry_times": -3}}, "[crawl] retry_times", "0 (no retries) or more"),
    ({"crawl": {"revision_check_hours": [6, -24]}}, "[crawl] revision_check_hours[1]", "0 or more hours"),
    ({"crawl": {"max_age_days": 0}}, "[crawl] max_age_days", "greater than 0"),
    ({"crawl": {"keywords": ["umkm", " "]}}, "[crawl] keywords[1]", "must not be empty"),
    ({"crawl": {"max_page_bytes": 0}}, "[crawl] max_page_bytes", "at least 1 byte"),
    ({"crawl": {"warn_page_bytes": 20 << 20}}, "[crawl] warn_page_bytes", "between 1 and max_page_bytes"),
    ({"crawl": {"extraction_failure_streak": 0}}, "[crawl] extraction_failure_streak", "at least 1"),
    ({"crawl": {"contact_url": "mailto:me@example.org"}}, "[crawl] contact_url", "http"),
    ({"crawl": {"frontier": "localhost:6379"}}, "[crawl] frontier", "redis://"),
    ({"crawl": {"frontier": "redis://127.0.0.1:6379/zero"}}, "[crawl] frontier", "redis://"),
    ({"crawl": {"roots": {"https://inet.detik.com": "http://127.0.0.1:8001/detik"}}},
     "[crawl] roots.https://inet.detik.com", "must be an origin"),
    ({"crawl": {"sites": {"detk": {}}}}, "[crawl] sites.detk", "did you mean 'detik'?"),
    ({"alerts": {"retry_base_seconds": -60}}, "[alerts] retry_base_seconds", "greater than 0"),
    ({"alerts": {"stale_site_hours": 0}}, "[alerts] stale_site_hours", "greater than 0"),
    ({"alerts": {"datasette_url": "localhost:8001"}}, "[alerts] datasette_url", "http"),
    ({"alerts": {"templates_dir": "no-such-folder"}}, "[alerts] templates_dir", "no such folder"),
    ({"smtp": {"timeout_seconds": 0}}, "[smtp] timeout_seconds", "greater than 0"),
    ({"smtp": {"from": "pantau"}}, "[smtp] from", "must be an address"),
    ({"smtp": {"password_env": "hunter2!"}}, "[smtp] password_env", "NAME of an environment variable"),
    ({"recipients": [{"name": "r", "email": ["not an email"]}]}, "recipients[0] email[0]", "email address"),
    ({"recipients": [{"name": "r", "slack_webhook_env": "https://hooks.example/x"}]},
     "recipients[0] slack_webhook_env", "NAME of an environment variable"),
    ({"recipients": [{"name": "r", "families": ["umkmm"]}]}, "recipients[0] families[0]",
     "names no family of the taxonomy: 'umkmm' (did you mean 'umkm'?)"),
    ({"recipients": [{"name": "r", "sites": ["kompas"]}]}, "recipients[0] sites[0]", "names no known site"),
    ({"recipients": [{"name": "r", "sites": ["detk"]}]}, "recipients[0] sites[0]", "did you mean 'detik'?"),
    ({"recipients": [{"name": "r", "metrics": ["umkm_onlne"]}]}, "recipients[0] metrics[0]",
     "matches no metric of the taxonomy: 'umkm_onlne' (did you mean 'umkm_online'?)"),
    ({"recipients": [{"name": "r", "metrics": ["umkm_online*", "konektivitas_*"]}]}, "recipients[0] metrics[1]",
     "matches no metric"),
    ({"taxonomy": {"files": ["missing-taxonomy.toml"]}}, "[taxonomy] files[0]", "file not found"),
])
def test_hardening_every_value_is_checked_at_load_time(tmp_path, data, key, words):
    with pytest.raises(ConfigError) as err:
        config_from_dict(data, base=tmp_path)
    assert err.value.key == key and words in err.value.problem, str(err.value)


def test_recipient_filters_that_match_are_accepted_and_metrics_come_from_the_configured_taxonomy(tmp_path):
    (tmp_path / "mine.toml").write_text(
        '[metrics.umkm_ekspor]\nfamily = "umkm"\nunits = ["umkm"]\nrules = [{ all = ["umkm"] }]\n', encoding="utf-8")
    ok = {"recipients": [{"name": "r", "email": ["redaksi@example.org", "root@localhost"], "families": ["umkm"],
                          "metrics": ["umkm_online*", "umkm_ekspor"], "sites": ["detik"]}],
          "taxonomy": {"files": ["mine.toml"]}}
    config = config_from_dict(ok, base=tmp_path)
    assert config.recipients[0].metrics == ["umkm_online*", "umkm_ekspor"]
    # Without the user's file the same filter names nothing.
    with pytest.raises(ConfigError, match="umkm_ekspor"):
        config_from_dict({"recipients": ok["recipients"]}, base=tmp_path)
    with pytest.raises(ConfigError, match=r"\[taxonomy\] files\[0\]: .*not valid TOML"):
        (tmp_path / "bad.toml").write_text("[metrics\n", encoding="utf-8")
        config_from_dict({"taxonomy": {"files": ["bad.toml"]}}, base=tmp_path)
