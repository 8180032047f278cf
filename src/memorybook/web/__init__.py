"""The web archive: FastAPI, server-rendered Jinja2 pages, each with a `.json` twin.

`create_app()` is the factory `memorybook serve` hands to uvicorn."""
