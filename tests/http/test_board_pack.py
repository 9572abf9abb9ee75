"""The board pack and the economy report through the API, from a real seed application that the
owner sent in with a PDF attachment, reopened as PDF and Word."""

from __future__ import annotations

import asyncio
import io
from typing import Any

from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from portfolio.core.tables import RenderedPart
from tests.http.conftest import Browser
from tests.http.seeded import SeedWorld, by_name, enter

NBSP = "\u00a0"


def _two_page_pdf() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for page in (1, 2):
        canvas.drawString(72, 760, f"Styrgruppens protokoll sida {page}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _meeting_with_framsteget(browser: Browser, seeded: SeedWorld) -> dict[str, Any]:
    """Framsteget 2.0 sent in with an attachment, on a board agenda with a drafted proposal."""
    saved = enter(browser, seeded, by_name("Framsteget 2.0"))
    attached = browser.post(
        f"/api/applications/{saved['id']}/attachments",
        files={"file": ("Protokoll styrgrupp.pdf", _two_page_pdf(), "application/pdf")},
    )
    assert attached.status_code == 201, attached.text
    sent = browser.post(
        f"/api/applications/{saved['id']}/submit", json={"version": saved["version"]}
    )
    assert sent.status_code in (200, 201), sent.text
    browser.api_login("kansli@test.example")
    meeting = browser.post(
        "/api/meetings",
        json={"body": "fs", "meeting_date": "2026-12-10", "place": "Stadshuset"},
    ).json()
    case = browser.post(
        "/api/cases",
        json={
            "title": "Ansökan Framsteget 2.0",
            "kind": "application",
            "application_id": saved["id"],
            "year": 2026,
        },
    ).json()
    browser.post(
        f"/api/meetings/{meeting['id']}/agenda", json={"case_id": case["id"], "attachments": 2}
    )
    drafted = browser.post(f"/api/cases/{case['id']}/proposal")
    assert drafted.status_code == 200, drafted.text
    return meeting


def _page(reader: PdfReader, entry: Any) -> int:
    number = reader.get_destination_page_number(entry)
    assert number is not None, entry.title
    return number + 1


def _outline(reader: PdfReader) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []

    def walk(entries: list[Any]) -> None:
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
            else:
                found.append((entry.title, _page(reader, entry)))

    walk(reader.outline)
    return found


def test_board_member_downloads_the_pack_with_every_paper_of_the_case(
    browser: Browser, other_browser: Browser, seeded: SeedWorld
) -> None:
    meeting = _meeting_with_framsteget(browser, seeded)
    other_browser.api_login("ledamot@test.example")
    response = other_browser.get(f"/api/meetings/{meeting['id']}/handlingar.pdf")
    assert response.status_code == 200, response.text
    assert (
        "Handlingar%20F%C3%B6rbundsstyrelsen%202026-12-10.pdf"
        in response.headers["content-disposition"]
    )
    reader = PdfReader(io.BytesIO(response.content))
    outline = dict(_outline(reader))
    assert list(outline)[:5] == [
        "Kallelse Förbundsstyrelsen 2026-12-10",
        "1. Ansökan Framsteget 2.0",
        "Tjänsteskrivelse",
        "Ansökan",
        "Bilaga: Protokoll styrgrupp.pdf",
    ]
    total = len(reader.pages)
    attachment = outline["Bilaga: Protokoll styrgrupp.pdf"]
    assert "Styrgruppens protokoll sida 1" in reader.pages[attachment - 1].extract_text()
    assert f"Sida {attachment + 1} av {total}" in reader.pages[attachment].extract_text()
    proposal = reader.pages[outline["Tjänsteskrivelse"] - 1].extract_text().replace(NBSP, " ")
    assert "att bevilja finansiellt stöd för insatsen Framsteget 2.0" in proposal
    application = " ".join(
        reader.pages[p].extract_text() for p in range(outline["Ansökan"] - 1, attachment - 1)
    ).replace(NBSP, " ")
    assert "9 357 500 kronor" in application
    # No year budgets were entered: the economy report is in the pack, saying which years lack
    # a budget, never left out in silence (changed by issue 18: it used to be left out).
    economy = reader.pages[outline["Ekonomisk information"] - 1].extract_text()
    economy = " ".join(economy.split())
    assert "Beslutsutrymmet kan inte visas." in economy
    assert "Förbundets budget saknas för 2026, 2027, 2028, 2029." in economy


def test_owners_get_no_board_pack(browser: Browser, seeded: SeedWorld) -> None:
    meeting = _meeting_with_framsteget(browser, seeded)
    browser.api_login(seeded.owners["Håbo kommun"])
    assert browser.get(f"/api/meetings/{meeting['id']}/handlingar.pdf").status_code == 403
    assert browser.get(f"/api/meetings/{meeting['id']}/ekonomi.pdf").status_code == 403


def test_a_meeting_that_does_not_exist_has_no_pack(browser: Browser, seeded: SeedWorld) -> None:
    browser.api_login("kansli@test.example")
    response = browser.get("/api/meetings/9999/handlingar.pdf")
    assert response.status_code == 404 and "finns inte" in response.json()["message"]


def test_a_second_download_reuses_the_parts_laid_out_by_the_first(
    browser: Browser, seeded: SeedWorld
) -> None:
    """The proposal and the frozen application are laid out once and kept in the database."""
    meeting = _meeting_with_framsteget(browser, seeded)
    first = browser.get(f"/api/meetings/{meeting['id']}/handlingar.pdf")
    kept = asyncio.run(RenderedPart.count().run())
    assert kept == 3  # the case with its proposal, the application, and the whole pack
    second = browser.get(f"/api/meetings/{meeting['id']}/handlingar.pdf")
    assert asyncio.run(RenderedPart.count().run()) == kept
    texts = [
        [p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages] for r in (first, second)
    ]
    assert texts[0] == texts[1]


def test_an_edited_proposal_is_in_the_next_download(browser: Browser, seeded: SeedWorld) -> None:
    """The kept pack is keyed by everything it shows: one changed att-sats makes a new pack."""
    meeting = _meeting_with_framsteget(browser, seeded)
    first = browser.get(f"/api/meetings/{meeting['id']}/handlingar.pdf").content
    case_id = browser.get(f"/api/meetings/{meeting['id']}/agenda").json()[0]["case_id"]
    proposal = browser.get(f"/api/cases/{case_id}/proposal").json()
    edited = browser.patch(
        f"/api/cases/{case_id}/proposal",
        json={"version": proposal["version"], "clauses": ["att avslå ansökan om Framsteget 2.0."]},
    )
    assert edited.status_code == 200, edited.text
    second = browser.get(f"/api/meetings/{meeting['id']}/handlingar.pdf").content
    # The meeting keeps its latest pack only: the first is gone, not kept beside it.
    packs = RenderedPart.select(RenderedPart.key).where(RenderedPart.meeting == meeting["id"])
    assert len(asyncio.run(packs.run())) == 1
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(second)).pages)
    assert first != second and "att avslå ansökan om Framsteget 2.0." in " ".join(text.split())


def test_the_budget_room_counts_an_application_by_its_own_years(
    browser: Browser, seeded: SeedWorld
) -> None:
    """Framsteget 2.0 applies for 3 597 500 + 2 937 500 + 2 822 500 (ÅR 1–3). Its proposal is
    the full sum over the three years, and the budget room counts it per year as applied, not
    3 119 166 a year pro rata. Tabled, it still counts on the next meeting's agenda."""
    from portfolio.economy.services import pending_applications

    meeting = _meeting_with_framsteget(browser, seeded)
    case_id = browser.get(f"/api/meetings/{meeting['id']}/agenda").json()[0]["case_id"]
    proposal = browser.get(f"/api/cases/{case_id}/proposal").json()
    years = [y for y in by_name("Framsteget 2.0")["budget"]["years"]]
    assert proposal["amount"] == sum(y["total"] for y in years) == 9_357_500
    [pending] = asyncio.run(pending_applications(meeting["id"]))
    start = int(proposal["period_start"][:4])
    assert pending["amounts"] == {start + n: y["total"] for n, y in enumerate(years)}

    tabled = browser.post(
        f"/api/meetings/{meeting['id']}/decisions",
        json={"case_id": case_id, "outcome": "tabled", "clauses": ["att bordlägga ärendet."]},
    )
    assert tabled.status_code == 201, tabled.text
    later = browser.post(
        "/api/meetings", json={"body": "fs", "meeting_date": "2027-02-11", "place": "Stadshuset"}
    ).json()
    browser.post(f"/api/meetings/{later['id']}/agenda", json={"case_id": case_id})
    assert [p["case_id"] for p in asyncio.run(pending_applications(later["id"]))] == [case_id]
    # Granted in full at the later meeting, the commitments follow the application's years too.
    granted = browser.post(
        f"/api/meetings/{later['id']}/decisions",
        json={
            "case_id": case_id,
            "outcome": "granted",
            "clauses": ["att bevilja 9 357 500 kronor."],
            "amount": 9_357_500,
            "period_start": proposal["period_start"],
            "period_end": proposal["period_end"],
            "supersedes_id": tabled.json()["id"],
        },
    )
    assert granted.status_code == 201, granted.text
    assert [(c["year"], c["amount"]) for c in granted.json()["commitments"]] == [
        (start + n, y["total"]) for n, y in enumerate(years)
    ]


def test_the_pack_holds_what_was_sent_in_not_a_completion_under_way(
    browser: Browser, other_browser: Browser, seeded: SeedWorld
) -> None:
    """Sent back for completion, the owner edits the draft and adds a file: until it is sent in
    again, the board's pack and PDF show the version and the files that were sent."""
    meeting = _meeting_with_framsteget(browser, seeded)
    case_id = browser.get(f"/api/meetings/{meeting['id']}/agenda").json()[0]["case_id"]
    app_id = browser.get(f"/api/cases/{case_id}").json()["application_id"]
    version = browser.get(f"/api/applications/{app_id}").json()["version"]
    asked = browser.post(
        f"/api/applications/{app_id}/completion",
        json={"version": version, "message": "Komplettera med styrgruppens nya protokoll."},
    )
    assert asked.status_code == 200, asked.text
    browser.api_login(seeded.owners["Håbo kommun"])
    draft = browser.get(f"/api/applications/{app_id}").json()
    content = {**draft["content"], "purpose": "HEMLIGT UTKAST under komplettering."}
    saved = browser.put(
        f"/api/applications/{app_id}/draft", json={"version": draft["version"], "content": content}
    )
    assert saved.status_code == 200, saved.text
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 760, "Ett utkast som inte är inskickat")
    canvas.save()
    added = browser.post(
        f"/api/applications/{app_id}/attachments",
        files={"file": ("Hemligt utkast.pdf", buffer.getvalue(), "application/pdf")},
    )
    assert added.status_code == 201, added.text

    other_browser.api_login("ledamot@test.example")
    pack = PdfReader(
        io.BytesIO(other_browser.get(f"/api/meetings/{meeting['id']}/handlingar.pdf").content)
    )
    titles = [title for title, _ in _outline(pack)]
    assert "Bilaga: Protokoll styrgrupp.pdf" in titles
    assert "Bilaga: Hemligt utkast.pdf" not in titles
    text = " ".join(page.extract_text() for page in pack.pages)
    assert "HEMLIGT UTKAST" not in text and "inte är inskickat" not in text
    pdf = other_browser.get(f"/api/applications/{app_id}/pdf")
    assert pdf.status_code == 200
    assert "HEMLIGT UTKAST" not in " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages
    )
    # The board's API answer, page and list read the version sent in as well.
    api = other_browser.get(f"/api/applications/{app_id}").json()
    assert "HEMLIGT UTKAST" not in api["content"]["purpose"]
    page = other_browser.get(f"/ansokningar/{app_id}").text
    assert "HEMLIGT UTKAST" not in page


def test_a_pending_three_year_application_keeps_its_last_year_everywhere(
    browser: Browser, seeded: SeedWorld
) -> None:
    """Framsteget 2.0 applies for 2027–2029 at a meeting in December 2026. Without year budgets
    the meeting's PDF says which years are missing (a PDF, not raw JSON); with them, its 2029
    figure (3 119 168 kr, 3 119 tkr) is in the API, the what-if, the page, Word, PDF and the pack,
    even when fewer years are asked for."""
    from docx import Document

    meeting = _meeting_with_framsteget(browser, seeded)
    case_id = browser.get(f"/api/meetings/{meeting['id']}/agenda").json()[0]["case_id"]
    proposal = browser.get(f"/api/cases/{case_id}/proposal").json()
    moved = browser.patch(
        f"/api/cases/{case_id}/proposal",
        json={
            "version": proposal["version"],
            "period_start": "2027-01-01",
            "period_end": "2029-12-31",
        },
    )
    assert moved.status_code == 200, moved.text
    missing = browser.get(f"/api/meetings/{meeting['id']}/ekonomi.pdf")
    assert missing.status_code == 200 and missing.headers["content-type"] == "application/pdf"
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(missing.content)).pages).split()
    )
    assert "Förbundets budget saknas för 2026, 2027, 2028, 2029." in text
    browser.page_login("kansli@test.example")
    page = browser.get(f"/ekonomi?from=2026&meeting={meeting['id']}").text
    assert "Förbundets budget saknas för 2026, 2027, 2028, 2029." in page
    assert 'action="/ekonomi/ar/2029"' in page  # the missing year can be entered right there

    browser.api_login("kansli@test.example")
    for year in (2026, 2027, 2028, 2029):
        body = {
            "member_contributions": 10_000_000,
            "elected_members": 500_000,
            "administration": 2_000_000,
        }
        assert browser.put(f"/api/economy/years/{year}", json=body).status_code == 200
    room = browser.get(
        "/api/economy/budget-room", params={"from": 2026, "years": 2, "meeting": meeting["id"]}
    ).json()
    assert room["columns"][-1] == "Budget 2029"
    row = next(r for r in room["rows"] if r["label"] == "Ansökan Framsteget 2.0")
    assert row["kronor"][-1] == 3_119_168  # 9 357 500 kr over 2027–2029 by days
    what_if = browser.post(
        "/api/economy/budget-room/what-if",
        json={
            "from_year": 2026,
            "years": 1,
            "meeting_id": meeting["id"],
            "applications": [{"case_id": case_id, "amounts": {"2027": 1_000_000}}],
        },
    ).json()
    assert what_if["columns"] == [
        "Budget 2026",
        "Prognos 2026",
        "Budget 2027",
        "Budget 2028",
        "Budget 2029",
    ]

    browser.page_login("kansli@test.example")
    page = browser.get(f"/ekonomi?from=2026&meeting={meeting['id']}").text.replace(NBSP, " ")
    assert "Budget 2029" in page and "3 119" in page
    assert f'name="amount-{case_id}-2029" value="3119168"' in page

    browser.api_login("kansli@test.example")
    document = Document(
        io.BytesIO(browser.get(f"/api/meetings/{meeting['id']}/ekonomi.docx").content)
    )
    rows = {
        r.cells[0].text.split(" (")[0]: [c.text.replace(NBSP, " ") for c in r.cells[1:]]
        for r in document.tables[0].rows
    }
    assert rows["tkr"][-1] == "Budget 2029" and rows["Ansökan Framsteget 2.0"][-1] == "3 119"
    pdf = browser.get(f"/api/meetings/{meeting['id']}/ekonomi.pdf").content
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Budget 2029" in text and "Ansökan Framsteget 2.0" in text and "3 119" in text

    reader = PdfReader(
        io.BytesIO(browser.get(f"/api/meetings/{meeting['id']}/handlingar.pdf").content)
    )
    start = dict(_outline(reader))["Ekonomisk information"] - 1
    economy = " ".join(
        " ".join(reader.pages[p].extract_text() for p in range(start, len(reader.pages))).split()
    )
    assert "Budget 2029" in economy and "3 119" in economy
    assert "saknas" not in economy


def test_uppfoljning_finsam_has_every_field_with_the_target_group_from_the_application(
    browser: Browser, seeded: SeedWorld
) -> None:
    """Granted, Framsteget 2.0 takes its målgrupp from the application; the office records its
    inriktning's details, follow-up method and ESF co-funding; the national figures carry them
    in the API, the workbook and the CSV, which holds the association's own figures too."""
    import csv

    from openpyxl import load_workbook

    meeting = _meeting_with_framsteget(browser, seeded)
    case_id = browser.get(f"/api/meetings/{meeting['id']}/agenda").json()[0]["case_id"]
    case = browser.get(f"/api/cases/{case_id}").json()
    initiative_id = case["initiative_id"]
    assert browser.get(f"/api/initiatives/{initiative_id}").json()["target_group"] == ""
    proposal = browser.get(f"/api/cases/{case_id}/proposal").json()
    granted = browser.post(
        f"/api/meetings/{meeting['id']}/decisions",
        json={
            "case_id": case_id,
            # a period shorter than applied for is delvis bifall (issue #17)
            "outcome": "partly_granted",
            "clauses": ["att bevilja 9 357 500 kronor."],
            "amount": 9_357_500,
            "period_start": "2027-01-01",
            "period_end": "2029-12-31",
        },
    )
    assert granted.status_code == 201, granted.text
    insats = browser.get(f"/api/initiatives/{initiative_id}").json()
    target_group = by_name("Framsteget 2.0")["target_group"].strip()
    assert target_group and insats["target_group"] == target_group
    assert proposal  # the proposal was drafted; the decision is what carries the målgrupp
    saved = browser.patch(
        f"/api/initiatives/{initiative_id}",
        json={
            "version": insats["version"],
            "orientation": "Arbetslivsinriktad rehabilitering",
            "follow_up_method": "SUS-registrering av deltagare",
            "esf_cofunded": True,
        },
    )
    assert saved.status_code == 200, saved.text
    browser.put(
        "/api/economy/years/2027",
        json={
            "member_contributions": 10_000_000,
            "elected_members": 500_000,
            "administration": 2_000_000,
            "carried_in": 1_500_000,
        },
    )
    figures = browser.get("/api/followup/national", params={"year": 2027}).json()
    association = dict(figures["association"])
    assert association["Tilldelade medel från medlemmarna"] == 10_000_000
    assert association["Eget kapital vid årets början"] == 1_500_000
    assert association["Förvaltning, budget"] == 2_000_000
    [row] = figures["initiatives"]
    expected = ["Individ", "Arbetslivsinriktad rehabilitering", "SUS-registrering av deltagare"]
    assert row[:2] == ["Framsteget 2.0", "Håbo kommun"] and row[2:5] == expected
    assert row[5] == "Ja" and row[12] == target_group

    sheet = load_workbook(
        io.BytesIO(browser.get("/api/followup/national.xlsx", params={"year": 2027}).content)
    )["Insatser 2027"]
    header = [c.value for c in sheet[1]]
    assert header[2:6] == [
        "Inriktning",
        "Närmare inriktning",
        "Uppföljningsmetod",
        "ESF-medfinansierad",
    ]
    assert [c.value for c in sheet[2]][2:6] == [*expected, "Ja"]
    assert [c.value for c in sheet[2]][header.index("Målgrupp")] == target_group

    text = browser.get("/api/followup/national.csv", params={"year": 2027}).content
    lines = list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["Del", "Uppgift", "Belopp (kr)"]
    assert ["Förbundet", "Tilldelade medel från medlemmarna", "10000000"] in lines
    assert ["Förbundet", "Eget kapital vid årets början", "1500000"] in lines
    insats_header = lines.index(["Del", *header])
    insats_row = lines[insats_header + 1]
    assert insats_row[:7] == ["Insats", "Framsteget 2.0", "Håbo kommun", *expected, "Ja"]
    assert insats_row[1 + header.index("Målgrupp")] == target_group


def test_a_case_also_on_a_later_meeting_is_dated_by_this_meetings_fs_in_its_pack(
    browser: Browser, seeded: SeedWorld
) -> None:
    """Framsteget stands on the FS of 2026-12-10 and again on one in February: the December
    pack's tjänsteskrivelse says FS 2026-12-10, the February pack's FS 2027-02-11."""
    meeting = _meeting_with_framsteget(browser, seeded)
    case_id = browser.get(f"/api/meetings/{meeting['id']}/agenda").json()[0]["case_id"]
    later = browser.post(
        "/api/meetings", json={"body": "fs", "meeting_date": "2027-02-11", "place": "Stadshuset"}
    ).json()
    added = browser.post(f"/api/meetings/{later['id']}/agenda", json={"case_id": case_id})
    assert added.status_code in (200, 201), added.text

    def pack_text(meeting_id: int) -> str:
        response = browser.get(f"/api/meetings/{meeting_id}/handlingar.pdf")
        assert response.status_code == 200, response.text[:300]
        reader = PdfReader(io.BytesIO(response.content))
        return " ".join(page.extract_text() for page in reader.pages)

    december = pack_text(meeting["id"])
    assert "2026-12-10" in december and "2027-02-11" not in december
    february = pack_text(later["id"])
    assert "2027-02-11" in february
