"""Who is called and who came, and the justering of the minutes, through the API and the pages."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from pypdf import PdfReader

from tests.factories import World
from tests.http.conftest import Browser


def _meeting(browser: Browser) -> dict[str, Any]:
    browser.api_login("kansli@test.example")
    response = browser.post(
        "/api/meetings",
        json={"body": "fs", "meeting_date": "2026-11-26", "chair": "Bo Ledamot"},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_new_meeting_calls_every_active_board_member(browser: Browser, world: World) -> None:
    meeting = _meeting(browser)
    called = browser.get(f"/api/meetings/{meeting['id']}/attendees").json()
    assert [(a["name"], a["role"], a["present"]) for a in called] == [
        ("Bo Ledamot", "member", None)
    ]
    notice = _text(browser.get(f"/api/meetings/{meeting['id']}/kallelse.pdf").content)
    assert "Kallade Bo Ledamot" in notice


def test_attendance_reaches_the_minutes_present_absent_and_others(
    browser: Browser, world: World
) -> None:
    meeting = _meeting(browser)
    saved = browser.put(
        f"/api/meetings/{meeting['id']}/attendees",
        json={
            "version": meeting["version"],
            "attendees": [
                {
                    "name": "Bo Ledamot",
                    "role": "chair",
                    "present": True,
                    "user_id": world.board.user_id,
                },
                {"name": "Cia Ledamot", "organisation": "Alfa kommun", "present": False},
                {
                    "name": "Dan Ersättare",
                    "organisation": "Beta kommun",
                    "role": "substitute",
                    "present": True,
                },
                {"name": "Kim Kansli", "role": "director", "invited": False, "present": True},
            ],
        },
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()[0]["name"] == "Bo Ledamot"  # the chair first
    minutes = _text(browser.get(f"/api/meetings/{meeting['id']}/protokoll.pdf").content)
    present = minutes.index("Närvarande")
    absent = minutes.index("Frånvarande")
    others = minutes.index("Övriga närvarande")
    assert present < minutes.index("Dan Ersättare Beta kommun ersättare") < absent
    assert absent < minutes.index("Cia Ledamot Alfa kommun ledamot") < others
    assert others < minutes.index("Kim Kansli förbundschef")
    log = browser.get("/api/audit", params={"entity": "attendance"}).json()
    assert log and log[0]["summary"] == "Närvaro: 3 av 4 närvarande"


def test_two_people_taking_attendance_do_not_overwrite_each_other(
    browser: Browser, world: World
) -> None:
    meeting = _meeting(browser)
    body = {"version": meeting["version"], "attendees": [{"name": "Bo Ledamot", "present": True}]}
    assert browser.put(f"/api/meetings/{meeting['id']}/attendees", json=body).status_code == 200
    stale = browser.put(f"/api/meetings/{meeting['id']}/attendees", json=body)
    assert stale.status_code == 409
    empty_name = {"version": meeting["version"] + 1, "attendees": [{"name": ""}]}
    refused = browser.put(f"/api/meetings/{meeting['id']}/attendees", json=empty_name)
    assert refused.status_code in (400, 422)
    assert [a["name"] for a in browser.get(f"/api/meetings/{meeting['id']}/attendees").json()] == [
        "Bo Ledamot"
    ]


def test_justering_needs_a_checker_dates_the_minutes_and_freezes_attendance(
    browser: Browser, world: World
) -> None:
    meeting = _meeting(browser)
    path = f"/api/meetings/{meeting['id']}"
    version = meeting["version"]
    for status in ("notice_sent", "held"):
        version = browser.patch(path, json={"version": version, "status": status}).json()["version"]
    refused = browser.patch(path, json={"version": version, "status": "approved"})
    assert refused.status_code == 422 and refused.json()["field"] == "checker"
    approved = browser.patch(
        path, json={"version": version, "status": "approved", "checker": "Ada Ägare"}
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["approved_on"] == dt.date.today().isoformat()
    minutes = _text(browser.get(f"{path}/protokoll.pdf").content)
    assert f"Justerat {dt.date.today().isoformat()}" in minutes and "Ej justerat" not in minutes
    late = browser.put(
        f"{path}/attendees",
        json={"version": approved.json()["version"], "attendees": [{"name": "Ny"}]},
    )
    assert late.status_code == 409 and "justerat" in late.json()["message"]


def test_only_the_office_takes_attendance(browser: Browser, world: World) -> None:
    meeting = _meeting(browser)
    body = {"version": meeting["version"], "attendees": []}
    for email in ("ledamot@test.example", "agare@alfa.example"):
        browser.api_login(email)
        assert browser.put(f"/api/meetings/{meeting['id']}/attendees", json=body).status_code == 403


def test_the_attendance_form_on_the_meeting_page(browser: Browser, world: World) -> None:
    meeting = _meeting(browser)
    browser.page_login("kansli@test.example")
    page = f"/moten/{meeting['id']}"
    response = browser.form_post(
        page,
        f"{page}/narvaro",
        {
            "version": str(meeting["version"]),
            "name-1": "Bo Ledamot",
            "role-1": "chair",
            "present-1": "on",
            "user-1": str(world.board.user_id),
            "name-2": "Eva Extra",
            "organisation-2": "Region",
            "role-2": "substitute",
        },
    )
    assert response.status_code in (302, 303), response.text
    saved = browser.get(f"/api/meetings/{meeting['id']}/attendees").json()
    assert [(a["name"], a["role"], a["present"]) for a in saved] == [
        ("Bo Ledamot", "chair", True),
        ("Eva Extra", "substitute", False),
    ]
    assert "Eva Extra" in browser.get(page).text
