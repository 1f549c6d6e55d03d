"""crawler/: the Scrapy project (settings, middlewares, spiders, pipelines) and the local mirror."""
