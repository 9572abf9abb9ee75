"""The money in a real browser: an owner claims costs, the office approves and pays the claim."""

from __future__ import annotations

from typing import Any

from tests.e2e.test_journeys import USERS, log_in


def test_owner_claims_costs_and_the_office_approves_and_pays_in_the_browser(page: Any) -> None:
    owner, office = USERS["owner-Knivsta kommun"], USERS["office"]
    log_in(page, owner.email, owner.password)
    page.goto("/rekvisitioner")
    page.get_by_label("Från").fill("2026-10-01")
    page.get_by_label("Till").fill("2026-10-31")
    page.get_by_label("Lönekostnader").fill("12 500")
    page.get_by_label("Kommentar").fill("Handledare oktober.")
    page.get_by_role("button", name="Skicka in rekvisitionen").click()
    page.wait_for_url("**/rekvisitioner/*")
    claim = page.url
    assert "Lönekostnader\t12\u00a0500 kronor" in page.locator("main").inner_text()
    page.get_by_role("button", name="Logga ut").click()

    log_in(page, office.email, office.password)
    page.goto(claim)
    page.get_by_role("button", name="Godkänn").click()
    page.wait_for_load_state()
    assert "Beslutet är sparat." in page.locator("[role=status]").first.inner_text()
    page.get_by_label("Utbetald den").fill("2026-11-20")
    page.get_by_role("button", name="Registrera utbetalningen").click()
    page.wait_for_load_state()
    assert "Utbetalningen är registrerad." in page.locator("[role=status]").first.inner_text()
    assert "Utbetald" in page.locator("main").inner_text()
