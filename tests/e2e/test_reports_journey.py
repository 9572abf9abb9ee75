"""Reports in a real browser: an owner writes and hands in a quarterly report."""

from __future__ import annotations

from typing import Any

from tests.e2e.test_journeys import USERS, log_in


def test_owner_files_a_quarterly_report_in_the_browser(page: Any) -> None:
    """Knivsta's owner starts the fourth quarter's report, sees the goals of the grant, saves a
    draft, then completes it and hands it in."""
    user = USERS["owner-Knivsta kommun"]
    log_in(page, user.email, user.password)
    page.get_by_role("link", name="Rapporter", exact=True).click()
    assert "Kvartal 3 2026" in page.locator("main").inner_text()  # returned by the office
    page.get_by_label("Slag av rapport").select_option("quarterly")
    page.get_by_label("År (kvartalsrapport)").fill("2026")
    page.get_by_label("Kvartal (1–4)").fill("4")
    page.get_by_role("button", name="Börja skriva").click()
    page.wait_for_url("**/redigera")
    assert "Minst 15 personer ska skrivas ut" in page.locator("main").inner_text()
    page.get_by_label("Nya kvinnor").fill("2")
    page.get_by_role("button", name="Spara utkast").click()
    assert "Utkastet är sparat." in page.locator("[role=status]").first.inner_text()
    assert page.get_by_label("Nya kvinnor").input_value() == "2"

    page.get_by_label("Nya män").fill("1")
    page.get_by_label("Prognos för årets kostnader (kronor)").fill("1 800 000")
    page.get_by_label("Kort beskrivning av perioden").fill("Två nya deltagare under hösten.")
    page.get_by_role("button", name="Spara och lämna in").click()
    page.wait_for_url("**/rapporter/*")
    assert "Rapporten är inlämnad" in page.locator("[role=status]").first.inner_text()
    assert "Inlämnad" in page.locator("main").inner_text()
