"""The board register through the API and its page: office writes, the board reads."""

from __future__ import annotations

from tests.factories import World
from tests.http.conftest import Browser


def test_the_office_keeps_the_register_through_the_api_and_the_board_reads_it(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    browser.api_login("kansli@test.example")
    created = browser.post(
        "/api/board-people",
        json={
            "name": "Lisa Ledamot",
            "role": "member",
            "email": "lisa@alfa.example",
            "organisation_id": world.kommun_a["id"],
            "term_start": "2027-01-01",
            "term_end": "2030-12-31",
        },
    )
    assert created.status_code == 201, created.text
    person = created.json()
    assert person["organisation_name"] == "Alfa kommun" and person["user_id"] is None
    changed = browser.patch(
        f"/api/board-people/{person['id']}", json={"version": 1, "role": "substitute"}
    )
    assert changed.status_code == 200 and changed.json()["role"] == "substitute"
    stale = browser.patch(f"/api/board-people/{person['id']}", json={"version": 1, "name": "X"})
    assert stale.status_code == 409
    bad = browser.post("/api/board-people", json={"name": "Fel", "email": "utan-snabel-a"})
    assert bad.status_code == 422 and bad.json()["field"] == "email"
    other_browser.api_login("ledamot@test.example")
    listed = other_browser.get("/api/board-people").json()
    assert [p["name"] for p in listed] == ["Lisa Ledamot"]
    assert other_browser.post("/api/board-people", json={"name": "Nej"}).status_code == 403
    audit = browser.get("/api/audit", params={"entity": "board_person"}).json()
    assert [e["action"] for e in audit] == ["update", "create"]


def test_the_register_page_adds_and_edits_a_person(browser: Browser, world: World) -> None:
    browser.page_login("kansli@test.example")
    added = browser.form_post(
        "/styrelse",
        "/styrelse",
        {
            "name": "Erik Ersättare",
            "role": "substitute",
            "organisation_id": str(world.kommun_b["id"]),
            "email": "erik@beta.example",
            "title": "",
            "term_start": "2027-01-01",
            "term_end": "",
        },
    )
    assert added.status_code in (302, 303), added.text
    page = browser.get("/styrelse")
    assert "Erik Ersättare" in page.text and "erik@beta.example" in page.text
    person_id = browser.get("/api/board-people").json()[0]["id"]
    edited = browser.form_post(
        f"/styrelse/{person_id}",
        f"/styrelse/{person_id}",
        {
            "version": "1",
            "name": "Erik Ersättare",
            "role": "substitute",
            "organisation_id": str(world.kommun_b["id"]),
            "email": "erik@beta.example",
            "term_start": "2027-01-01",
            "term_end": "2026-01-01",
        },
    )
    assert edited.status_code == 422
    assert "Mandatperioden kan inte sluta innan den börjar." in edited.text
    ended = browser.form_post(
        f"/styrelse/{person_id}",
        f"/styrelse/{person_id}",
        {"version": "1", "name": "Erik Ersättare", "role": "substitute", "email": ""},
    )
    assert ended.status_code in (302, 303), ended.text
    person = browser.get(f"/api/board-people/{person_id}").json()
    assert person["active"] is False and person["email"] == ""
