"""Discovery profiles: ``crawler/sites/<site>.toml`` loaded into dataclasses.

A profile is data: feeds, sitemaps, index URL templates, the Komdigi API, accept/deny URL regexes,
channels and politeness. Spiders add only what data can't say. Adding a site means writing a
profile and a three-line spider subclass (README, section "crawl").
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from kernel.errors import ProfileError

SITES_DIR = Path(__file__).resolve().parent / "sites"



@dataclass(frozen=True)
class IndexProfile:
    item: str = ""
    link: str = ""
    title: str = ""
    summary: str = ""
    epoch: str = ""  # selector of a Unix-epoch publication time (detik d-time)
    datetime: str = ""  # selector of an ISO publication time
    channel_attr: str = ""  # attribute of `item` naming the channel (Liputan6's dated index)
    page_size: int = 0  # >0: the template pages by offset ({offset} = (page-1)*page_size)
    max_pages: int = 5
    days: int = 1  # dated indexes: today and the days before, in WIB


@dataclass(frozen=True)
class ChannelProfile:
    name: str
    default: bool = True
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    index: tuple[str, ...] = ()
    index_channel_slugs: tuple[str, ...] = ()
    api_category: str = ""
    portal: bool = False


@dataclass(frozen=True)
class SiteProfile:
    site: str
    accept: tuple[re.Pattern[str], ...]
    deny: tuple[re.Pattern[str], ...]
    channels: dict[str, ChannelProfile]
    index: IndexProfile = IndexProfile()
    download_delay: float = 1.0
    multipage_meta: str = ""
    multipage_values: tuple[str, ...] = ()
    single_page_param: str = ""
    api: dict[str, Any] = field(default_factory=dict)
    portal: dict[str, Any] = field(default_factory=dict)

    def is_article_url(self, url: str) -> bool:
        """True when ``url`` (a real URL) matches an accept pattern and no deny pattern."""
        return any(p.search(url) for p in self.accept) and not any(p.search(url) for p in self.deny)

    def chosen_channels(self, names: list[str]) -> list[ChannelProfile]:
        """The channels named in the config, or the profile's default channels when none are named."""
        if not names:
            return [c for c in self.channels.values() if c.default]
        unknown = [n for n in names if n not in self.channels]
        if unknown:
            raise ProfileError(f"[crawl] sites.{self.site}.channels: unknown channel '{unknown[0]}' "
                               f"(known: {', '.join(self.channels)})")
        return [self.channels[n] for n in names]


def load_profile(site: str, directory: Path = SITES_DIR) -> SiteProfile:
    path = directory / f"{site}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"no discovery profile for site '{site}' at {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from None
    try:
        channels = {
            name: ChannelProfile(
                name=name, default=ch.get("default", True), feeds=tuple(ch.get("feeds", ())),
                sitemaps=tuple(ch.get("sitemaps", ())), index=tuple(ch.get("index", ())),
                index_channel_slugs=tuple(ch.get("index_channel_slugs", ())),
                api_category=ch.get("api_category", ""), portal=ch.get("portal", False))
            for name, ch in data.get("channels", {}).items()
        }
        return SiteProfile(
            site=data["site"],
            accept=tuple(re.compile(p) for p in data.get("accept", ())),
            deny=tuple(re.compile(p) for p in data.get("deny", ())),
            channels=channels,
            index=IndexProfile(**data.get("index", {})),
            download_delay=float(data.get("politeness", {}).get("download_delay", 1.0)),
            multipage_meta=data.get("multipage_meta", ""),
            multipage_values=tuple(data.get("multipage_values", ())),
            single_page_param=data.get("single_page_param", ""),
            api=data.get("api", {}),
            portal=data.get("portal", {}),
        )
    except (KeyError, TypeError, re.error) as exc:
        raise ProfileError(f"{path}: bad profile: {exc!r}") from None


def expand_index_template(template: str, day: date, page: int, page_size: int = 0) -> str:
    """Fill an index URL template: {yyyy} {mm} {dd}, {next_*} for the day after, {page}, {offset}."""
    nxt = day + timedelta(days=1)
    return template.format(
        yyyy=f"{day.year:04d}", mm=f"{day.month:02d}", dd=f"{day.day:02d}",
        next_yyyy=f"{nxt.year:04d}", next_mm=f"{nxt.month:02d}", next_dd=f"{nxt.day:02d}",
        page=page, offset=(page - 1) * page_size)
