"""extract/: pure functions from a page to an Article and from text to figures.

No network, no Scrapy, no SQL: bytes and a URL in, values out.
"""
