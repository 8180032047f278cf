"""One module per family of pages; each builds a context dataclass that both the HTML page
and its `.json` twin are made from."""
