"""One handler for every error: a generic JSON envelope for JSON routes, a quiet HTML page
for pages. No stack trace, no SQL, no internal message ever reaches the client."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response

log = logging.getLogger("memorybook.web")

MESSAGES = {
    400: "The request could not be answered as asked.",
    404: "Nothing is here.",
    405: "This method is not allowed here.",
    429: "Too many requests: please slow down.",
    500: "Something went wrong on our side.",
    503: "The archive is busy: please try again in a moment.",
}


@dataclass(slots=True)
class ErrorDetail:
    status: int
    message: str


@dataclass(slots=True)
class ErrorBody:
    error: ErrorDetail


# Headers an HTTPException may pass on to the client (Allow on 405, Retry-After on 429).
PASSED_HEADERS = frozenset({"allow", "retry-after"})

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Invalid or too expensive request"},
    429: {"model": ErrorBody, "description": "Too many requests (see Retry-After)"},
    503: {"model": ErrorBody, "description": "Busy (see Retry-After)"},
}


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return (
        path.endswith((".json", ".csv"))
        or path.startswith(("/openapi", "/search/export"))
        or (
            "application/json" in request.headers.get("accept", "")
            and "text/html" not in request.headers.get("accept", "")
        )
    )


def error_response(
    request: Request,
    status: int,
    message: str | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> Response:
    text = message if message and status < 500 else MESSAGES.get(status, MESSAGES[500])
    headers: dict[str, str] = {}
    if status in (429, 503):
        headers["retry-after"] = "1"
    for name, value in (extra_headers or {}).items():
        if name.lower() in PASSED_HEADERS:
            headers[name.lower()] = value
    if "allow" in headers:
        methods = [m.strip() for m in headers["allow"].split(",") if m.strip()]
        if "GET" in methods and "HEAD" not in methods:
            methods.append("HEAD")  # every GET answers HEAD too (web.methods)
        headers["allow"] = ", ".join(sorted(methods))
    if _wants_json(request):
        return JSONResponse(
            {"error": {"status": status, "message": text}},
            status_code=status,
            headers=headers or None,
        )
    from memorybook.web.site import Site

    site: Site | None = getattr(request.app.state, "site", None)
    if site is None:
        return HTMLResponse(f"<p>{status}</p>", status_code=status, headers=headers)
    resp = site.render(request, "error.html", {"status": status, "message": text}, status=status)
    resp.headers.update(headers)
    return resp


def install(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail: str | None = exc.detail if isinstance(exc.detail, str) else None
        if exc.status_code == 404 and detail == "Not Found":
            detail = None
        return error_response(request, exc.status_code, detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        where = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) for e in exc.errors()})
        return error_response(
            request, 400, "Invalid parameter: " + ", ".join(w for w in where if w)[:200]
        )

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return error_response(request, 500)
