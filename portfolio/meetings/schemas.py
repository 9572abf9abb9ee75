"""msgspec Structs for meetings, attendance, cases, agendas, proposals, decisions and notes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from portfolio.core.domain import (
    AttendeeRole,
    Body,
    CaseKind,
    MeetingStatus,
)
from portfolio.core.schemas import (
    Clause,
    Kronor,
    LongText,
    MediumText,
    Name,
    ShortText,
    Title,
    Version,
    Year,
    _json_list,
)
from portfolio.meetings.decisions import DecisionOutcome, VoteChoice, proposal_problems

# -- meetings, cases and agendas -----------------------------------------------------------

Clock = Annotated[str, Meta(pattern=r"^$|^([01]\d|2[0-3])[.:][0-5]\d$")]


class MeetingOut(msgspec.Struct):
    id: int
    body: Body
    extra: bool
    meeting_date: dt.date
    start_time: str
    end_time: str
    place: str
    status: MeetingStatus
    chair: str
    secretary: str
    checker: str
    version: int
    approved_on: dt.date | None = None  # the day the minutes were justerat


class AttendeeIn(msgspec.Struct):
    """One person called to the meeting; `present` stays null until attendance is taken."""

    name: Name
    organisation: ShortText = ""
    role: AttendeeRole = AttendeeRole.MEMBER
    invited: bool = True
    present: bool | None = None
    user_id: int | None = None
    person_id: int | None = None  # the board register's person, reached by e-mail


class AttendanceIn(msgspec.Struct):
    """The whole list of who is called and who came, replacing the one before."""

    version: Version  # the meeting's version: two people taking attendance do not overwrite
    attendees: Annotated[list[AttendeeIn], Meta(max_length=80)]


class AttendeeOut(msgspec.Struct):
    id: int
    name: str
    organisation: str
    role: AttendeeRole
    invited: bool
    present: bool | None
    user_id: int | None
    person_id: int | None = None


class MeetingCreate(msgspec.Struct):
    body: Body
    meeting_date: dt.date
    extra: bool = False
    start_time: Clock = ""
    end_time: Clock = ""
    place: ShortText = ""
    chair: ShortText = ""
    secretary: ShortText = ""
    checker: ShortText = ""


class MeetingUpdate(msgspec.Struct):
    version: Version
    meeting_date: dt.date | UnsetType = UNSET
    start_time: Clock | UnsetType = UNSET
    end_time: Clock | UnsetType = UNSET
    place: ShortText | UnsetType = UNSET
    status: MeetingStatus | UnsetType = UNSET
    chair: ShortText | UnsetType = UNSET
    secretary: ShortText | UnsetType = UNSET
    checker: ShortText | UnsetType = UNSET
    # The day the minutes were justerade, given with the move to "approved"; today when left out.
    approved_on: dt.date | UnsetType | None = UNSET


class CaseCreate(msgspec.Struct):
    title: Title
    kind: CaseKind
    initiative_id: int | None = None
    application_id: int | None = None
    year: Year | None = None
    # A past case registered afterwards keeps its Dnr as given (with `year`); new cases continue
    # after the highest number of the year.
    number: Annotated[int, Meta(ge=1, le=1_000_000)] | None = None


class CaseOut(msgspec.Struct):
    id: int
    case_number: str
    year: int
    number: int
    title: str
    kind: CaseKind
    initiative_id: int | None
    application_id: int | None


class AgendaAdd(msgspec.Struct):
    case_id: int
    attachments: Annotated[int, Meta(ge=0, le=50)] = 1


class AgendaItemOut(msgspec.Struct):
    id: int
    position: int
    case_id: int
    case_number: str
    title: str
    kind: CaseKind
    attachment_label: str


def meeting_out(row: dict[str, Any]) -> MeetingOut:
    return msgspec.convert(row, MeetingOut, strict=False)


def attendee_out(row: dict[str, Any]) -> AttendeeOut:
    return msgspec.convert(
        {**row, "user_id": row["user"], "person_id": row.get("person")}, AttendeeOut, strict=False
    )


def case_out(row: dict[str, Any]) -> CaseOut:
    return msgspec.convert(
        {**row, "initiative_id": row["initiative"], "application_id": row["application"]},
        CaseOut,
        strict=False,
    )


def agenda_out(row: dict[str, Any]) -> AgendaItemOut:
    return msgspec.convert({**row, "case_id": row["case"]}, AgendaItemOut, strict=False)


# -- proposals and decisions ---------------------------------------------------------------

Clauses = Annotated[list[Clause], Meta(max_length=50)]


class ProposalOut(msgspec.Struct):
    id: int
    case_id: int
    document_date: dt.date
    clauses: list[str]
    application_text: str
    assessment_text: str
    amount: int | None
    period_start: dt.date | None
    period_end: dt.date | None
    version: int
    commitments: dict[int, int] | None = None  # the proposed grant per year
    # Where the grant att-sats states another amount or period than the fields: the board
    # pack is not built until they agree.
    problems: list[str] = []


class ProposalUpdate(msgspec.Struct):
    version: Version
    document_date: dt.date | UnsetType = UNSET
    clauses: Clauses | UnsetType = UNSET
    application_text: LongText | UnsetType = UNSET
    assessment_text: LongText | UnsetType = UNSET
    amount: Kronor | UnsetType | None = UNSET
    period_start: dt.date | UnsetType | None = UNSET
    period_end: dt.date | UnsetType | None = UNSET
    # The grant per year; None: as the application's years where they fit, else by months.
    commitments: dict[int, Kronor] | UnsetType | None = UNSET


class VoteIn(msgspec.Struct):
    member: Name
    choice: VoteChoice | None = None
    conflict: bool = False  # jäv: takes no part
    chair: bool = False


class DecisionIn(msgspec.Struct):
    """A decision as taken; amounts and period only for a (partly) granted one."""

    case_id: int
    outcome: DecisionOutcome
    clauses: Clauses
    amount: Kronor = 0
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    commitments: dict[Year, Kronor] | None = None  # year -> kronor; None: pro rata by months
    votes: Annotated[list[VoteIn], Meta(max_length=80)] = []
    reservations: Annotated[list[MediumText], Meta(max_length=80)] = []
    supersedes_id: int | None = None
    draws_on_id: int | None = None  # the fund reservation a grant (an extension) draws on
    # Omedelbart justerad: the extract goes to the owner at once, not when the minutes are justerade.
    immediately_approved: bool = False


class CommitmentOut(msgspec.Struct):
    year: int
    amount: int


class DecisionOut(msgspec.Struct):
    id: int
    case_id: int
    case_number: str
    meeting_id: int
    paragraph: int
    outcome: DecisionOutcome
    clauses: list[str]
    amount: int
    period_start: dt.date | None
    period_end: dt.date | None
    votes: list[VoteIn]
    vote_summary: str
    reservations: list[str]
    supersedes_id: int | None
    superseded_by_id: int | None
    commitments: list[CommitmentOut]
    decided_at: dt.datetime


def proposal_out(row: dict[str, Any]) -> ProposalOut:
    clauses = _json_list(row["clauses"])
    raw = row.get("commitments")
    split = msgspec.json.decode(raw) if isinstance(raw, str | bytes) else raw
    return msgspec.convert(
        {
            **row,
            "case_id": row["case"],
            "clauses": clauses,
            "commitments": {int(y): int(a) for y, a in split.items()} if split else None,
            "problems": proposal_problems(
                clauses, row["amount"], row["period_start"], row["period_end"]
            ),
        },
        ProposalOut,
        strict=False,
    )


class NoteIO(msgspec.Struct):
    """A board member's private note on a case."""

    text: LongText


def decision_out(row: dict[str, Any]) -> DecisionOut:
    return DecisionOut(
        id=row["id"],
        case_id=row["case"],
        case_number=row["case_number"],
        meeting_id=row["meeting"],
        paragraph=row["paragraph"],
        outcome=DecisionOutcome(row["outcome"]),
        clauses=row["clauses"],
        amount=row["amount"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        votes=[msgspec.convert(v, VoteIn) for v in row["votes"]],
        vote_summary=row["vote_summary"],
        reservations=row["reservations"],
        supersedes_id=row["supersedes"],
        superseded_by_id=row["superseded_by"],
        commitments=[CommitmentOut(year=c["year"], amount=c["amount"]) for c in row["commitments"]],
        decided_at=row["decided_at"],
    )
