"""The report schedule as it stands: every scheduled report with its state on a day, the late
ones, and the count of accepted against due quarterly reports (the extension readiness check)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from portfolio.core.domain import Principal
from portfolio.core.tables import Initiative
from reports import queries
from reports.domain.reports import ReportKind, ReportStatus
from reports.schedule import (
    SLOT_STATE_LABELS,
    ScheduleError,
    Slot,
    SlotState,
    days_late,
    handed_in_quarters,
    schedule_keeping,
    slot_key,
    slot_state,
)
from reports.schemas import SlotOut

log = logging.getLogger("finsam.reports")


def safe_schedule(
    initiative: dict[str, Any], due_days: int, handed_in: Iterable[tuple[int, int]] = ()
) -> list[Slot]:
    """The insats's schedule, or none (logged) when its stored period cannot give one: one
    insats with odd dates never stops the schedule, the late list or the reminders of others."""
    start, end = initiative.get("period_start"), initiative.get("period_end")
    if start is None or end is None:
        return []
    try:
        return schedule_keeping(start, end, handed_in, due_days)
    except (ScheduleError, OverflowError, ValueError) as exc:
        log.warning("insats %s left out of the report schedule: %s", initiative.get("id"), exc)
        return []


async def schedule_slots(
    actor: Principal, today: dt.date, initiative_id: int | None = None
) -> list[SlotOut]:
    """Every scheduled report of the insatser `actor` may see, with where it stands today."""
    initiatives = await queries.reporting_initiatives(actor)
    if initiative_id is not None:
        initiatives = [i for i in initiatives if i["id"] == initiative_id]
    statuses = await queries.slot_statuses([i["id"] for i in initiatives])
    days = await queries.due_days()
    out = []
    for initiative in initiatives:
        for slot in safe_schedule(initiative, days, handed_in_quarters(initiative["id"], statuses)):
            key = slot_key(initiative["id"], slot.kind, slot.year, slot.quarter)
            report_id, status = statuses.get(key, (None, None))
            state = slot_state(slot, ReportStatus(status) if status else None, today)
            out.append(
                SlotOut(
                    initiative_id=initiative["id"],
                    initiative_name=initiative["name"],
                    organisation_name=initiative["lead_owner_name"],
                    kind=slot.kind,
                    label=slot.label,
                    year=slot.year,
                    quarter=slot.quarter,
                    period_start=slot.period_start,
                    period_end=slot.period_end,
                    due=slot.due,
                    state=state,
                    state_label=SLOT_STATE_LABELS[state],
                    days_late=days_late(slot, today) if state is SlotState.LATE else 0,
                    report_id=report_id,
                    report_status=ReportStatus(status) if status else None,
                )
            )
    return out


async def late_reports(actor: Principal, today: dt.date) -> list[SlotOut]:
    """The reports past their due date and not handed in, the longest overdue first."""
    late = [s for s in await schedule_slots(actor, today) if s.state is SlotState.LATE]
    return sorted(late, key=lambda s: (s.due, s.initiative_name))


async def report_counts(initiative_id: int, today: dt.date) -> tuple[int, int]:
    """(accepted, due by today) quarterly reports: the extension readiness check's figures."""
    row = await Initiative.select().where(Initiative.id == initiative_id).first()
    if row is None or row["period_start"] is None or row["period_end"] is None:
        return (0, 0)
    slots = safe_schedule(row, await queries.due_days())
    due = sum(1 for s in slots if s.kind is ReportKind.QUARTERLY and s.due < today)
    statuses = await queries.slot_statuses([initiative_id])
    accepted = sum(
        1
        for s in slots
        if s.kind is ReportKind.QUARTERLY
        and s.due < today
        and statuses.get(slot_key(initiative_id, s.kind, s.year, s.quarter), (0, ""))[1]
        == ReportStatus.ACCEPTED
    )
    return accepted, due
