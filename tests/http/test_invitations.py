"""Accounts by invitation and "Glömt lösenord", end to end: the office invites, the mail goes
through the queue to a real SMTP server (aiosmtpd), the link in it lets the person choose a
password once; reset links answer alike for every address; both are rate-limited in the
database and the tokens are stored only as hashes."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any

from portfolio.core.tables import AccountLink, AuditEntry, RateEvent, User
from portfolio.mail.sender import send_pending
from portfolio.mail.tables import OutgoingMail
from tests.factories import World
from tests.http.conftest import Browser
from tests.smtp import SmtpServer, smtp_server

__all__ = ["smtp_server"]
NEW_PASSWORD = "mitt-eget-lösen-42"


def _run(query: Any) -> Any:
    async def run() -> Any:
        return await query

    return asyncio.run(run())


def _delivered_link(server: SmtpServer, address: str) -> tuple[str, str]:
    """Send the queue to the SMTP server; the path and token of the last link mailed there."""
    asyncio.run(send_pending(server.config))
    mail = server.collector.to(address)[-1]
    match = re.search(r"https?://[^/\s]+(/losenord/([A-Za-z0-9_-]+))", mail.text)
    assert match, mail.text
    return match.group(1), match.group(2)


def _choose(browser: Browser, path: str, password: str = NEW_PASSWORD) -> Any:
    return browser.form_post(path, path, {"password": password, "password_again": password})


def test_an_invited_person_chooses_a_password_once_and_logs_in(
    browser: Browser, other_browser: Browser, world: World, smtp_server: SmtpServer
) -> None:
    browser.api_login("kansli@test.example")
    invited = browser.post(
        "/api/invitations",
        json={
            "email": "Ny.Agare@Alfa.example",
            "name": "Nils Ny",
            "role": "owner",
            "organisation_id": world.kommun_a["id"],
        },
    )
    assert invited.status_code == 201, invited.text
    user_id = invited.json()["user"]["id"]
    # No password yet: the account cannot log in before the link is used.
    assert (
        other_browser.client.post(
            "/api/auth/login", json={"email": "ny.agare@alfa.example", "password": "!"}
        ).status_code
        == 400
    )
    path, token = _delivered_link(smtp_server, "ny.agare@alfa.example")
    mail = smtp_server.collector.to("ny.agare@alfa.example")[-1]
    assert mail.subject == "Inbjudan till Finsam Portfolio från Samordningsförbundet Test"
    assert "Kim Kansli" in mail.text and "insatsägare" in mail.text
    # Stored hashed: neither the link table nor the audit holds the token itself.
    stored = _run(AccountLink.select().where(AccountLink.user == user_id))
    assert (
        len(stored) == 1 and stored[0]["token_hash"] != token and len(stored[0]["token_hash"]) == 64
    )
    assert token not in str(_run(AuditEntry.select()))
    page = other_browser.get(path)
    assert page.status_code == 200 and "Välkommen – välj ditt lösenord" in page.text
    chosen = _choose(other_browser, path)
    assert chosen.status_code in (302, 303) and chosen.headers["location"] == "/login"
    other_browser.api_login("ny.agare@alfa.example", NEW_PASSWORD)
    # Single use: the same link is dead now.
    again = browser.form_post(
        "/glomt-losenord",
        path,
        {"password": "ett-annat-lösen-99", "password_again": "ett-annat-lösen-99"},
    )
    assert again.status_code == 404 and "redan använd" in again.text
    assert "Länken fungerar inte längre" in browser.get(path).text
    actions = [
        e["action"] for e in _run(AuditEntry.select().where(AuditEntry.entity_id == user_id))
    ]
    assert "invite" in actions and "accept_invitation" in actions


def test_resend_replaces_the_link_and_withdraw_kills_it(
    browser: Browser, other_browser: Browser, world: World, smtp_server: SmtpServer
) -> None:
    browser.api_login("kansli@test.example")
    user_id = browser.post(
        "/api/invitations",
        json={"email": "styr@test.example", "name": "Stina Styr", "role": "board"},
    ).json()["user"]["id"]
    first, _ = _delivered_link(smtp_server, "styr@test.example")
    resent = browser.post(f"/api/invitations/{user_id}")
    assert resent.status_code == 200, resent.text
    second, _ = _delivered_link(smtp_server, "styr@test.example")
    assert first != second
    assert "Länken fungerar inte längre" in other_browser.get(first).text  # the old one died
    assert "Länken fungerar inte längre" not in other_browser.get(second).text
    assert browser.delete(f"/api/invitations/{user_id}").status_code == 204
    assert "Länken fungerar inte längre" in other_browser.get(second).text
    assert _run(User.select(User.active).where(User.id == user_id).first())["active"] is False
    # Once a password is chosen, there is no invitation to resend.
    third = browser.post(f"/api/invitations/{user_id}")
    path, _ = _delivered_link(smtp_server, "styr@test.example")
    assert third.status_code == 200 and _choose(other_browser, path).status_code in (302, 303)
    assert browser.post(f"/api/invitations/{user_id}").status_code == 409
    assert other_browser.post("/api/invitations", json={}).status_code in (401, 403)


def test_an_expired_link_is_refused(
    browser: Browser, other_browser: Browser, world: World, smtp_server: SmtpServer
) -> None:
    browser.api_login("kansli@test.example")
    browser.post(
        "/api/invitations", json={"email": "sen@test.example", "name": "Sen", "role": "board"}
    )
    _path, token = _delivered_link(smtp_server, "sen@test.example")
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    _run(AccountLink.update({AccountLink.expires_at: past}).where(AccountLink.id > 0))
    refused = other_browser.client.post(
        "/api/auth/password/set", json={"token": token, "password": NEW_PASSWORD}
    )
    assert refused.status_code == 404 and "gått ut" in refused.json()["message"]


def test_forgot_password_answers_alike_and_the_link_sets_a_new_password(
    browser: Browser, other_browser: Browser, world: World, smtp_server: SmtpServer
) -> None:
    known = browser.client.post("/api/auth/password/forgot", json={"email": "Agare@Alfa.example"})
    unknown = browser.client.post("/api/auth/password/forgot", json={"email": "ingen@x.example"})
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()
    page_known = browser.form_post(
        "/glomt-losenord", "/glomt-losenord", {"email": "agare@alfa.example"}
    )
    page_unknown = browser.form_post(
        "/glomt-losenord", "/glomt-losenord", {"email": "ingen@x.example"}
    )
    assert page_known.status_code == page_unknown.status_code == 200
    assert (
        page_known.text.replace("agare@alfa.example", "").count("Om adressen hör till ett konto")
        == 1
    )
    assert _run(OutgoingMail.count().where(OutgoingMail.recipient_email == "ingen@x.example")) == 0
    _path, token = _delivered_link(smtp_server, "agare@alfa.example")
    mail = smtp_server.collector.to("agare@alfa.example")[-1]
    assert mail.subject == "Välj ett nytt lösenord till Finsam Portfolio"
    # Two links were asked for: only the newest works.
    assert len(smtp_server.collector.to("agare@alfa.example")) == 2
    set_ = other_browser.client.post(
        "/api/auth/password/set", json={"token": token, "password": NEW_PASSWORD}
    )
    assert set_.status_code == 200, set_.text
    other_browser.api_login("agare@alfa.example", NEW_PASSWORD)
    old = browser.client.post(
        "/api/auth/login", json={"email": "agare@alfa.example", "password": "rätt-lösenord-123"}
    )
    assert old.status_code == 400
    reuse = browser.client.post(
        "/api/auth/password/set", json={"token": token, "password": "ännu-ett-lösen-77"}
    )
    assert reuse.status_code == 404


def test_forgot_password_is_rate_limited_in_the_database_alike_for_every_address(
    browser: Browser, world: World
) -> None:
    for email in ("agare@alfa.example", "ingen@x.example"):
        answers = [
            browser.client.post("/api/auth/password/forgot", json={"email": email}).status_code
            for _ in range(4)
        ]
        assert answers == [200, 200, 200, 429], email
    assert _run(RateEvent.count().where(RateEvent.key == "reset-email:ingen@x.example")) == 3
    # The window is counted from the database: events an hour old no longer count.
    _run(
        RateEvent.update({RateEvent.at: dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)}).where(
            RateEvent.id > 0
        )
    )
    assert (
        browser.client.post(
            "/api/auth/password/forgot", json={"email": "ingen@x.example"}
        ).status_code
        == 200
    )


def test_the_users_page_invites_resends_and_withdraws(browser: Browser, world: World) -> None:
    """The office's page: an invitation form, and for the invited a resend and a withdraw."""
    browser.page_login("kansli@test.example")
    sent = browser.form_post(
        "/anvandare",
        "/anvandare/inbjudan",
        {"name": "Pia Papper", "email": "pia@test.example", "role": "board", "organisation_id": ""},
    )
    assert sent.status_code in (302, 303)
    page = browser.get("/anvandare")
    assert "Inbjuden; har inte valt lösenord ännu." in page.text
    user_id = _run(User.select(User.id).where(User.email == "pia@test.example").first())["id"]
    resent = browser.form_post("/anvandare", f"/anvandare/{user_id}/inbjudan", {})
    assert resent.status_code in (302, 303)
    mails = _run(OutgoingMail.select().where(OutgoingMail.recipient_email == "pia@test.example"))
    assert len(mails) == 2 and all("/losenord/" in m["body"] for m in mails)
    gone = browser.form_post("/anvandare", f"/anvandare/{user_id}/inbjudan/dra-tillbaka", {})
    assert gone.status_code in (302, 303)
    assert _run(AccountLink.count().where(AccountLink.withdrawn_at.is_null())) == 0
