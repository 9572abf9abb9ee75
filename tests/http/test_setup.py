"""A fresh install: the first office user sets the association up, by page or API; until then
documents and exports refuse with a Swedish message instead of coming out blank."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from typing import Any

import pytest
from docx import Document

from portfolio.core.domain import Body, OrganisationKind, Role
from portfolio.core.tables import Meeting, Organisation, YearBudget
from portfolio.register import queries
from tests import factories
from tests.http.conftest import Browser

SETUP: dict[str, Any] = {
    "name": "Samordningsförbundet Nordväst",
    "org_number": "222000-1234",
    "address": "Storgatan 1",
    "postal_address": "111 11 Staden",
    "email": "kansli@nordvast.example",
    "phone": "010-123 45 67",
    "director_name": "Frida Förbundschef",
    "organisations": [
        {"name": "Försäkringskassan", "kind": "fk"},
        {"name": "Arbetsförmedlingen", "kind": "af"},
        {"name": "Region Nordväst", "kind": "region"},
        {"name": "Alfa kommun", "kind": "kommun", "share": 6000},
        {"name": "Beta kommun", "kind": "kommun", "share": 4000},
    ],
    "year_budgets": [
        {"year": 2027, "member_contributions": 4_000_000, "administration": 1_500_000},
        {"year": 2028, "member_contributions": 4_100_000},
    ],
}


@pytest.fixture
def office(db: None) -> factories.Principal:
    """Only what `finsam create-user` leaves: one office user, no association."""
    return asyncio.run(factories.user("kansli@test.example", Role.OFFICE, name="Kim Kansli"))


def _run(query: Any) -> Any:
    async def run() -> Any:
        return await query

    return asyncio.run(run())


def test_the_first_office_user_is_led_to_the_set_up_page(
    browser: Browser, office: factories.Principal
) -> None:
    """With no association the start page and the settings lead to the set-up form."""
    browser.page_login("kansli@test.example")
    start = browser.get("/", follow_redirects=False)
    assert start.status_code in (302, 303) and start.headers["location"] == "/installningar/start"
    settings = browser.get("/installningar", follow_redirects=False)
    assert settings.headers["location"] == "/installningar/start"
    page = browser.get("/installningar/start")
    assert page.status_code == 200 and "Lägg upp förbundet" in page.text


def test_set_up_through_the_page_creates_members_keys_and_budgets(
    browser: Browser, office: factories.Principal
) -> None:
    """One form gives the association, FK, AF, the regions and kommuner with their keys and the
    year budgets; each is audited, and the settings page then takes over."""
    browser.page_login("kansli@test.example")
    response = browser.form_post(
        "/installningar/start",
        "/installningar/start",
        {
            "name": "Samordningsförbundet Nordväst",
            "org_number": "222000-1234",
            "director_name": "Frida Förbundschef",
            "fk_name": "Försäkringskassan",
            "af_name": "Arbetsförmedlingen",
            "regions": "Region Nordväst",
            "kommuner": "Alfa kommun; 62,5\r\nBeta kommun; 37,5\r\n",
            "year_0": "2027",
            "member_contributions_0": "4 000 000",
            "elected_members_0": "300000",
            "administration_0": "1500000",
            "year_1": "2028",
        },
    )
    assert response.status_code in (302, 303), response.text
    organisations = {r["name"]: r for r in _run(Organisation.select())}
    assert organisations["Alfa kommun"]["contribution_share"] == 6250
    assert organisations["Beta kommun"]["contribution_share"] == 3750
    assert organisations["Region Nordväst"]["contribution_share"] == 10_000
    assert organisations["Försäkringskassan"]["kind"] == OrganisationKind.FK
    budgets = _run(YearBudget.select().order_by(YearBudget.year))
    assert [(b["year"], b["member_contributions"], b["elected_members"]) for b in budgets] == [
        (2027, 4_000_000, 300_000)
    ]
    entities = {row["entity"] for row in asyncio.run(queries.audit_rows())}
    assert {"association", "organisation", "year_budget"} <= entities
    assert browser.get("/installningar").status_code == 200
    again = browser.get("/installningar/start", follow_redirects=False)
    assert again.headers["location"] == "/installningar"


def test_a_set_up_page_with_a_bad_key_keeps_what_was_typed_and_saves_nothing(
    browser: Browser, office: factories.Principal
) -> None:
    """Kommun shares that do not sum to 100 % are refused beside the field, nothing is saved."""
    browser.page_login("kansli@test.example")
    response = browser.form_post(
        "/installningar/start",
        "/installningar/start",
        {
            "name": "Förbundet",
            "fk_name": "Försäkringskassan",
            "af_name": "Arbetsförmedlingen",
            "regions": "Region Nordväst",
            "kommuner": "Alfa kommun; 60\nBeta kommun; 30",
        },
    )
    assert response.status_code == 422
    assert "Kommunernas fördelningsnyckel" in response.text
    assert "Beta kommun; 30" in response.text
    assert _run(Organisation.count()) == 0
    assert asyncio.run(queries.audit_rows(entity="association")) == []


def test_set_up_through_the_api_once_then_409(
    browser: Browser, office: factories.Principal
) -> None:
    """POST /api/association creates it when none exists; a second POST is a conflict."""
    browser.api_login("kansli@test.example")
    assert browser.get("/api/association").status_code == 404
    created = browser.post("/api/association", json=SETUP)
    assert created.status_code == 201, created.text
    assert created.json()["name"] == "Samordningsförbundet Nordväst"
    assert browser.get("/api/association").json()["director_name"] == "Frida Förbundschef"
    again = browser.post("/api/association", json={**SETUP, "name": "Ett annat förbund"})
    assert again.status_code == 409
    assert "redan upplagt" in again.json()["message"]
    assert browser.get("/api/association").json()["name"] == "Samordningsförbundet Nordväst"
    assert _run(Organisation.count()) == 5


def test_set_up_without_the_members_the_law_names_is_refused(
    browser: Browser, office: factories.Principal
) -> None:
    """An association of FK, AF, a region and kommuner: a set-up missing one says which."""
    browser.api_login("kansli@test.example")
    data = {**SETUP, "organisations": SETUP["organisations"][:3]}
    response = browser.post("/api/association", json=data)
    assert response.status_code == 422
    assert "minst en kommun" in response.json()["message"]
    assert browser.get("/api/association").status_code == 404


def test_only_the_office_sets_up(browser: Browser, db: None) -> None:
    """A board member cannot create the association."""
    asyncio.run(factories.user("ledamot@test.example", Role.BOARD))
    browser.api_login("ledamot@test.example")
    assert browser.post("/api/association", json=SETUP).status_code == 403


def test_documents_and_exports_refuse_until_set_up_then_carry_the_name(
    browser: Browser, office: factories.Principal
) -> None:
    """Without an association the kallelse and the exports answer 409 in Swedish instead of a
    blank letterhead; after set-up the kallelse names the association and 360Giving ids have one
    prefix."""
    meeting = _run(
        Meeting.insert(Meeting(body=Body.BOARD, meeting_date=dt.date(2027, 3, 1))).returning(
            Meeting.id
        )
    )[0]["id"]
    browser.api_login("kansli@test.example")
    for path in (
        f"/api/meetings/{meeting}/kallelse.docx",
        "/api/economy/360giving.json",
        "/api/economy/commitments.csv",
    ):
        refused = browser.get(path)
        assert refused.status_code == 409, (path, refused.status_code)
        assert "inte registrerade ännu" in refused.json()["message"]
    assert browser.post("/api/association", json=SETUP).status_code == 201
    notice = browser.get(f"/api/meetings/{meeting}/kallelse.docx")
    assert notice.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(notice.content)).paragraphs)
    text += "\n".join(
        p.text for s in Document(io.BytesIO(notice.content)).sections for p in s.header.paragraphs
    )
    assert "Samordningsförbundet Nordväst" in text
