"""HTTP tests: the real app through Litestar's test client, on a migrated database."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from litestar.testing import TestClient

from tests import factories

if TYPE_CHECKING:
    from tests.http.seeded import SeedWorld


class Browser:
    """A test client that logs in and carries the CSRF token like a browser or API client."""

    def __init__(self, client: TestClient[Any]) -> None:
        self.client = client

    def api_login(self, email: str, password: str = factories.PASSWORD) -> Any:
        response = self.client.post("/api/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.text
        return response

    def page_login(self, email: str, password: str = factories.PASSWORD) -> Any:
        token = self.form_token("/login")
        return self.client.post(
            "/login",
            data={"email": email, "password": password, "next": "/", "_csrf_token": token},
            follow_redirects=False,
        )

    def form_token(self, path: str) -> str:
        page = self.client.get(path)
        match = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
        assert match, f"no CSRF field on {path}"
        return match.group(1)

    def _headers(self) -> dict[str, str]:
        token = self.client.cookies.get("finsam_csrf")
        return {"x-csrftoken": token} if token else {}

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.client.post(path, headers=self._headers(), **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Any:
        return self.client.patch(path, headers=self._headers(), **kwargs)

    def put(self, path: str, **kwargs: Any) -> Any:
        return self.client.put(path, headers=self._headers(), **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.client.delete(path, headers=self._headers(), **kwargs)

    def form_post(self, form_page: str, action: str, data: dict[str, Any]) -> Any:
        """Submit a page's form as a browser would: with the token from the page itself."""
        token = self.form_token(form_page)
        return self.client.post(action, data={**data, "_csrf_token": token}, follow_redirects=False)


@pytest.fixture
def world(db: None) -> factories.World:
    return asyncio.run(factories.world())


@pytest.fixture
def seeded(db: None) -> SeedWorld:
    """The organisations of seed 002, an owner for each lead organisation, office and board."""
    from tests.http.seeded import seed_world

    return asyncio.run(seed_world())


@pytest.fixture
def app(db: None) -> Any:
    from portfolio.shell.app import create_app

    return create_app()


@pytest.fixture
def browser(app: Any) -> Iterator[Browser]:
    with TestClient(app=app, base_url="http://testserver.local") as client:
        yield Browser(client)


@pytest.fixture
def other_browser(app: Any) -> Iterator[Browser]:
    with TestClient(app=app, base_url="http://testserver.local") as client:
        yield Browser(client)
