"""Two-factor log-in: enrolment, the code after the password, recovery codes, limits and reset."""

from __future__ import annotations

import asyncio
import re
import time

import pyotp

from portfolio.core.sealing import is_sealed, seal, unseal
from portfolio.core.settings import get_settings
from portfolio.core.tables import AuditEntry, SecondFactor, User
from tests.factories import World
from tests.http.conftest import Browser


def _enrol(browser: Browser, email: str) -> tuple[pyotp.TOTP, list[str]]:
    browser.api_login(email)
    started = browser.post("/api/auth/two-factor")
    assert started.status_code == 200, started.text
    body = started.json()
    assert body["otpauth_uri"].startswith("otpauth://totp/") and "<svg" in body["qr_svg"]
    totp = pyotp.TOTP(body["secret"])
    confirmed = browser.post("/api/auth/two-factor/confirm", json={"code": totp.now()})
    assert confirmed.status_code == 200, confirmed.text
    browser.post("/api/auth/logout")
    return totp, confirmed.json()["recovery_codes"]


def _next_code(totp: pyotp.TOTP, steps: int = 1) -> str:
    """A code of a later time step: the current one was used up at enrolment."""
    return totp.at(time.time() + steps * totp.interval)


def _actions() -> list[str]:
    query = AuditEntry.select(AuditEntry.action).order_by(AuditEntry.id)
    return [r["action"] for r in asyncio.run(query.run())]


def test_after_enrolment_log_in_asks_for_the_code_after_the_password(
    browser: Browser, world: World
) -> None:
    """The password alone gives a half-way session that opens nothing; the code finishes it."""
    totp, codes = _enrol(browser, "kansli@test.example")
    assert len(codes) == 10 and len(set(codes)) == 10
    assert _actions()[-2:] == ["start_two_factor", "enable_two_factor"]

    step = browser.client.post(
        "/api/auth/login", json={"email": "kansli@test.example", "password": "rätt-lösenord-123"}
    )
    assert step.status_code == 202 and step.json() == {"two_factor_required": True}
    # Half-way opens nothing, and knocking on a page with it ends it: the password again.
    assert browser.get("/api/auth/me").status_code == 401
    assert browser.client.post("/api/auth/login/code", json={"code": "000000"}).status_code == 400
    browser.client.post(
        "/api/auth/login", json={"email": "kansli@test.example", "password": "rätt-lösenord-123"}
    )
    half_way = browser.client.cookies.get("finsam_session")

    wrong = browser.client.post("/api/auth/login/code", json={"code": "000000"})
    assert wrong.status_code == 400 and wrong.json()["field"] == "code"
    right = browser.client.post("/api/auth/login/code", json={"code": _next_code(totp)})
    assert right.status_code == 200, right.text
    assert right.json()["email"] == "kansli@test.example"
    assert browser.client.cookies.get("finsam_session") != half_way
    assert browser.get("/api/auth/me").status_code == 200


def test_the_secret_is_kept_sealed_and_a_changed_key_leaves_the_recovery_codes(
    browser: Browser, world: World
) -> None:
    """The database holds no usable secret. Should the secret key change, the app's codes can
    no longer be checked, but a recovery code still lets the person in."""
    totp, codes = _enrol(browser, "kansli@test.example")
    [row] = asyncio.run(SecondFactor.select(SecondFactor.id, SecondFactor.secret).run())
    assert is_sealed(row["secret"]) and totp.secret not in row["secret"]
    assert unseal(row["secret"], get_settings().secret_key) == totp.secret

    resealed = seal(totp.secret, "a key from another installation")
    asyncio.run(
        SecondFactor.update({SecondFactor.secret: resealed})
        .where(SecondFactor.id == row["id"])
        .run()
    )
    login = {"email": "kansli@test.example", "password": "rätt-lösenord-123"}
    browser.client.post("/api/auth/login", json=login)
    refused = browser.client.post("/api/auth/login/code", json={"code": _next_code(totp)})
    assert refused.status_code == 400
    assert browser.client.post("/api/auth/login/code", json={"code": codes[0]}).status_code == 200


def test_a_code_works_once_and_a_recovery_code_once(browser: Browser, world: World) -> None:
    totp, codes = _enrol(browser, "ledamot@test.example")
    login = {"email": "ledamot@test.example", "password": "rätt-lösenord-123"}
    code = _next_code(totp)
    browser.client.post("/api/auth/login", json=login)
    assert browser.client.post("/api/auth/login/code", json={"code": code}).status_code == 200
    browser.post("/api/auth/logout")

    browser.client.post("/api/auth/login", json=login)
    replay = browser.client.post("/api/auth/login/code", json={"code": code})
    assert replay.status_code == 400
    recovery = codes[0].upper().replace("-", " ")  # typed loosely, still the same code
    assert browser.client.post("/api/auth/login/code", json={"code": recovery}).status_code == 200
    browser.post("/api/auth/logout")

    browser.client.post("/api/auth/login", json=login)
    assert browser.client.post("/api/auth/login/code", json={"code": codes[0]}).status_code == 400
    assert "use_recovery_code" in _actions()


def test_code_attempts_are_rate_limited(browser: Browser, world: World) -> None:
    """Guessing six digits is cut off after five misses, like passwords."""
    totp, _ = _enrol(browser, "kansli@test.example")
    browser.client.post(
        "/api/auth/login", json={"email": "kansli@test.example", "password": "rätt-lösenord-123"}
    )
    answers = [
        browser.client.post("/api/auth/login/code", json={"code": f"{n:06d}"}).status_code
        for n in range(6)
    ]
    assert answers[:5] == [400] * 5 and answers[5] == 429
    # Even the right code waits until the window has passed.
    late = browser.client.post("/api/auth/login/code", json={"code": _next_code(totp)})
    assert late.status_code == 429


def test_owners_cannot_enrol_and_nobody_finishes_a_log_in_that_never_started(
    browser: Browser, world: World
) -> None:
    assert browser.client.post("/api/auth/login/code", json={"code": "123456"}).status_code == 400
    browser.api_login("agare@alfa.example")
    assert browser.post("/api/auth/two-factor").status_code == 403


def test_the_office_resets_a_second_factor_and_it_is_audited(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    totp, _ = _enrol(browser, "ledamot@test.example")
    login = {"email": "ledamot@test.example", "password": "rätt-lösenord-123"}
    browser.client.post("/api/auth/login", json=login)
    assert browser.client.post("/api/auth/login/code", json={"code": _next_code(totp)}).is_success
    assert browser.get("/api/auth/me").status_code == 200
    other_browser.api_login("kansli@test.example")
    users = other_browser.get("/anvandare")
    assert "Återställ tvåstegsverifiering" in users.text
    response = other_browser.delete(f"/api/users/{world.board.user_id}/two-factor")
    assert response.status_code == 204
    assert "reset_two_factor" in _actions()
    # The session the lost phone let in ends with the reset.
    assert browser.get("/api/auth/me").status_code == 401
    browser.api_login("ledamot@test.example")  # the password alone again
    assert browser.get("/api/auth/me").status_code == 200


def test_enrolment_and_log_in_through_the_pages(browser: Browser, world: World) -> None:
    """The QR code and the key as text, a code to confirm, the codes shown once; then log-in."""
    browser.page_login("ledamot@test.example")
    token = browser.form_token("/konto/tvastegsverifiering")
    started = browser.client.post("/konto/tvastegsverifiering/starta", data={"_csrf_token": token})
    assert started.status_code == 200 and "<svg" in started.text
    secret = re.search(r"Nyckel: <code>([A-Z2-7 ]+)</code>", started.text)
    assert secret
    totp = pyotp.TOTP(secret.group(1).replace(" ", ""))
    wrong = browser.client.post(
        "/konto/tvastegsverifiering/bekrafta", data={"_csrf_token": token, "code": "000000"}
    )
    assert wrong.status_code == 422 and "Koden stämmer inte" in wrong.text
    done = browser.client.post(
        "/konto/tvastegsverifiering/bekrafta", data={"_csrf_token": token, "code": totp.now()}
    )
    assert done.status_code == 200 and done.text.count("<li><code>") == 10

    browser.client.post("/logout", data={"_csrf_token": token})
    step = browser.page_login("ledamot@test.example")
    assert step.headers["location"].startswith("/login/kod")
    token = browser.form_token(step.headers["location"])
    finished = browser.client.post(
        "/login/kod",
        data={"_csrf_token": token, "code": _next_code(totp), "next": "/moten"},
        follow_redirects=False,
    )
    assert finished.status_code in (302, 303) and finished.headers["location"] == "/moten"
    assert browser.get("/moten").status_code == 200


def test_a_half_way_log_in_that_ended_sends_the_page_back_to_log_in_with_the_reason(
    browser: Browser, world: World
) -> None:
    """The password was right, then the account is deactivated before the code: the code page
    answers with the log-in page and a message, not a server error."""
    totp, _ = _enrol(browser, "ledamot@test.example")
    token = browser.form_token("/login")
    browser.client.post(
        "/login",
        data={
            "email": "ledamot@test.example",
            "password": "rätt-lösenord-123",
            "next": "/",
            "_csrf_token": token,
        },
    )
    code_token = browser.form_token("/login/kod")
    asyncio.run(User.update({User.active: False}).where(User.email == "ledamot@test.example").run())
    answer = browser.client.post(
        "/login/kod",
        data={"code": _next_code(totp), "next": "/", "_csrf_token": code_token},
        follow_redirects=False,
    )
    assert answer.status_code in (302, 303) and answer.headers["location"] == "/login"
    assert "Logga in igen" in browser.get("/login").text


def test_the_office_resetting_its_own_second_factor_stays_signed_in(
    browser: Browser, world: World
) -> None:
    totp, _ = _enrol(browser, "kansli@test.example")
    login = {"email": "kansli@test.example", "password": "rätt-lösenord-123"}
    browser.client.post("/api/auth/login", json=login)
    assert browser.client.post("/api/auth/login/code", json={"code": _next_code(totp)}).is_success
    assert browser.delete(f"/api/users/{world.office.user_id}/two-factor").status_code == 204
    assert browser.get("/api/auth/me").status_code == 200
