"""republika.co.id: channel RSS, the flat sitemap with lastmod, the GET index by offset."""

from crawler.spiders.base import ProfileSpider


class RepublikaSpider(ProfileSpider):
    name = "republika"
