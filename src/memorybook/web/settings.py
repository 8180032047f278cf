"""One typed settings object for the web archive; every setting has a default and help."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class Settings:
    archive: str = ""  # path of the SQLite archive (empty: $MEMORYBOOK_ARCHIVE or the default)
    query_seconds: float = 1.0  # time limit of one page's queries, then 400 or a truncated answer
    page_size: int = 20  # results per page by default
    max_page_size: int = 100  # the largest page a client may ask for
    max_offset: int = 10_000  # results past this are not paged (narrow the search instead)
    max_query_length: int = 200  # characters of a search query
    search_candidates: int = 1_000  # hits of a name query that filters and facets look at
    # rows of one CSV/JSON export response; the rest follows in parts (its `next` link)
    export_max: int = 1_000
    search_cache: int = 4_096  # search answers kept (LRU) per worker
    concurrency: int = 2  # requests computed at once per worker; the rest wait their turn
    queue_seconds: float = 2.0  # the longest a request waits for its turn, then 429
    inline: int = 1  # 1: short work (name searches, record pages) runs in the event loop
    record_cache: int = 4_096  # record pages kept (LRU) per worker
    # How often a worker looks whether the archive changed (an import, linkage): what it
    # counted for the older version is then counted again.
    version_seconds: float = 1.0
    rate: float = 30.0  # requests per second per client (token bucket); 0 turns it off
    burst: int = 60  # bucket size
    default_lang: str = "ru"
    max_response_bytes: int = 16_000_000  # the largest answer sent (0: no cap)
    # The site's public address (https://host[/prefix]) for absolute links in JSON-LD and
    # exports. Empty: links relative to the site. The request's Host header is never used.
    public_url: str = ""
    # A tile server for the maps' base layer, e.g. https://tile.example.org/{z}/{x}/{y}.png
    # ({s} for subdomains allowed). Empty (the default): the maps draw the offline base map
    # shipped with the site and no request leaves the server. When set, its origin is added
    # to the pages' Content-Security-Policy (img-src) and nowhere else.
    tile_url: str = ""
    tile_attribution: str = ""  # the credit the tile server asks for (text or HTML)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """`MEMORYBOOK_WEB_<NAME>` environment variables, then explicit overrides."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(f"MEMORYBOOK_WEB_{f.name.upper()}")
            if raw is None:
                continue
            kind = type(getattr(cls(), f.name))
            values[f.name] = kind(raw)
        if "archive" not in values and os.environ.get("MEMORYBOOK_ARCHIVE"):
            values["archive"] = os.environ["MEMORYBOOK_ARCHIVE"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        url = self.public_url
        if url and not (
            url.startswith(("http://", "https://"))
            and "?" not in url
            and "#" not in url
            and " " not in url
            and len(url.split("/")[2]) > 0
        ):
            from memorybook.errors import ConfigurationError

            raise ConfigurationError(
                f"public_url must be an http(s) address like https://example.org, not {url!r}"
            )

    def link(self, path: str) -> str:
        """An address of this site for people and machines elsewhere: absolute under the
        configured public URL, else relative to the site (never from the request's Host)."""
        return self.public_url.rstrip("/") + path if self.public_url else path
