"""Every route in the application's own route table refuses anonymous visitors.

Generated from `app.routes`, so a route added later is covered without anyone remembering it.
"""

from __future__ import annotations

import re
from typing import Any

from tests.factories import World
from tests.http.conftest import Browser

PUBLIC = re.compile(
    r"^/(login|healthz|static|schema|api/auth/login|api/auth/password|glomt-losenord|losenord/)"
)


def _concrete(path: str) -> str:
    """Fill path parameters with a plausible value ({id:int} -> 1, {kind:str} -> kommun)."""
    path = re.sub(r"\{[^}:]+:int\}", "1", path)
    return re.sub(r"\{[^}:]+:(str|path)\}", "kommun", path)


def test_every_route_refuses_anonymous_visitors(browser: Browser, world: World, app: Any) -> None:
    """Pages send anonymous visitors to log in, the API answers 401 (writes may answer 403 for CSRF)."""
    checked = 0
    for route in app.routes:
        if PUBLIC.match(route.path):
            continue
        for method in sorted(getattr(route, "methods", set()) - {"HEAD", "OPTIONS"}):
            response = browser.client.request(method, _concrete(route.path), follow_redirects=False)
            if route.path.startswith("/api"):
                allowed = {401} if method == "GET" else {401, 403}
                assert response.status_code in allowed, (method, route.path, response.status_code)
            elif response.status_code in (302, 303):
                assert response.headers["location"].startswith("/login"), (method, route.path)
            else:
                # A page form posted without its token is refused before anything else.
                assert method != "GET" and response.status_code == 403, (
                    method,
                    route.path,
                    response.status_code,
                )
            checked += 1
    assert checked > 60


def test_every_write_needs_the_csrf_token_even_when_logged_in(
    browser: Browser, world: World, app: Any
) -> None:
    """A logged-in office user's write without the token is refused on every state-changing route."""
    browser.api_login("kansli@test.example")
    for route in app.routes:
        if PUBLIC.match(route.path):
            continue
        for method in sorted(getattr(route, "methods", set()) & {"POST", "PUT", "PATCH", "DELETE"}):
            response = browser.client.request(method, _concrete(route.path), follow_redirects=False)
            assert response.status_code == 403, (method, route.path, response.status_code)
