"""Bad input from outside (issue 21): each a clear Swedish 4xx naming the field and the rule,
never a 500, never silently stored; text stored before the checks never breaks a document."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
from typing import Any

import docx
import openpyxl
import pytest

from portfolio.core.db import write_transaction
from portfolio.core.domain import InitiativeStatus
from portfolio.core.tables import Association, Case, Initiative, Meeting, Organisation, Proposal
from portfolio.mail import queue
from portfolio.mail.domain import MailKind, Message
from portfolio.mail.sender import send_pending
from tests import factories
from tests.factories import World
from tests.http.conftest import Browser
from tests.smtp import SmtpServer, smtp_server

__all__ = ["smtp_server"]  # the fixture, imported for pytest

JSON = {"content-type": "application/json"}


@pytest.fixture
def records(world: World) -> factories.Records:
    return asyncio.run(factories.records(world))


def _office(browser: Browser) -> Browser:
    browser.api_login("kansli@test.example")
    return browser


def _raw(browser: Browser, method: str, path: str, body: bytes, headers: dict[str, str]) -> Any:
    return browser.client.request(
        method, path, content=body, headers={**browser._headers(), **headers}
    )


def _organisations() -> list[str]:
    return [row["name"] for row in asyncio.run(Organisation.select(Organisation.name).run())]


def _refused(response: Any, status: int, field: str | None, *words: str) -> dict[str, Any]:
    """A refusal in the service's shape, naming the field, in Swedish, without msgspec's English."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"status_code", "message", "field", "errors"}
    assert body["status_code"] == status and body["field"] == field, body
    for word in words:
        assert word in body["message"], body
    for english in ("Expected", "Object", "Validation failed", "Något gick fel"):
        assert english not in body["message"], body
    return body


# -- 5xx ------------------------------------------------------------------------------------


def test_a_case_title_longer_than_a_word_title_holds_is_refused(
    browser: Browser, world: World
) -> None:
    """python-docx holds 255 characters of title: a longer case title is refused, not a 500 later."""
    _office(browser)
    response = browser.post("/api/cases", json={"title": "Å" * 256, "kind": "application"})
    _refused(response, 400, "title", "Rubrik", "högst 255 tecken")
    assert browser.post("/api/cases", json={"title": "Å" * 255, "kind": "other"}).status_code == 201


@pytest.mark.parametrize("character", ["\u0000", "\u0001", "\u000b", "\u000c", "\u0014", "\u007f"])
def test_control_characters_are_refused_naming_the_field(
    browser: Browser, world: World, character: str
) -> None:
    """In the association's address, a meeting place, a case title, a clause, an insats name:
    refused with the field named, the same on SQLite and PostgreSQL (NUL included)."""
    _office(browser)
    version = browser.get("/api/association").json()["version"]
    bad = f"Storgatan{character}1"
    _refused(
        browser.patch("/api/association", json={"version": version, "address": bad}),
        400,
        "address",
        "Adress",
        f"U+{ord(character):04X}",
    )
    _refused(
        browser.post(
            "/api/meetings", json={"body": "fs", "meeting_date": "2027-02-01", "place": bad}
        ),
        400,
        "place",
        "Plats",
    )
    _refused(
        browser.post("/api/cases", json={"title": bad, "kind": "other"}), 400, "title", "Rubrik"
    )
    _refused(
        browser.post(
            "/api/initiatives",
            json={"name": bad, "kind": "individual", "lead_owner_id": world.kommun_a["id"]},
        ),
        400,
        "name",
        "Namn",
    )
    assert browser.get("/api/association").json()["address"] == ""
    # Newline and tab are ordinary text.
    fine = browser.post("/api/cases", json={"title": "Rad ett\tmed tabb", "kind": "other"})
    assert fine.status_code == 201, fine.text


def test_a_control_character_in_a_clause_is_refused(
    browser: Browser, records: factories.Records
) -> None:
    _office(browser)
    url = f"/api/cases/{records.case['id']}/proposal"
    version = browser.get(url).json()["version"]
    response = browser.patch(url, json={"version": version, "clauses": ["att bevilja\u0001 medel"]})
    _refused(response, 400, "clauses[0]", "Beslutssats", "U+0001")


def _stored_control_characters(records: factories.Records, world: World) -> None:
    """What the service accepted before the checks: control characters in stored text (not
    NUL, which PostgreSQL never stored)."""

    async def store() -> None:
        await Association.update({Association.address: "Storgatan\x011\x0b"}).where(
            Association.id > 0
        )
        await Meeting.update({Meeting.place: "Sal\x0c 3"}).where(
            Meeting.id == records.meeting["id"]
        )
        await Case.update({Case.title: "Ärende\x14 " + "x" * 280}).where(
            Case.id == records.case["id"]
        )
        await Initiative.update({Initiative.name: "Insats\x01"}).where(
            Initiative.id == world.initiative_a["id"]
        )
        await Proposal.update({Proposal.clauses: '["att\\u0001 bevilja"]'}).where(
            Proposal.case == records.case["id"]
        )

    asyncio.run(store())


def test_documents_with_stored_control_characters_are_made_without_them(
    browser: Browser, world: World, records: factories.Records
) -> None:
    """Kallelse, protokoll, tjänsteskrivelse, protokollsutdrag, ekonomi and the budget workbook:
    made (not a 500), the control characters left out, the rest of the text kept."""
    _stored_control_characters(records, world)
    _office(browser)
    for year in (2026, 2027, 2028):
        figures = {"member_contributions": 1000, "elected_members": 0, "administration": 0}
        assert browser.put(f"/api/economy/years/{year}", json=figures).status_code == 200
    meeting, case, decision = records.meeting["id"], records.case["id"], records.decision["id"]
    for path in (
        f"/api/meetings/{meeting}/kallelse.docx",
        f"/api/meetings/{meeting}/protokoll.docx",
        f"/api/cases/{case}/tjansteskrivelse.docx",
        f"/api/decisions/{decision}/protokollsutdrag.docx",
        f"/api/meetings/{meeting}/ekonomi.docx",
    ):
        response = browser.get(path)
        assert response.status_code == 200, (path, response.text)
        document = docx.Document(io.BytesIO(response.content))
        text = "\n".join(p.text for p in document.paragraphs)
        text += "\n".join(p.text for s in document.sections for p in s.footer.paragraphs)
        text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
        assert "Storgatan1" in text, path
        assert len(document.core_properties.title) <= 255
    assert "Sal 3" in "\n".join(
        p.text
        for p in docx.Document(
            io.BytesIO(browser.get(f"/api/meetings/{meeting}/kallelse.docx").content)
        ).paragraphs
    )
    budget = browser.get(f"/api/applications/{records.sent_a['id']}/budget.xlsx")
    assert budget.status_code == 200, budget.text
    openpyxl.load_workbook(io.BytesIO(budget.content))


def test_json_nested_deeper_than_any_form_is_a_400(browser: Browser, world: World) -> None:
    """100 000 levels (or goals nested 20 000 deep in a draft) are refused before parsing."""
    _office(browser)
    deep = b"[" * 100_000 + b"]" * 100_000
    _refused(_raw(browser, "POST", "/api/organisations", deep, JSON), 400, None, "nästlad")
    browser.api_login("agare@alfa.example")
    created = browser.post("/api/applications", json={"kind": "new", "insats_name": "Djup"})
    url = f"/api/applications/{created.json()['id']}/draft"
    goals = b'{"version": 1, "content": {"goals": ' + b"[" * 20_000 + b"]" * 20_000 + b"}}"
    _refused(_raw(browser, "PUT", url, goals, JSON), 400, None, "nästlad")


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_an_unexpected_error_answers_the_service_shape_with_a_reference_in_the_log() -> None:
    """A 500 is {status_code, message, field, errors} in Swedish, its reference also logged."""
    from litestar import Litestar, get
    from litestar.testing import TestClient

    from portfolio.core.web import EXCEPTION_HANDLERS

    @get("/api/boom", sync_to_thread=False)
    def boom() -> None:
        raise RuntimeError("a bug")

    kept = _Kept()
    logging.getLogger("finsam").addHandler(kept)
    try:
        with TestClient(Litestar([boom], exception_handlers=EXCEPTION_HANDLERS)) as client:
            response = client.get("/api/boom")
    finally:
        logging.getLogger("finsam").removeHandler(kept)
    assert response.status_code == 500
    body = response.json()
    assert set(body) == {"status_code", "message", "field", "errors", "reference"}
    reference = response.headers["x-error-reference"]
    assert body["reference"] == reference
    assert reference in body["message"] and "Något gick fel på servern" in body["message"]
    logged = [r for r in kept.records if reference in r.getMessage()]
    assert logged and logged[0].exc_info is not None


# -- silent acceptance ----------------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["text/plain", None, "application/x-www-form-urlencoded"])
def test_a_body_not_sent_as_json_is_refused_with_415_and_nothing_is_stored(
    browser: Browser, world: World, content_type: str | None
) -> None:
    _office(browser)
    headers = {"content-type": content_type} if content_type else {}
    response = _raw(
        browser, "POST", "/api/organisations", b'{"name": "Ny", "kind": "kommun"}', headers
    )
    _refused(response, 415, None, "JSON", "Content-Type: application/json")
    assert "Ny" not in _organisations()


def test_an_organisation_name_of_only_spaces_is_refused(browser: Browser, world: World) -> None:
    _office(browser)
    response = browser.post("/api/organisations", json={"name": "   ", "kind": "kommun"})
    _refused(response, 400, "name", "Namn", "måste fyllas i")
    assert "   " not in _organisations()


def test_zero_is_not_false(browser: Browser, world: World) -> None:
    _office(browser)
    response = browser.post(
        "/api/organisations", json={"name": "Noll", "kind": "kommun", "is_member": 0}
    )
    _refused(response, 400, "is_member", "true eller false")
    assert "Noll" not in _organisations()


@pytest.mark.parametrize("year", [0, -1, 1999, 2101, 99999])
def test_a_year_budget_outside_the_years_counted_with_is_refused(
    browser: Browser, world: World, year: int
) -> None:
    _office(browser)
    figures = {"member_contributions": 1000, "elected_members": 0, "administration": 0}
    response = browser.put(f"/api/economy/years/{year}", json=figures)
    assert response.status_code in (400, 422), response.text
    assert "2000" in response.json()["message"] and "2100" in response.json()["message"]
    assert all(y["year"] != year for y in browser.get("/api/economy/years").json())


def test_negative_contributions_are_refused_in_swedish(browser: Browser, world: World) -> None:
    _office(browser)
    figures = {"member_contributions": -1, "elected_members": 0, "administration": 0}
    _refused(
        browser.put("/api/economy/years/2027", json=figures),
        400,
        "member_contributions",
        "Medlemsbidrag kan inte vara negativt",
    )
    figures["member_contributions"] = 1_000_000_001
    _refused(
        browser.put("/api/economy/years/2027", json=figures),
        400,
        "member_contributions",
        "Medlemsbidrag får vara högst 1 000 000 000 kr.",
    )


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1900-06-30"])
def test_meeting_dates_outside_the_years_counted_with_are_refused(
    browser: Browser, world: World, day: str
) -> None:
    _office(browser)
    response = browser.post("/api/meetings", json={"body": "fs", "meeting_date": day})
    _refused(response, 400, "meeting_date", "Mötesdatum", "2000", "2100")
    assert browser.get("/api/meetings").json() == []


def test_an_insats_period_in_year_9999_is_refused(browser: Browser, world: World) -> None:
    _office(browser)
    url = f"/api/initiatives/{world.initiative_a['id']}"
    version = browser.get(url).json()["version"]
    response = browser.patch(url, json={"version": version, "period_end": "9999-12-31"})
    _refused(response, 400, "period_end", "Periodens slut", "2100")


def test_a_requisition_for_a_period_in_1900_is_refused(browser: Browser, world: World) -> None:
    browser.api_login("agare@alfa.example")
    claim = {
        "initiative_id": world.initiative_a["id"],
        "period_start": "1900-01-01",
        "period_end": "1900-03-31",
        "lines": [{"category": "salary", "amount": 1000}],
    }
    _refused(browser.post("/api/requisitions", json=claim), 400, "period_start", "2000")


def test_five_megabytes_of_text_in_a_draft_is_refused(browser: Browser, world: World) -> None:
    browser.api_login("agare@alfa.example")
    created = browser.post("/api/applications", json={"kind": "new", "insats_name": "Stor"})
    assert created.status_code == 201, created.text
    url = f"/api/applications/{created.json()['id']}/draft"
    huge = {"version": 1, "content": {"purpose": "x" * 5_000_000}}
    response = browser.put(url, json=huge)
    _refused(response, 413, None, "för stor")
    long = {"version": 1, "content": {"purpose": "x" * 20_001}}
    _refused(browser.put(url, json=long), 400, "content.purpose", "högst 20 000 tecken")
    title = {"version": 1, "content": {"insats_name": "x" * 256}}
    _refused(browser.put(url, json=title), 400, "content.insats_name", "högst 255 tecken")
    assert browser.get(url.removesuffix("/draft")).json()["content"]["purpose"] == ""


# -- unclear messages ----------------------------------------------------------------------


def test_malformed_json_bad_utf8_and_the_log_ins_415_say_what_is_wrong(
    browser: Browser, world: World
) -> None:
    _office(browser)
    _refused(
        _raw(browser, "POST", "/api/organisations", b'{"name": "x",', JSON),
        400,
        None,
        "inte giltig JSON",
    )
    _refused(
        _raw(browser, "POST", "/api/organisations", b'{"name": "\xff"}', JSON), 400, None, "UTF-8"
    )
    login = browser.client.post(
        "/api/auth/login", content=b"{}", headers={"content-type": "text/plain"}
    )
    _refused(login, 415, None, "JSON")


def test_refusals_name_the_field_and_the_rule_in_swedish(browser: Browser, world: World) -> None:
    _office(browser)
    _refused(
        browser.post("/api/organisations", json={"kind": "kommun"}),
        400,
        "name",
        "Namn måste fyllas i",
    )
    _refused(
        browser.post("/api/organisations", json={"name": "X" * 201, "kind": "kommun"}),
        400,
        "name",
        "Namn får vara högst 200 tecken.",
    )
    _refused(
        browser.post("/api/meetings", json={"body": "fs", "meeting_date": "i morgon"}),
        400,
        "meeting_date",
        "ÅÅÅÅ-MM-DD",
    )
    _refused(
        browser.post("/api/cases", json={"title": "X", "kind": "other", "year": "tjugo"}),
        400,
        "year",
        "År ska vara ett heltal.",
    )


# -- a poisoned mail ----------------------------------------------------------------------


@pytest.mark.parametrize("address", ["å\u202e@x.example", "åsa@kommun.example", "a b@c.example"])
def test_an_address_that_cannot_be_mailed_is_refused_when_saved(
    browser: Browser, world: World, address: str
) -> None:
    """Users and contacts: the part before @ must be ASCII (no SMTPUTF8), the refusal says so."""
    _office(browser)
    user = {"email": address, "name": "Ny", "password": "lösenord-123", "role": "office"}
    _refused(browser.post("/api/users", json=user), 400, "email", "e-post")
    contact = browser.post(
        f"/api/organisations/{world.kommun_a['id']}/contacts", json={"name": "Ny", "email": address}
    )
    _refused(contact, 400, "email", "e-post")


def test_an_internationalised_domain_is_a_valid_address(browser: Browser, world: World) -> None:
    _office(browser)
    user = {
        "email": "kim@bücher.example",
        "name": "Kim",
        "password": "lösenord-123",
        "role": "office",
    }
    created = browser.post("/api/users", json=user)
    assert created.status_code == 201, created.text


def test_a_failed_mail_shows_its_reason_on_utskick(
    browser: Browser, world: World, smtp_server: SmtpServer
) -> None:
    async def queue_two() -> None:
        async with write_transaction():
            for address in ("å\u202e@x.example", "ledamot@test.example"):
                await queue.enqueue(Message(address, "", "Kallelse", "Text"), MailKind.NOTICE)

    asyncio.run(queue_two())
    result = asyncio.run(send_pending(smtp_server.config))
    assert (result.sent, result.failed) == (1, 1)
    _office(browser)
    page = browser.get("/utskick")
    assert page.status_code == 200
    assert "SMTPUTF8" in page.text and "Misslyckades" in page.text


# -- one insats with odd dates -------------------------------------------------------------


def test_the_schedule_late_list_and_report_pages_answer_with_one_insats_dated_9999(
    browser: Browser, world: World
) -> None:
    async def odd() -> None:
        await Initiative.update(
            {
                Initiative.period_start: dt.date(1, 1, 1),
                Initiative.period_end: dt.date(9999, 12, 31),
            }
        ).where(Initiative.id == world.initiative_a["id"])
        await Initiative.update({Initiative.status: InitiativeStatus.RUNNING}).where(
            Initiative.id == world.initiative_b["id"]
        )

    asyncio.run(odd())
    _office(browser)
    schedule = browser.get("/api/reports/schedule", params={"on": "2027-06-01"})
    assert schedule.status_code == 200, schedule.text
    assert {s["initiative_id"] for s in schedule.json()} == {world.initiative_b["id"]}
    late = browser.get("/api/reports/late", params={"on": "2028-06-01"})
    assert late.status_code == 200 and late.json()
    for page in ("/rapporter", "/rapporter/forsenade"):
        response = browser.get(page)
        assert response.status_code == 200, (page, response.text[:300])


# -- the page forms ------------------------------------------------------------------------


def test_a_page_form_refuses_control_characters_beside_the_field(
    browser: Browser, world: World
) -> None:
    browser.page_login("kansli@test.example")
    response = browser.form_post(
        "/organisationer", "/organisationer", {"name": "Ny\u0001", "kind": "kommun"}
    )
    assert response.status_code == 422, response.text[:300]
    assert "U+0001" in response.text
    assert "Ny\u0001" not in _organisations()


def test_the_application_page_refuses_control_characters_and_years_like_the_api(
    browser: Browser, world: World
) -> None:
    """The draft's page form is parsed by hand: it applies the same checks, and the refused
    fields are not saved (the rest of the draft is, issue #19)."""
    browser.page_login("agare@alfa.example")
    browser.api_login("agare@alfa.example")
    draft = browser.post("/api/applications", json={"kind": "new", "insats_name": "Sida"}).json()
    edit = f"/ansokningar/{draft['id']}/redigera"
    form = {"version": str(draft["version"]), "insats_name": "Sida", "action": "save"}
    response = browser.form_post(
        edit, edit, form | {"purpose": "Syf\u0001te", "period_start": "9999-01-01"}
    )
    assert response.status_code == 422
    assert "U+0001" in response.text and "2100" in response.text
    assert browser.get(f"/api/applications/{draft['id']}").json()["content"]["purpose"] == ""


def test_a_nul_in_a_query_parameter_is_refused_alike_on_both_databases(
    browser: Browser, world: World
) -> None:
    """SQLite would search for it and PostgreSQL refuse it as "ett tal är för stort"."""
    _office(browser)
    _refused(browser.get("/api/audit", params={"entity": "a\u0000b"}), 400, "entity", "U+0000")
