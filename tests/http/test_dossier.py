"""The dossier of an insats: one zip with every version, decision, document and the log."""

from __future__ import annotations

import asyncio
import csv
import io
import zipfile

import pytest
from pypdf import PdfReader

from tests import factories
from tests.factories import Records, World
from tests.http.conftest import Browser
from tests.http.seeded import SeedWorld
from tests.http.test_board_pack import _meeting_with_framsteget


def test_the_dossier_holds_every_paper_of_the_insats_and_lists_them(
    browser: Browser, seeded: SeedWorld
) -> None:
    meeting = _meeting_with_framsteget(browser, seeded)
    agenda = browser.get(f"/api/meetings/{meeting['id']}/agenda").json()
    case = browser.get(f"/api/cases/{agenda[0]['case_id']}").json()
    initiative = case["initiative_id"]
    assert initiative is not None  # the case of an application concerns its insats
    decided = browser.post(
        f"/api/meetings/{meeting['id']}/decisions",
        json={
            "case_id": case["id"],
            "outcome": "partly_granted",
            "clauses": [
                "att bevilja finansiellt stöd för insatsen Framsteget 2.0 för perioden 1 januari 2027 fram till 31 december 2027, maximalt 1 000 000 kronor.",
                "att vid ansökan om förlängning ska en extern utvärdering redovisas.",
            ],
            "amount": 1_000_000,
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
        },
    )
    assert decided.status_code == 201, decided.text
    response = browser.get(f"/api/initiatives/{initiative}/dossier.zip")
    assert response.status_code == 200, response.text
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    listed = list(
        csv.reader(io.StringIO(archive.read("innehall.csv").decode("utf-8-sig")), delimiter=";")
    )
    assert {row[0] for row in listed[1:]} == set(names) - {"innehall.csv", "LASMIG.txt"}
    version = next(n for n in names if n.endswith("version 1.pdf"))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(archive.read(version))).pages)
    assert "Framsteget 2.0" in text
    assert any(n.endswith("version 1.json") for n in names)
    assert any("/bilagor/" in n and n.endswith("Protokoll styrgrupp.pdf") for n in names)
    assert any(n.startswith("arenden/") and n.endswith("tjänsteskrivelse.pdf") for n in names)
    extract = next(n for n in names if n.startswith("beslut/"))
    extract_text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(archive.read(extract))).pages
    )
    assert "Protokollsutdrag" in extract_text and "maximalt 1" in extract_text
    conditions = archive.read("villkor.csv").decode("utf-8-sig")
    assert "extern utvärdering" in conditions


def test_owners_get_no_dossier(browser: Browser, seeded: SeedWorld) -> None:
    meeting = _meeting_with_framsteget(browser, seeded)
    agenda = browser.get(f"/api/meetings/{meeting['id']}/agenda").json()
    case = browser.get(f"/api/cases/{agenda[0]['case_id']}").json()
    browser.api_login(seeded.owners["Håbo kommun"])
    assert browser.get(f"/api/initiatives/{case['initiative_id']}/dossier.zip").status_code == 403


@pytest.fixture
def records(world: World) -> Records:
    return asyncio.run(factories.records(world))


def test_the_dossier_holds_what_was_sent_in_not_drafts(browser: Browser, records: Records) -> None:
    """A draft application and its file are not on record: not in the office's dossier, and
    never in the board's (who may not read drafts at all)."""
    initiative = records.case["initiative"]
    for email in ("kansli@test.example", "ledamot@test.example"):  # the dossier is theirs only
        browser.api_login(email)
        response = browser.get(f"/api/initiatives/{initiative}/dossier.zip")
        assert response.status_code == 200, response.text
        names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
        sent = [n for n in names if n.startswith(f"ansokningar/{records.sent_a['id']} ")]
        assert any(n.endswith("/version 1.pdf") for n in sent), email
        assert any("/bilagor/" in n for n in sent), email
        assert not [n for n in names if "utkast" in n], (email, names)


def test_the_insats_page_lists_its_conditions_and_the_applications_each_may_see(
    browser: Browser, records: Records
) -> None:
    initiative = records.case["initiative"]
    draft, sent = (f'href="/ansokningar/{a["id"]}"' for a in (records.draft_a, records.sent_a))
    for email, sees_draft in (
        ("kansli@test.example", True),
        ("agare@alfa.example", True),
        ("ledamot@test.example", False),
    ):
        browser.api_login(email)
        page = browser.get(f"/insatser/{initiative}").text
        assert f"{factories.SECRET} villkor" in page, email
        assert sent in page and (draft in page) is sees_draft, email
