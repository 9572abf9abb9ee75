"""What waits for each role, with a link to act, and each insats's money at a glance.

The start pages list these; the insats page shows the money in full. Everything here is read
from the areas below (applications, reports, meetings, economy, mail); nothing is changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from applications import queries as application_queries
from applications.domain import ApplicationStatus
from portfolio.core.domain import Body, MeetingStatus, Principal, Role
from portfolio.core.tables import AgendaItem, MeetingAttendee, Proposal, YearBudget
from portfolio.economy.report import ECONOMY_YEARS
from portfolio.meetings import queries as meetings_queries
from portfolio.meetings.schemas import MeetingOut, meeting_out
from reports import queries as report_queries
from reports.domain.reports import ReportStatus
from reports.domain.requisitions import RequisitionStatus
from reports.schedule import SlotState
from reports.services.common import report_label
from reports.services.money import insats_money
from reports.services.slots import schedule_slots


class Waiting(msgspec.Struct, kw_only=True):
    """One thing that waits for someone: what it is, and where to go to act on it."""

    text: str
    href: str
    detail: str = ""


def _report_waiting(row: dict[str, Any], detail: str = "") -> Waiting:
    return Waiting(
        text=f"{row['initiative_name']}: {report_label(row)}",
        href=f"/rapporter/{row['id']}",
        detail=detail or row.get("organisation_name") or "",
    )


def _late(slot: Any) -> Waiting:
    days = "1 dag" if slot.days_late == 1 else f"{slot.days_late} dagar"
    return Waiting(
        text=f"{slot.initiative_name}: {slot.label}",
        href=f"/rapporter/{slot.report_id}" if slot.report_id else "/rapporter",
        detail=f"skulle lämnas senast {slot.due.isoformat()}, {days} sen",
    )


async def meeting_lacks(meeting: dict[str, Any]) -> list[str]:
    """What a coming meeting still lacks: proposals for its cases, the association's budget
    for the economy report, a sent kallelse."""
    lacks = []
    items = await AgendaItem.select(AgendaItem.case).where(AgendaItem.meeting == meeting["id"])
    cases = [i["case"] for i in items]
    if not cases:
        lacks.append("inga ärenden på dagordningen")
    else:
        with_proposal = {
            p["case"]
            for p in await Proposal.select(Proposal.case).where(Proposal.case.is_in(cases))
        }
        without = len([c for c in cases if c not in with_proposal])
        if without:
            lacks.append(
                "förslag till beslut saknas i 1 ärende"
                if without == 1
                else f"förslag till beslut saknas i {without} ärenden"
            )
    span = range(meeting["meeting_date"].year, meeting["meeting_date"].year + ECONOMY_YEARS)
    budgets = {
        r["year"]
        for r in await YearBudget.select(YearBudget.year).where(YearBudget.year.is_in(list(span)))
    }
    missing = [str(y) for y in span if y not in budgets]
    if missing:
        lacks.append(f"ekonomi: förbundets budget saknas för {', '.join(missing)}")
    if meeting["status"] == MeetingStatus.PLANNED:
        lacks.append("kallelsen är inte skickad")
    return lacks


class ComingMeeting(msgspec.Struct, kw_only=True):
    meeting: MeetingOut
    lacks: list[str] = []


async def _office(user: Principal, today: dt.date) -> dict[str, Any]:
    submitted = await application_queries.application_rows(user, ApplicationStatus.SUBMITTED)
    new: list[Waiting] = []
    answered: list[Waiting] = []
    for row in submitted:
        item = Waiting(
            text=row["title"] or "(namnlös)",
            href=f"/ansokningar/{row['id']}",
            detail=row["organisation_name"],
        )
        # A second version sent in is the answer to a completion request.
        versions = await application_queries.version_rows(row["id"])
        (answered if len(versions) > 1 else new).append(item)
    late = [s for s in await schedule_slots(user, today) if s.state is SlotState.LATE]
    meetings = (await meetings_queries.meeting_rows(upcoming_from=today))[:3]
    return {
        "applications_new": new,
        "completions_answered": answered,
        "reports_to_review": [
            _report_waiting(r)
            for r in await report_queries.report_rows(user, status=ReportStatus.SUBMITTED)
        ],
        "reports_late": [_late(s) for s in sorted(late, key=lambda s: (s.due, s.initiative_name))],
        "requisitions_to_decide": [
            Waiting(
                text=f"{r['initiative_name']}: {r['period_start']} – {r['period_end']}",
                href=f"/rekvisitioner/{r['id']}",
                detail=r["organisation_name"],
            )
            for r in await report_queries.requisition_rows(user, status=RequisitionStatus.SUBMITTED)
        ],
        "coming_meetings": [
            ComingMeeting(meeting=meeting_out(m), lacks=await meeting_lacks(m)) for m in meetings
        ],
    }


async def _owner(user: Principal, today: dt.date) -> dict[str, Any]:
    slots = await schedule_slots(user, today)
    returned = await report_queries.report_rows(user, status=ReportStatus.RETURNED)
    completions = await application_queries.application_rows(
        user, ApplicationStatus.COMPLETION_REQUESTED
    )
    initiatives = await report_queries.reporting_initiatives(user)
    return {
        "reports_late": [
            _late(s)
            for s in sorted(
                (s for s in slots if s.state is SlotState.LATE),
                key=lambda s: (s.due, s.initiative_name),
            )
        ],
        "reports_due": [
            Waiting(
                text=f"{s.initiative_name}: {s.label}",
                href=f"/rapporter/{s.report_id}" if s.report_id else "/rapporter",
                detail=f"lämnas senast {s.due.isoformat()}",
            )
            for s in sorted((s for s in slots if s.state is SlotState.DUE), key=lambda s: s.due)
        ],
        "returned": [
            _report_waiting(r, "skickad tillbaka av kansliet: ändra och lämna in igen")
            for r in returned
        ],
        "completion_requests": [
            Waiting(
                text=row["title"] or "(namnlös)",
                href=f"/ansokningar/{row['id']}/redigera",
                detail="kansliet har begärt en komplettering",
            )
            for row in completions
        ],
        "money": [await insats_money(user, i) for i in initiatives],
    }


async def _board(user: Principal, today: dt.date) -> dict[str, Any]:
    coming = await meetings_queries.meeting_rows(upcoming_from=today)
    board = next((m for m in coming if m["body"] == Body.BOARD), None)
    # The AU's next meeting, for a member called to it.
    au = None
    for meeting in (m for m in coming if m["body"] == Body.WORKING_COMMITTEE):
        called = await MeetingAttendee.select(MeetingAttendee.id).where(
            (MeetingAttendee.meeting == meeting["id"]) & (MeetingAttendee.user == user.user_id)
        )
        if called:
            au = meeting
            break
    return {
        "next_board_meeting": meeting_out(board) if board else None,
        "next_au_meeting": meeting_out(au) if au else None,
    }


async def waiting_for(user: Principal, today: dt.date) -> dict[str, Any]:
    """What waits for `user`, by role."""
    if user.role is Role.OFFICE:
        return await _office(user, today)
    if user.role is Role.OWNER:
        return await _owner(user, today)
    return await _board(user, today)
