"""Logging in and out, sessions, and the CSRF protection of every state-changing request."""

from __future__ import annotations

import asyncio

from portfolio.core import queries as core_queries
from tests.factories import World
from tests.http.conftest import Browser


def test_api_login_returns_the_person_and_sets_session_and_csrf_cookies(
    browser: Browser, world: World
) -> None:
    """A correct e-mail and password log in; the answer names the person and their role."""
    response = browser.api_login("kansli@test.example")
    assert response.json()["role"] == "office"
    assert browser.client.cookies.get("finsam_session")
    assert browser.client.cookies.get("finsam_csrf") == response.headers["x-csrftoken"]
    assert browser.get("/api/auth/me").json()["email"] == "kansli@test.example"


def test_login_email_is_case_insensitive(browser: Browser, world: World) -> None:
    """People type their address with capitals; it is still their account."""
    browser.api_login("Kansli@Test.Example")


def test_wrong_password_is_refused_with_a_message_naming_the_field(
    browser: Browser, world: World
) -> None:
    """A wrong password gives 400 with a Swedish message and the field, and no session."""
    response = browser.client.post(
        "/api/auth/login", json={"email": "kansli@test.example", "password": "fel"}
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Fel e-postadress eller lösenord."
    assert response.json()["field"] == "password"
    assert browser.get("/api/auth/me").status_code == 401


def test_deactivated_account_cannot_log_in_and_loses_its_session(
    browser: Browser, world: World
) -> None:
    """Deactivating an account ends its access at once, even with a live session."""
    browser.api_login("agare@alfa.example")
    from portfolio.core.tables import User

    asyncio.run(User.update({User.active: False}).where(User.email == "agare@alfa.example").run())
    assert browser.get("/api/auth/me").status_code == 401
    response = browser.client.post(
        "/api/auth/login", json={"email": "agare@alfa.example", "password": "rätt-lösenord-123"}
    )
    assert response.status_code == 400


def test_a_new_password_from_the_office_ends_the_accounts_sessions(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    """The remedy for a stolen session or password: the office sets a new password, and every
    session the account had ends; the new password logs in. The office setting its own keeps
    its own session."""
    other_browser.api_login("agare@alfa.example")
    assert other_browser.get("/api/auth/me").status_code == 200
    browser.api_login("kansli@test.example")
    for user, new in ((world.owner_a, "ett-nytt-lösenord-456"), (world.office, "kansli-nytt-789")):
        version = browser.get(f"/api/users/{user.user_id}").json()["version"]
        changed = browser.patch(
            f"/api/users/{user.user_id}", json={"version": version, "password": new}
        )
        assert changed.status_code == 200, changed.text
    assert other_browser.get("/api/auth/me").status_code == 401
    other_browser.api_login("agare@alfa.example", "ett-nytt-lösenord-456")
    assert other_browser.get("/api/auth/me").status_code == 200
    assert browser.get("/api/auth/me").json()["email"] == "kansli@test.example"


def test_logout_ends_the_session_on_the_server(browser: Browser, world: World) -> None:
    """After log-out the old session cookie no longer works, even if replayed."""
    browser.api_login("kansli@test.example")
    old_cookie = browser.client.cookies.get("finsam_session")
    assert old_cookie
    assert browser.post("/api/auth/logout").status_code == 204
    browser.client.cookies.set("finsam_session", old_cookie)
    assert browser.get("/api/auth/me").status_code == 401


def test_page_login_redirects_home_and_a_bad_one_keeps_the_email(
    browser: Browser, world: World
) -> None:
    """The log-in form: success goes to the start page; failure shows the form again, filled in."""
    bad = browser.form_post(
        "/login", "/login", {"email": "kansli@test.example", "password": "fel", "next": "/"}
    )
    assert bad.status_code == 400
    assert "Fel e-postadress eller lösenord." in bad.text
    assert 'value="kansli@test.example"' in bad.text
    good = browser.page_login("kansli@test.example")
    assert good.status_code in (302, 303) and good.headers["location"] == "/"


def test_login_form_never_redirects_off_site(browser: Browser, world: World) -> None:
    """The next parameter only takes paths on this site."""
    token = browser.form_token("/login")
    response = browser.client.post(
        "/login",
        data={
            "email": "kansli@test.example",
            "password": "rätt-lösenord-123",
            "next": "//evil.example/x",
            "_csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_pages_send_anonymous_visitors_to_login_and_the_api_answers_401(
    browser: Browser, world: World
) -> None:
    """Without a session a page redirects to the log-in form and the API says 401 as JSON."""
    page = browser.get("/insatser", follow_redirects=False)
    assert page.status_code in (302, 303) and page.headers["location"].startswith(
        "/login?next=/insatser"
    )
    api = browser.get("/api/initiatives")
    assert api.status_code == 401 and api.json()["message"] == "Du måste logga in."


def test_state_change_without_csrf_token_is_refused(browser: Browser, world: World) -> None:
    """A write without the CSRF header (as from another site) is refused, and nothing changes."""
    browser.api_login("kansli@test.example")
    before = asyncio.run(core_queries.association_row())
    assert before is not None
    response = browser.client.patch(
        "/api/association", json={"version": before["version"], "name": "Kapat"}
    )
    assert response.status_code == 403
    after = asyncio.run(core_queries.association_row())
    assert after is not None and after["name"] == before["name"]


def test_form_without_csrf_field_is_refused(browser: Browser, world: World) -> None:
    """A page form posted without its hidden token is refused with a clear page."""
    browser.page_login("kansli@test.example")
    response = browser.client.post("/organisationer", data={"name": "Ny", "kind": "other"})
    assert response.status_code == 403
    assert "Formuläret har gått ut" in response.text


def test_session_cookie_is_httponly_and_samesite(browser: Browser, world: World) -> None:
    """The session cookie cannot be read by scripts and is not sent on cross-site posts."""
    response = browser.api_login("kansli@test.example")
    header = ";".join(
        v for k, v in response.headers.multi_items() if k == "set-cookie" and "finsam_session" in v
    )
    assert "HttpOnly" in header and "SameSite=lax" in header.replace("Lax", "lax")


def test_unknown_path_gives_a_404_page_not_a_server_error(browser: Browser, world: World) -> None:
    """A mistyped address (or the browser's /favicon.ico) is a plain 404, for visitors and users."""
    assert browser.get("/favicon.ico").status_code == 404
    browser.page_login("kansli@test.example")
    page = browser.get("/finns-inte")
    assert page.status_code == 404 and "Hittades inte" in page.text


def test_repeated_failed_logins_are_slowed_down_per_account(browser: Browser, world: World) -> None:
    """After five wrong passwords even the right one is refused for a while; other accounts are unaffected."""
    for _ in range(5):
        response = browser.client.post(
            "/api/auth/login", json={"email": "agare@alfa.example", "password": "fel"}
        )
        assert response.status_code == 400
    blocked = browser.client.post(
        "/api/auth/login", json={"email": "agare@alfa.example", "password": "rätt-lösenord-123"}
    )
    assert blocked.status_code == 429 and "För många" in blocked.json()["message"]
    assert (
        browser.client.post(
            "/api/auth/login", json={"email": "agare@beta.example", "password": "rätt-lösenord-123"}
        ).status_code
        == 200
    )
    page = browser.form_post(
        "/login",
        "/login",
        {"email": "agare@alfa.example", "password": "rätt-lösenord-123", "next": "/"},
    )
    assert page.status_code == 429 and "För många misslyckade inloggningsförsök" in page.text


def test_a_successful_login_clears_the_count(browser: Browser, world: World) -> None:
    for _ in range(4):
        browser.client.post(
            "/api/auth/login", json={"email": "agare@alfa.example", "password": "fel"}
        )
    browser.api_login("agare@alfa.example")
    for _ in range(4):
        assert (
            browser.client.post(
                "/api/auth/login", json={"email": "agare@alfa.example", "password": "fel"}
            ).status_code
            == 400
        )


def test_the_api_log_in_takes_json_only_so_another_site_cannot_log_a_visitor_in(
    browser: Browser, world: World
) -> None:
    """A form on another site can post the JSON as text/plain (no CSRF token is asked of the
    API's log-in): that would log the visitor into the attacker's account. Refused: 415."""
    body = '{"email": "agare@alfa.example", "password": "rätt-lösenord-123"}'
    for path in ("/api/auth/login", "/api/auth/login/code"):
        for content_type in ("text/plain", "application/x-www-form-urlencoded"):
            response = browser.client.post(
                path, content=body.encode(), headers={"content-type": content_type}
            )
            assert response.status_code == 415, (path, content_type, response.text)
            assert "finsam_session" not in response.headers.get("set-cookie", "")
    assert browser.get("/api/auth/me").status_code == 401
    assert browser.api_login("agare@alfa.example").status_code == 200  # JSON still works


def test_every_answer_carries_the_browsers_protections(browser: Browser, world: World) -> None:
    """Pages, errors, static files and the API: no framing, no sniffing, no referrer leaking
    case ids to other sites, and a CSP allowing only our own script. The API docs (which
    load their viewer from a CDN) get all but the CSP."""
    browser.api_login("kansli@test.example")
    for path in ("/login", "/", "/finns-inte", "/static/htmx.min.js", "/api/initiatives"):
        headers = browser.get(path).headers
        assert headers["x-frame-options"] == "DENY", path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "same-origin", path
        assert "script-src 'self';" in headers["content-security-policy"], path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert "strict-transport-security" not in headers  # only behind HTTPS
    docs = browser.get("/schema/openapi.json").headers
    assert docs["x-frame-options"] == "DENY" and "content-security-policy" not in docs
    assert 'name="htmx-config" content=\'{"allowEval": false' in browser.get("/").text
