"""Name search over the archive: keys built at import, a persisted candidate index, ranking."""
