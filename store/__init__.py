"""store/: the SQLite store. Owns the schema, its migrations and every SQL statement.

    from store import Store, RecordResult, Finding
    store = Store.open("pantau.db")
    result = store.record_article(article, figures)
"""

from store.core import Store
from store.models import FeedState, Finding, KnownArticle, RecordResult
from store.schema import SCHEMA_VERSION, StoreError

__all__ = ["Store", "RecordResult", "Finding", "KnownArticle", "FeedState", "StoreError", "SCHEMA_VERSION"]
