"""The meeting's papers gathered from the database for the pure renderers: kallelse,
tjänsteskrivelse, protokoll and protokollsutdrag.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from portfolio.accounts.permissions import can_read_portfolio
from portfolio.core import queries as core_queries
from portfolio.core.domain import (
    ATTENDEE_ROLE_LABELS,
    BODY_LABELS,
    CASE_KIND_LABELS,
    VOTING_ROLES,
    AttendeeRole,
    Body,
    CaseKind,
    Principal,
    attachment_label,
)
from portfolio.core.errors import NotFound
from portfolio.core.tables import (
    AgendaItem,
)
from portfolio.documents.models import (
    AgendaEntry,
    Attendee,
    ExtractDocument,
    Letterhead,
    MinutesDocument,
    MinutesSection,
    NoticeDocument,
    ProposalDocument,
    Signature,
)
from portfolio.documents.models import Vote as MinutesVote
from portfolio.meetings import queries as meetings_queries
from portfolio.meetings.decisions import (
    OUTCOME_LABELS,
    VOTE_CHOICE_LABELS,
    DecisionOutcome,
    VoteChoice,
    supersede_label,
)
from portfolio.meetings.queries import (
    _decode_list,
    attendees,
    decision_detail,
    get_case,
    get_meeting,
    get_proposal,
    meeting_decisions,
)
from portfolio.register.services import get_initiative


def _clock(text: str) -> dt.time | None:
    if not text:
        return None
    hours, minutes = text.replace(":", ".").split(".")
    return dt.time(int(hours), int(minutes))


async def letterhead() -> Letterhead:
    association = await core_queries.required_association()
    return Letterhead(
        name=association.get("name", ""),
        org_number=association.get("org_number", ""),
        address=association.get("address", ""),
        postal_address=association.get("postal_address", ""),
        email=association.get("email", ""),
        phone=association.get("phone", ""),
    )


def _attendee(row: dict[str, Any]) -> Attendee:
    return Attendee(
        name=row["name"],
        organisation=row["organisation"],
        role=ATTENDEE_ROLE_LABELS[AttendeeRole(row["role"])],
    )


def agenda_entry(item: dict[str, Any]) -> AgendaEntry:
    """One row of the föredragningslista from an agenda row (queries.agenda_rows)."""
    return AgendaEntry(
        number=item["position"],
        title=item["title"],
        case_number=item["case_number"],
        attachment_label=item["attachment_label"] if item["attachments"] else "",
        kind_label=CASE_KIND_LABELS[CaseKind(item["kind"])],
    )


async def notice_document(meeting_id: int) -> NoticeDocument:
    """The kallelse with its föredragningslista, from the meeting, its agenda and the board."""
    meeting = await get_meeting(meeting_id)
    association = await core_queries.required_association()
    invited = [_attendee(a) for a in await attendees(meeting_id) if a["invited"]]
    agenda = [agenda_entry(item) for item in await meetings_queries.agenda_rows(meeting_id)]
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


# -- documents ------------------------------------------------------------------------------


async def _case_meetings(case_id: int, meeting_id: int | None = None) -> dict[str, dict[str, Any]]:
    """The AU and FS meetings whose agendas hold the case, with the item (for its bilaga).

    For one meeting's papers (`meeting_id`): an FS meeting is its own FS date, an AU meeting
    proposes to the first FS on or after it; so a case that also stands on a later meeting is
    not dated by it. Without a meeting, the latest FS. The AU is the last one before the FS."""
    items = await AgendaItem.select(
        AgendaItem.meeting, AgendaItem.position, AgendaItem.attachments
    ).where(AgendaItem.case == case_id)
    meetings = []
    for item in items:
        meeting = await get_meeting(item["meeting"])
        meetings.append(
            {**meeting, "attachment_label": attachment_label(item["position"], item["attachments"])}
        )
    meetings.sort(key=lambda m: (m["meeting_date"], m["id"]))
    boards = [m for m in meetings if m["body"] == Body.BOARD]
    committees = [m for m in meetings if m["body"] == Body.WORKING_COMMITTEE]
    this = next((m for m in meetings if m["id"] == meeting_id), None)
    board: dict[str, Any] | None
    committee: dict[str, Any] | None = None
    if this is not None and this["body"] == Body.BOARD:
        board = this
    elif this is not None:
        board = next((m for m in boards if m["meeting_date"] >= this["meeting_date"]), None)
        committee = this
    else:
        board = boards[-1] if boards else None
    if committee is None:
        before = [
            m for m in committees if board is None or m["meeting_date"] <= board["meeting_date"]
        ]
        committee = before[-1] if before else None
    found: dict[str, dict[str, Any]] = {}
    if board is not None:
        found[Body.BOARD] = board
    if committee is not None:
        found[Body.WORKING_COMMITTEE] = committee
    return found


async def proposal_document(case_id: int, meeting_id: int | None = None) -> ProposalDocument:
    """The tjänsteskrivelse; in one meeting's papers (`meeting_id`), dated by that meeting."""
    case = await get_case(case_id)
    proposal = await get_proposal(case_id)
    if proposal is None:
        raise NotFound("Ärendet har inget förslag ännu.")
    association = await core_queries.required_association()
    held = await _case_meetings(case_id, meeting_id)
    au, fs = held.get(Body.WORKING_COMMITTEE), held.get(Body.BOARD)
    return ProposalDocument(
        letterhead=await letterhead(),
        document_date=proposal["document_date"],
        case_number=case["case_number"],
        au_date=au["meeting_date"] if au else None,
        fs_date=fs["meeting_date"] if fs else None,
        attachment_label=fs["attachment_label"] if fs else "",
        title=case["title"],
        clauses=_decode_list(proposal["clauses"]),
        application_text=proposal["application_text"],
        assessment_text=proposal["assessment_text"],
        signature=Signature(name=association.get("director_name", ""), title="Förbundschef"),
    )


def _section(decision: dict[str, Any], title: str) -> MinutesSection:
    votes = [
        MinutesVote(name=v["member"], choice=VOTE_CHOICE_LABELS[VoteChoice(v["choice"])].lower())
        for v in decision["votes"]
        if v.get("choice") and not v.get("conflict")
    ]
    return MinutesSection(
        paragraph=decision["paragraph"],
        title=title,
        case_number=decision["case_number"],
        outcome_label=OUTCOME_LABELS[DecisionOutcome(decision["outcome"])],
        clauses=decision["clauses"],
        votes=votes,
        casting_vote=decision["vote_summary"]
        if "utslagsröst avgjorde" in decision["vote_summary"]
        else "",
        reservations=decision["reservations"],
        conflicts=[v["member"] for v in decision["votes"] if v.get("conflict")],
        supersedes=decision.get("supersedes_label", ""),
    )


async def minutes_document(meeting_id: int) -> MinutesDocument:
    """The protokoll: one § per decision, in the order they were taken."""
    meeting = await get_meeting(meeting_id)
    body = BODY_LABELS[Body(meeting["body"])]
    sections = []
    for decision in await meeting_decisions(meeting_id):
        case = await get_case(decision["case"])
        if decision["supersedes"]:
            earlier = await decision_detail(decision["supersedes"])
            earlier_meeting = await get_meeting(earlier["meeting"])
            decision["supersedes_label"] = supersede_label(
                earlier_meeting["meeting_date"], earlier["paragraph"]
            )
        sections.append(_section(decision, case["title"]))
    people = await attendees(meeting_id)
    voting = [a for a in people if AttendeeRole(a["role"]) in VOTING_ROLES]
    others = [a for a in people if AttendeeRole(a["role"]) not in VOTING_ROLES]
    return MinutesDocument(
        letterhead=await letterhead(),
        body=body,
        meeting_date=meeting["meeting_date"],
        start_time=_clock(meeting["start_time"]),
        end_time=_clock(meeting["end_time"]),
        place=meeting["place"],
        chair=meeting["chair"],
        secretary=meeting["secretary"],
        checker=meeting["checker"],
        approved_on=meeting["approved_on"],
        present=[_attendee(a) for a in voting if a["present"]],
        absent=[_attendee(a) for a in voting if a["invited"] and not a["present"]],
        others_present=[_attendee(a) for a in others if a["present"]],
        sections=sections,
    )


async def case_agenda_meetings(case_id: int) -> list[dict[str, Any]]:
    """The meetings whose agendas hold the case, earliest first."""
    items = await AgendaItem.select(AgendaItem.meeting).where(AgendaItem.case == case_id)
    meetings = [await get_meeting(item["meeting"]) for item in items]
    return sorted(meetings, key=lambda m: m["meeting_date"])


async def extract_document(actor: Principal, decision_id: int) -> ExtractDocument:
    """The protokollsutdrag for one decision: for the office, the board, and the insats's owners."""
    decision = await decision_detail(decision_id)
    case = await get_case(decision["case"])
    if not can_read_portfolio(actor):
        if case["initiative"] is None:
            raise NotFound("Beslutet finns inte.")
        await get_initiative(
            actor, case["initiative"]
        )  # 404 unless the owner's organisation takes part
    minutes = await minutes_document(decision["meeting"])
    if decision.get("immediately_approved") and minutes.approved_on is None:
        # Declared omedelbart justerad at the meeting: final on the meeting's day.
        minutes = msgspec.structs.replace(minutes, approved_on=minutes.meeting_date)
    section = next(s for s in minutes.sections if s.paragraph == decision["paragraph"])
    association = await core_queries.required_association()
    return ExtractDocument(
        minutes=minutes, section=section, certified_by=association.get("director_name", "")
    )
