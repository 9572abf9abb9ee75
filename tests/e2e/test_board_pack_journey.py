"""A board member opens the coming board meeting, downloads the pack and reads a case."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from tests.e2e.test_journeys import USERS, log_in


def test_board_member_downloads_the_pack_and_reads_a_case(page: Any) -> None:
    user = USERS["board"]
    log_in(page, user.email, user.password)
    page.goto("/moten")
    coming = page.locator("tr", has_text="Förbundsstyrelsen").filter(has_text="Planerat")
    coming.first.get_by_role("link").click()
    page.wait_for_load_state()
    assert "Kallade och närvaro" in page.locator("main").inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Hämta handlingarna (en PDF)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("Handlingar Förbundsstyrelsen")
    reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    titles = [str(entry.title) for entry in reader.outline if not isinstance(entry, list)]
    assert (
        titles[0].startswith("Kallelse Förbundsstyrelsen") and titles[-1] == "Ekonomisk information"
    )
    assert any(title.startswith("1. Ansökan") for title in titles)
    page.get_by_role("link", name="Ansökan Ung framtid").first.click()
    page.wait_for_load_state()
    assert "Förslag till beslut" in page.locator("main").inner_text()
