"""liputan6.com: channel RSS, channel sitemaps, the dated index (all pages are in one document)."""

from crawler.spiders.base import ProfileSpider


class Liputan6Spider(ProfileSpider):
    name = "liputan6"
