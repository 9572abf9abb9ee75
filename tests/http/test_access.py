"""Who sees and changes what: office, board and owners of two organisations, pages and API."""

from __future__ import annotations

import asyncio

import pytest

from tests.factories import World
from tests.http.conftest import Browser

OFFICE_ONLY_GETS = [
    "/api/users",
    "/api/audit",
    "/anvandare",
    "/installningar",
    "/logg",
    "/insatser/ny",
]


@pytest.mark.parametrize("email", ["ledamot@test.example", "agare@alfa.example"])
@pytest.mark.parametrize("path", OFFICE_ONLY_GETS)
def test_office_pages_and_api_are_closed_to_board_and_owners(
    browser: Browser, world: World, email: str, path: str
) -> None:
    """Users, settings, the audit log and registering insatser belong to the office."""
    browser.api_login(email)
    assert browser.get(path).status_code == 403


@pytest.mark.parametrize("path", OFFICE_ONLY_GETS)
def test_office_reaches_every_office_page(browser: Browser, world: World, path: str) -> None:
    """The same routes answer the office."""
    browser.api_login("kansli@test.example")
    assert browser.get(path).status_code == 200


def test_owner_lists_only_their_own_organisations_insatser(browser: Browser, world: World) -> None:
    """An owner's list holds their organisation's insatser and none of another's."""
    browser.api_login("agare@alfa.example")
    names = [i["name"] for i in browser.get("/api/initiatives").json()]
    assert names == ["Alfa-insatsen"]
    page = browser.get("/insatser").text
    assert "Alfa-insatsen" in page and "Beta-insatsen" not in page


def test_owner_cannot_read_another_organisations_insats_by_id(
    browser: Browser, world: World
) -> None:
    """Guessing an id of another organisation's insats finds nothing, in the API and the pages."""
    browser.api_login("agare@alfa.example")
    other = world.initiative_b["id"]
    assert browser.get(f"/api/initiatives/{other}").status_code == 404
    assert browser.get(f"/insatser/{other}").status_code == 404
    assert browser.get(f"/api/initiatives/{world.initiative_a['id']}").status_code == 200


def test_partner_organisation_sees_the_insats_it_takes_part_in(
    browser: Browser, world: World, app: object
) -> None:
    """Taking part in an insats (here FK as partner) makes it visible to that organisation's owners."""
    browser.api_login("kansli@test.example")
    created = browser.post(
        "/api/users",
        json={
            "email": "fk@test.example",
            "name": "Fia FK",
            "password": "langt-losenord-1",
            "role": "owner",
            "organisation_id": world.fk["id"],
        },
    )
    assert created.status_code == 201
    browser.post("/api/auth/logout")
    browser.api_login("fk@test.example", "langt-losenord-1")
    assert [i["name"] for i in browser.get("/api/initiatives").json()] == ["Alfa-insatsen"]


def test_owner_cannot_change_another_organisations_contacts(browser: Browser, world: World) -> None:
    """An owner keeps their own organisation's contact people, and only those."""
    browser.api_login("agare@alfa.example")
    own = browser.post(
        f"/api/organisations/{world.kommun_a['id']}/contacts", json={"name": "Ny kontakt"}
    )
    assert own.status_code == 201
    other = browser.post(
        f"/api/organisations/{world.kommun_b['id']}/contacts", json={"name": "Intrång"}
    )
    assert other.status_code == 403
    assert browser.get(f"/api/organisations/{world.kommun_b['id']}/contacts").status_code == 404


def test_board_reads_everything_and_changes_nothing(browser: Browser, world: World) -> None:
    """The board reads the whole portfolio but every write is refused."""
    browser.api_login("ledamot@test.example")
    assert len(browser.get("/api/initiatives").json()) == 2
    initiative = browser.get(f"/api/initiatives/{world.initiative_b['id']}").json()
    assert (
        browser.patch(
            f"/api/initiatives/{initiative['id']}",
            json={"version": initiative["version"], "name": "X"},
        ).status_code
        == 403
    )
    assert (
        browser.post("/api/organisations", json={"name": "X", "kind": "other"}).status_code == 403
    )
    assert browser.patch("/api/association", json={"version": 1, "name": "X"}).status_code == 403


def test_owner_cannot_edit_the_register_entry_even_of_their_own_insats(
    browser: Browser, world: World
) -> None:
    """Owners change their insats through applications; the register is the office's."""
    browser.api_login("agare@alfa.example")
    initiative = browser.get(f"/api/initiatives/{world.initiative_a['id']}").json()
    response = browser.patch(
        f"/api/initiatives/{initiative['id']}", json={"version": initiative["version"], "name": "X"}
    )
    assert response.status_code == 403
    assert "ansökan" in response.json()["message"]


@pytest.mark.parametrize(
    ("email", "heading"),
    [
        ("kansli@test.example", "Att hantera"),
        ("agare@alfa.example", "Era insatser"),
        ("ledamot@test.example", "Förbundets insatser"),
    ],
)
def test_each_role_gets_its_own_start_page(
    browser: Browser, world: World, email: str, heading: str
) -> None:
    """The start page fits the role: what needs attention, one's own insatser, or the portfolio."""
    browser.page_login(email)
    assert heading in browser.get("/").text


def test_portfolio_filters_by_kommun_and_year_and_exports_csv(
    browser: Browser, world: World
) -> None:
    """Kommun matches lead owner or party; year matches the period; the CSV holds the same rows."""
    browser.api_login("ledamot@test.example")
    by_kommun = browser.get("/api/initiatives", params={"kommun": world.kommun_b["id"]}).json()
    assert [i["name"] for i in by_kommun] == ["Beta-insatsen"]
    assert browser.get("/api/initiatives", params={"year": 2027}).json() != []
    assert browser.get("/api/initiatives", params={"year": 2030}).json() == []
    csv = browser.get("/api/initiatives/export.csv", params={"kommun": world.kommun_a["id"]})
    assert csv.status_code == 200 and csv.content.startswith("\ufeff".encode())
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert (
        lines[0].startswith("Id;Insats;Slag;Status")
        and len(lines) == 2
        and "Alfa-insatsen" in lines[1]
    )
    page = browser.get("/insatser", params={"kommun": "", "year": "2027", "status": ""})
    assert page.status_code == 200 and "Alfa-insatsen" in page.text


def test_owner_csv_export_holds_only_their_insatser(browser: Browser, world: World) -> None:
    browser.api_login("agare@beta.example")
    text = browser.get("/api/initiatives/export.csv").content.decode("utf-8-sig")
    assert "Beta-insatsen" in text and "Alfa-insatsen" not in text


def test_an_owner_cannot_write_for_another_organisations_insats_with_a_valid_body(
    browser: Browser, world: World
) -> None:
    """The matrix sends empty bodies; here owner B sends well-formed ones naming A's insats:
    a claim, a claim check, a report and an extension application are all refused, and
    nothing is written."""
    from applications.tables import Application
    from reports.tables import Report, Requisition

    a = world.initiative_a["id"]
    claim = {
        "initiative_id": a,
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "lines": [{"category": "salary", "amount": 10_000}],
    }
    browser.api_login("agare@beta.example")
    attempts = {
        "/api/requisitions/check": claim,
        "/api/requisitions": claim,
        "/api/reports": {"initiative_id": a, "kind": "quarterly", "year": 2026, "quarter": 1},
        "/api/applications": {"kind": "extension", "initiative_id": a},
    }
    for path, body in attempts.items():
        answer = browser.post(path, json=body)
        assert answer.status_code in (403, 404), (path, answer.status_code, answer.text)
    counts = [asyncio.run(t.count().run()) for t in (Requisition, Report, Application)]
    assert counts == [0, 0, 0]
