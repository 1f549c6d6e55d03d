"""store/: the SQLite store. Owns the schema, its migrations and every SQL statement."""
