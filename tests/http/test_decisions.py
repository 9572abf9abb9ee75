"""Proposals and decisions through the API: the grant, commitments, votes, changes and the minutes."""

from __future__ import annotations

import io
from typing import Any

from docx import Document

from tests.factories import World
from tests.http.conftest import Browser

NBSP = "\u00a0"


def _board_meeting_with_case(
    browser: Browser, world: World, title: str = "Ansökan Alfa-insatsen"
) -> tuple[dict[str, Any], dict[str, Any]]:
    browser.api_login("kansli@test.example")
    au = browser.post("/api/meetings", json={"body": "au", "meeting_date": "2026-11-19"}).json()
    fs = browser.post(
        "/api/meetings",
        json={
            "body": "fs",
            "meeting_date": "2026-12-10",
            "start_time": "13.00",
            "place": "Stadshuset",
            "chair": "Bo Ledamot",
            "checker": "Ada Ägare",
        },
    ).json()
    case = browser.post(
        "/api/cases",
        json={
            "title": title,
            "kind": "application",
            "initiative_id": world.initiative_b["id"],
            "year": 2026,
        },
    ).json()
    for meeting in (au, fs):
        browser.post(
            f"/api/meetings/{meeting['id']}/agenda", json={"case_id": case["id"], "attachments": 2}
        )
    return fs, case


def _grant(case: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body = {
        "case_id": case["id"],
        "outcome": "granted",
        "clauses": [
            "att bevilja finansiellt stöd för insatsen Beta-insatsen för perioden 1 juli 2027 fram till 31 december 2028, maximalt 1 800 000 kronor.",
            "att vid ansökan om förlängning ska parternas egenfinansiering framgå.",
            "att finansieringen av insatsen gäller under förutsättning att förbundet beviljas medel från medlemsorganisationerna framöver.",
        ],
        "amount": 1_800_000,
        "period_start": "2027-07-01",
        "period_end": "2028-12-31",
    }
    return body | changes


def test_a_grant_is_split_into_yearly_commitments_and_its_conditions_follow_the_insats(
    browser: Browser, world: World
) -> None:
    """1 800 000 kr over July 2027–December 2028 is 600 000 + 1 200 000 by months; the requirement becomes a condition."""
    fs, case = _board_meeting_with_case(browser, world)
    decision = browser.post(f"/api/meetings/{fs['id']}/decisions", json=_grant(case))
    assert decision.status_code == 201, decision.text
    body = decision.json()
    assert [(c["year"], c["amount"]) for c in body["commitments"]] == [
        (2027, 600_000),
        (2028, 1_200_000),
    ]
    assert body["paragraph"] == 1 and body["case_number"] == "2026:1"
    conditions = browser.get(f"/api/initiatives/{world.initiative_b['id']}/conditions").json()
    kinds = sorted(c["kind"] for c in conditions)
    assert kinds == ["extension_requirement", "funding_reservation"]
    assert browser.get(f"/api/initiatives/{world.initiative_b['id']}").json()["status"] == "granted"
    # Both follow-ups are in the trail, naming the decision they came from.
    trail = browser.get(
        "/api/audit", params={"entity": "initiative", "entity_id": world.initiative_b["id"]}
    ).json()
    assert any(e["summary"] == "Beviljad genom beslut 2026:1 § 1" for e in trail)
    made = browser.get("/api/audit", params={"entity": "condition"}).json()
    assert sorted(e["entity_id"] for e in made) == sorted(c["id"] for c in conditions)
    assert {e["summary"] for e in made} == {"Från beslut 2026:1 § 1"}


def test_an_extension_granted_later_carries_the_insats_period_on(
    browser: Browser, world: World
) -> None:
    """Granted for July 2027–2028, then extended through 2029 on a case of its own: the insats's
    period now ends 2029-12-31, which is what claims and the forecast are checked against."""
    fs, case = _board_meeting_with_case(browser, world)
    assert browser.post(f"/api/meetings/{fs['id']}/decisions", json=_grant(case)).status_code == 201
    initiative = f"/api/initiatives/{world.initiative_b['id']}"
    before = browser.get(initiative).json()
    assert before["period_end"] == "2028-12-31"
    later, extension = _board_meeting_with_case(browser, world, "Förlängning Beta-insatsen")
    extended = browser.post(
        f"/api/meetings/{later['id']}/decisions",
        json=_grant(
            extension,
            clauses=["att bevilja förlängning till och med 31 december 2029."],
            amount=900_000,
            period_start="2029-01-01",
            period_end="2029-12-31",
        ),
    )
    assert extended.status_code == 201, extended.text
    after = browser.get(initiative).json()
    assert (after["period_start"], after["period_end"]) == ("2027-07-01", "2029-12-31")
    # A new version: an edit form opened before the extension cannot put the old end back.
    stale = browser.patch(
        initiative, json={"version": before["version"], "period_end": "2028-12-31"}
    )
    assert stale.status_code == 409
    trail = browser.get(
        "/api/audit", params={"entity": "initiative", "entity_id": world.initiative_b["id"]}
    ).json()
    assert any(e["summary"].startswith("Förlängd till 2029-12-31") for e in trail)


def test_commitments_must_sum_to_the_granted_amount(browser: Browser, world: World) -> None:
    fs, case = _board_meeting_with_case(browser, world)
    response = browser.post(
        f"/api/meetings/{fs['id']}/decisions",
        json=_grant(case, commitments={"2027": 500_000, "2028": 1_200_000}),
    )
    assert response.status_code == 422 and response.json()["field"] == "commitments"
    assert browser.get(f"/api/meetings/{fs['id']}/decisions").json() == []


def test_a_decision_is_final_and_a_change_supersedes_it_keeping_both(
    browser: Browser, world: World
) -> None:
    """No second decision on the same case without naming the one it changes; both stay on record."""
    fs, case = _board_meeting_with_case(browser, world)
    first = browser.post(f"/api/meetings/{fs['id']}/decisions", json=_grant(case)).json()
    again = browser.post(f"/api/meetings/{fs['id']}/decisions", json=_grant(case))
    assert again.status_code == 409 and again.json()["field"] == "supersedes_id"
    assert browser.patch(f"/api/meetings/{fs['id']}/decisions", json={}).status_code == 405
    extra = browser.post(
        "/api/meetings", json={"body": "fs", "extra": True, "meeting_date": "2027-02-01"}
    ).json()
    # An ändringsbeslut is taken on a case on that meeting's agenda (issue 17).
    browser.post(f"/api/meetings/{extra['id']}/agenda", json={"case_id": case["id"]})
    change = _grant(
        case,
        outcome="partly_granted",
        amount=1_200_000,
        period_end="2027-12-31",
        supersedes_id=first["id"],
    )
    changed = browser.post(f"/api/meetings/{extra['id']}/decisions", json=change)
    assert changed.status_code == 201, changed.text
    assert [c["amount"] for c in changed.json()["commitments"]] == [1_200_000]
    earlier = browser.get(f"/api/meetings/{fs['id']}/decisions").json()[0]
    assert earlier["superseded_by_id"] == changed.json()["id"] and earlier["amount"] == 1_800_000
    minutes = Document(
        io.BytesIO(browser.get(f"/api/meetings/{extra['id']}/protokoll.docx").content)
    )
    text = "\n".join(p.text for p in minutes.paragraphs)
    assert "ersätter" in text and "2026-12-10" in text


def test_rejected_and_voted_decisions_in_the_minutes(browser: Browser, world: World) -> None:
    """A rejection with a tied vote decided by the chair, a reservation and a member with jäv."""
    fs, case = _board_meeting_with_case(browser, world)
    rejection = {
        "case_id": case["id"],
        "outcome": "rejected",
        "clauses": ["att inte bevilja finansiellt stöd för insatsen Beta-insatsen"],
        "votes": [
            {"member": "Bo Ledamot", "choice": "no", "chair": True},
            {"member": "Cia Ledamot", "choice": "no"},
            {"member": "Dan Ledamot", "choice": "yes"},
            {"member": "Eva Ledamot", "choice": "yes"},
            {"member": "Fia Ledamot", "conflict": True},
        ],
        "reservations": ["Dan Ledamot reserverar sig mot beslutet."],
    }
    response = browser.post(f"/api/meetings/{fs['id']}/decisions", json=rejection)
    assert response.status_code == 201, response.text
    assert "utslagsröst" in response.json()["vote_summary"] and response.json()["commitments"] == []
    minutes = Document(io.BytesIO(browser.get(f"/api/meetings/{fs['id']}/protokoll.docx").content))
    text = "\n".join(p.text for p in minutes.paragraphs) + "\n".join(
        c.text for t in minutes.tables for r in t.rows for c in r.cells
    )
    text = text.replace("\t", " ")  # an att-sats is "att", a tab for the hanging indent, the text
    assert "Avslag" in text and "att inte bevilja finansiellt stöd" in text
    assert "Dan Ledamot reserverar sig" in text and "Fia Ledamot" in text and "jäv" in text


def test_a_vote_that_does_not_carry_cannot_be_recorded_as_a_grant(
    browser: Browser, world: World
) -> None:
    fs, case = _board_meeting_with_case(browser, world)
    votes = [
        {"member": "A", "choice": "no"},
        {"member": "B", "choice": "no"},
        {"member": "C", "choice": "yes"},
    ]
    response = browser.post(f"/api/meetings/{fs['id']}/decisions", json=_grant(case, votes=votes))
    assert response.status_code == 422 and response.json()["field"] == "votes"


def test_only_the_board_decides(browser: Browser, world: World) -> None:
    browser.api_login("kansli@test.example")
    au = browser.post("/api/meetings", json={"body": "au", "meeting_date": "2026-11-19"}).json()
    case = browser.post("/api/cases", json={"title": "X", "kind": "information"}).json()
    response = browser.post(
        f"/api/meetings/{au['id']}/decisions",
        json={"case_id": case["id"], "outcome": "tabled", "clauses": ["att bordlägga ärendet"]},
    )
    assert response.status_code == 422 and response.json()["field"] == "meeting_id"


def test_proposal_is_drafted_edited_and_downloads_as_a_tjansteskrivelse(
    browser: Browser, world: World
) -> None:
    """An information case gets the standard clause; edits are versioned; the DOCX has Dnr, dates and bilaga."""
    _fs, case = _board_meeting_with_case(browser, world, title="Information om ESF")
    drafted = browser.post(f"/api/cases/{case['id']}/proposal").json()
    assert drafted["clauses"] == ["att lägga informationen till handlingarna"]
    edited = browser.patch(
        f"/api/cases/{case['id']}/proposal",
        json={
            "version": drafted["version"],
            "clauses": [
                "att lägga informationen till handlingarna",
                "att ge förbundschefen i uppdrag att återkomma",
            ],
            "assessment_text": "Förbundschefen bedömer att ...",
        },
    )
    assert edited.status_code == 200 and len(edited.json()["clauses"]) == 2
    stale = browser.patch(
        f"/api/cases/{case['id']}/proposal",
        json={"version": drafted["version"], "clauses": ["att x"]},
    )
    assert stale.status_code == 409
    document = Document(
        io.BytesIO(browser.get(f"/api/cases/{case['id']}/tjansteskrivelse.docx").content)
    )
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    text = text.replace("\t", " ")
    header = "\n".join(p.text for s in document.sections for p in s.header.paragraphs)
    assert (
        "2026:1" in text + header
        and "2026-12-10" in text + header
        and "bilaga nr. 1 - 1.1" in text + header
    )
    assert "att ge förbundschefen i uppdrag att återkomma" in text


def test_board_members_read_decisions_but_cannot_record_them(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    fs, case = _board_meeting_with_case(browser, world)
    browser.post(f"/api/meetings/{fs['id']}/decisions", json=_grant(case))
    other_browser.api_login("ledamot@test.example")
    assert len(other_browser.get(f"/api/meetings/{fs['id']}/decisions").json()) == 1
    assert (
        other_browser.post(f"/api/meetings/{fs['id']}/decisions", json=_grant(case)).status_code
        == 403
    )


def test_office_drafts_edits_and_decides_a_case_in_the_pages(
    browser: Browser, world: World
) -> None:
    """From the case page: draft the proposal, change an att-sats, record the grant; the commitments show."""
    fs, case = _board_meeting_with_case(browser, world)
    browser.page_login("kansli@test.example")
    url = f"/arenden/{case['id']}"
    assert browser.form_post(url, f"{url}/forslag", {}).status_code in (302, 303)
    proposal = browser.get(f"/api/cases/{case['id']}/proposal").json()
    clauses = "att bevilja finansiellt stöd för insatsen Beta-insatsen, maximalt 900 000 kronor.\natt lägga till ett villkor"
    saved = browser.form_post(
        url,
        f"{url}/forslag",
        {"version": str(proposal["version"]), "clauses": clauses, "document_date": "2026-11-30"},
    )
    assert saved.status_code in (302, 303)
    assert (
        browser.get(f"/api/cases/{case['id']}/proposal").json()["clauses"][1]
        == "att lägga till ett villkor"
    )
    decided = browser.form_post(
        url,
        f"{url}/beslut",
        {
            "meeting_id": str(fs["id"]),
            "outcome": "granted",
            "clauses": clauses,
            "amount": "900 000",
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
            "reservations": "",
        },
    )
    assert decided.status_code in (302, 303), decided.text[:400]
    page = browser.get(url).text.replace(NBSP, " ")
    assert "§ 1 – Bifall" in page and "900 000 kronor" in page


def test_decision_form_error_keeps_what_was_typed(browser: Browser, world: World) -> None:
    fs, case = _board_meeting_with_case(browser, world)
    browser.page_login("kansli@test.example")
    url = f"/arenden/{case['id']}"
    response = browser.form_post(
        url,
        f"{url}/beslut",
        {
            "meeting_id": str(fs["id"]),
            "outcome": "granted",
            "clauses": "att bevilja något särskilt",
            "amount": "",
            "period_start": "",
            "period_end": "",
        },
    )
    assert response.status_code == 422
    assert (
        "att bevilja något särskilt" in response.text and "Ange beviljat belopp." in response.text
    )


def test_the_owner_gets_the_extract_of_their_decision_and_others_do_not(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    """The protokollsutdrag names the § and the decision; Beta's owner may fetch it, Alfa's may not."""
    fs, case = _board_meeting_with_case(browser, world)
    decision = browser.post(f"/api/meetings/{fs['id']}/decisions", json=_grant(case)).json()
    other_browser.api_login("agare@beta.example")
    response = other_browser.get(f"/api/decisions/{decision['id']}/protokollsutdrag.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs).replace("\t", " ")
    assert (
        "Protokollsutdrag" in text
        and "§ 1" in text
        and "att bevilja finansiellt stöd för insatsen Beta-insatsen" in text
    )
    assert "Rätt utdraget betygar" in text
    other_browser.post("/api/auth/logout")
    other_browser.api_login("agare@alfa.example")
    assert (
        other_browser.get(f"/api/decisions/{decision['id']}/protokollsutdrag.docx").status_code
        == 404
    )


def test_board_documents_as_pdf_with_page_numbers_and_bookmarks(
    browser: Browser, world: World
) -> None:
    """Kallelse, tjänsteskrivelse, protokoll and utdrag reopen as PDFs with Swedish text, 'Sida 1 av N' and an outline."""
    from pypdf import PdfReader

    fs, case = _board_meeting_with_case(browser, world)
    proposal = browser.post(f"/api/cases/{case['id']}/proposal").json()
    browser.patch(
        f"/api/cases/{case['id']}/proposal",
        json={"version": proposal["version"], "clauses": _grant(case)["clauses"]},
    )
    decision = browser.post(f"/api/meetings/{fs['id']}/decisions", json=_grant(case)).json()
    urls = {
        "kallelse": f"/api/meetings/{fs['id']}/kallelse.pdf",
        "tjänsteskrivelse": f"/api/cases/{case['id']}/tjansteskrivelse.pdf",
        "protokoll": f"/api/meetings/{fs['id']}/protokoll.pdf",
        "utdrag": f"/api/decisions/{decision['id']}/protokollsutdrag.pdf",
    }
    for name, url in urls.items():
        response = browser.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), name
        reader = PdfReader(io.BytesIO(response.content))
        text = " ".join(page.extract_text() for page in reader.pages).replace(NBSP, " ")
        assert f"Sida 1 av {len(reader.pages)}" in text, name
        assert reader.outline, name
        if name != "kallelse":
            assert "1 800 000 kronor" in text and "1 juli 2027" in text, name
    kallelse = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(browser.get(urls["kallelse"]).content)).pages
    )
    assert (
        "10 december 2026" in kallelse
        and "2026:1" in kallelse
        and "Ansökan Alfa-insatsen" in kallelse
    )


def test_private_notes_are_seen_by_their_writer_only_and_survive_new_papers(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    """A board member's note is theirs alone (not the office's), and stays when the proposal is rewritten."""
    _fs, case = _board_meeting_with_case(browser, world)
    proposal = browser.post(f"/api/cases/{case['id']}/proposal").json()
    other_browser.api_login("ledamot@test.example")
    assert (
        other_browser.put(
            f"/api/cases/{case['id']}/note", json={"text": "Fråga om målgruppen."}
        ).status_code
        == 200
    )
    browser.patch(
        f"/api/cases/{case['id']}/proposal",
        json={
            "version": proposal["version"],
            "clauses": ["att lägga informationen till handlingarna", "att ny sats"],
        },
    )
    assert (
        other_browser.get(f"/api/cases/{case['id']}/note").json()["text"] == "Fråga om målgruppen."
    )
    assert browser.get(f"/api/cases/{case['id']}/note").json()["text"] == ""
    entries = browser.get("/api/audit", params={"entity": "case_note"}).json()
    assert entries and "målgruppen" not in str(entries)
    other_browser.page_login("ledamot@test.example")
    assert "Fråga om målgruppen." in other_browser.get(f"/arenden/{case['id']}").text


def test_votes_and_jav_are_entered_in_the_page_form_and_reach_the_minutes(
    browser: Browser, world: World
) -> None:
    """A tie decided by the chair (starred), a member with jäv; an unreadable line is refused
    with its line number and everything typed kept."""
    fs, case = _board_meeting_with_case(browser, world)
    browser.page_login("kansli@test.example")
    url = f"/arenden/{case['id']}"
    form = {
        "meeting_id": str(fs["id"]),
        "outcome": "rejected",
        "clauses": "att inte bevilja finansiellt stöd för insatsen Beta-insatsen",
        "amount": "",
        "period_start": "",
        "period_end": "",
        "reservations": "Dan Ledamot reserverar sig mot beslutet.",
        "votes": "*Bo Ledamot: nej\nCia Ledamot: nej\nDan Ledamot: ja\nEva Ledamot: ja\nFia Ledamot: kanske",
    }
    refused = browser.form_post(url, f"{url}/beslut", form)
    assert refused.status_code == 422
    assert "Rad 5" in refused.text and "Fia Ledamot: kanske" in refused.text
    form["votes"] = form["votes"].replace("Fia Ledamot: kanske", "Fia Ledamot: jäv")
    assert browser.form_post(url, f"{url}/beslut", form).status_code in (302, 303)
    decision = browser.get(f"/api/meetings/{fs['id']}/decisions").json()[0]
    assert "utslagsröst" in decision["vote_summary"]
    minutes = Document(io.BytesIO(browser.get(f"/api/meetings/{fs['id']}/protokoll.docx").content))
    text = "\n".join(p.text for p in minutes.paragraphs)
    assert "Fia Ledamot" in text and "jäv" in text
