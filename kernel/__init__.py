"""kernel/: what every stage needs and no stage owns. It imports none of the stages.

    kernel.errors   PantauError and every anticipated error beneath it
    kernel.times    UTC for storing, WIB for reading: one place for ISO 8601 times
    kernel.sites    the known sites and their domains (sites.toml); the site of a URL
    kernel.urls     canonical article URLs and stable article keys
    kernel.cron     crontab expressions as APScheduler triggers
    kernel.records  Article, Figure, KnownArticle, FeedState: the records that cross stages
    kernel.stores   CrawlStore: what a crawl needs of the store, wherever the store is
"""
