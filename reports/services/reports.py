"""Quarterly, final and deviation reports: start a draft from the grant, save it, hand it in,
return it or accept it, each saved and audited in one transaction; and the earlier reports a
report is read against."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from applications.budget import CostCategory
from portfolio.accounts.permissions import require
from portfolio.core import audit
from portfolio.core.db import write_transaction
from portfolio.core.domain import FieldProblem, Principal, Role
from portfolio.core.errors import Conflict, NotFound, ValidationFailed
from portfolio.core.tables import Initiative
from portfolio.core.versioning import update_versioned
from portfolio.register.services import get_initiative
from reports import notices as notifications
from reports import queries
from reports.domain.reports import (
    REPORT_KIND_LABELS,
    CostAmount,
    GoalResult,
    Participants,
    ReportContent,
    ReportKind,
    ReportStatus,
    participants_notice,
    report_problems,
)
from reports.permissions import (
    can_edit_report,
    can_review_report,
    can_view_report,
    can_write_reports,
)
from reports.schedule import ScheduleError, Slot, find_slot, report_schedule, slot_key
from reports.schemas import ReportCreate
from reports.services.common import _encode, _now, decode_report, report_label, report_period
from reports.services.grants import grant_facts
from reports.tables import Report


async def get_report(actor: Principal, report_id: int) -> dict[str, Any]:
    """The report row with its content decoded (the accepted copy once accepted); 404 if hidden."""
    row = await queries.report_row(report_id)
    if row is None or not can_view_report(actor, row["organisation"], ReportStatus(row["status"])):
        raise NotFound("Rapporten finns inte.")
    frozen = row["status"] == ReportStatus.ACCEPTED and row["accepted_content"] is not None
    raw = row["accepted_content"] if frozen else row["content"]
    if actor.role is Role.BOARD and not frozen and row["submitted_content"] is not None:
        # The board reads what was handed in, never the owner's redoing of a returned report.
        raw = row["submitted_content"]
    content = decode_report(raw)
    if row["kind"] == ReportKind.FINAL and row["status"] in (
        ReportStatus.DRAFT,
        ReportStatus.RETURNED,
    ):
        row = {**row, **await _final_slot_now(row["initiative"])}
    return {**row, "content": content, "label": report_label(row)}


async def _final_slot_now(initiative_id: int) -> dict[str, Any]:
    """The final report's period and due date as the decision in force has them: an
    ändringsbeslut that moves the end moves the final report not yet handed in."""
    initiative = (
        await Initiative.select(Initiative.period_start, Initiative.period_end)
        .where(Initiative.id == initiative_id)
        .first()
    )
    if not initiative or initiative["period_start"] is None or initiative["period_end"] is None:
        return {}
    slots = report_schedule(
        initiative["period_start"], initiative["period_end"], await queries.due_days()
    )
    final = find_slot(slots, ReportKind.FINAL, None, None)
    if final is None:
        return {}
    return {"period_start": final.period_start, "period_end": final.period_end, "due_on": final.due}


def _handed_in(row: dict[str, Any]) -> bool:
    return row["status"] in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def _content_of(row: dict[str, Any]) -> ReportContent:
    return decode_report(row["accepted_content"] or row["content"])


async def earlier_quarters(row: dict[str, Any]) -> list[ReportContent]:
    """Handed-in quarterly reports before this one (all of them for a final report)."""
    others = await queries.initiative_reports(row["initiative"])
    kind = ReportKind(row["kind"])
    earlier = []
    for other in others:
        if other["id"] == row["id"] or other["kind"] != ReportKind.QUARTERLY:
            continue
        if not _handed_in(other):
            continue
        if kind is ReportKind.QUARTERLY and (other["year"], other["quarter"]) >= (
            row["year"],
            row["quarter"],
        ):
            continue
        earlier.append(_content_of(other))
    return earlier


async def previous_quarter(row: dict[str, Any]) -> ReportContent | None:
    if row["kind"] != ReportKind.QUARTERLY:
        return None
    before = [
        other
        for other in await queries.initiative_reports(row["initiative"])
        if other["kind"] == ReportKind.QUARTERLY
        and other["status"] != ReportStatus.DRAFT
        and (other["year"], other["quarter"]) < (row["year"], row["quarter"])
    ]
    before.sort(key=lambda r: (r["year"], r["quarter"]))
    return _content_of(before[-1]) if before else None


async def create_report(actor: Principal, data: ReportCreate) -> dict[str, Any]:
    """Start a report for a scheduled quarter, the final report, or a deviation at any time.

    The draft starts from the grant: a line per goal and per budgeted category, and the
    participants at the start of the quarter carried from the previous quarter's end.
    """
    initiative = await get_initiative(actor, data.initiative_id)
    require(can_write_reports(actor, initiative["lead_owner"]))
    if initiative["period_start"] is None or initiative["period_end"] is None:
        raise ValidationFailed(
            [FieldProblem("initiative_id", "Insatsen har ingen beviljad period att rapportera.")]
        )
    try:
        slots = report_schedule(
            initiative["period_start"], initiative["period_end"], await queries.due_days()
        )
    except ScheduleError:
        raise ValidationFailed(
            [FieldProblem("initiative_id", "Insatsens period har datum utanför åren 2000–2100.")]
        ) from None
    slot: Slot | None = None
    if data.kind is not ReportKind.DEVIATION:
        slot = find_slot(slots, data.kind, data.year, data.quarter)
        if slot is None:
            raise ValidationFailed(
                [FieldProblem("quarter", "Kvartalet ligger utanför insatsens beviljade period.")]
            )
    facts, goals = await grant_facts(data.initiative_id)
    content = ReportContent(
        goals=[GoalResult(goal=g.index) for g in goals],
        costs=[CostAmount(category=c) for c in CostCategory if c in facts.category_budget],
    )
    today = dt.date.today()
    values: dict[str, Any] = {
        "initiative": data.initiative_id,
        "organisation": initiative["lead_owner"],
        "kind": data.kind,
        "created_by": actor.user_id,
    }
    if slot is not None:
        values.update(
            year=slot.year,
            quarter=slot.quarter,
            slot_key=slot_key(data.initiative_id, slot.kind, slot.year, slot.quarter),
            period_start=slot.period_start,
            period_end=slot.period_end,
            due_on=slot.due,
        )
    else:
        values.update(period_start=today, period_end=today)
    async with write_transaction():
        if slot is not None and await Report.exists().where(Report.slot_key == values["slot_key"]):
            raise Conflict(f"{slot.label} finns redan för insatsen.", field="quarter")
        previous = await previous_quarter({**values, "id": 0})
        if previous is not None:
            content = msgspec.structs.replace(
                content,
                participants=Participants(
                    start_women=max(previous.participants.women_at_end, 0),
                    start_men=max(previous.participants.men_at_end, 0),
                ),
            )
        row = (
            await Report.insert(Report(content=_encode(content), **values)).returning(Report.id)
        )[0]
        await audit.record(
            actor,
            "create",
            "report",
            row["id"],
            None,
            {k: v for k, v in values.items() if k != "created_by"},
            f"{initiative['name']}: {report_label({**values, 'created_at': today})}",
        )
    return await get_report(actor, row["id"])


async def save_report_draft(
    actor: Principal, report_id: int, version: int, content: ReportContent
) -> dict[str, Any]:
    """Save the report as it stands, complete or not: nothing typed is lost."""
    async with write_transaction():
        row = await get_report(actor, report_id)
        require(can_edit_report(actor, row["organisation"], ReportStatus(row["status"])))
        await update_versioned(
            Report,
            report_id,
            version,
            {Report.content: _encode(content), Report.updated_at: _now()},
            what="Rapporten",
        )
        await audit.record(
            actor,
            "update",
            "report",
            report_id,
            None,
            {"content": msgspec.to_builtins(content)},
            f"{row['label']}: utkast sparat",
        )
    return await get_report(actor, report_id)


async def report_check(row: dict[str, Any]) -> list[FieldProblem]:
    _, goals = await grant_facts(row["initiative"])
    return report_problems(ReportKind(row["kind"]), row["content"], len(goals))


async def submit_report(actor: Principal, report_id: int, version: int) -> dict[str, Any]:
    """Hand the report in to the office; 422 names every problem and the draft stays saved."""
    async with write_transaction():
        row = await get_report(actor, report_id)
        status = ReportStatus(row["status"])
        require(can_edit_report(actor, row["organisation"], status))
        problems = await report_check(row)
        if problems:
            raise ValidationFailed(problems)
        await update_versioned(
            Report,
            report_id,
            version,
            {
                Report.status: ReportStatus.SUBMITTED,
                Report.year_forecast: row["content"].year_forecast,
                Report.submitted_content: _encode(row["content"]),
                Report.submitted_at: _now(),
                Report.updated_at: _now(),
            },
            what="Rapporten",
        )
        await audit.record(
            actor,
            "submit",
            "report",
            report_id,
            {"status": status.value},
            {"status": ReportStatus.SUBMITTED.value},
            f"{row['initiative_name']}: {row['label']} inlämnad",
        )
        # The office hears of it in the same transaction: a refused hand-in mails nobody.
        await notifications.report_arrived(
            actor,
            row["organisation"],
            row["initiative"],
            row["initiative_name"],
            REPORT_KIND_LABELS[ReportKind(row["kind"])],
            report_period(row),
            f"/rapporter/{report_id}",
        )
    return await get_report(actor, report_id)


async def return_report(
    actor: Principal, report_id: int, version: int, comment: str
) -> dict[str, Any]:
    """Send a handed-in report back to its owner, saying what to change."""
    if not comment.strip():
        raise ValidationFailed([FieldProblem("comment", "Skriv vad som ska ändras i rapporten.")])
    async with write_transaction():
        row = await get_report(actor, report_id)
        status = ReportStatus(row["status"])
        require(can_review_report(actor, status))
        await update_versioned(
            Report,
            report_id,
            version,
            {
                Report.status: ReportStatus.RETURNED,
                Report.review_comment: comment.strip(),
                Report.reviewed_at: _now(),
                Report.reviewed_by: actor.user_id,
            },
            what="Rapporten",
        )
        await audit.record(
            actor,
            "return",
            "report",
            report_id,
            {"status": status.value},
            {"status": ReportStatus.RETURNED.value, "comment": comment.strip()},
            f"{row['initiative_name']}: {row['label']} återsänd",
        )
    return await get_report(actor, report_id)


async def accept_report(actor: Principal, report_id: int, version: int) -> dict[str, Any]:
    """Accept a handed-in report: its content is copied and frozen as the record."""
    async with write_transaction():
        row = await get_report(actor, report_id)
        status = ReportStatus(row["status"])
        if status is ReportStatus.ACCEPTED:
            raise Conflict("Rapporten är redan godkänd.", field="status")
        require(can_review_report(actor, status))
        await update_versioned(
            Report,
            report_id,
            version,
            {
                Report.status: ReportStatus.ACCEPTED,
                Report.accepted_content: _encode(row["content"]),
                Report.review_comment: "",
                Report.reviewed_at: _now(),
                Report.reviewed_by: actor.user_id,
            },
            what="Rapporten",
        )
        await audit.record(
            actor,
            "accept",
            "report",
            report_id,
            {"status": status.value},
            {"status": ReportStatus.ACCEPTED.value},
            f"{row['initiative_name']}: {row['label']} godkänd",
        )
    return await get_report(actor, report_id)


async def report_notices(row: dict[str, Any]) -> list[str]:
    previous = await previous_quarter(row)
    notice = participants_notice(
        previous.participants if previous else None, row["content"].participants
    )
    return [notice] if notice else []


async def reports_in_quarters(initiative_id: int) -> list[dict[str, Any]]:
    """The insats's handed-in quarterly reports in order, each with its content."""
    rows = [
        {**r, "content": _content_of(r), "label": report_label(r)}
        for r in await queries.initiative_reports(initiative_id)
        if r["kind"] == ReportKind.QUARTERLY and _handed_in(r)
    ]
    return sorted(rows, key=lambda r: (r["year"], r["quarter"]))
