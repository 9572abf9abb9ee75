"""Reads of meetings, attendance, cases, agendas, proposals and decisions (a missing one is NotFound)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from portfolio.core.domain import (
    AttendeeRole,
    attachment_label,
)
from portfolio.core.errors import NotFound
from portfolio.core.tables import (
    AgendaItem,
    Case,
    Commitment,
    Decision,
    Meeting,
    MeetingAttendee,
    Proposal,
)
from portfolio.meetings.votes import Vote, tally


async def meeting_rows(upcoming_from: dt.date | None = None) -> list[dict[str, Any]]:
    query = Meeting.select().order_by(Meeting.meeting_date, ascending=upcoming_from is not None)
    if upcoming_from is not None:
        query = query.where(Meeting.meeting_date >= upcoming_from)
    return await query


async def meeting_row(meeting_id: int) -> dict[str, Any] | None:
    return await Meeting.select().where(Meeting.id == meeting_id).first()


async def case_rows(year: int | None = None) -> list[dict[str, Any]]:
    query = (
        Case.select(*Case._meta.columns, Case.initiative.name.as_alias("initiative_name"))
        .order_by(Case.year, ascending=False)
        .order_by(Case.number, ascending=False)
    )
    if year is not None:
        query = query.where(Case.year == year)
    return await query


async def case_row(case_id: int) -> dict[str, Any] | None:
    return await Case.select().where(Case.id == case_id).first()


async def agenda_rows(meeting_id: int) -> list[dict[str, Any]]:
    """The agenda in order, with each case's Dnr, title and kind, and the attachment label."""
    rows = await (
        AgendaItem.select(
            *AgendaItem._meta.columns,
            AgendaItem.case.case_number.as_alias("case_number"),
            AgendaItem.case.title.as_alias("title"),
            AgendaItem.case.kind.as_alias("kind"),
        )
        .where(AgendaItem.meeting == meeting_id)
        .order_by(AgendaItem.position)
    )
    return [
        {**row, "attachment_label": attachment_label(row["position"], row["attachments"])}
        for row in rows
    ]


async def get_meeting(meeting_id: int) -> dict[str, Any]:
    row = await meeting_row(meeting_id)
    if row is None:
        raise NotFound("Mötet finns inte.")
    return row


async def attendees(meeting_id: int) -> list[dict[str, Any]]:
    """Who is called to the meeting and who came, chair first, in the list's order."""
    await get_meeting(meeting_id)
    rows = await MeetingAttendee.select().where(MeetingAttendee.meeting == meeting_id)
    order = {role: index for index, role in enumerate(AttendeeRole)}
    return sorted(rows, key=lambda r: (order[AttendeeRole(r["role"])], r["position"], r["id"]))


async def get_case(case_id: int) -> dict[str, Any]:
    row = await case_row(case_id)
    if row is None:
        raise NotFound("Ärendet finns inte.")
    return row


async def get_proposal(case_id: int) -> dict[str, Any] | None:
    return await Proposal.select().where(Proposal.case == case_id).first()


async def _current_decision(case_id: int) -> dict[str, Any] | None:
    """The case's decision that no later decision has superseded."""
    superseded = Decision.select(Decision.supersedes).where(Decision.supersedes.is_not_null())
    return (
        await Decision.select()
        .where((Decision.case == case_id) & Decision.id.not_in(superseded))
        .first()
    )


async def decision_detail(decision_id: int) -> dict[str, Any]:
    row = (
        await Decision.select(
            *Decision._meta.columns, Decision.case.case_number.as_alias("case_number")
        )
        .where(Decision.id == decision_id)
        .first()
    )
    if row is None:
        raise NotFound("Beslutet finns inte.")
    later = await Decision.select(Decision.id).where(Decision.supersedes == decision_id).first()
    commitments = (
        await Commitment.select(Commitment.year, Commitment.amount)
        .where(Commitment.decision == decision_id)
        .order_by(Commitment.year)
    )
    votes = _decode_list(row["votes"])
    summary = tally([msgspec.convert(v, Vote) for v in votes]).summary if votes else ""
    return {
        **row,
        "clauses": _decode_list(row["clauses"]),
        "votes": votes,
        "reservations": _decode_list(row["reservations"]),
        "vote_summary": summary,
        "superseded_by": later["id"] if later else None,
        "commitments": commitments,
    }


def _decode_list(value: Any) -> list[Any]:
    decoded = value if isinstance(value, list) else msgspec.json.decode(value or "[]")
    return decoded if isinstance(decoded, list) else []


async def meeting_decisions(meeting_id: int) -> list[dict[str, Any]]:
    rows = (
        await Decision.select(Decision.id)
        .where(Decision.meeting == meeting_id)
        .order_by(Decision.paragraph)
    )
    return [await decision_detail(r["id"]) for r in rows]


async def case_decisions(case_id: int) -> list[dict[str, Any]]:
    rows = await Decision.select(Decision.id).where(Decision.case == case_id).order_by(Decision.id)
    return [await decision_detail(r["id"]) for r in rows]
