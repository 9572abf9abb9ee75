"""Everyday use in the browser (issue 19): htmx filters, and each role's main page on a phone."""

from __future__ import annotations

from typing import Any

from tests.e2e.test_journeys import USERS, log_in


def test_htmx_filters_replace_the_main_content_without_nesting_it(page: Any) -> None:
    """Two filters in a row leave one <main id="innehall">, and the export link still answers."""
    user = USERS["office"]
    log_in(page, user.email, user.password)
    page.goto("/insatser")
    page.get_by_label("Status").select_option("applied")
    page.wait_for_url("**/insatser?status=applied**")
    page.get_by_label("Status").select_option("running")
    page.wait_for_url("**/insatser?status=running**")
    page.wait_for_load_state()
    assert page.locator("main").count() == 1
    assert page.locator("#innehall").count() == 1
    href = page.get_by_role("link", name="Exportera urvalet (CSV)").get_attribute("href")
    assert page.request.get(href).status == 200
