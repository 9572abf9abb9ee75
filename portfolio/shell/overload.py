"""Overload is refused in words, never by a dropped connection.

Each worker process answers at most `limit` requests at a time; one more is answered at once
with 503, a `Retry-After` and the service's error shape (a short page outside the API), rather
than queued until the client gives up. Below the limit a busy machine only makes answers slow.
The health check (`/healthz`) and static files are never refused: they cost nothing, and a
container that fails its health check under load would be restarted, dropping every request.
"""

from __future__ import annotations

import json
from typing import Any, cast

from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Receive,
    Scope,
    Send,
)

RETRY_AFTER_SECONDS = 2
MESSAGE = "Tjänsten har många förfrågningar just nu. Försök igen om en stund."
EXEMPT = ("/healthz", "/static/")


def _refusal(path: str) -> tuple[bytes, bytes]:
    if path.startswith(("/api", "/schema")):
        body = {"status_code": 503, "message": MESSAGE, "field": None, "errors": []}
        return json.dumps(body, ensure_ascii=False).encode(), b"application/json"
    page = (
        '<!doctype html><html lang="sv"><head><meta charset="utf-8">'
        "<title>Försök igen om en stund</title></head>"
        f"<body><h1>Försök igen om en stund</h1><p>{MESSAGE}</p></body></html>"
    )
    return page.encode(), b"text/html; charset=utf-8"


def limit_in_flight(limit: int) -> Any:
    """A middleware factory: at most `limit` requests under way in this process (0: no limit).
    Litestar wraps each route in its own copy, so the count lives here, shared by all."""
    in_flight = 0

    def middleware(app: ASGIApp) -> ASGIApp:
        async def shed(scope: Scope, receive: Receive, send: Send) -> None:
            nonlocal in_flight
            if scope["type"] != "http" or not limit or scope["path"].startswith(EXEMPT):
                await app(scope, receive, send)
                return
            if in_flight >= limit:
                body, media_type = _refusal(scope["path"])
                await send(
                    cast(
                        HTTPResponseStartEvent,
                        {
                            "type": "http.response.start",
                            "status": 503,
                            "headers": [
                                (b"content-type", media_type),
                                (b"content-length", str(len(body)).encode()),
                                (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
                                (b"cache-control", b"no-store"),
                                (b"x-content-type-options", b"nosniff"),
                            ],
                        },
                    )
                )
                await send(
                    cast(HTTPResponseBodyEvent, {"type": "http.response.body", "body": body})
                )
                return
            in_flight += 1
            try:
                await app(scope, receive, send)
            finally:
                in_flight -= 1

        return shed

    return middleware
