"""detik.com: RSS, news sitemaps and the dated index; multi-page articles via ``?single=1``."""

from crawler.spiders.base import ProfileSpider


class DetikSpider(ProfileSpider):
    name = "detik"
