""" "Ekonomisk information": the budget room of a meeting as the economy report and its chart."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portfolio.core import queries as core_queries
from portfolio.core.domain import BODY_LABELS, Body
from portfolio.core.formatting import format_date_iso
from portfolio.documents.charts import BarChart, Series
from portfolio.documents.models import EconomyReport, EconomyRow, Letterhead, Signature
from portfolio.economy import services as economy
from portfolio.economy.budget_room import (
    BudgetRoomTable,
    RowKind,
    display_rows_tkr,
    over_committed_columns,
)
from portfolio.meetings import papers as meetings_papers
from portfolio.meetings import queries as meetings_queries

# Budget and Prognos of the meeting's year and the following years (three, or as far as a
# pending application or a commitment reaches).
ECONOMY_YEARS = economy.DEFAULT_YEARS


def economy_report_from_table(
    table: BudgetRoomTable,
    *,
    letterhead: Letterhead,
    report_date: dt.date,
    meeting_label: str,
    director: str,
) -> tuple[EconomyReport, BarChart]:
    """The report and its chart from a computed budget room table (pure)."""
    display = display_rows_tkr(table)
    columns = [c.label for c in table.columns]
    before = [v or 0 for v in table.row(RowKind.ROOM_BEFORE).cells]
    after = [v or 0 for v in table.row(RowKind.ROOM_AFTER).cells]
    report = EconomyReport(
        letterhead=letterhead,
        report_date=report_date,
        meeting_label=meeting_label,
        columns=columns,
        rows=[
            EconomyRow(label=r.label, tkr=list(r.tkr), is_total=r.is_total, owner=r.owner or "")
            for r in display
        ],
        room_before=before,
        room_after=after,
        over_committed=[c.label for c in over_committed_columns(table)],
        applications=[
            f"{r.label} ({r.owner})" if r.owner else r.label
            for r in table.rows_of(RowKind.APPLICATION)
        ],
        signature=Signature(name=director, title="Förbundschef"),
    )
    return report, room_chart(columns, before, after)


def room_chart(columns: list[str], before: list[int], after: list[int]) -> BarChart:
    """The room per column before and after the new applications, as a bar chart."""
    return BarChart(
        title="Beslutsutrymme per år",
        categories=columns,
        series=[Series("Före nya ansökningar", before), Series("Efter nya ansökningar", after)],
    )


def meeting_label(meeting: dict[str, Any]) -> str:
    """ "Förbundsstyrelsen 2026-12-17" """
    return f"{BODY_LABELS[Body(meeting['body'])]} {format_date_iso(meeting['meeting_date'])}"


async def economy_report(
    meeting_id: int | None, from_year: int | None = None
) -> tuple[EconomyReport, BarChart]:
    """ "Ekonomisk information" for a meeting (its pending applications counted), or for the
    portfolio as it stands from `from_year`. Years without a budget give the report without its
    table, saying which years are missing, so it is never left out in silence."""
    label = ""
    if meeting_id is not None:
        meeting = await meetings_queries.get_meeting(meeting_id)
        label = meeting_label(meeting)
        from_year = from_year or meeting["meeting_date"].year
    year = from_year or dt.date.today().year
    association = await core_queries.required_association()
    letterhead = await meetings_papers.letterhead()
    director = association.get("director_name", "")
    try:
        table = await economy.budget_room(year, ECONOMY_YEARS, meeting_id)
    except economy.MissingYearBudget as exc:
        return missing_budget_report(
            exc.message,
            letterhead=letterhead,
            report_date=dt.date.today(),
            meeting_label=label,
            director=director,
        )
    return economy_report_from_table(
        table,
        letterhead=letterhead,
        report_date=dt.date.today(),
        meeting_label=label,
        director=director,
    )


def missing_budget_report(
    message: str,
    *,
    letterhead: Letterhead,
    report_date: dt.date,
    meeting_label: str,
    director: str,
) -> tuple[EconomyReport, BarChart]:
    """The report when years lack a budget: no table, the message naming the years (pure)."""
    report = EconomyReport(
        letterhead=letterhead,
        report_date=report_date,
        meeting_label=meeting_label,
        columns=[],
        rows=[],
        room_before=[],
        room_after=[],
        missing=message,
        signature=Signature(name=director, title="Förbundschef"),
    )
    return report, room_chart([], [], [])
