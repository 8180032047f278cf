"""Bringing Books of Memory into the archive: source formats, the entry parser, the importer."""
