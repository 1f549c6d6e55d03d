"""Datasette metadata shipped with the store (``metadata.json``: title, table notes, canned queries)."""
