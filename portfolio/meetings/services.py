"""Use cases for meetings, attendance, cases (Dnr allocation), agendas and the board's own notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from portfolio.accounts import queries as accounts_queries
from portfolio.accounts.permissions import can_manage, require
from portfolio.core import audit
from portfolio.core.db import write_transaction
from portfolio.core.domain import (
    MEETING_TRANSITIONS,
    AttendeeRole,
    FieldProblem,
    MeetingStatus,
    Principal,
    Role,
    format_case_number,
)
from portfolio.core.errors import Conflict, NotFound, ValidationFailed
from portfolio.core.formatting import format_date_iso
from portfolio.core.rows import _columns
from portfolio.core.schemas import set_fields
from portfolio.core.tables import (
    AgendaItem,
    Case,
    CaseCounter,
    CaseNote,
    Decision,
    Meeting,
    MeetingAttendee,
)
from portfolio.core.versioning import update_versioned
from portfolio.meetings import notices as notifications
from portfolio.meetings import queries as meetings_queries
from portfolio.meetings.queries import attendees, get_case, get_meeting
from portfolio.meetings.schemas import (
    AttendanceIn,
    CaseCreate,
    MeetingCreate,
    MeetingUpdate,
)
from portfolio.register import people
from portfolio.register.services import get_initiative


async def create_meeting(actor: Principal, data: MeetingCreate) -> dict[str, Any]:
    """A new meeting, with every active board member called to it (the office adjusts the list)."""
    require(can_manage(actor))
    async with write_transaction():
        row = (
            await Meeting.insert(Meeting(**msgspec.structs.asdict(data))).returning(
                *Meeting._meta.columns
            )
        )[0]
        called = await people.person_rows(on=data.meeting_date)
        board = [
            u for u in await accounts_queries.user_rows() if u["role"] == Role.BOARD and u["active"]
        ]
        if called:
            # The register of the board's people, whose terms cover the day, account or not.
            await MeetingAttendee.insert(
                *[
                    MeetingAttendee(
                        meeting=row["id"],
                        user=p["user"],
                        person=p["id"],
                        name=p["name"],
                        organisation=p["organisation_name"] or "",
                        role=p["role"],
                        position=index,
                    )
                    for index, p in enumerate(called)
                ]
            )
        elif board:
            await MeetingAttendee.insert(
                *[
                    MeetingAttendee(
                        meeting=row["id"],
                        user=u["id"],
                        name=u["name"],
                        role=role_from_title(u["title"]),
                        position=index,
                    )
                    for index, u in enumerate(board)
                ]
            )
        await audit.record(actor, "create", "meeting", row["id"], None, row)
    return row


async def save_attendance(
    actor: Principal, meeting_id: int, data: AttendanceIn
) -> list[dict[str, Any]]:
    """Replace the list of who is called and who came; refused once the minutes are justerat."""
    require(can_manage(actor))
    async with write_transaction():
        meeting = await get_meeting(meeting_id)
        if meeting["status"] == MeetingStatus.APPROVED:
            raise Conflict("Protokollet är justerat; närvaron kan inte ändras.", field="attendees")
        before = await attendees(meeting_id)
        # The meeting's version guards the list: two people taking attendance never overwrite.
        await update_versioned(Meeting, meeting_id, data.version, {}, what="Mötet")
        await MeetingAttendee.delete().where(MeetingAttendee.meeting == meeting_id)
        if data.attendees:
            await MeetingAttendee.insert(
                *[
                    MeetingAttendee(
                        meeting=meeting_id,
                        user=a.user_id,
                        person=a.person_id,
                        name=a.name.strip(),
                        organisation=a.organisation.strip(),
                        role=a.role,
                        invited=a.invited,
                        present=a.present,
                        position=index,
                    )
                    for index, a in enumerate(data.attendees)
                ]
            )
        after = await attendees(meeting_id)
        present = sum(1 for a in after if a["present"])
        await audit.record(
            actor,
            "update",
            "attendance",
            meeting_id,
            {"attendees": [a["name"] for a in before]},
            {"attendees": [a["name"] for a in after]},
            summary=f"Närvaro: {present} av {len(after)} närvarande",
        )
    return after


async def update_meeting(
    actor: Principal, meeting_id: int, update: MeetingUpdate
) -> dict[str, Any]:
    """Edit a meeting; its status moves forward one step at a time (planned → … → justerat)."""
    require(can_manage(actor))
    async with write_transaction():
        before = await get_meeting(meeting_id)
        values = set_fields(update)
        if "status" in values:
            current, target = MeetingStatus(before["status"]), MeetingStatus(str(values["status"]))
            if target != current and target not in MEETING_TRANSITIONS[current]:
                raise ValidationFailed(
                    [FieldProblem("status", "Mötet kan inte gå till den statusen härifrån.")]
                )
        if before["status"] == MeetingStatus.APPROVED:
            raise Conflict("Protokollet är justerat; mötet kan inte ändras.", field="status")
        if values.get("status") == MeetingStatus.APPROVED:
            checker = values.get("checker", before["checker"])
            if not str(checker).strip():
                raise ValidationFailed(
                    [FieldProblem("checker", "Ange justerare innan protokollet justeras.")]
                )
        values.update(_dated_steps(before, values))
        after = await update_versioned(
            Meeting, meeting_id, update.version, _columns(Meeting, values), what="Mötet"
        )
        await audit.record(actor, "update", "meeting", meeting_id, before, after)
        if (
            before["status"] == MeetingStatus.PLANNED
            and after["status"] == MeetingStatus.NOTICE_SENT
        ):
            await notifications.meeting_notice(actor, meeting_id)
        if before["status"] != MeetingStatus.APPROVED and after["status"] == MeetingStatus.APPROVED:
            # The minutes are justerade: each decision's extract goes to its owner, now final
            # (a paragraph declared omedelbart justerad went when it was recorded).
            for decision in (
                await Decision.select(Decision.id)
                .where((Decision.meeting == meeting_id) & (Decision.immediately_approved.eq(False)))
                .order_by(Decision.paragraph)
            ):
                await notifications.decision_recorded(actor, decision["id"])
    return after


def _dated_steps(before: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A meeting is held on or after its date and justerat on or after it was held, never in
    the future; the justering date is the one given or today. Refusals name the dates."""
    today = dt.date.today()
    meeting_date = values.get("meeting_date", before["meeting_date"])
    target = values.get("status", before["status"])
    approved_on = values.pop("approved_on", None)
    held_now = target == MeetingStatus.HELD and before["status"] != MeetingStatus.HELD
    if held_now and meeting_date > today:
        raise ValidationFailed(
            [
                FieldProblem(
                    "status",
                    f"Mötet är den {format_date_iso(meeting_date)}; det kan inte markeras "
                    "som hållet före sitt datum.",
                )
            ]
        )
    if target != MeetingStatus.APPROVED or before["status"] == MeetingStatus.APPROVED:
        if approved_on is not None:
            raise ValidationFailed(
                [FieldProblem("approved_on", "Justeringsdatum anges när protokollet justeras.")]
            )
        return {}
    approved_on = approved_on or today
    if approved_on < meeting_date:
        raise ValidationFailed(
            [
                FieldProblem(
                    "approved_on",
                    f"Protokollet kan inte justeras före mötet den {format_date_iso(meeting_date)}.",
                )
            ]
        )
    if approved_on > today:
        raise ValidationFailed(
            [FieldProblem("approved_on", "Justeringsdatum kan inte ligga i framtiden.")]
        )
    return {"approved_on": approved_on}


async def next_case_number(year: int) -> int:
    """The next Dnr number of the year: one statement that takes the counter's row lock.

    Run inside the transaction that inserts the case, so a failed insert rolls the counter back
    (no gaps), and a concurrent allocation waits for this one to commit (no duplicates).
    """
    rows = await CaseCounter.raw(
        "INSERT INTO case_counter (year, last_number) VALUES ({}, 1) "
        "ON CONFLICT (year) DO UPDATE SET last_number = case_counter.last_number + 1 "
        "RETURNING last_number",
        year,
    )
    return int(rows[0]["last_number"])


async def given_case_number(year: int | None, number: int) -> int:
    """A past case's Dnr as given: free in its year, and the year's counter moved up to it so
    that new numbers continue after the highest (run in the transaction inserting the case)."""
    if year is None:
        raise ValidationFailed([FieldProblem("year", "Ange årtalet i diarienumret.")])
    # The counter's row lock first: two registering the same Dnr at once then queue here.
    await CaseCounter.raw(
        "INSERT INTO case_counter (year, last_number) VALUES ({}, {}) "
        "ON CONFLICT (year) DO UPDATE SET last_number = CASE "
        "WHEN case_counter.last_number < excluded.last_number THEN excluded.last_number "
        "ELSE case_counter.last_number END",
        year,
        number,
    )
    if await Case.exists().where((Case.year == year) & (Case.number == number)):
        raise Conflict(
            f"Diarienumret {format_case_number(year, number)} finns redan.", field="number"
        )
    return number


async def create_case(actor: Principal, data: CaseCreate) -> dict[str, Any]:
    require(can_manage(actor))
    year = data.year or dt.date.today().year
    async with write_transaction():
        initiative_id = data.initiative_id
        if data.application_id is not None:
            from applications.queries import application_row

            application = await application_row(data.application_id)
            if application is None:
                raise ValidationFailed([FieldProblem("application_id", "Ansökan finns inte.")])
            # The case of an application concerns that application's insats.
            initiative_id = initiative_id or application["initiative"]
        if initiative_id is not None:
            await get_initiative(actor, initiative_id)
        if data.number is not None:
            number = await given_case_number(data.year, data.number)
        else:
            number = await next_case_number(year)
        row = (
            await Case.insert(
                Case(
                    year=year,
                    number=number,
                    case_number=format_case_number(year, number),
                    title=data.title.strip(),
                    kind=data.kind,
                    initiative=initiative_id,
                    application=data.application_id,
                )
            ).returning(*Case._meta.columns)
        )[0]
        await audit.record(actor, "create", "case", row["id"], None, row, row["case_number"])
    return row


async def add_to_agenda(
    actor: Principal, meeting_id: int, case_id: int, attachments: int = 1
) -> list[dict[str, Any]]:
    """Put a case last on a meeting's agenda (a case goes on the AU's agenda, then the FS's)."""
    require(can_manage(actor))
    async with write_transaction():
        meeting = await get_meeting(meeting_id)
        if meeting["status"] in (MeetingStatus.HELD, MeetingStatus.APPROVED):
            raise Conflict(
                "Mötet är redan hållet; dagordningen kan inte ändras.", field="meeting_id"
            )
        await get_case(case_id)
        items = await meetings_queries.agenda_rows(meeting_id)
        if any(item["case"] == case_id for item in items):
            raise Conflict("Ärendet står redan på dagordningen.", field="case_id")
        row = (
            await AgendaItem.insert(
                AgendaItem(
                    meeting=meeting_id,
                    case=case_id,
                    position=len(items) + 1,
                    attachments=max(attachments, 0),
                )
            ).returning(*AgendaItem._meta.columns)
        )[0]
        await audit.record(actor, "create", "agenda_item", row["id"], None, row)
    return await meetings_queries.agenda_rows(meeting_id)


async def move_agenda_item(
    actor: Principal, meeting_id: int, item_id: int, steps: int
) -> list[dict[str, Any]]:
    """Move an item up (negative) or down; the other items close up so positions stay 1..n."""
    require(can_manage(actor))
    async with write_transaction():
        meeting = await get_meeting(meeting_id)
        if meeting["status"] in (MeetingStatus.HELD, MeetingStatus.APPROVED):
            # The order is the minutes' § numbering: fixed once the meeting has been held.
            raise Conflict("Mötet är genomfört; dagordningen kan inte ändras.", field="meeting_id")
        items = await meetings_queries.agenda_rows(meeting_id)
        ids = [item["id"] for item in items]
        if item_id not in ids:
            raise NotFound("Punkten finns inte på dagordningen.")
        index = ids.index(item_id)
        ids.insert(max(0, min(len(ids) - 1, index + steps)), ids.pop(index))
        for position, moved in enumerate(ids, start=1):
            await AgendaItem.update({AgendaItem.position: position}).where(AgendaItem.id == moved)
        await audit.record(
            actor,
            "update",
            "agenda",
            meeting_id,
            {"order": [i["id"] for i in items]},
            {"order": ids},
        )
    return await meetings_queries.agenda_rows(meeting_id)


# -- private notes ------------------------------------------------------------------------


async def case_note(actor: Principal, case_id: int) -> str:
    """The signed-in person's own note on a case (nobody else's, the office's neither)."""
    await get_case(case_id)
    row = (
        await CaseNote.select(CaseNote.text)
        .where((CaseNote.user == actor.user_id) & (CaseNote.case == case_id))
        .first()
    )
    return str(row["text"]) if row else ""


async def save_case_note(actor: Principal, case_id: int, text: str) -> str:
    """Keep a private note; it is tied to the case, so it survives a late replacement of its papers.

    The audit trail records who and when, never the text: the note is the member's own.
    """
    await get_case(case_id)
    async with write_transaction():
        existing = (
            await CaseNote.select(CaseNote.id)
            .where((CaseNote.user == actor.user_id) & (CaseNote.case == case_id))
            .first()
        )
        if existing is None:
            await CaseNote.insert(CaseNote(user=actor.user_id, case=case_id, text=text))
        else:
            await CaseNote.update(
                {CaseNote.text: text, CaseNote.updated_at: dt.datetime.now(dt.UTC)}
            ).where(CaseNote.id == existing["id"])
        await audit.record(
            actor, "update", "case_note", case_id, summary="Privat anteckning sparad"
        )
    return text


def role_from_title(title: str) -> AttendeeRole:
    """A board member's part from their title in the register: "Vice ordförande" and so on."""
    text = title.strip().lower()
    if text.startswith("vice ordförande"):
        return AttendeeRole.VICE_CHAIR
    if text.startswith("ordförande"):
        return AttendeeRole.CHAIR
    if text.startswith("ersättare"):
        return AttendeeRole.SUBSTITUTE
    return AttendeeRole.MEMBER
