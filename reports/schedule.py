"""The reporting schedule of an insats: its quarters, the due date of each report, what is late.

Pure: dates in, plain Structs out. A granted period gives one quarterly report per calendar
quarter it touches (the first and last clipped to the period) and a final report at its end;
each is due a number of days after its period ends (the association's setting).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Mapping

import msgspec

from portfolio.core.schemas import YEAR_MAX, YEAR_MIN
from reports.domain import ReportKind, ReportStatus

DEFAULT_DUE_DAYS = 30


class ScheduleError(ValueError):
    """A period no schedule can be drawn for (a year such as 0001 or 9999, stored before dates
    were checked): the insats is left out of the schedule, never the schedule of all of them."""


class Slot(msgspec.Struct, frozen=True, kw_only=True):
    """One report the insats owes: which, for what period, and by when."""

    kind: ReportKind
    year: int | None  # quarterly reports only
    quarter: int | None
    period_start: dt.date
    period_end: dt.date
    due: dt.date

    @property
    def label(self) -> str:
        if self.kind is ReportKind.FINAL:
            return "Slutrapport"
        return f"Kvartal {self.quarter} {self.year}"


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a calendar quarter."""
    first = dt.date(year, 3 * quarter - 2, 1)
    after = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, after - dt.timedelta(days=1)


def quarters(start: dt.date, end: dt.date) -> list[tuple[int, int, dt.date, dt.date]]:
    """(year, quarter, first day, last day) of every quarter the period touches, clipped to it."""
    found = []
    year, quarter = start.year, quarter_of(start)
    while (year, quarter) <= (end.year, quarter_of(end)):
        first, last = quarter_bounds(year, quarter)
        found.append((year, quarter, max(first, start), min(last, end)))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return found


def report_schedule(start: dt.date, end: dt.date, due_days: int = DEFAULT_DUE_DAYS) -> list[Slot]:
    """Every quarterly report of the granted period, then the final report."""
    if end < start:
        return []
    for day in (start, end):
        if not YEAR_MIN <= day.year <= YEAR_MAX:
            raise ScheduleError(f"the period {start}–{end} lies outside {YEAR_MIN}–{YEAR_MAX}")
    if not 0 <= due_days <= 3650:
        raise ScheduleError(f"{due_days} days to hand a report in")
    late_by = dt.timedelta(days=due_days)
    slots = [
        Slot(
            kind=ReportKind.QUARTERLY,
            year=year,
            quarter=quarter,
            period_start=first,
            period_end=last,
            due=quarter_bounds(year, quarter)[1] + late_by,
        )
        for year, quarter, first, last in quarters(start, end)
    ]
    slots.append(
        Slot(
            kind=ReportKind.FINAL,
            year=None,
            quarter=None,
            period_start=start,
            period_end=end,
            due=end + late_by,
        )
    )
    return slots


def schedule_keeping(
    start: dt.date,
    end: dt.date,
    handed_in: Iterable[tuple[int, int]],
    due_days: int = DEFAULT_DUE_DAYS,
) -> list[Slot]:
    """The schedule of the period in force, keeping the quarters already handed in that fall
    outside it (a grant shortened after they were reported): they stay on the record."""
    slots = report_schedule(start, end, due_days)
    scheduled = {(s.year, s.quarter) for s in slots if s.kind is ReportKind.QUARTERLY}
    late_by = dt.timedelta(days=due_days)
    kept = [
        Slot(
            kind=ReportKind.QUARTERLY,
            year=year,
            quarter=quarter,
            period_start=quarter_bounds(year, quarter)[0],
            period_end=quarter_bounds(year, quarter)[1],
            due=quarter_bounds(year, quarter)[1] + late_by,
        )
        for year, quarter in sorted(set(handed_in))
        if (year, quarter) not in scheduled
    ]
    quarterly = sorted(
        [s for s in slots if s.kind is ReportKind.QUARTERLY] + kept,
        key=lambda s: (s.year or 0, s.quarter or 0),
    )
    return quarterly + [s for s in slots if s.kind is not ReportKind.QUARTERLY]


def handed_in_quarters(
    initiative_id: int, statuses: Mapping[str, tuple[int, str]]
) -> list[tuple[int, int]]:
    """(year, quarter) of the insats's quarterly reports handed in (or accepted, or returned)."""
    found = []
    prefix = f"{initiative_id}:"
    for key, (_, status) in statuses.items():
        match = (
            re.fullmatch(r"(\d{4})-Q([1-4])", key[len(prefix) :])
            if key.startswith(prefix)
            else None
        )
        if match and status != ReportStatus.DRAFT:
            found.append((int(match.group(1)), int(match.group(2))))
    return found


class SlotState(enum.StrEnum):
    """Where a scheduled report stands on a given day."""

    UPCOMING = "upcoming"  # its period has not ended
    DUE = "due"  # the period has ended, the due date has not passed, nothing handed in
    LATE = "late"  # past its due date and not handed in
    HANDED_IN = "handed_in"  # submitted, waiting for the office
    ACCEPTED = "accepted"


SLOT_STATE_LABELS = {
    SlotState.UPCOMING: "Kommande",
    SlotState.DUE: "Ska lämnas",
    SlotState.LATE: "Försenad",
    SlotState.HANDED_IN: "Inlämnad",
    SlotState.ACCEPTED: "Godkänd",
}


def slot_state(slot: Slot, status: ReportStatus | None, today: dt.date) -> SlotState:
    """A report counts as handed in once submitted; a draft or a returned one is still owed."""
    if status is ReportStatus.ACCEPTED:
        return SlotState.ACCEPTED
    if status is ReportStatus.SUBMITTED:
        return SlotState.HANDED_IN
    if today > slot.due:
        return SlotState.LATE
    if today > slot.period_end:
        return SlotState.DUE
    return SlotState.UPCOMING


def days_late(slot: Slot, today: dt.date) -> int:
    return max((today - slot.due).days, 0)


def slot_key(initiative_id: int, kind: ReportKind, year: int | None, quarter: int | None) -> str:
    """What makes a scheduled report unique: one per quarter, one final; deviations have none."""
    if kind is ReportKind.FINAL:
        return f"{initiative_id}:final"
    return f"{initiative_id}:{year}-Q{quarter}"


def find_slot(
    slots: list[Slot], kind: ReportKind, year: int | None, quarter: int | None
) -> Slot | None:
    for slot in slots:
        if slot.kind is kind and (
            kind is ReportKind.FINAL or (slot.year, slot.quarter) == (year, quarter)
        ):
            return slot
    return None
