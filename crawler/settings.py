"""Scrapy settings for ``scrapy crawl <site>`` from the project root (scrapy.cfg points here).

Everything tunable comes from pantau.toml (``$PANTAU_CONFIG`` or ./pantau.toml, else defaults)
through ``crawler.config_settings.settings_from_config``; ``pantau crawl`` builds the same dict.
"""

from crawler.config_settings import settings_from_config
from pantau_config import load_config

globals().update(settings_from_config(load_config()))
