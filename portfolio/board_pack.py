"""Gathering a meeting's papers: the economy report and the board pack, as document Structs.

The renderers (portfolio.documents) turn these into PDF and DOCX; here is only what to read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import anyio

from applications import queries as application_queries
from applications.services import application_document, attachment_path, sent_attachments
from portfolio import economy, meetings, queries
from portfolio.budget_room import BudgetRoomTable, RowKind, display_rows_tkr, over_committed_columns
from portfolio.documents.charts import BarChart, Series
from portfolio.documents.models import EconomyReport, EconomyRow, Letterhead, Signature
from portfolio.documents.pack import (
    BoardPackDocument,
    PackAttachment,
    PackCase,
    pack_key,
    part_keys,
    render_board_pack,
)
from portfolio.domain import BODY_LABELS, Body, Principal
from portfolio.errors import DomainError
from portfolio.formatting import format_date_iso
from portfolio.tables import RenderedPart

ECONOMY_YEARS = 3  # Budget and Prognos of the meeting's year and the two years after it


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
    portfolio as it stands from `from_year`. A missing year budget is a 400 naming the year."""
    label = ""
    if meeting_id is not None:
        meeting = await meetings.get_meeting(meeting_id)
        label = meeting_label(meeting)
        from_year = from_year or meeting["meeting_date"].year
    year = from_year or dt.date.today().year
    table = await economy.budget_room(year, ECONOMY_YEARS, meeting_id)
    association = await queries.association_row() or {}
    return economy_report_from_table(
        table,
        letterhead=await meetings.letterhead(),
        report_date=dt.date.today(),
        meeting_label=label,
        director=association.get("director_name", ""),
    )


async def _case_papers(actor: Principal, item: dict[str, Any]) -> PackCase:
    case = await meetings.get_case(item["case"])
    entry = meetings.agenda_entry(item)
    proposal = None
    if await meetings.get_proposal(case["id"]) is not None:
        proposal = await meetings.proposal_document(case["id"])
    application, attachments = None, []
    if case["application"] is not None:
        # The pack is the record: the last version sent in and the files sent with it, never a
        # draft or a file added while a completion is under way.
        sent = await application_queries.version_rows(case["application"])
        number = sent[-1]["number"] if sent else None
        application, _ = await application_document(actor, case["application"], number)
        for row in await sent_attachments(case["application"]):
            is_pdf = row["content_type"] == "application/pdf"
            path = attachment_path(row["sha256"])
            data = path.read_bytes() if is_pdf and path.exists() else b""
            attachments.append(PackAttachment(filename=row["filename"], data=data, is_pdf=is_pdf))
    if case["title"] == REPORT_SUMMARY_TITLE:
        attachments.append(await _report_summary(actor, item["meeting"]))
    return PackCase(
        entry=entry, proposal=proposal, application=application, attachments=attachments
    )


# The information case the reports package puts on an agenda; its paper is made when read.
REPORT_SUMMARY_TITLE = "Rapporter från insatserna"


async def _report_summary(actor: Principal, meeting_id: int) -> PackAttachment:
    from reports.documents import summary_pdf
    from reports.followup import summary_document

    document = await summary_document(actor, meeting_id)
    return PackAttachment(filename=f"{REPORT_SUMMARY_TITLE}.pdf", data=summary_pdf(document))


async def board_pack_document(actor: Principal, meeting_id: int) -> BoardPackDocument:
    """Everything the board reads before a meeting, in agenda order."""
    meeting = await meetings.get_meeting(meeting_id)
    notice = await meetings.notice_document(meeting_id)
    cases = [await _case_papers(actor, item) for item in await queries.agenda_rows(meeting_id)]
    report, chart = None, None
    # Without a budget for these years the pack goes out without the economy report.
    with contextlib.suppress(DomainError):
        report, chart = await economy_report(meeting_id)
    return BoardPackDocument(
        letterhead=notice.letterhead,
        body=notice.body,
        meeting_date=meeting["meeting_date"],
        place=meeting["place"],
        notice=notice,
        cases=cases,
        economy=report,
        economy_chart=chart,
    )


# Parts unused this long are dropped; a pack that needs one again lays it out again.
PART_CACHE_DAYS = 120


async def render_pack(meeting_id: int, document: BoardPackDocument) -> bytes:
    """The pack's PDF: as kept, when nothing in it has changed since it was built; otherwise
    built again reusing the parts laid out before by any worker (RenderedPart).

    The layout runs in a worker thread: about two seconds of CPU for a cold pack of 30 cases.
    """
    whole = pack_key(document)
    kept = await RenderedPart.select(RenderedPart.pdf).where(RenderedPart.key == whole).first()
    if kept is not None:  # nothing in the pack has changed since it was last built
        return bytes(kept["pdf"])
    keys = part_keys(document)
    rows = await RenderedPart.select(RenderedPart.key, RenderedPart.pdf).where(
        RenderedPart.key.is_in(keys or [""])
    )
    cache: dict[str, bytes] = {row["key"]: bytes(row["pdf"]) for row in rows}
    known = set(cache)
    pdf = await anyio.to_thread.run_sync(render_board_pack, document, cache)
    new = [RenderedPart(key=key, pdf=cache[key]) for key in keys if key not in known]
    new.append(RenderedPart(key=whole, pdf=pdf, meeting=meeting_id))
    # Two workers may lay out the same part at once: the second insert is simply dropped.
    await RenderedPart.insert(*new).on_conflict(action="DO NOTHING")
    # A pack is megabytes: the meeting's earlier packs go now, unused parts after a while.
    await RenderedPart.delete().where(
        (RenderedPart.meeting == meeting_id) & (RenderedPart.key != whole)
    )
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=PART_CACHE_DAYS)
    await RenderedPart.delete().where(RenderedPart.created_at < cutoff)
    return pdf
