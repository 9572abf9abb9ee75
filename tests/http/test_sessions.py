"""Session ids: new at every log-in, gone from the server at log-out, ended after idle time."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from litestar.testing import TestClient

from portfolio.core.settings import get_settings
from portfolio.core.tables import HttpSession
from tests.factories import World
from tests.http.conftest import Browser

COOKIE = "finsam_session"


def _replay(app: Any, session_id: str) -> int:
    """What /api/auth/me answers a fresh client that carries only this session id."""
    with TestClient(app=app, base_url="http://testserver.local") as client:
        client.cookies.set(COOKIE, session_id, domain="testserver.local")
        return client.get("/api/auth/me").status_code


def _stored(session_id: str) -> dict[str, Any] | None:
    return asyncio.run(HttpSession.select().where(HttpSession.key == session_id).first().run())


def test_a_planted_session_cookie_is_never_the_logged_in_session(
    browser: Browser, world: World, app: Any
) -> None:
    """Session fixation: an id set in the victim's browser before log-in is replaced, not adopted."""
    browser.client.cookies.set(COOKIE, "planted-by-someone-else", domain="testserver.local")
    assert browser.page_login("kansli@test.example").status_code in (302, 303)
    after = browser.client.cookies.get(COOKIE)
    assert after and after != "planted-by-someone-else"
    assert browser.get("/api/auth/me").status_code == 200
    assert _replay(app, "planted-by-someone-else") == 401
    assert _stored("planted-by-someone-else") is None


def test_log_in_moves_a_live_session_to_a_new_id_and_the_old_one_stops_working(
    browser: Browser, world: World, app: Any
) -> None:
    """Logging in again (here as someone else) on a live session rotates its id."""
    browser.api_login("agare@alfa.example")
    before = browser.client.cookies.get(COOKIE)
    assert before and _replay(app, before) == 200
    browser.api_login("kansli@test.example")
    after = browser.client.cookies.get(COOKIE)
    assert after and after != before
    assert _replay(app, before) == 401
    assert _stored(before) is None
    assert browser.get("/api/auth/me").json()["email"] == "kansli@test.example"


def test_an_ordinary_request_keeps_the_session_id(browser: Browser, world: World) -> None:
    """Rotation is for log-in: between log-in and log-out the id stays, so tabs keep working."""
    browser.api_login("ledamot@test.example")
    before = browser.client.cookies.get(COOKIE)
    assert browser.get("/api/auth/me").status_code == 200
    assert browser.get("/moten").status_code == 200
    assert browser.client.cookies.get(COOKIE) == before


def test_page_log_out_deletes_the_session_on_the_server(
    browser: Browser, world: World, app: Any
) -> None:
    browser.page_login("agare@alfa.example")
    session_id = browser.client.cookies.get(COOKIE)
    assert session_id and _stored(session_id) is not None
    token = browser.form_token("/")
    assert browser.client.post("/logout", data={"_csrf_token": token}).status_code in (
        200,
        302,
        303,
    )
    assert _stored(session_id) is None
    assert _replay(app, session_id) == 401


def test_a_session_ends_after_the_idle_time_and_each_request_renews_it(
    browser: Browser, world: World, app: Any
) -> None:
    """FINSAM_SESSION_MAX_AGE seconds without a request end the session; a request restarts the clock."""
    browser.api_login("kansli@test.example")
    session_id = browser.client.cookies.get(COOKIE)
    assert session_id
    max_age = dt.timedelta(seconds=get_settings().session_max_age)

    def expires_at() -> dt.datetime:
        row = _stored(session_id)
        assert row is not None
        value: dt.datetime = row["expires_at"]
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)

    # Pretend the last request was long ago: the clock says the session is nearly over.
    nearly = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    asyncio.run(
        HttpSession.update({HttpSession.expires_at: nearly})
        .where(HttpSession.key == session_id)
        .run()
    )
    assert browser.get("/api/auth/me").status_code == 200
    assert expires_at() > dt.datetime.now(dt.UTC) + max_age - dt.timedelta(minutes=1)

    gone = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    asyncio.run(
        HttpSession.update({HttpSession.expires_at: gone})
        .where(HttpSession.key == session_id)
        .run()
    )
    assert browser.get("/api/auth/me").status_code == 401
    assert browser.get("/", follow_redirects=False).headers["location"].startswith("/login")


def test_a_fresh_unchanged_session_is_not_written_again_on_every_request(
    browser: Browser, world: World
) -> None:
    """Reading pages must not cost a database write each; the end moves on at most once a minute."""
    browser.api_login("kansli@test.example")
    session_id = browser.client.cookies.get(COOKIE)
    assert session_id
    marker = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=get_settings().session_max_age)
    marker = marker.replace(microsecond=0)
    asyncio.run(
        HttpSession.update({HttpSession.expires_at: marker})
        .where(HttpSession.key == session_id)
        .run()
    )
    assert browser.get("/api/auth/me").status_code == 200
    assert browser.get("/api/initiatives/").status_code == 200
    row = _stored(session_id)
    assert row is not None
    kept: dt.datetime = row["expires_at"]
    assert (kept if kept.tzinfo else kept.replace(tzinfo=dt.UTC)) == marker


def test_a_changed_session_is_written_at_once(browser: Browser, world: World) -> None:
    """A flash message put in a just-renewed session still reaches the next page."""
    browser.page_login("kansli@test.example")
    a, b = world.kommun_a["id"], world.kommun_b["id"]
    response = browser.form_post(
        "/installningar",
        "/installningar/nyckel/kommun",
        {f"share_{a}": "60", f"share_{b}": "40"},
    )
    assert response.status_code in (302, 303)
    assert "Fördelningsnyckeln är sparad." in browser.get("/installningar").text
    # shown once: the emptied flash list was written back too
    assert "Fördelningsnyckeln är sparad." not in browser.get("/installningar").text


def test_an_anonymous_visitor_with_nothing_to_keep_gets_no_session(
    browser: Browser, world: World
) -> None:
    """The log-in page, refused requests and the health check write no session row: a stranger
    cannot fill the table by asking for pages. A flash message is something to keep."""
    for path in ("/login", "/api/auth/me", "/insatser", "/healthz"):
        browser.client.cookies.clear()
        response = browser.client.get(path, follow_redirects=False)
        assert "finsam_session" not in response.headers.get("set-cookie", ""), path
    assert asyncio.run(HttpSession.count().run()) == 0
    browser.client.cookies.clear()
    browser.api_login("kansli@test.example")
    assert asyncio.run(HttpSession.count().run()) == 1


def test_the_signed_in_account_is_read_with_the_session_and_a_deactivation_still_bites(
    browser: Browser, world: World, app: Any
) -> None:
    """One query gives a request both its session and who is signed in (issue #22), and that
    account is the database's of this moment: deactivated, the next request is refused."""
    from portfolio.accounts.sessions import DatabaseStore
    from portfolio.core.tables import User

    assert browser.page_login("kansli@test.example").status_code in (302, 303)
    session_id = browser.client.cookies.get(COOKIE)
    assert session_id
    stored = _stored(session_id)
    office = asyncio.run(User.select().where(User.email == "kansli@test.example").first().run())
    assert stored is not None and office is not None and stored["account"] == office["id"]
    read = asyncio.run(DatabaseStore().read(session_id))
    assert read is not None and read[2] is not None
    assert read[2]["email"] == "kansli@test.example" and read[2]["active"] is True
    assert browser.get("/api/auth/me").status_code == 200
    asyncio.run(User.update({User.active: False}).where(User.id == office["id"]).run())
    assert _replay(app, session_id) == 401
