"""Everyday use in the browser (issue 19): htmx filters, and each role's main page on a phone."""

from __future__ import annotations

from typing import Any

import pytest
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


def test_goal_rows_are_added_with_a_button_without_a_save(page: Any) -> None:
    """Five goals on the owner's draft without a save in between: the button adds blank rows
    (htmx) and what was typed stays. Nothing is saved, so the demo data stays as it was; the
    server side of a save with many rows is tests/http/test_forms_keep_work.py's."""
    user = USERS["owner-Knivsta kommun"]
    log_in(page, user.email, user.password)
    draft = page.locator("main table a[href^='/ansokningar/']").first.get_attribute("href")
    page.goto(f"{draft}/redigera")
    rows = page.locator("#goal-rows tr")
    before = rows.count()
    page.get_by_label("Mål 1: text").fill("Skrivet före knapparna")
    for _ in range(3):
        page.get_by_role("button", name="Lägg till mål").click()
    expect(rows).to_have_count(before + 3)
    last = before + 3
    page.get_by_label(f"Mål {last}: text").fill("Det sista målet")
    expect(page.get_by_label("Mål 1: text")).to_have_value("Skrivet före knapparna")
    expect(page.get_by_label(f"Mål {last}: text")).to_have_value("Det sista målet")
    assert page.url.endswith("/redigera")


PHONE = {"width": 390, "height": 844}
MAIN_PAGES = {
    "office": [
        "/",
        "/insatser",
        "/insatser/1",
        "/ansokningar/1",
        "/moten",
        "/rapporter",
        "/ekonomi",
    ],
    "owner-Knivsta kommun": ["/", "/insatser", "/rekvisitioner", "/rapporter", "/ansokningar"],
    "board": ["/", "/moten", "/moten/4", "/arenden/4", "/ekonomi"],
}


@pytest.mark.parametrize("role", list(MAIN_PAGES))
def test_each_roles_main_pages_fit_a_phone_and_log_out_is_reachable(page: Any, role: str) -> None:
    """At 390 px the page never scrolls sideways (wide tables scroll in their own box), and
    "Logga ut" is on the screen."""
    page.set_viewport_size(PHONE)
    user = USERS[role]
    log_in(page, user.email, user.password)
    wide = []
    for path in MAIN_PAGES[role]:
        page.goto(path)
        page.wait_for_load_state()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide.append(f"{path}: {width} px")
        box = page.get_by_role("button", name="Logga ut").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], path
    assert wide == [], ", ".join(wide)
