"""The board's people as a register of their own: who is called to a meeting, and the kallelse
by e-mail to everyone called whether or not they have an account; decisions and completion
requests reach an organisation's contact persons too."""

from __future__ import annotations

import datetime as dt

import pytest

from portfolio.core.domain import AttendeeRole, Body, CaseKind, MeetingStatus
from portfolio.core.errors import ValidationFailed
from portfolio.core.tables import Contact
from portfolio.mail.domain import MailKind
from portfolio.mail.sender import send_pending
from portfolio.mail.tables import OutgoingMail
from portfolio.meetings import decision_services
from portfolio.meetings import queries as meetings_queries
from portfolio.meetings import services as meetings_services
from portfolio.meetings.decisions import DecisionOutcome
from portfolio.meetings.schemas import CaseCreate, DecisionIn, MeetingCreate, MeetingUpdate
from portfolio.register import people, queries
from portfolio.register.schemas import PersonCreate, PersonUpdate
from tests import factories
from tests.smtp import SmtpServer, smtp_server

__all__ = ["smtp_server"]


async def _register(w: factories.World) -> list[dict]:
    alfa, beta = w.kommun_a["id"], w.kommun_b["id"]
    return [
        await people.create_person(
            w.office,
            PersonCreate(
                name="Lisa Ledamot",
                role=AttendeeRole.CHAIR,
                email="lisa@alfa.example",
                organisation_id=alfa,
                term_start=dt.date(2027, 1, 1),
                term_end=dt.date(2030, 12, 31),
            ),
        ),
        await people.create_person(
            w.office,
            PersonCreate(
                name="Erik Ersättare",
                role=AttendeeRole.SUBSTITUTE,
                email="erik@beta.example",
                organisation_id=beta,
            ),
        ),
        await people.create_person(
            w.office,
            PersonCreate(
                name="Gammal Ledamot",
                email="gammal@alfa.example",
                organisation_id=alfa,
                term_end=dt.date(2026, 12, 31),
            ),
        ),
        await people.create_person(
            w.office,
            PersonCreate(
                name="Bo Ledamot",
                email="ledamot@test.example",
                user_id=w.board.user_id,
                organisation_id=alfa,
            ),
        ),
    ]


async def test_people_are_audited_and_checked() -> None:
    """Adding and changing a person is audited; a typo in the e-mail or a term ending before it
    starts is refused."""
    w = await factories.world()
    lisa, *_ = await _register(w)
    assert lisa["organisation_name"] == "Alfa kommun"
    updated = await people.update_person(
        w.office, lisa["id"], PersonUpdate(version=1, email="lisa.ny@alfa.example")
    )
    assert updated["version"] == 2
    entries = await queries.audit_rows(entity="board_person")
    assert len(entries) == 5 and entries[0]["action"] == "update"
    with pytest.raises(ValidationFailed) as refused:
        await people.create_person(
            w.office,
            PersonCreate(
                name="Fel",
                email="fel.example",
                term_start=dt.date(2027, 1, 1),
                term_end=dt.date(2026, 1, 1),
            ),
        )
    assert {p.field for p in refused.value.problems} == {"email", "term_end"}


async def test_a_meeting_calls_the_register_and_the_kallelse_reaches_those_without_accounts(
    smtp_server: SmtpServer,
) -> None:
    """The attendance list is drawn from the register (terms covering the day); the kallelse
    is mailed to the two members without an account as well as to the one with."""
    w = await factories.world()
    await _register(w)
    meeting = await meetings_services.create_meeting(
        w.office, MeetingCreate(body=Body.BOARD, meeting_date=dt.date(2027, 3, 10))
    )
    called = await meetings_queries.attendees(meeting["id"])
    assert [(a["name"], a["organisation"], a["role"]) for a in called] == [
        ("Lisa Ledamot", "Alfa kommun", AttendeeRole.CHAIR),
        ("Bo Ledamot", "Alfa kommun", AttendeeRole.MEMBER),
        ("Erik Ersättare", "Beta kommun", AttendeeRole.SUBSTITUTE),
    ]
    await meetings_services.update_meeting(
        w.office, meeting["id"], MeetingUpdate(version=1, status=MeetingStatus.NOTICE_SENT)
    )
    rows = await OutgoingMail.select().where(OutgoingMail.kind == MailKind.NOTICE)
    assert sorted(r["recipient_email"] for r in rows) == [
        "erik@beta.example",
        "ledamot@test.example",
        "lisa@alfa.example",
    ]
    assert all(r["note"] == "" for r in rows)
    await send_pending(smtp_server.config)
    assert sorted(r for m in smtp_server.collector.received for r in m.recipients) == [
        "erik@beta.example",
        "ledamot@test.example",
        "lisa@alfa.example",
    ]
    mail = smtp_server.collector.to("erik@beta.example")[0]
    assert "Hej Erik Ersättare!" in mail.text
    assert mail.attachments()[0][0] == "Kallelse 2027-03-10.pdf"


async def test_a_decision_reaches_the_owner_and_the_organisations_contact_persons() -> None:
    """The lead organisation's insatsägare and its contact person are both told of a decision."""
    w = await factories.world()
    await Contact.insert(
        Contact(organisation=w.kommun_a["id"], name="Karin Kontakt", email="karin@alfa.example")
    )
    fs = await meetings_services.create_meeting(
        w.office, MeetingCreate(body=Body.BOARD, meeting_date=dt.date(2026, 12, 10))
    )
    case = await meetings_services.create_case(
        w.office,
        CaseCreate(
            title="Ansökan",
            kind=CaseKind.APPLICATION,
            initiative_id=w.initiative_a["id"],
            year=2026,
        ),
    )
    await meetings_services.add_to_agenda(w.office, fs["id"], case["id"])
    await decision_services.record_decision(
        w.office,
        fs["id"],
        DecisionIn(
            case_id=case["id"],
            outcome=DecisionOutcome.REJECTED,
            clauses=["att avslå"],
            immediately_approved=True,  # its extract goes at once, not at justering (#17)
        ),
    )
    rows = await OutgoingMail.select().where(OutgoingMail.kind == MailKind.DECISION)
    assert sorted(r["recipient_email"] for r in rows) == [
        "agare@alfa.example",
        "karin@alfa.example",
    ]
