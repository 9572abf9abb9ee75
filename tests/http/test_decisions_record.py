"""Decisions that keep the whole record true (issue 17): the outcome matches the amount, order
and dates, requirements one by one, the governing decision, one source of truth for a proposal."""

from __future__ import annotations

from typing import Any

from tests.http.conftest import Browser
from tests.http.seeded import SeedWorld, by_name, enter


def _framsteget_case(
    browser: Browser, seeded: SeedWorld, meeting_date: str = "2026-12-10"
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Framsteget 2.0 sent in, on a board agenda with its proposal drafted: (meeting, case, proposal)."""
    saved = enter(browser, seeded, by_name("Framsteget 2.0"))
    sent = browser.post(
        f"/api/applications/{saved['id']}/submit", json={"version": saved["version"]}
    )
    assert sent.status_code in (200, 201), sent.text
    browser.api_login("kansli@test.example")
    meeting = browser.post(
        "/api/meetings", json={"body": "fs", "meeting_date": meeting_date, "place": "Stadshuset"}
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
    browser.post(f"/api/meetings/{meeting['id']}/agenda", json={"case_id": case["id"]})
    drafted = browser.post(f"/api/cases/{case['id']}/proposal")
    assert drafted.status_code == 200, drafted.text
    return meeting, case, drafted.json()


def _decision(case: dict[str, Any], proposal: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body = {
        "case_id": case["id"],
        "outcome": "granted",
        "clauses": proposal["clauses"],
        "amount": proposal["amount"],
        "period_start": proposal["period_start"],
        "period_end": proposal["period_end"],
    }
    return body | changes


# -- the outcome matches the amount -------------------------------------------------------------
def test_a_grant_below_the_applied_amount_is_partly_granted_not_bifall(
    browser: Browser, seeded: SeedWorld
) -> None:
    """A quarter of what was applied for as "bifall" is refused, saying why; as "delvis bifall"
    it is recorded. The full amount stays "bifall"."""
    meeting, case, proposal = _framsteget_case(browser, seeded)
    applied = proposal["amount"]
    assert applied > 0
    quarter = applied // 4
    refused = browser.post(
        f"/api/meetings/{meeting['id']}/decisions",
        json=_decision(case, proposal, amount=quarter, commitments=None),
    )
    assert refused.status_code == 422, refused.text
    assert "delvis bifall" in refused.text and "lägre än ansökt" in refused.text
    recorded = browser.post(
        f"/api/meetings/{meeting['id']}/decisions",
        json=_decision(case, proposal, outcome="partly_granted", amount=quarter),
    )
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["outcome"] == "partly_granted"


def test_the_case_page_suggests_partly_granted_when_the_proposal_gives_less(
    browser: Browser, seeded: SeedWorld
) -> None:
    _, case, proposal = _framsteget_case(browser, seeded)
    page = browser.get(f"/arenden/{case['id']}").text
    assert 'value="granted" selected' in page and "delvis bifall" not in page
    lowered = browser.patch(
        f"/api/cases/{case['id']}/proposal",
        json={"version": proposal["version"], "amount": proposal["amount"] // 2},
    )
    assert lowered.status_code == 200, lowered.text
    page = browser.get(f"/arenden/{case['id']}").text
    assert 'value="partly_granted" selected' in page
    assert "Förslaget ger mindre än ansökt" in page and "beslutet blir delvis bifall" in page


# -- order and dates ----------------------------------------------------------------------------
def test_a_decision_only_for_a_case_on_that_meetings_agenda(
    browser: Browser, seeded: SeedWorld
) -> None:
    """Another board meeting without the case on its agenda cannot record a decision on it,
    through the API or the case page's form."""
    _, case, proposal = _framsteget_case(browser, seeded)
    other = browser.post(
        "/api/meetings", json={"body": "fs", "meeting_date": "2026-12-17", "place": "Stadshuset"}
    ).json()
    refused = browser.post(f"/api/meetings/{other['id']}/decisions", json=_decision(case, proposal))
    assert refused.status_code == 422, refused.text
    assert "står inte på mötets föredragningslista" in refused.text
    browser.page_login("kansli@test.example")
    page = browser.form_post(
        f"/arenden/{case['id']}",
        f"/arenden/{case['id']}/beslut",
        {
            "meeting_id": str(other["id"]),
            "outcome": "granted",
            "clauses": "\n".join(proposal["clauses"]),
            "amount": str(proposal["amount"]),
            "period_start": proposal["period_start"],
            "period_end": proposal["period_end"],
        },
    )
    assert page.status_code == 422 and "står inte på mötets föredragningslista" in page.text
    assert browser.get(f"/api/meetings/{other['id']}/decisions").json() == []


def test_an_andringsbeslut_is_not_dated_before_the_decision_it_changes(
    browser: Browser, seeded: SeedWorld
) -> None:
    meeting, case, proposal = _framsteget_case(browser, seeded)
    first = browser.post(f"/api/meetings/{meeting['id']}/decisions", json=_decision(case, proposal))
    assert first.status_code == 201, first.text
    earlier = browser.post(
        "/api/meetings", json={"body": "fs", "extra": True, "meeting_date": "2026-12-01"}
    ).json()
    browser.post(f"/api/meetings/{earlier['id']}/agenda", json={"case_id": case["id"]})
    change = _decision(case, proposal, supersedes_id=first.json()["id"])
    refused = browser.post(f"/api/meetings/{earlier['id']}/decisions", json=change)
    assert refused.status_code == 422, refused.text
    assert "kan inte dateras före beslutet det ändrar (2026-12-10, § 1)" in refused.text
    later = browser.post(
        "/api/meetings", json={"body": "fs", "extra": True, "meeting_date": "2026-12-10"}
    ).json()
    browser.post(f"/api/meetings/{later['id']}/agenda", json={"case_id": case["id"]})
    same_day = browser.post(f"/api/meetings/{later['id']}/decisions", json=change)
    assert same_day.status_code == 201, same_day.text


def _step(browser: Browser, meeting_id: int, **body: Any) -> Any:
    version = browser.get(f"/api/meetings/{meeting_id}").json()["version"]
    return browser.patch(f"/api/meetings/{meeting_id}", json={"version": version, **body})


def test_a_meeting_is_held_on_its_date_and_justerat_after_on_a_date_that_can_be_given(
    browser: Browser, seeded: SeedWorld
) -> None:
    browser.api_login("kansli@test.example")
    future = browser.post("/api/meetings", json={"body": "fs", "meeting_date": "2099-03-01"}).json()
    assert _step(browser, future["id"], status="notice_sent").status_code == 200
    early = _step(browser, future["id"], status="held")
    assert early.status_code == 422 and "före sitt datum" in early.text
    assert browser.get(f"/api/meetings/{future['id']}").json()["status"] == "notice_sent"

    past = browser.post(
        "/api/meetings", json={"body": "fs", "meeting_date": "2026-11-19", "checker": "Ada Ägare"}
    ).json()
    for status in ("notice_sent", "held"):
        assert _step(browser, past["id"], status=status).status_code == 200
    before_held = _step(browser, past["id"], status="approved", approved_on="2026-11-18")
    assert before_held.status_code == 422
    assert "kan inte justeras före mötet den 2026-11-19" in before_held.text
    approved = _step(browser, past["id"], status="approved", approved_on="2026-11-24")
    assert approved.status_code == 200, approved.text
    assert approved.json()["approved_on"] == "2026-11-24"
    minutes = browser.get(f"/api/meetings/{past['id']}/protokoll.docx")
    import io

    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(minutes.content)).paragraphs)
    assert "2026-11-24" in text and "Ej justerat" not in text


def test_the_meeting_page_takes_the_justering_date(browser: Browser, seeded: SeedWorld) -> None:
    browser.api_login("kansli@test.example")
    past = browser.post(
        "/api/meetings", json={"body": "fs", "meeting_date": "2026-11-19", "checker": "Ada Ägare"}
    ).json()
    for status in ("notice_sent", "held"):
        assert _step(browser, past["id"], status=status).status_code == 200
    browser.page_login("kansli@test.example")
    page = f"/moten/{past['id']}"
    assert 'name="approved_on"' in browser.get(page).text
    version = browser.get(f"/api/meetings/{past['id']}").json()["version"]
    posted = browser.form_post(
        page, page, {"version": str(version), "status": "approved", "approved_on": "2026-11-25"}
    )
    assert posted.status_code in (302, 303), posted.text[:400]
    assert browser.get(f"/api/meetings/{past['id']}").json()["approved_on"] == "2026-11-25"


# -- requirements one by one --------------------------------------------------------------------
THREE_REQUIREMENTS = (
    "att vid ansökan om förlängning ska följande framgå: parternas egenfinansiering, "
    "hur målgruppen nås samt hur insatsen följs upp och utvärderas."
)
FREE_CONDITION = "att insatsen ska redovisa samverkan med Arbetsförmedlingen."


def test_each_listed_requirement_and_free_condition_is_asked_and_checked_on_its_own(
    browser: Browser, other_browser: Browser, seeded: SeedWorld
) -> None:
    """ "a, b samt c" in the decision is three requirements; the free-text condition is answered
    beside them in the extension application, and the readiness check lists every one."""
    meeting, case, proposal = _framsteget_case(browser, seeded)
    clauses = [proposal["clauses"][0], THREE_REQUIREMENTS, FREE_CONDITION]
    decided = browser.post(
        f"/api/meetings/{meeting['id']}/decisions",
        json=_decision(case, proposal, clauses=clauses),
    )
    assert decided.status_code == 201, decided.text
    initiative = browser.get(f"/api/cases/{case['id']}").json()["initiative_id"]
    conditions = browser.get(f"/api/initiatives/{initiative}/conditions").json()
    assert [(c["kind"], c["text"]) for c in conditions if c["kind"] != "funding_reservation"] == [
        ("extension_requirement", "parternas egenfinansiering"),
        ("extension_requirement", "hur målgruppen nås"),
        ("extension_requirement", "hur insatsen följs upp och utvärderas"),
        ("free_text", FREE_CONDITION),
    ]
    other_browser.api_login(seeded.owners["Håbo kommun"])
    extension = other_browser.post(
        "/api/applications", json={"kind": "extension", "initiative_id": initiative}
    ).json()
    asked = [(r["text"], r["condition"]) for r in extension["requirements"]]
    assert asked == [
        ("parternas egenfinansiering", False),
        ("hur målgruppen nås", False),
        ("hur insatsen följs upp och utvärderas", False),
        (FREE_CONDITION, True),
    ]
    content = extension["content"] | {"changes_summary": "Mer.", "agreement_accepted": True}
    saved = other_browser.put(
        f"/api/applications/{extension['id']}/draft",
        json={"version": extension["version"], "content": content},
    ).json()
    refused = other_browser.post(
        f"/api/applications/{extension['id']}/submit", json={"version": saved["version"]}
    )
    assert refused.status_code == 422
    messages = [e["message"] for e in refused.json()["errors"]]
    assert f"Besvara villkoret: {FREE_CONDITION}" in messages
    assert sum(m.startswith("Besvara kravet:") for m in messages) == 3
    form = other_browser.get(f"/ansokningar/{extension['id']}/redigera").text
    assert f"Villkor: {FREE_CONDITION}" in form and "hur målgruppen nås" in form
    first = extension["requirements"][0]["id"]
    content = saved["content"] | {
        "requirement_answers": [{"requirement_id": first, "answer": "20 % av en tjänst."}]
    }
    other_browser.put(
        f"/api/applications/{extension['id']}/draft",
        json={"version": saved["version"], "content": content},
    )
    readiness = {
        item["label"]: item["ok"]
        for item in browser.get(f"/api/applications/{extension['id']}").json()["readiness"]
    }
    assert readiness["Krav vid förlängning besvarade"] is False
    assert readiness["Krav: parternas egenfinansiering"] is True
    assert readiness["Krav: hur målgruppen nås"] is False
    assert readiness["Krav: hur insatsen följs upp och utvärderas"] is False
    assert readiness[f"Svar på villkor: {FREE_CONDITION}"] is False
    assert readiness[f"Villkor: {FREE_CONDITION}"] is False  # answered is not yet met


def test_requirements_on_lines_of_their_own_in_the_decision_form_are_one_each(
    browser: Browser, seeded: SeedWorld
) -> None:
    meeting, case, proposal = _framsteget_case(browser, seeded)
    browser.page_login("kansli@test.example")
    clauses = "\n".join(
        [
            proposal["clauses"][0],
            "att vid ansökan om förlängning ska följande framgå:",
            "1. parternas egenfinansiering",
            "2. hur målgruppen nås",
        ]
    )
    posted = browser.form_post(
        f"/arenden/{case['id']}",
        f"/arenden/{case['id']}/beslut",
        {
            "meeting_id": str(meeting["id"]),
            "outcome": "granted",
            "clauses": clauses,
            "amount": str(proposal["amount"]),
            "period_start": proposal["period_start"],
            "period_end": proposal["period_end"],
        },
    )
    assert posted.status_code in (302, 303), posted.text[:500]
    initiative = browser.get(f"/api/cases/{case['id']}").json()["initiative_id"]
    texts = [
        c["text"]
        for c in browser.get(f"/api/initiatives/{initiative}/conditions").json()
        if c["kind"] == "extension_requirement"
    ]
    assert texts == ["parternas egenfinansiering", "hur målgruppen nås"]


# -- the governing decision governs everything --------------------------------------------------
FUNDING = (
    "att finansieringen av insatsen gäller under förutsättning att förbundet beviljas medel från "
    "medlemsorganisationerna framöver."
)


def _handed_in_report(initiative_id: int, organisation_id: int, year: int, quarter: int) -> None:
    import asyncio
    import datetime as dt

    from reports.domain import ReportKind, ReportStatus
    from reports.schedule import quarter_bounds, slot_key
    from reports.tables import Report

    first, last = quarter_bounds(year, quarter)
    asyncio.run(
        Report.insert(
            Report(
                initiative=initiative_id,
                organisation=organisation_id,
                kind=ReportKind.QUARTERLY,
                year=year,
                quarter=quarter,
                slot_key=slot_key(initiative_id, ReportKind.QUARTERLY, year, quarter),
                period_start=first,
                period_end=last,
                due_on=last + dt.timedelta(days=30),
                status=ReportStatus.SUBMITTED,
                content="{}",
            )
        ).run()
    )


def test_an_andringsbeslut_that_shortens_a_grant_by_a_year_governs_the_whole_record(
    browser: Browser, other_browser: Browser, seeded: SeedWorld
) -> None:
    """Framsteget 2.0, granted 2022–2024, is cut to 2022–2023 by an ändringsbeslut: the insats
    period, the commitments per year, the report schedule (2024's quarters gone but the one
    handed in, the final report due a year earlier), the 2024 claim ceiling and the conditions
    all follow the new decision; the funding reservation is carried once, the dropped
    conditions are marked ended, and the new grant clause is no condition."""
    import asyncio

    from reports.queries import commitments_by_year

    meeting, case, proposal = _framsteget_case(browser, seeded)
    first = browser.post(
        f"/api/meetings/{meeting['id']}/decisions",
        json=_decision(
            case,
            proposal,
            clauses=[
                proposal["clauses"][0],
                "att vid ansökan om förlängning ska parternas egenfinansiering framgå.",
                *proposal["clauses"][1:],
            ],
        ),
    )
    assert first.status_code == 201, first.text
    initiative = browser.get(f"/api/cases/{case['id']}").json()["initiative_id"]
    row = browser.get(f"/api/initiatives/{initiative}").json()
    assert (row["period_start"], row["period_end"]) == ("2022-01-01", "2024-12-31")
    _handed_in_report(initiative, row["lead_owner_id"], 2024, 1)
    other_browser.api_login(seeded.owners["Håbo kommun"])
    final = other_browser.post(
        "/api/reports", json={"initiative_id": initiative, "kind": "final"}
    ).json()
    assert (final["period_end"], final["due_on"]) == ("2024-12-31", "2025-01-30")

    later = browser.post(
        "/api/meetings", json={"body": "fs", "extra": True, "meeting_date": "2027-01-21"}
    ).json()
    browser.post(f"/api/meetings/{later['id']}/agenda", json={"case_id": case["id"]})
    change = browser.post(
        f"/api/meetings/{later['id']}/decisions",
        json={
            "case_id": case["id"],
            "outcome": "partly_granted",
            "clauses": [
                "att, med ändring av beslut 2026-12-10 § 1, bevilja finansiellt stöd för insatsen "
                "Framsteget 2.0 för perioden 1 januari 2022 fram till 31 december 2023, "
                "maximalt 6 535 000 kronor.",
                FUNDING,
            ],
            "amount": 6_535_000,
            "period_start": "2022-01-01",
            "period_end": "2023-12-31",
            "supersedes_id": first.json()["id"],
        },
    )
    assert change.status_code == 201, change.text
    changed_id = change.json()["id"]

    row = browser.get(f"/api/initiatives/{initiative}").json()
    assert (row["period_start"], row["period_end"]) == ("2022-01-01", "2023-12-31")
    assert asyncio.run(commitments_by_year(initiative)) == {2022: 3_597_500, 2023: 2_937_500}

    schedule = browser.get(
        "/api/reports/schedule", params={"on": "2026-12-15", "initiative_id": initiative}
    ).json()
    labels = [(s["label"], s["due"]) for s in schedule]
    assert ("Kvartal 1 2024", "2024-04-30") in labels  # handed in: stays on the record
    assert not any(label.endswith("2024") and label != "Kvartal 1 2024" for label, _ in labels)
    assert ("Kvartal 4 2023", "2024-01-30") in labels
    assert labels[-1] == ("Slutrapport", "2024-01-30")

    final = other_browser.get(f"/api/reports/{final['id']}").json()
    assert (final["period_end"], final["due_on"]) == ("2023-12-31", "2024-01-30")
    claim = other_browser.post(
        "/api/requisitions/check",
        json={
            "initiative_id": initiative,
            "period_start": "2024-04-01",
            "period_end": "2024-06-30",
            "lines": [{"category": "salary", "amount": 100_000}],
        },
    )
    assert claim.status_code == 200, claim.text
    flags = {f["code"]: f for f in claim.json()["flags"]}
    assert "outside_grant_period" in flags
    assert flags["year_exceeded"]["limit"] == 0  # 2024's ceiling is gone with the year
    within = other_browser.post(
        "/api/requisitions/check",
        json={
            "initiative_id": initiative,
            "period_start": "2023-01-01",
            "period_end": "2023-03-31",
            "lines": [{"category": "salary", "amount": 100_000}],
        },
    ).json()
    assert "year_exceeded" not in {f["code"] for f in within["flags"]}

    conditions = browser.get(f"/api/initiatives/{initiative}/conditions").json()
    in_force = [(c["kind"], c["text"]) for c in conditions if c["ended_by_id"] is None]
    assert in_force == [("funding_reservation", FUNDING)]
    ended = {c["text"]: c["ended_by_id"] for c in conditions if c["ended_by_id"] is not None}
    assert ended == {
        "parternas egenfinansiering": changed_id,
        proposal["clauses"][2]: changed_id,
    }
    assert not any(c["kind"] == "free_text" for c in conditions)
    funding = next(c for c in conditions if c["text"] == FUNDING)
    assert funding["decision_id"] == changed_id
    page = browser.get(f"/insatser/{initiative}").text
    assert "Upphört genom ändringsbeslut" in page


# -- extracts after justering -------------------------------------------------------------------
def _decision_mails(browser: Browser) -> list[dict[str, Any]]:
    return list(browser.get("/api/mail", params={"kind": "decision"}).json())


def test_the_extract_goes_when_the_minutes_are_justerade_or_at_once_if_omedelbart_justerad(
    browser: Browser, seeded: SeedWorld
) -> None:
    import io

    from pypdf import PdfReader

    meeting, case, proposal = _framsteget_case(browser, seeded, meeting_date="2026-11-26")
    decided = browser.post(
        f"/api/meetings/{meeting['id']}/decisions", json=_decision(case, proposal)
    )
    assert decided.status_code == 201, decided.text
    assert _decision_mails(browser) == []  # not before the minutes are justerade
    _step(browser, meeting["id"], checker="Ada Ägare")
    for status in ("notice_sent", "held"):
        assert _step(browser, meeting["id"], status=status).status_code == 200
    approved = _step(browser, meeting["id"], status="approved", approved_on="2026-11-30")
    assert approved.status_code == 200, approved.text
    [mail] = _decision_mails(browser)
    assert mail["entity_id"] == decided.json()["id"]
    pdf = browser.get(mail["attachments"][0]["url"])
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Justerat 2026-11-30" in text and "Ej justerat" not in text


def test_a_paragraph_declared_omedelbart_justerad_is_mailed_at_once_from_the_page(
    browser: Browser, seeded: SeedWorld
) -> None:
    import io

    from pypdf import PdfReader

    meeting, case, proposal = _framsteget_case(browser, seeded, meeting_date="2026-11-26")
    browser.page_login("kansli@test.example")
    assert 'name="immediately_approved"' in browser.get(f"/arenden/{case['id']}").text
    posted = browser.form_post(
        f"/arenden/{case['id']}",
        f"/arenden/{case['id']}/beslut",
        {
            "meeting_id": str(meeting["id"]),
            "outcome": "granted",
            "clauses": "\n".join(proposal["clauses"]),
            "amount": str(proposal["amount"]),
            "period_start": proposal["period_start"],
            "period_end": proposal["period_end"],
            "immediately_approved": "on",
        },
    )
    assert posted.status_code in (302, 303), posted.text[:500]
    [mail] = _decision_mails(browser)
    pdf = browser.get(mail["attachments"][0]["url"])
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Justerat 2026-11-26" in text and "Ej justerat" not in text
    # Justering later sends it no second time.
    _step(browser, meeting["id"], checker="Ada Ägare")
    for status in ("notice_sent", "held", "approved"):
        assert _step(browser, meeting["id"], status=status).status_code == 200
    assert len(_decision_mails(browser)) == 1


# -- one source of truth for a proposal --------------------------------------------------------
def test_the_proposals_fields_write_the_grant_clause_and_its_split_reaches_the_decision(
    browser: Browser, seeded: SeedWorld
) -> None:
    meeting, case, proposal = _framsteget_case(browser, seeded)
    patched = browser.patch(
        f"/api/cases/{case['id']}/proposal",
        json={
            "version": proposal["version"],
            "amount": 6_000_000,
            "period_start": "2022-01-01",
            "period_end": "2023-12-31",
            "commitments": {"2022": 3_500_000, "2023": 2_500_000},
        },
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    grant = body["clauses"][0]
    assert "31 december 2023" in grant and "maximalt 6\u00a0000\u00a0000 kronor" in grant
    assert "31 december 2024" not in grant and body["problems"] == []
    assert body["commitments"] == {"2022": 3_500_000, "2023": 2_500_000}
    wrong_split = browser.patch(
        f"/api/cases/{case['id']}/proposal",
        json={"version": body["version"], "commitments": {"2022": 1, "2023": 2}},
    )
    assert wrong_split.status_code == 422 and "summerar" in wrong_split.text
    page = browser.get(f"/arenden/{case['id']}").text
    assert 'id="f-proposal_amount" name="proposal_amount" value="6000000"' in page
    assert "2022: 3500000" in page and page.count('id="f-amount"') == 1
    decided = browser.post(
        f"/api/meetings/{meeting['id']}/decisions",
        json=_decision(case, body, outcome="partly_granted"),
    )
    assert decided.status_code == 201, decided.text
    assert [(c["year"], c["amount"]) for c in decided.json()["commitments"]] == [
        (2022, 3_500_000),
        (2023, 2_500_000),
    ]


def test_a_clause_that_states_another_amount_is_shown_and_holds_back_the_pack(
    browser: Browser, seeded: SeedWorld
) -> None:
    meeting, case, proposal = _framsteget_case(browser, seeded)
    edited = [
        "att bevilja finansiellt stöd för insatsen Framsteget 2.0 för perioden 1 januari 2022 "
        "fram till 31 december 2023, maximalt 2 000 000 kronor.",
        *proposal["clauses"][1:],
    ]
    browser.page_login("kansli@test.example")
    form = {
        "version": str(proposal["version"]),
        "document_date": proposal["document_date"],
        "proposal_amount": str(proposal["amount"]),
        "proposal_period_start": proposal["period_start"],
        "proposal_period_end": proposal["period_end"],
        "proposal_commitments": "",
        "clauses": "\n".join(edited),
        "application_text": proposal["application_text"],
        "assessment_text": proposal["assessment_text"],
    }
    saved = browser.form_post(f"/arenden/{case['id']}", f"/arenden/{case['id']}/forslag", form)
    assert saved.status_code in (302, 303), saved.text[:500]
    page = browser.get(f"/arenden/{case['id']}").text
    assert "Att-satsen och förslagets belopp eller period stämmer inte överens" in page
    assert (
        "Att-satsen anger 2\u00a0000\u00a0000 kronor, men förslagets belopp är 9\u00a0357\u00a0500 kronor."
        in page
    )
    assert "Att-satsen anger perioden 1 januari 2022 – 31 december 2023" in page
    pack = browser.get(f"/api/meetings/{meeting['id']}/handlingar.pdf")
    assert pack.status_code == 422 and "Ärende 2026:1: Att-satsen anger" in pack.text
    # The fields follow: the clause agrees and the pack is built.
    current = browser.get(f"/api/cases/{case['id']}/proposal").json()
    assert current["problems"]
    form |= {
        "version": str(current["version"]),
        "proposal_amount": "2 000 000",
        "proposal_period_end": "2023-12-31",
        "clauses": "\n".join(current["clauses"]),
    }
    saved = browser.form_post(f"/arenden/{case['id']}", f"/arenden/{case['id']}/forslag", form)
    assert saved.status_code in (302, 303), saved.text[:500]
    assert browser.get(f"/api/cases/{case['id']}/proposal").json()["problems"] == []
    assert browser.get(f"/api/meetings/{meeting['id']}/handlingar.pdf").status_code == 200
    decision_form = browser.get(f"/arenden/{case['id']}").text
    assert 'value="2000000"' in decision_form and 'value="2023-12-31"' in decision_form


def test_the_budget_room_counts_the_proposals_fields_and_split(
    browser: Browser, seeded: SeedWorld
) -> None:
    import asyncio

    from portfolio.economy.services import pending_applications

    meeting, case, proposal = _framsteget_case(browser, seeded)
    browser.patch(
        f"/api/cases/{case['id']}/proposal",
        json={
            "version": proposal["version"],
            "amount": 5_000_000,
            "period_start": "2022-01-01",
            "period_end": "2023-12-31",
            "commitments": {"2022": 4_000_000, "2023": 1_000_000},
        },
    )
    [pending] = asyncio.run(pending_applications(meeting["id"]))
    assert pending["amounts"] == {2022: 4_000_000, 2023: 1_000_000}
