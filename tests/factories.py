"""Plain helpers that put rows straight into the database for a test to start from."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from applications import attachment_services
from portfolio.accounts.passwords import hash_password
from portfolio.core.domain import (
    InitiativeKind,
    InitiativeStatus,
    OrganisationKind,
    PartyRole,
    Principal,
    Role,
)
from portfolio.core.tables import Association, Initiative, InitiativeParty, Organisation, User

PASSWORD = "rätt-lösenord-123"
# Hashing is deliberately slow; hash the shared test password once.
PASSWORD_HASH = hash_password(PASSWORD)


async def association(name: str = "Samordningsförbundet Test") -> dict[str, Any]:
    rows = await Association.insert(Association(name=name, director_name="Eva Chef")).returning(
        *Association._meta.columns
    )
    return rows[0]


async def organisation(
    name: str,
    kind: OrganisationKind = OrganisationKind.KOMMUN,
    is_member: bool = True,
    share: int | None = None,
) -> dict[str, Any]:
    rows = await Organisation.insert(
        Organisation(name=name, kind=kind, is_member=is_member, contribution_share=share)
    ).returning(*Organisation._meta.columns)
    return rows[0]


async def user(
    email: str, role: Role, organisation_id: int | None = None, name: str = ""
) -> Principal:
    rows = await User.insert(
        User(
            email=email,
            name=name or email.split("@")[0].title(),
            role=role,
            organisation=organisation_id,
            password_hash=PASSWORD_HASH,
        )
    ).returning(User.id)
    return Principal(
        user_id=rows[0]["id"],
        email=email,
        name=name or email,
        role=role,
        organisation_id=organisation_id,
    )


async def initiative(
    name: str,
    lead_owner_id: int,
    status: InitiativeStatus = InitiativeStatus.RUNNING,
    partners: tuple[int, ...] = (),
) -> dict[str, Any]:
    rows = await Initiative.insert(
        Initiative(
            name=name,
            kind=InitiativeKind.INDIVIDUAL,
            status=status,
            lead_owner=lead_owner_id,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2027, 12, 31),
        )
    ).returning(*Initiative._meta.columns)
    for org_id in partners:
        await InitiativeParty.insert(
            InitiativeParty(initiative=rows[0]["id"], organisation=org_id, role=PartyRole.PARTNER)
        )
    return rows[0]


class World:
    """A small association: office, board, and owners in two kommuner, each with an insats."""

    office: Principal
    board: Principal
    owner_a: Principal
    owner_b: Principal
    fk: dict[str, Any]
    kommun_a: dict[str, Any]
    kommun_b: dict[str, Any]
    initiative_a: dict[str, Any]
    initiative_b: dict[str, Any]


async def world() -> World:
    w = World()
    await association()
    w.fk = await organisation("Försäkringskassan", OrganisationKind.FK)
    w.kommun_a = await organisation("Alfa kommun", share=6000)
    w.kommun_b = await organisation("Beta kommun", share=4000)
    w.office = await user("kansli@test.example", Role.OFFICE, name="Kim Kansli")
    w.board = await user("ledamot@test.example", Role.BOARD, name="Bo Ledamot")
    w.owner_a = await user("agare@alfa.example", Role.OWNER, w.kommun_a["id"], name="Ada Ägare")
    w.owner_b = await user("agare@beta.example", Role.OWNER, w.kommun_b["id"], name="Bea Ägare")
    w.initiative_a = await initiative("Alfa-insatsen", w.kommun_a["id"], partners=(w.fk["id"],))
    w.initiative_b = await initiative("Beta-insatsen", w.kommun_b["id"], InitiativeStatus.APPLIED)
    return w


# Text put into organisation A's private things: a refused response must never contain it.
SECRET = "HEMLIG-ALFA"


class Records:
    """Organisation A's things of every kind a route can name, for the authorization matrix."""

    contact_a: dict[str, Any]
    draft_a: dict[str, Any]  # a draft application: only A and the office may see it
    sent_a: dict[str, Any]  # a submitted application with a frozen version
    draft_attachment: dict[str, Any]
    sent_attachment: dict[str, Any]
    meeting: dict[str, Any]  # a board meeting with A's case on its agenda, decided
    case: dict[str, Any]
    agenda_item: dict[str, Any]
    decision: dict[str, Any]
    condition: dict[str, Any]
    party: dict[str, Any]
    report_draft: dict[str, Any]  # a draft report: only A and the office may see it
    report_sent: dict[str, Any]  # a handed-in report, which the board may read too
    requisition: dict[str, Any]
    mail: dict[str, Any]  # a mail to owner A, with a PDF attached
    mail_attachment: dict[str, Any]
    person: dict[str, Any]  # a board member in the register, without an account


def _pdf(text: str) -> bytes:
    return f"%PDF-1.4\n% {text}\n%%EOF\n".encode()


async def records(w: World) -> Records:
    """Drafts, a sent-in application, attachments, a decided case: all organisation A's."""
    from applications import services as application_services
    from applications.domain import ApplicationKind, ApplicationStatus
    from applications.tables import Application, ApplicationVersion
    from portfolio.core.db import write_transaction
    from portfolio.core.domain import Body, CaseKind, ConditionKind
    from portfolio.core.tables import Contact
    from portfolio.mail import queue
    from portfolio.mail.domain import Attachment, MailKind, Message
    from portfolio.mail.tables import MailAttachment
    from portfolio.meetings import decision_services as meetings_decision_services
    from portfolio.meetings import proposals as meetings_proposals
    from portfolio.meetings import services as meetings_services
    from portfolio.meetings.decisions import DecisionOutcome
    from portfolio.meetings.schemas import CaseCreate, DecisionIn, MeetingCreate
    from portfolio.register.schemas import ConditionCreate
    from portfolio.register.services import add_condition
    from reports.domain import ReportContent, ReportKind, ReportStatus
    from reports.tables import Report, Requisition

    r = Records()
    r.contact_a = (
        await Contact.insert(
            Contact(organisation=w.kommun_a["id"], name=f"{SECRET} Kontakt", email="k@alfa.example")
        ).returning(*Contact._meta.columns)
    )[0]
    party = (
        await InitiativeParty.select()
        .where(InitiativeParty.initiative == w.initiative_a["id"])
        .first()
    )
    assert party is not None
    r.party = party
    apps = []
    for title in (f"{SECRET} utkast", f"{SECRET} inskickad"):
        created = await application_services.create_application(
            w.owner_a, ApplicationKind.EXTENSION, initiative_id=w.initiative_a["id"]
        )
        await Application.update({Application.title: title}).where(Application.id == created["id"])
        attachment = await attachment_services.add_attachment(
            w.owner_a, created["id"], f"{title}.pdf", _pdf(f"{SECRET} {title}")
        )
        apps.append((created, attachment))
    (r.draft_a, r.draft_attachment), (r.sent_a, r.sent_attachment) = apps
    await Application.update({Application.status: ApplicationStatus.SUBMITTED}).where(
        Application.id == r.sent_a["id"]
    )
    await ApplicationVersion.insert(
        ApplicationVersion(
            application=r.sent_a["id"],
            number=1,
            content=application_services.encode_content(r.sent_a["content"]),
            submitted_by=w.owner_a.user_id,
        )
    )
    r.meeting = await meetings_services.create_meeting(
        w.office, MeetingCreate(body=Body.BOARD, meeting_date=dt.date(2026, 12, 10))
    )
    r.case = await meetings_services.create_case(
        w.office,
        CaseCreate(
            title=f"Ansökan {SECRET}",
            kind=CaseKind.APPLICATION,
            initiative_id=w.initiative_a["id"],
            application_id=r.sent_a["id"],
            year=2026,
        ),
    )
    r.agenda_item = (
        await meetings_services.add_to_agenda(w.office, r.meeting["id"], r.case["id"], 1)
    )[0]
    await meetings_proposals.draft_proposal(w.office, r.case["id"])
    r.decision = await meetings_decision_services.record_decision(
        w.office,
        r.meeting["id"],
        DecisionIn(
            case_id=r.case["id"],
            outcome=DecisionOutcome.GRANTED,
            clauses=["att bevilja 100 000 kronor."],
            amount=100_000,
            period_start=dt.date(2027, 1, 1),
            period_end=dt.date(2027, 12, 31),
        ),
    )
    r.condition = await add_condition(
        w.office,
        w.initiative_a["id"],
        ConditionCreate(kind=ConditionKind.FREE_TEXT, text=f"{SECRET} villkor"),
    )
    reports = []
    for quarter, status in ((1, ReportStatus.DRAFT), (2, ReportStatus.SUBMITTED)):
        content = ReportContent(narrative=f"{SECRET} berättelse {quarter}")
        reports.append(
            (
                await Report.insert(
                    Report(
                        initiative=w.initiative_a["id"],
                        organisation=w.kommun_a["id"],
                        kind=ReportKind.QUARTERLY,
                        year=2027,
                        quarter=quarter,
                        period_start=dt.date(2027, 3 * quarter - 2, 1),
                        period_end=dt.date(2027, 3 * quarter, 28),
                        status=status,
                        content=msgspec.json.encode(content).decode(),
                    )
                ).returning(*Report._meta.columns)
            )[0]
        )
    r.report_draft, r.report_sent = reports
    r.requisition = (
        await Requisition.insert(
            Requisition(
                initiative=w.initiative_a["id"],
                organisation=w.kommun_a["id"],
                period_start=dt.date(2027, 1, 1),
                period_end=dt.date(2027, 3, 31),
                year=2027,
                amount=10_000,
                lines='[{"category": "salary", "amount": 10000}]',
                note=f"{SECRET} rekvisition",
            )
        ).returning(*Requisition._meta.columns)
    )[0]
    async with write_transaction():
        mail_id = await queue.enqueue(
            Message(
                w.owner_a.email,
                w.owner_a.name,
                f"{SECRET} utskick",
                f"{SECRET} text",
                (Attachment("Kallelse.pdf", "application/pdf", _pdf(f"{SECRET} bilaga")),),
            ),
            MailKind.NOTICE,
            recipient_user=w.owner_a.user_id,
            organisation=w.kommun_a["id"],
        )
    r.mail = {"id": mail_id}
    attachments = await MailAttachment.select(MailAttachment.id).where(
        MailAttachment.mail == mail_id
    )
    r.mail_attachment = dict(attachments[0])
    from portfolio.core.tables import BoardPerson

    person = await BoardPerson.insert(
        BoardPerson(name="Per Person", email="per@alfa.example", organisation=w.kommun_a["id"])
    ).returning(BoardPerson.id)
    r.person = dict(person[0])
    return r
