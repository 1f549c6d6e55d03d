"""robots.txt per mirrored host, with the rules sites.md reports (Oct 2026)."""

from __future__ import annotations

DETIK = """User-agent: GPTBot
Disallow: /

User-agent: CCBot
Disallow: /

User-agent: ChatGPT-User
Disallow: /

User-agent: googlebot
Disallow: /ajax/
Disallow: /api/
Disallow: /search/

User-agent: *
Allow: /

Sitemap: https://www.detik.com/sitemap.xml
"""

LIPUTAN6 = """User-agent: *
Disallow: /search
Disallow: /fimela/
Disallow: /me/*
Disallow: /properti/
Disallow: /widgets-nocache/
Disallow: /login*
Disallow: /dashboard/
Disallow: /admin/
Disallow: */livestreaming/
Disallow: /articles/preview
Disallow: /gallery/

Sitemap: https://www.liputan6.com/sitemap.xml
"""

# Republika blocks a long list of named bots, Scrapy's default agent among them.
REPUBLIKA_BLOCKED = ("aliyunsecbot", "amazonbot", "applebot-extended", "bytespider", "ccbot", "chatgpt-user",
                     "claudebot", "diffbot", "gptbot", "Scrapy", "news-please")
REPUBLIKA = "".join(f"User-agent: {bot}\nDisallow: /\n\n" for bot in REPUBLIKA_BLOCKED) + """User-agent: *
Disallow: /search/?q=
Disallow: /komentar/*
Disallow: /copy/*
Disallow: /cron/*
Disallow: /curl/*
Disallow: /feed/*
Disallow: /post/*
Disallow: /ajax/*
Disallow: *?utm_source=*
Disallow: *?source=*

Sitemap: https://republika.co.id/files/xml/sitemap.xml
"""

# No robots.txt was found for the ministry's hosts; the mirror serves an allow-all file.
KOMDIGI = "User-agent: *\nAllow: /\n"


def robots_for(host: str) -> str:
    if host.endswith("detik.com"):
        return DETIK
    if host.endswith("liputan6.com"):
        return LIPUTAN6
    if host.endswith("republika.co.id"):
        return REPUBLIKA
    return KOMDIGI
