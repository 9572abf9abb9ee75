"""Everyday use in the browser (issue 19): htmx filters, and each role's main page on a phone."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e.test_journeys import USERS, log_in


def test_htmx_filters_replace_the_main_content_without_nesting_it(page: Any) -> None:
    """Two filters in a row leave one <main id="innehall">, and the export link still answers."""
    user = USERS["office"]
    log_in(page, user.email, user.password)
    page.goto("/insatser")
    page.get_by_label("Status").select_option("applied")
    page.wait_for_url("**/insatser?status=applied**")
    page.wait_for_load_state("networkidle")
    page.get_by_label("Status").select_option("running")
    page.wait_for_url("**/insatser?status=running**")
    page.wait_for_load_state()
    assert page.locator("main").count() == 1
    assert page.locator("#innehall").count() == 1
    href = page.get_by_role("link", name="Exportera urvalet (CSV)").get_attribute("href")
    assert page.request.get(href).status == 200


def test_the_claim_form_checks_the_amount_against_the_grant_as_it_is_typed(page: Any) -> None:
    """The remaining grant shows before typing; the claim's total and what it leaves follow the
    typing (htmx), before anything is sent."""
    user = USERS["owner-Knivsta kommun"]
    log_in(page, user.email, user.password)
    page.goto("/rekvisitioner")
    check = page.locator("#claim-check")
    assert "kvar att rekvirera" in check.inner_text()
    page.get_by_label("Från").fill("2026-10-01")
    page.get_by_label("Till").fill("2026-10-31")
    page.get_by_label("Lönekostnader").fill("12 500")
    expect(page.locator("#claim-check")).to_contain_text("Den här rekvisitionen")
    assert "12\u00a0500\u00a0kr" in page.locator("#claim-check").inner_text()
    assert "kvar efter den" in page.locator("#claim-check").inner_text()
    assert page.url.endswith("/rekvisitioner")  # nothing sent
