"""Overload is refused in words: one request more than a worker takes at a time is answered
503 with `Retry-After` and the service's error shape, at once, never left to drop."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import msgspec

from portfolio.core.settings import get_settings
from portfolio.shell.cli import KEEP_ALIVE_SECONDS, WORKER_HEALTHCHECK_SECONDS


async def _call(
    app: Any, method: str, path: str, body: bytes = b"", hold: asyncio.Event | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One request straight through the ASGI app; `hold` keeps its body from arriving."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver.local"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver.local", 80),
        "state": {},
    }
    sent = False
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.Event().wait()  # the client stays; nothing more comes
        if hold is not None:
            await hold.wait()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    await app(scope, receive, send)
    start = next(m for m in messages if m["type"] == "http.response.start")
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    content = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return start["status"], headers, content


def test_one_request_beyond_the_limit_is_refused_503_with_retry_after(db: None) -> None:
    from portfolio.shell.app import create_app

    app = create_app(msgspec.structs.replace(get_settings(), max_in_flight=1))

    async def scenario() -> None:
        hold = asyncio.Event()
        # The log-in reads its body before anything else; held, the request stays under way.
        first = asyncio.create_task(_call(app, "POST", "/api/auth/login", b"{}", hold))
        await asyncio.sleep(0.2)
        assert not first.done()

        status, headers, content = await _call(app, "GET", "/api/initiatives")
        assert status == 503
        assert int(headers["retry-after"]) >= 1
        assert headers["content-type"].startswith("application/json")
        body = json.loads(content)
        assert set(body) == {"status_code", "message", "field", "errors"}
        assert body["status_code"] == 503 and "Försök igen" in body["message"]

        page_status, page_headers, page = await _call(app, "GET", "/insatser")
        assert page_status == 503 and "Försök igen" in page.decode()
        assert page_headers["content-type"].startswith("text/html")

        hold.set()
        assert (await first)[0] != 503  # the one under way was answered (here: refused as bad)
        # and once it is done, the next is taken again
        assert (await _call(app, "POST", "/api/auth/login", b"{}"))[0] != 503

    asyncio.run(scenario())


def test_the_server_outwaits_clients_and_starved_workers() -> None:
    """The settings that made a busy machine drop connections: uvicorn's 5 s keep-alive (a
    client's own idle limit, so reuse races the close) and its 5 s worker health check (a
    starved worker killed with its connections)."""
    assert KEEP_ALIVE_SECONDS > 60  # longer than nginx's and httpx's idle limits
    assert WORKER_HEALTHCHECK_SECONDS >= 30
