"""The office's way through a board meeting in the browser: a completion request, an
information case on the AU's agenda passed on to the board's, the proposal written, a partly
granted decision with a condition, and the board pack built."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from tests.e2e.test_journeys import USERS, log_in

CONDITION = "att vid ansökan om förlängning ska en extern utvärdering redovisas."


def _meeting(page: Any, body: str) -> None:
    """Open the body's coming meeting (the demo's AU has its notice sent, the board's not yet)."""
    page.goto("/moten")
    rows = page.locator("tr", has_text=body).filter(has_not_text="justerat")
    rows.first.get_by_role("link").click()
    page.wait_for_load_state()


def test_office_prepares_and_decides_a_board_meeting_in_the_browser(page: Any) -> None:
    user = USERS["office"]
    log_in(page, user.email, user.password)

    # A completion request on a sent-in application.
    page.goto("/ansokningar")
    page.get_by_role("link", name="Framsteget 2.0").first.click()
    page.locator("#f-message").fill("Bifoga styrgruppens protokoll.")
    page.get_by_role("button", name="Skicka tillbaka till insatsägaren").click()
    page.wait_for_load_state()
    assert "Bifoga styrgruppens protokoll." in page.locator("main").inner_text()

    # An information case on the AU's agenda, then on the board's.
    _meeting(page, "Arbetsutskottet")
    page.locator("#f-title").fill("Information om uppföljningen")
    page.locator("#f-kind").select_option("information")
    page.get_by_role("button", name="Lägg till").click()
    page.wait_for_load_state()
    assert "Information om uppföljningen" in page.locator("main").inner_text()
    _meeting(page, "Förbundsstyrelsen")
    option = page.locator("#f-case_id option", has_text="Information om uppföljningen")
    page.locator("#f-case_id").select_option(option.get_attribute("value"))
    page.get_by_role("button", name="Lägg till").click()
    page.wait_for_load_state()
    agenda = page.locator("table", has_text="Ärende").last.inner_text()
    assert "Information om uppföljningen" in agenda and "Ansökan Ung framtid" in agenda

    # The proposal for Ung framtid gets a condition; the board grants less than applied for.
    page.get_by_role("link", name="Ansökan Ung framtid").first.click()
    page.wait_for_load_state()
    clauses = page.locator("#f-clauses")
    clauses.fill(clauses.input_value().rstrip() + "\n" + CONDITION)
    page.get_by_role("button", name="Spara förslaget").click()
    page.wait_for_load_state()
    page.locator("#f-outcome").select_option("partly_granted")
    page.locator("#f-dclauses").fill(
        "att bevilja finansiellt stöd för insatsen Ung framtid, maximalt 1 000 000 kronor.\n"
        + CONDITION
    )
    page.locator("#f-amount").fill("1 000 000")
    page.get_by_role("button", name="För in beslutet").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text().replace("\u00a0", " ")
    assert "Delvis bifall" in main and "1 000 000 kronor" in main

    # The board pack, from the board meeting's page.
    _meeting(page, "Förbundsstyrelsen")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Hämta handlingarna (en PDF)").click()
    reader = PdfReader(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    titles = [str(e.title) for e in reader.outline if not isinstance(e, list)]
    assert any("Information om uppföljningen" in t for t in titles)
    assert any("Ansökan Ung framtid" in t for t in titles)
