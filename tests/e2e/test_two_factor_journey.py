"""Two-factor log-in in a real browser: a board member turns it on, logs in with a code, and
the office resets it when the phone is lost."""

from __future__ import annotations

import time
from typing import Any

import pyotp

from tests.e2e.test_journeys import USERS, log_in


def test_board_member_turns_on_two_factor_and_logs_in_with_a_code(page: Any) -> None:
    board, office = USERS["board"], USERS["office"]
    log_in(page, board.email, board.password)
    page.get_by_role("link", name="Tvåstegsverifiering").click()
    page.get_by_role("button", name="Kom igång").click()
    assert page.locator("svg").first.is_visible()  # the QR code
    secret = page.locator("p", has_text="Nyckel:").locator("code").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.get_by_label("Koden som appen visar").fill(totp.now())
    page.get_by_role("button", name="Slå på tvåstegsverifiering").click()
    assert page.locator("ul.codes li").count() == 10  # the recovery codes, shown once
    page.get_by_role("button", name="Logga ut").click()

    log_in(page, board.email, board.password)  # the password alone is half the way
    page.wait_for_url("**/login/kod**")
    page.get_by_label("Kod").fill(totp.at(time.time() + totp.interval))  # the next, unused one
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    assert f"Välkommen, {board.name}" in page.locator("main").inner_text()
    page.get_by_role("button", name="Logga ut").click()

    # The phone is lost: the office resets the second factor; the password alone works again.
    log_in(page, office.email, office.password)
    page.goto("/anvandare")
    row = page.locator("tr", has_text=board.email)
    row.locator("summary").first.click()
    row.get_by_role("button", name="Återställ tvåstegsverifiering").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Logga ut").click()
    log_in(page, board.email, board.password)
    assert f"Välkommen, {board.name}" in page.locator("main").inner_text()
