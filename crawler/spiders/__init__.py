"""One spider per site; all share ``crawler.spiders.base.ProfileSpider``, driven by the site's profile."""
