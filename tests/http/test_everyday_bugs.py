"""The bugs of everyday use (issue 19): each test fails on the code before the fix."""

from __future__ import annotations

import asyncio
import io
import re

from pypdf import PdfReader

from portfolio.core.tables import Case
from tests.factories import World
from tests.http.conftest import Browser
from tests.report_factories import granted_for_2026

NBSP = "\u00a0"


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace(
        NBSP, " "
    )


def test_a_budget_typed_on_the_page_names_its_owner_column(browser: Browser, world: World) -> None:
    """A line typed on the web page belongs to the lead owner: no "kolumn 1, som saknar
    insatsägare" warning, and the PDF heads the column with the owner's name, not "Kolumn 1"."""
    browser.page_login("agare@alfa.example")
    browser.api_login("agare@alfa.example")
    draft = browser.post("/api/applications", json={"kind": "new", "insats_name": "Webbinsats"})
    draft_id = draft.json()["id"]
    saved = browser.form_post(
        f"/ansokningar/{draft_id}/redigera",
        f"/ansokningar/{draft_id}/redigera",
        {
            "version": str(draft.json()["version"]),
            "insats_name": "Webbinsats",
            "line-0-label": "Coach",
            "line-0-category": "salary",
            "line-0-block": "association",
            "line-0-amount-0": "450 000",
            "action": "save",
        },
    )
    assert saved.status_code in (302, 303), saved.text[:500]
    assert "saknar insatsägare" not in browser.get(f"/ansokningar/{draft_id}").text
    assert "saknar insatsägare" not in browser.get(f"/ansokningar/{draft_id}/redigera").text
    text = _pdf_text(browser.get(f"/api/applications/{draft_id}/pdf").content)
    assert "Kolumn 1" not in text and "Alfa kommun" in text and "450 000" in text


def test_the_csv_export_after_a_filter_is_the_filtered_list(browser: Browser, world: World) -> None:
    """The export link carries only the filters in use: "owner=" for "Alla" is not sent."""
    browser.page_login("kansli@test.example")
    page = browser.get("/insatser", params={"status": "running", "owner": "", "kommun": ""}).text
    link = re.search(r'href="(/api/initiatives/export\.csv[^"]*)"', page)
    assert link, "no export link"
    export = browser.get(link.group(1).replace("&amp;", "&"))
    assert export.status_code == 200, export.text
    text = export.content.decode("utf-8-sig")
    assert "Alfa-insatsen" in text and "Beta-insatsen" not in text


def test_the_case_pages_title_is_only_its_number_and_title(browser: Browser, world: World) -> None:
    """The <title> holds neither the note form, the CSRF token nor the private note's text."""
    asyncio.run(granted_for_2026(world))
    case_id = (Case.select(Case.id).first().run_sync() or {})["id"]
    browser.page_login("ledamot@test.example")
    saved = browser.form_post(
        f"/arenden/{case_id}", f"/arenden/{case_id}/anteckning", {"text": "Min hemliga tanke"}
    )
    assert saved.status_code in (302, 303)
    page = browser.get(f"/arenden/{case_id}").text
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title and title.group(1).strip() == "2025:1 Ansökan Alfa-insatsen – Finsam Portfolio"
    assert page.count("Min hemliga tanke") == 1  # in the note's own text area only


def test_the_log_and_the_history_speak_swedish(browser: Browser, world: World) -> None:
    """A changed period reads "periodens slut" in the insats history and the log, not period_end."""
    browser.api_login("kansli@test.example")
    initiative = browser.get(f"/api/initiatives/{world.initiative_a['id']}").json()
    changed = browser.patch(
        f"/api/initiatives/{initiative['id']}",
        json={"version": initiative["version"], "period_end": "2028-06-30"},
    )
    assert changed.status_code == 200, changed.text
    browser.page_login("kansli@test.example")
    history = browser.get(f"/insatser/{initiative['id']}").text
    assert "Ändrade insats: huvudinsatsägare, periodens slut" in history
    log = browser.get("/logg").text
    assert "periodens slut" in log and "period_end" not in log


def test_amounts_counts_and_times_read_as_swedish(browser: Browser, world: World) -> None:
    """ "1 insats" (not "1 insatser"), a time typed "13:00" shown "13.00", a payment logged as
    "270 000 kr" (not "270000 kr")."""
    initiative = asyncio.run(granted_for_2026(world))
    office = browser
    office.page_login("kansli@test.example")
    office.api_login("kansli@test.example")
    listed = office.get("/insatser", params={"status": "applied"}).text
    assert "1 insats<" in listed and "1 insatser" not in listed

    meeting = office.post(
        "/api/meetings",
        json={
            "body": "fs",
            "meeting_date": "2027-02-10",
            "start_time": "13:00",
            "end_time": "15.30",
        },
    )
    assert meeting.status_code == 201, meeting.text
    assert "13.00–15.30" in office.get("/moten").text
    assert "13.00–15.30" in office.get(f"/moten/{meeting.json()['id']}").text

    office.api_login("agare@alfa.example")
    claim = office.post(
        "/api/requisitions",
        json={
            "initiative_id": initiative,
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "lines": [{"category": "salary", "amount": 270_000}],
        },
    ).json()
    office.api_login("kansli@test.example")
    approved = office.post(
        f"/api/requisitions/{claim['id']}/decision",
        json={"version": claim["version"], "approve": True},
    ).json()
    paid = office.post(
        f"/api/requisitions/{claim['id']}/payment",
        json={"version": approved["version"], "paid_on": "2026-04-20"},
    )
    assert paid.status_code == 200, paid.text
    log = office.get("/logg").text
    assert f"Alfa-insatsen: 270{NBSP}000{NBSP}kr utbetalt" in log
