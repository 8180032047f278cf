"""Exports: the formats records and counts leave the archive in (one writer per format)."""
