"""Meetings through the API and the pages: who may plan, read and build the agenda."""

from __future__ import annotations

from tests.factories import World
from tests.http.conftest import Browser


def test_office_plans_a_meeting_and_builds_its_agenda_in_the_pages(
    browser: Browser, world: World
) -> None:
    """Plan a board meeting, register a case straight onto the agenda, see its Dnr and bilaga."""
    browser.page_login("kansli@test.example")
    created = browser.form_post(
        "/moten",
        "/moten",
        {"body": "fs", "meeting_date": "2026-12-10", "start_time": "13.00", "place": "Stadshuset"},
    )
    assert created.status_code in (302, 303), created.text[:300]
    meeting_url = created.headers["location"]
    added = browser.form_post(
        meeting_url,
        f"{meeting_url}/dagordning",
        {
            "case_id": "",
            "title": "Ansökan Alfa-insatsen",
            "kind": "application",
            "initiative_id": str(world.initiative_a["id"]),
            "attachments": "2",
        },
    )
    assert added.status_code in (302, 303)
    page = browser.get(meeting_url).text
    assert "Ansökan Alfa-insatsen" in page and "bilaga nr. 1 - 1.1" in page
    assert "10 december 2026" in page


def test_board_reads_meetings_owners_do_not_and_only_the_office_plans(
    browser: Browser, world: World
) -> None:
    browser.api_login("kansli@test.example")
    meeting = browser.post(
        "/api/meetings", json={"body": "au", "meeting_date": "2026-11-19"}
    ).json()
    case = browser.post(
        "/api/cases", json={"title": "Information om ESF", "kind": "information"}
    ).json()
    assert (
        browser.post(
            f"/api/meetings/{meeting['id']}/agenda", json={"case_id": case["id"]}
        ).status_code
        == 201
    )
    browser.post("/api/auth/logout")
    browser.api_login("ledamot@test.example")
    assert [i["title"] for i in browser.get(f"/api/meetings/{meeting['id']}/agenda").json()] == [
        "Information om ESF"
    ]
    assert (
        browser.post("/api/meetings", json={"body": "au", "meeting_date": "2026-11-19"}).status_code
        == 403
    )
    browser.post("/api/auth/logout")
    browser.api_login("agare@alfa.example")
    assert browser.get("/api/meetings").status_code == 403
    assert browser.get("/moten").status_code == 403


def test_bad_time_is_refused_with_the_field(browser: Browser, world: World) -> None:
    browser.api_login("kansli@test.example")
    response = browser.post(
        "/api/meetings", json={"body": "fs", "meeting_date": "2026-12-10", "start_time": "25.00"}
    )
    assert response.status_code == 400 and response.json()["field"] == "start_time"


def test_notice_downloads_as_word_with_the_agenda_in_order(browser: Browser, world: World) -> None:
    """The kallelse opens in python-docx with the date in Swedish, the place and each case with its Dnr."""
    import io

    from docx import Document

    browser.api_login("kansli@test.example")
    meeting = browser.post(
        "/api/meetings",
        json={
            "body": "fs",
            "meeting_date": "2026-12-10",
            "start_time": "13.00",
            "end_time": "15.30",
            "place": "Stadshuset",
        },
    ).json()
    for title in ("Ansökan Alfa-insatsen", "Ekonomisk information"):
        case = browser.post(
            "/api/cases", json={"title": title, "kind": "application", "year": 2026}
        ).json()
        browser.post(
            f"/api/meetings/{meeting['id']}/agenda", json={"case_id": case["id"], "attachments": 2}
        )
    response = browser.get(f"/api/meetings/{meeting['id']}/kallelse.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    # A title cell also names the kind of case on its second line.
    cells = [
        cell.text.split("\n")[0]
        for table in document.tables
        for row in table.rows
        for cell in row.cells
    ]
    assert "10 december 2026" in text and "Stadshuset" in text
    assert "Ansökan Alfa-insatsen" in cells
    assert "2026:1" in cells and "Ekonomisk information" in cells
    assert cells.index("Ansökan Alfa-insatsen") < cells.index("Ekonomisk information")
    assert any("bilaga nr. 2 - 2.1" in c for c in cells)
