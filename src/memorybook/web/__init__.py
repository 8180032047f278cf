"""The web archive: FastAPI, server-rendered Jinja2 pages, each with a `.json` twin.

`create_app()` builds the application; `memorybook serve` builds it once and hands it to the
uvicorn workers it forks (web/server.py)."""
