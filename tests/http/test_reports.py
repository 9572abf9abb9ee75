"""Quarterly reports, requisitions and the forecast through the API: a year of an insats."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from typing import Any

from pypdf import PdfReader

from tests.factories import World
from tests.http.conftest import Browser
from tests.report_factories import GRANT, granted_for_2026

NBSP = "\u00a0"


def _content(quarter: int, **changes: Any) -> dict[str, Any]:
    """A complete quarter: 10 new participants, 3 ended (2 to work), goal results, costs."""
    body = {
        "participants": {
            "start_women": 4 * (quarter - 1),
            "start_men": 3 * (quarter - 1),
            "new_women": 6,
            "new_men": 4,
            "ended_women": 2,
            "ended_men": 1,
        },
        "outcomes": {"work": 2, "studies": 1, "other_effort": 0, "other": 0},
        "goals": [{"goal": 0, "result": 3}, {"goal": 1, "result": 10}],
        "costs": [
            {"category": "salary", "amount": 240_000},
            {"category": "premises_rent", "amount": 30_000},
        ],
        "year_forecast": 1_150_000,
        "deviations": "",
        "narrative": f"Kvartal {quarter}: arbetet går enligt plan.",
    }
    return body | changes


def _start(browser: Browser, initiative: int, quarter: int) -> dict[str, Any]:
    response = browser.post(
        "/api/reports",
        json={"initiative_id": initiative, "kind": "quarterly", "year": 2026, "quarter": quarter},
    )
    assert response.status_code == 201, response.text
    return response.json()


def _fill_and_submit(
    browser: Browser, report: dict[str, Any], content: dict[str, Any]
) -> dict[str, Any]:
    saved = browser.put(
        f"/api/reports/{report['id']}/draft",
        json={"version": report["version"], "content": content},
    )
    assert saved.status_code == 200, saved.text
    submitted = browser.post(
        f"/api/reports/{report['id']}/submit", json={"version": saved.json()["version"]}
    )
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"
    return submitted.json()


def _accept(browser: Browser, report: dict[str, Any]) -> dict[str, Any]:
    accepted = browser.post(
        f"/api/reports/{report['id']}/accept", json={"version": report["version"]}
    )
    assert accepted.status_code == 200, accepted.text
    return accepted.json()


def _late(browser: Browser, on: str) -> list[tuple[str, str]]:
    response = browser.get("/api/reports/late", params={"on": on})
    assert response.status_code == 200, response.text
    return [(s["initiative_name"], s["label"]) for s in response.json()]


def _budget_year(browser: Browser) -> None:
    body = {
        "member_contributions": 10_000_000,
        "elected_members": 500_000,
        "administration": 2_000_000,
    }
    assert browser.put("/api/economy/years/2026", json=body).status_code == 200


def _prognos(browser: Browser, name: str) -> int:
    table = browser.get("/api/economy/budget-room", params={"from": 2026, "years": 1}).json()
    column = table["columns"].index("Prognos 2026")
    row = next(r for r in table["rows"] if r["label"] == name)
    return int(row["kronor"][column])


def test_a_year_of_an_insats_reports_requisitions_forecast_and_final_report(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    """Four quarters (one returned and resubmitted), a late report seen at once, a claim over
    the grant flagged and refused, a paid claim moving the forecast, and the final report."""
    initiative = asyncio.run(granted_for_2026(world))
    office, owner = other_browser, browser
    office.api_login("kansli@test.example")
    owner.api_login("agare@alfa.example")
    _budget_year(office)
    assert _prognos(office, "Alfa-insatsen") == GRANT

    schedule = owner.get("/api/reports/schedule", params={"on": "2026-11-23"}).json()
    assert [(s["label"], s["due"]) for s in schedule] == [
        ("Kvartal 1 2026", "2026-04-30"),
        ("Kvartal 2 2026", "2026-07-30"),
        ("Kvartal 3 2026", "2026-10-30"),
        ("Kvartal 4 2026", "2027-01-30"),
        ("Slutrapport", "2027-01-30"),
    ]
    assert _late(office, "2026-05-01") == [("Alfa-insatsen", "Kvartal 1 2026")]

    # Q1: written, handed in, accepted.
    q1 = _start(owner, initiative, 1)
    assert [g["text"] for g in q1["goals"]] == [
        "Minst 15 personer till arbete eller studier",
        "60 deltagare under året",
    ]
    _accept(office, _fill_and_submit(owner, q1, _content(1)))

    # Q2: handed in, returned with a comment, changed and handed in again, accepted.
    q2 = _fill_and_submit(owner, _start(owner, initiative, 2), _content(2))
    assert _late(office, "2026-08-15") == []  # handed in counts, even before review
    returned = office.post(
        f"/api/reports/{q2['id']}/return",
        json={"version": q2["version"], "comment": "Beskriv avvikelsen i bemanningen."},
    )
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert _late(office, "2026-08-15") == [("Alfa-insatsen", "Kvartal 2 2026")]
    q2 = _fill_and_submit(
        owner, returned.json(), _content(2, deviations="En coach var sjukskriven i maj.")
    )
    q2 = _accept(office, q2)
    assert q2["frozen"] is True
    assert [g["cumulative"] for g in q2["goals"]] == [6, 20]
    assert q2["notices"] == []  # Q2 starts with the 7 Q1 ended with

    # Q3 stays a draft past its due date: the late view lists exactly it.
    q3 = _start(owner, initiative, 3)
    assert q3["content"]["participants"]["start_women"] == 8  # carried from Q2's end
    assert _late(office, "2026-11-23") == [("Alfa-insatsen", "Kvartal 3 2026")]
    assert _late(owner, "2026-11-23") == [("Alfa-insatsen", "Kvartal 3 2026")]
    q3 = _accept(office, _fill_and_submit(owner, q3, _content(3)))
    assert _late(office, "2026-11-23") == []

    # An accepted report is frozen.
    frozen = owner.put(
        f"/api/reports/{q3['id']}/draft", json={"version": q3["version"], "content": _content(3)}
    )
    assert frozen.status_code == 403
    assert "godkänd" in frozen.json()["message"]
    again = office.post(f"/api/reports/{q3['id']}/accept", json={"version": q3["version"]})
    assert again.status_code == 409

    # Requisitions: the first quarter's costs approved and paid; the forecast moves.
    claim = owner.post(
        "/api/requisitions",
        json={
            "initiative_id": initiative,
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "lines": [
                {"category": "salary", "amount": 240_000},
                {"category": "premises_rent", "amount": 30_000},
            ],
        },
    )
    assert claim.status_code == 201, claim.text
    assert claim.json()["flags"] == [] and claim.json()["amount"] == 270_000
    approved = office.post(
        f"/api/requisitions/{claim.json()['id']}/decision",
        json={"version": claim.json()["version"], "approve": True},
    )
    assert approved.json()["status"] == "approved"
    # Approved is not paid: the owners' forecast (1 150 000 in the reports) stands.
    assert _prognos(office, "Alfa-insatsen") == 1_150_000
    paid = office.post(
        f"/api/requisitions/{claim.json()['id']}/payment",
        json={"version": approved.json()["version"], "paid_on": "2026-04-20"},
    )
    assert paid.status_code == 200 and paid.json()["status"] == "paid"

    # A claim over what is left of the grant is flagged, cannot be approved, and is refused.
    over = owner.post(
        "/api/requisitions",
        json={
            "initiative_id": initiative,
            "period_start": "2026-04-01",
            "period_end": "2026-09-30",
            "lines": [{"category": "salary", "amount": 1_000_000}],
        },
    )
    assert over.status_code == 201
    codes = {f["code"]: f for f in over.json()["flags"]}
    assert set(codes) == {"year_exceeded", "total_exceeded", "category_exceeded"}
    assert codes["year_exceeded"]["excess"] == 270_000 + 1_000_000 - GRANT
    assert codes["year_exceeded"]["blocking"] is True
    refused = office.post(
        f"/api/requisitions/{over.json()['id']}/decision",
        json={"version": over.json()["version"], "approve": True},
    )
    assert refused.status_code == 409
    assert "överskrider" in refused.json()["message"]
    no_reason = office.post(
        f"/api/requisitions/{over.json()['id']}/decision",
        json={"version": over.json()["version"], "approve": False},
    )
    assert no_reason.status_code == 422
    rejected = office.post(
        f"/api/requisitions/{over.json()['id']}/decision",
        json={
            "version": over.json()["version"],
            "approve": False,
            "reason": "Överskrider beviljat belopp för 2026.",
        },
    )
    assert rejected.json()["status"] == "rejected"

    # Q4 and the final report.
    q4 = _accept(
        office,
        _fill_and_submit(owner, _start(owner, initiative, 4), _content(4, year_forecast=900_000)),
    )
    assert [g["cumulative"] for g in q4["goals"]] == [12, 40]
    # The owner now forecasts 900 000 for the year; 270 000 is paid; the Prognos follows.
    assert _prognos(office, "Alfa-insatsen") == 900_000
    final = owner.post("/api/reports", json={"initiative_id": initiative, "kind": "final"})
    assert final.status_code == 201, final.text
    final_body = _content(
        5,
        participants={},
        outcomes={},
        goals=[{"goal": 0, "result": 0}, {"goal": 1, "result": 0}],
        costs=[],
        year_forecast=None,
        narrative="Insatsen nådde 12 av 15 till arbete eller studier och 40 av 60 deltagare.",
    )
    final_report = _accept(office, _fill_and_submit(owner, final.json(), final_body))
    assert [(g["cumulative"], g["target"]) for g in final_report["goals"]] == [(12, 15), (40, 60)]
    statuses = {r["label"]: r["status"] for r in owner.get("/api/reports").json()}
    assert statuses == {
        "Kvartal 1 2026": "accepted",
        "Kvartal 2 2026": "accepted",
        "Kvartal 3 2026": "accepted",
        "Kvartal 4 2026": "accepted",
        "Slutrapport": "accepted",
    }
    assert _late(office, "2027-02-15") == []
    from portfolio.mail.domain import MailKind
    from portfolio.mail.tables import OutgoingMail

    arrived = OutgoingMail.select(OutgoingMail.subject).where(
        OutgoingMail.kind == MailKind.REPORT_ARRIVED
    )
    subjects = sorted({m["subject"] for m in asyncio.run(arrived.run())})
    assert subjects == [
        *(f"Kvartalsrapport inkommen: Alfa-insatsen, kvartal {q} 2026" for q in (1, 2, 3, 4)),
        "Slutrapport inkommen: Alfa-insatsen",
    ]

    followup = office.get(f"/api/followup/{initiative}").json()
    assert followup["paid_total"] == 270_000 and followup["granted_total"] == GRANT
    assert [p["at_end"] for p in followup["participants"]] == [7, 14, 21, 28]


def test_the_forecast_moves_when_a_requisition_is_paid(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    """Without an owner's forecast, paid costs replace the grant for the months they cover."""
    initiative = asyncio.run(granted_for_2026(world))
    office, owner = other_browser, browser
    office.api_login("kansli@test.example")
    owner.api_login("agare@alfa.example")
    _budget_year(office)
    before = _prognos(office, "Alfa-insatsen")
    claim = owner.post(
        "/api/requisitions",
        json={
            "initiative_id": initiative,
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "lines": [{"category": "salary", "amount": 200_000}],
        },
    ).json()
    approved = office.post(
        f"/api/requisitions/{claim['id']}/decision",
        json={"version": claim["version"], "approve": True},
    ).json()
    assert _prognos(office, "Alfa-insatsen") == before == GRANT
    office.post(
        f"/api/requisitions/{claim['id']}/payment",
        json={"version": approved["version"], "paid_on": "2026-04-15"},
    )
    # 200 000 paid for January–March, plus 9/12 of 1 200 000 for the rest of the year.
    assert _prognos(office, "Alfa-insatsen") == 200_000 + 900_000
    result = office.get("/api/economy/budget-room", params={"from": 2026, "years": 1}).json()
    budget_column = result["columns"].index("Budget 2026")
    row = next(r for r in result["rows"] if r["label"] == "Alfa-insatsen")
    assert row["kronor"][budget_column] == GRANT  # the budget column keeps the grant


def test_owners_see_and_change_only_their_own_organisations_reports(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    """Beta's owner gets 404 for Alfa's report and requisition, and cannot start one for Alfa."""
    initiative = asyncio.run(granted_for_2026(world))
    browser.api_login("agare@alfa.example")
    report = _start(browser, initiative, 1)
    claim = browser.post(
        "/api/requisitions",
        json={
            "initiative_id": initiative,
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "lines": [{"category": "salary", "amount": 100_000}],
        },
    ).json()
    other_browser.api_login("agare@beta.example")
    assert other_browser.get(f"/api/reports/{report['id']}").status_code == 404
    assert (
        other_browser.put(
            f"/api/reports/{report['id']}/draft",
            json={"version": report["version"], "content": _content(1)},
        ).status_code
        == 404
    )
    assert other_browser.get(f"/api/reports/{report['id']}/pdf").status_code == 404
    assert other_browser.get(f"/api/requisitions/{claim['id']}").status_code == 404
    assert other_browser.get("/api/reports").json() == []
    assert other_browser.get("/api/requisitions").json() == []
    assert other_browser.get("/api/reports/late", params={"on": "2027-06-01"}).json() == []
    started = other_browser.post(
        "/api/reports",
        json={"initiative_id": initiative, "kind": "quarterly", "year": 2026, "quarter": 2},
    )
    assert started.status_code == 404
    # The owner cannot review their own report or decide their own claim.
    submitted = _fill_and_submit(browser, report, _content(1))
    assert (
        browser.post(
            f"/api/reports/{report['id']}/accept", json={"version": submitted["version"]}
        ).status_code
        == 403
    )
    assert (
        browser.post(
            f"/api/requisitions/{claim['id']}/decision",
            json={"version": claim["version"], "approve": True},
        ).status_code
        == 403
    )
    # Beta's owner never appears in the portfolio follow-up, which is for office and board.
    assert other_browser.get("/api/followup").status_code == 403


def test_a_draft_saves_whatever_it_holds_and_submission_names_every_problem(
    browser: Browser, world: World
) -> None:
    initiative = asyncio.run(granted_for_2026(world))
    browser.api_login("agare@alfa.example")
    report = _start(browser, initiative, 1)
    half = {"participants": {"new_women": 5, "ended_men": 2}, "outcomes": {"work": 1}}
    saved = browser.put(
        f"/api/reports/{report['id']}/draft", json={"version": report["version"], "content": half}
    )
    assert saved.status_code == 200
    assert saved.json()["content"]["participants"]["new_women"] == 5
    refused = browser.post(
        f"/api/reports/{report['id']}/submit", json={"version": saved.json()["version"]}
    )
    assert refused.status_code == 422
    fields = {e["field"] for e in refused.json()["errors"]}
    assert {"outcomes", "participants", "year_forecast", "narrative"} <= fields
    stale = browser.put(
        f"/api/reports/{report['id']}/draft", json={"version": report["version"], "content": half}
    )
    assert stale.status_code == 409
    duplicate = browser.post(
        "/api/reports",
        json={"initiative_id": initiative, "kind": "quarterly", "year": 2026, "quarter": 1},
    )
    assert duplicate.status_code == 409
    outside = browser.post(
        "/api/reports",
        json={"initiative_id": initiative, "kind": "quarterly", "year": 2027, "quarter": 1},
    )
    assert outside.status_code == 422


def test_the_report_pdf_reads_back_in_swedish(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    initiative = asyncio.run(granted_for_2026(world))
    browser.api_login("agare@alfa.example")
    report = _fill_and_submit(browser, _start(browser, initiative, 1), _content(1))
    response = browser.get(f"/api/reports/{report['id']}/pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = text.replace(NBSP, " ")
    for expected in (
        "Kvartalsrapport – Alfa-insatsen",
        "Kvartal 1 2026",
        "Minst 15 personer till arbete eller studier",
        "Lönekostnader",
        "1 150 000 kronor",
        "Kvartal 1: arbetet går enligt plan.",
        "Sida 1 av",
    ):
        assert expected in text, expected


def test_owner_files_a_report_and_a_requisition_through_the_page_forms(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    """The page form keeps typed values on an unreadable number, saves, hands in; the office returns it."""
    initiative = asyncio.run(granted_for_2026(world))
    assert browser.page_login("agare@alfa.example").status_code in (302, 303)
    started = browser.form_post(
        "/rapporter",
        "/rapporter",
        {"initiative_id": str(initiative), "kind": "quarterly", "year": "2026", "quarter": "1"},
    )
    assert started.status_code in (302, 303), started.text
    edit = started.headers["location"]
    report_id = int(edit.split("/")[2])
    page = browser.get(edit)
    assert "Minst 15 personer till arbete eller studier" in page.text
    form = {
        "version": "1",
        "start_women": "0",
        "start_men": "0",
        "new_women": "6",
        "new_men": "4",
        "ended_women": "2",
        "ended_men": "1",
        "work": "2",
        "studies": "1",
        "other_effort": "0",
        "other": "0",
        "goal-0-result": "tre",
        "goal-1-result": "10",
        "cost-salary": "240 000",
        "cost-premises_rent": "30 000",
        "cost-participant_activities": "0",
        "year_forecast": "1 150 000",
        "deviations": "",
        "narrative": "Arbetet går enligt plan.",
        "action": "submit",
    }
    refused = browser.form_post(edit, edit, form)
    assert refused.status_code == 422
    assert 'value="tre"' in refused.text and "Ange ett heltal." in refused.text
    handed_in = browser.form_post(edit, edit, form | {"goal-0-result": "3"})
    assert handed_in.status_code in (302, 303), handed_in.text
    assert browser.get(f"/api/reports/{report_id}").json()["status"] == "submitted"

    claimed = browser.form_post(
        "/rekvisitioner",
        "/rekvisitioner",
        {
            "initiative_id": str(initiative),
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "line-salary": "1 300 000",
            "note": "",
        },
    )
    assert claimed.status_code in (302, 303), claimed.text
    detail = browser.get(claimed.headers["location"])
    assert "överskrider" in detail.text

    assert other_browser.page_login("kansli@test.example").status_code in (302, 303)
    page = f"/rapporter/{report_id}"
    returned = other_browser.form_post(
        page, f"{page}/granska", {"version": "3", "action": "return", "comment": "Komplettera."}
    )
    assert returned.status_code in (302, 303)
    assert other_browser.get(f"/api/reports/{report_id}").json()["status"] == "returned"
    for path in (
        "/rapporter",
        "/rapporter/forsenade",
        "/rekvisitioner",
        "/uppfoljning",
        f"/uppfoljning/{initiative}",
    ):
        shown = other_browser.get(path)
        assert shown.status_code == 200, path
    assert "<svg" in other_browser.get(f"/uppfoljning/{initiative}").text


def test_the_office_puts_a_summary_of_accepted_reports_on_a_meetings_agenda(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    """An information case last on the agenda; its PDF holds the reports accepted since the last meeting."""
    initiative = asyncio.run(granted_for_2026(world))  # its granting meeting was 2025-12-10
    browser.api_login("agare@alfa.example")
    report = _fill_and_submit(browser, _start(browser, initiative, 1), _content(1))
    other_browser.api_login("kansli@test.example")
    _accept(other_browser, report)
    meeting = other_browser.post(
        "/api/meetings", json={"body": "fs", "meeting_date": "2099-12-10"}
    ).json()
    added = other_browser.post("/api/reports/summary", json={"meeting_id": meeting["id"]})
    assert added.status_code == 200, added.text
    agenda = other_browser.get(f"/api/meetings/{meeting['id']}/agenda").json()
    assert [(i["title"], i["kind"]) for i in agenda] == [
        ("Rapporter från insatserna", "information")
    ]
    pdf = other_browser.get(f"/api/reports/summary/{meeting['id']}/pdf")
    assert pdf.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    text = text.replace(NBSP, " ")
    assert "från 10 december 2025 till 10 december 2099" in text
    assert "Alfa-insatsen – Kvartal 1 2026" in text and "270 000 kronor" in text
    assert (
        browser.post("/api/reports/summary", json={"meeting_id": meeting["id"]}).status_code == 403
    )
    # The board pack carries the summary as the case's paper, on numbered pages of its own.
    pack = other_browser.get(f"/api/meetings/{meeting['id']}/handlingar.pdf")
    reader = PdfReader(io.BytesIO(pack.content))
    titles = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    assert "1. Rapporter från insatserna" in titles
    pack_text = " ".join(p.extract_text() for p in reader.pages).replace(NBSP, " ")
    assert "Alfa-insatsen – Kvartal 1 2026" in pack_text


def test_the_due_days_are_an_association_setting_that_moves_the_schedule(
    browser: Browser, world: World
) -> None:
    initiative = asyncio.run(granted_for_2026(world))
    browser.api_login("kansli@test.example")
    version = browser.get("/api/association").json()["version"]
    saved = browser.patch("/api/association", json={"version": version, "report_due_days": 45})
    assert saved.status_code == 200 and saved.json()["report_due_days"] == 45
    schedule = browser.get("/api/reports/schedule", params={"initiative_id": initiative}).json()
    assert schedule[0]["due"] == "2026-05-15"
    assert "Rapporter ska lämnas inom" in browser.get("/installningar").text


def test_late_reports_remind_only_their_organisation_and_a_hand_in_tells_the_office(
    browser: Browser, world: World
) -> None:
    """2026-05-20: Q1 (due 2026-04-30) is late for Alfa, so Alfa's owner gets one reminder,
    however often the pass runs; Beta hears nothing. Handing Q1 in queues a mail to the office."""
    from portfolio.mail.domain import MailKind
    from portfolio.mail.tables import OutgoingMail
    from reports.reminders import due_reports, queue_report_reminders

    initiative = asyncio.run(granted_for_2026(world))
    today = dt.date(2026, 5, 20)
    owed = asyncio.run(due_reports(today))
    q1 = next(r for r in owed if r.initiative_id == initiative and r.due_date.month == 4)
    assert q1.organisation_id == world.kommun_a["id"] and not q1.submitted
    assert asyncio.run(queue_report_reminders(today)) >= 1
    assert asyncio.run(queue_report_reminders(today)) == 0  # kept by key: never twice

    def mails(kind: MailKind) -> list[dict[str, Any]]:
        query = OutgoingMail.select(OutgoingMail.recipient_email, OutgoingMail.subject)
        return asyncio.run(query.where(OutgoingMail.kind == kind).run())

    reminded = {m["recipient_email"] for m in mails(MailKind.REPORT_LATE)}
    assert reminded == {"agare@alfa.example"}
    browser.api_login("agare@alfa.example")
    _fill_and_submit(browser, _start(browser, initiative, 1), _content(1))
    [arrived] = mails(MailKind.REPORT_ARRIVED)
    assert arrived["recipient_email"] == "kansli@test.example"
    assert arrived["subject"].startswith("Kvartalsrapport inkommen: ")
    assert arrived["subject"].endswith(", kvartal 1 2026")


def test_the_board_reads_a_returned_report_as_handed_in_while_it_is_redone(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    """A returned report's new draft is the owner's work in progress: the board's API answer,
    page and PDF keep the text that was handed in until it is handed in again."""
    initiative = asyncio.run(granted_for_2026(world))
    office, owner = other_browser, browser
    office.api_login("kansli@test.example")
    owner.api_login("agare@alfa.example")
    q1 = _fill_and_submit(owner, _start(owner, initiative, 1), _content(1))
    returned = office.post(
        f"/api/reports/{q1['id']}/return", json={"version": q1["version"], "comment": "Mer."}
    ).json()
    redone = _content(1, narrative="Halvfärdig omskrivning, ej inlämnad.")
    saved = owner.put(
        f"/api/reports/{q1['id']}/draft", json={"version": returned["version"], "content": redone}
    )
    assert saved.status_code == 200, saved.text
    office.post("/api/auth/logout", json={})
    office.api_login("ledamot@test.example")
    api = office.get(f"/api/reports/{q1['id']}").json()
    assert api["content"]["narrative"] == "Kvartal 1: arbetet går enligt plan."
    page = office.get(f"/rapporter/{q1['id']}").text
    assert "Kvartal 1: arbetet går enligt plan." in page and "Halvfärdig" not in page
    pdf = office.get(f"/api/reports/{q1['id']}/pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Kvartal 1: arbetet går enligt plan." in text and "Halvfärdig" not in text
    # The owner goes on with the redoing.
    assert "Halvfärdig" in owner.get(f"/api/reports/{q1['id']}").json()["content"]["narrative"]
