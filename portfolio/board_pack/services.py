"""Gathers a meeting's papers (kallelse, tjänsteskrivelser, applications as sent in, the reports
summary, the economy report) into one board pack, keeping laid-out parts in the database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import anyio

from applications import queries as application_queries
from applications.attachment_services import sent_attachments
from applications.files import attachment_path
from applications.services import application_document
from portfolio.core.domain import FieldProblem, Principal
from portfolio.core.errors import ValidationFailed
from portfolio.core.tables import RenderedPart
from portfolio.documents.pack import (
    BoardPackDocument,
    PackAttachment,
    PackCase,
    pack_key,
    part_keys,
    render_board_pack,
)
from portfolio.economy.report import economy_report
from portfolio.meetings import papers as meetings_papers
from portfolio.meetings import queries
from portfolio.meetings import queries as meetings_queries
from portfolio.meetings.schemas import proposal_out
from reports.documents import summary_pdf
from reports.followup import SUMMARY_TITLE, summary_document


async def _case_papers(actor: Principal, item: dict[str, Any]) -> PackCase:
    case = await meetings_queries.get_case(item["case"])
    entry = meetings_papers.agenda_entry(item)
    proposal = None
    if await meetings_queries.get_proposal(case["id"]) is not None:
        proposal = await meetings_papers.proposal_document(case["id"], item["meeting"])
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
    if case["title"] == SUMMARY_TITLE:
        attachments.append(await _report_summary(actor, item["meeting"]))
    return PackCase(
        entry=entry, proposal=proposal, application=application, attachments=attachments
    )


async def _report_summary(actor: Principal, meeting_id: int) -> PackAttachment:
    document = await summary_document(actor, meeting_id)
    return PackAttachment(filename=f"{SUMMARY_TITLE}.pdf", data=summary_pdf(document))


async def board_pack_document(actor: Principal, meeting_id: int) -> BoardPackDocument:
    """Everything the board reads before a meeting, in agenda order."""
    meeting = await meetings_queries.get_meeting(meeting_id)
    agenda = await queries.agenda_rows(meeting_id)
    # One source of truth: a proposal whose grant att-sats says another amount or period than
    # its fields goes to no board member until the office has put it right.
    problems = []
    for item in agenda:
        proposal = await meetings_queries.get_proposal(item["case"])
        if proposal is not None:
            problems += [
                FieldProblem("proposal", f"Ärende {item['case_number']}: {problem}")
                for problem in proposal_out(proposal).problems
            ]
    if problems:
        raise ValidationFailed(problems)
    notice = await meetings_papers.notice_document(meeting_id)
    cases = [await _case_papers(actor, item) for item in agenda]
    # Years without a budget give the report naming them: the pack never leaves it out.
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
