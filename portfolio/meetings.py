"""Meeting use cases: plan meetings, register cases with their Dnr, and build agendas."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from portfolio import audit, queries
from portfolio.db import write_transaction
from portfolio.documents.models import AgendaEntry, Attendee, Letterhead, NoticeDocument, Signature
from portfolio.domain import (
    BODY_LABELS,
    CASE_KIND_LABELS,
    MEETING_TRANSITIONS,
    Body,
    CaseKind,
    FieldProblem,
    MeetingStatus,
    Principal,
    Role,
    format_case_number,
)
from portfolio.errors import Conflict, NotFound, ValidationFailed
from portfolio.permissions import can_manage
from portfolio.schemas import CaseCreate, MeetingCreate, MeetingUpdate, set_fields
from portfolio.services import _columns, get_initiative, require
from portfolio.tables import AgendaItem, Case, CaseCounter, Meeting
from portfolio.versioning import update_versioned


async def get_meeting(meeting_id: int) -> dict[str, Any]:
    row = await queries.meeting_row(meeting_id)
    if row is None:
        raise NotFound("Mötet finns inte.")
    return row


async def create_meeting(actor: Principal, data: MeetingCreate) -> dict[str, Any]:
    require(can_manage(actor))
    async with write_transaction():
        row = (
            await Meeting.insert(Meeting(**msgspec.structs.asdict(data))).returning(
                *Meeting._meta.columns
            )
        )[0]
        await audit.record(actor, "create", "meeting", row["id"], None, row)
    return row


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
        after = await update_versioned(
            Meeting, meeting_id, update.version, _columns(Meeting, values), what="Mötet"
        )
        await audit.record(actor, "update", "meeting", meeting_id, before, after)
    return after


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


async def create_case(actor: Principal, data: CaseCreate) -> dict[str, Any]:
    require(can_manage(actor))
    year = data.year or dt.date.today().year
    async with write_transaction():
        if data.initiative_id is not None:
            await get_initiative(actor, data.initiative_id)
        number = await next_case_number(year)
        row = (
            await Case.insert(
                Case(
                    year=year,
                    number=number,
                    case_number=format_case_number(year, number),
                    title=data.title.strip(),
                    kind=data.kind,
                    initiative=data.initiative_id,
                    application=data.application_id,
                )
            ).returning(*Case._meta.columns)
        )[0]
        await audit.record(actor, "create", "case", row["id"], None, row, row["case_number"])
    return row


async def get_case(case_id: int) -> dict[str, Any]:
    row = await queries.case_row(case_id)
    if row is None:
        raise NotFound("Ärendet finns inte.")
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
        items = await queries.agenda_rows(meeting_id)
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
    return await queries.agenda_rows(meeting_id)


async def move_agenda_item(
    actor: Principal, meeting_id: int, item_id: int, steps: int
) -> list[dict[str, Any]]:
    """Move an item up (negative) or down; the other items close up so positions stay 1..n."""
    require(can_manage(actor))
    async with write_transaction():
        items = await queries.agenda_rows(meeting_id)
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
    return await queries.agenda_rows(meeting_id)


def _clock(text: str) -> dt.time | None:
    if not text:
        return None
    hours, minutes = text.replace(":", ".").split(".")
    return dt.time(int(hours), int(minutes))


async def letterhead() -> Letterhead:
    association = await queries.association_row() or {}
    return Letterhead(
        name=association.get("name", ""),
        org_number=association.get("org_number", ""),
        address=association.get("address", ""),
        postal_address=association.get("postal_address", ""),
        email=association.get("email", ""),
        phone=association.get("phone", ""),
    )


async def notice_document(meeting_id: int) -> NoticeDocument:
    """The kallelse with its föredragningslista, from the meeting, its agenda and the board."""
    meeting = await get_meeting(meeting_id)
    association = await queries.association_row() or {}
    invited = [
        Attendee(name=row["name"], role=row["title"] or "ledamot")
        for row in await queries.user_rows()
        if row["role"] == Role.BOARD and row["active"]
    ]
    agenda = [
        AgendaEntry(
            number=item["position"],
            title=item["title"],
            case_number=item["case_number"],
            attachment_label=item["attachment_label"] if item["attachments"] else "",
            kind_label=CASE_KIND_LABELS[CaseKind(item["kind"])],
        )
        for item in await queries.agenda_rows(meeting_id)
    ]
    return NoticeDocument(
        letterhead=await letterhead(),
        body=BODY_LABELS[Body(meeting["body"])] + (" – extra möte" if meeting["extra"] else ""),
        meeting_date=meeting["meeting_date"],
        start_time=_clock(meeting["start_time"]),
        end_time=_clock(meeting["end_time"]),
        place=meeting["place"],
        invited=invited,
        agenda=agenda,
        note="Förhinder anmäls till förbundschefen.",
        signature=Signature(name=association.get("director_name", ""), title="Förbundschef"),
    )
