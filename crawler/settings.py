"""Scrapy settings for ``scrapy crawl <site>`` from the project root (scrapy.cfg points here).

Everything tunable comes from pantau.toml (``$PANTAU_CONFIG`` or ./pantau.toml, else defaults)
through ``crawler.config_settings.settings_from_config``; ``pantau crawl`` builds the same dict.


`pantau crawl` prints its own progress and summary and keeps Scrapy quiet; `scrapy crawl` is a
normal Scrapy project: INFO log with periodic stats lines, and feed exports (``-O items.jsonl``
writes one item per stored article: url, status, version, figures).
"""

from crawler.config_settings import settings_from_config
from pantau_config import load_config

_settings = settings_from_config(load_config())
_settings["LOG_LEVEL"] = "INFO"
_settings["EXTENSIONS"] = {name: value for name, value in _settings["EXTENSIONS"].items()
                           if name not in ("scrapy.extensions.feedexport.FeedExporter",
                                           "scrapy.extensions.logstats.LogStats")}
globals().update(_settings)
