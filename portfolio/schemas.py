"""Request and response Structs of the portfolio API (and the page forms, which reuse them)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from portfolio.audit import changed_fields
from portfolio.decisions import DecisionOutcome, VoteChoice
from portfolio.domain import (
    AttendeeRole,
    Body,
    CaseKind,
    ConditionKind,
    InitiativeKind,
    InitiativeStatus,
    MeetingStatus,
    OrganisationKind,
    PartyRole,
    Role,
)

Name = Annotated[str, Meta(min_length=1, max_length=200)]
ShortText = Annotated[str, Meta(max_length=200)]
LongText = Annotated[str, Meta(max_length=20_000)]
Email = Annotated[str, Meta(min_length=3, max_length=200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Share = Annotated[int, Meta(ge=0, le=10_000)]
Version = Annotated[int, Meta(ge=1)]


class ErrorOut(msgspec.Struct):
    """Every API error: a message for a person and the field concerned, if any."""

    status_code: int
    message: str
    field: str | None = None
    errors: list[dict[str, str]] = []


# -- log-in ---------------------------------------------------------------------------------


class LoginIn(msgspec.Struct):
    email: Annotated[str, Meta(min_length=1, max_length=200)]
    password: Annotated[str, Meta(min_length=1, max_length=500)]


class MeOut(msgspec.Struct):
    id: int
    email: str
    name: str
    role: Role
    organisation_id: int | None
    organisation_name: str | None


# -- the association ------------------------------------------------------------------------


class AssociationOut(msgspec.Struct):
    name: str
    org_number: str
    address: str
    postal_address: str
    email: str
    phone: str
    director_name: str
    report_due_days: int
    version: int
    report_reminder_days_before: int = 14
    report_reminder_interval_days: int = 7


ReminderDays = Annotated[int, Meta(ge=0, le=365)]


class AssociationUpdate(msgspec.Struct):
    version: Version
    name: Name | UnsetType = UNSET
    org_number: ShortText | UnsetType = UNSET
    address: ShortText | UnsetType = UNSET
    postal_address: ShortText | UnsetType = UNSET
    email: ShortText | UnsetType = UNSET
    phone: ShortText | UnsetType = UNSET
    director_name: ShortText | UnsetType = UNSET
    report_due_days: Annotated[int, Meta(ge=0, le=365)] | UnsetType = UNSET
    # Quarterly-report reminders (0 turns off the reminder before the due date).
    report_reminder_days_before: ReminderDays | UnsetType = UNSET
    report_reminder_interval_days: ReminderDays | UnsetType = UNSET


# -- organisations and contacts -------------------------------------------------------------


class OrganisationOut(msgspec.Struct):
    id: int
    name: str
    kind: OrganisationKind
    is_member: bool
    org_number: str
    contribution_share: int | None
    active: bool
    version: int


class OrganisationCreate(msgspec.Struct):
    name: Name
    kind: OrganisationKind
    is_member: bool = True
    org_number: ShortText = ""


class OrganisationUpdate(msgspec.Struct):
    version: Version
    name: Name | UnsetType = UNSET
    kind: OrganisationKind | UnsetType = UNSET
    is_member: bool | UnsetType = UNSET
    org_number: ShortText | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class ShareIn(msgspec.Struct):
    organisation_id: int
    share: Share
    # The organisation's version as read: when given, a key changed since is refused (409).
    version: int | None = None


class ContributionKeyIn(msgspec.Struct):
    """The split of one kind's quarter (kommun or region), in hundredths of a percent."""

    kind: OrganisationKind
    shares: list[ShareIn]


class ContributionKeyOut(msgspec.Struct):
    kind: OrganisationKind
    shares: list[ShareIn]
    total: int


class ContactOut(msgspec.Struct):
    id: int
    organisation_id: int
    name: str
    email: str
    phone: str
    title: str
    version: int


class ContactCreate(msgspec.Struct):
    name: Name
    email: ShortText = ""
    phone: ShortText = ""
    title: ShortText = ""


class ContactUpdate(msgspec.Struct):
    version: Version
    name: Name | UnsetType = UNSET
    email: ShortText | UnsetType = UNSET
    phone: ShortText | UnsetType = UNSET
    title: ShortText | UnsetType = UNSET


# -- people ---------------------------------------------------------------------------------


class UserOut(msgspec.Struct):
    id: int
    email: str
    name: str
    title: str
    role: Role
    organisation_id: int | None
    active: bool
    version: int


class UserCreate(msgspec.Struct):
    email: Email
    name: Name
    password: Annotated[str, Meta(min_length=10, max_length=500)]
    role: Role
    organisation_id: int | None = None
    title: ShortText = ""


class UserUpdate(msgspec.Struct):
    version: Version
    name: Name | UnsetType = UNSET
    title: ShortText | UnsetType = UNSET
    role: Role | UnsetType = UNSET
    organisation_id: int | UnsetType | None = UNSET
    active: bool | UnsetType = UNSET
    password: Annotated[str, Meta(min_length=10, max_length=500)] | UnsetType = UNSET


# -- insatser -------------------------------------------------------------------------------


class PartyOut(msgspec.Struct):
    id: int
    organisation_id: int
    organisation_name: str
    role: PartyRole
    contact_id: int | None


class PartyIn(msgspec.Struct):
    organisation_id: int
    role: PartyRole
    contact_id: int | None = None


class InitiativeOut(msgspec.Struct):
    id: int
    name: str
    kind: InitiativeKind
    status: InitiativeStatus
    lead_owner_id: int
    lead_owner_name: str
    target_group: str
    description: str
    area: str
    period_start: dt.date | None
    period_end: dt.date | None
    version: int
    parties: list[PartyOut] = []


class InitiativeCreate(msgspec.Struct):
    name: Annotated[str, Meta(min_length=1, max_length=300)]
    kind: InitiativeKind
    lead_owner_id: int
    target_group: LongText = ""
    description: LongText = ""
    area: ShortText = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    status: InitiativeStatus = InitiativeStatus.APPLIED


class InitiativeUpdate(msgspec.Struct):
    version: Version
    name: Annotated[str, Meta(min_length=1, max_length=300)] | UnsetType = UNSET
    kind: InitiativeKind | UnsetType = UNSET
    status: InitiativeStatus | UnsetType = UNSET
    lead_owner_id: int | UnsetType = UNSET
    target_group: LongText | UnsetType = UNSET
    description: LongText | UnsetType = UNSET
    area: ShortText | UnsetType = UNSET
    period_start: dt.date | UnsetType | None = UNSET
    period_end: dt.date | UnsetType | None = UNSET


# -- conditions ----------------------------------------------------------------------------


class ConditionOut(msgspec.Struct):
    id: int
    initiative_id: int
    kind: ConditionKind
    text: str
    met: bool
    met_note: str
    version: int


class ConditionCreate(msgspec.Struct):
    kind: ConditionKind
    text: Annotated[str, Meta(min_length=1, max_length=5000)]


class ConditionUpdate(msgspec.Struct):
    version: Version
    text: Annotated[str, Meta(min_length=1, max_length=5000)] | UnsetType = UNSET
    met: bool | UnsetType = UNSET
    met_note: LongText | UnsetType = UNSET


def condition_out(row: dict[str, Any]) -> ConditionOut:
    return msgspec.convert({**row, "initiative_id": row["initiative"]}, ConditionOut, strict=False)


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

    name: Annotated[str, Meta(min_length=1, max_length=200)]
    organisation: ShortText = ""
    role: AttendeeRole = AttendeeRole.MEMBER
    invited: bool = True
    present: bool | None = None
    user_id: int | None = None


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


class CaseCreate(msgspec.Struct):
    title: Annotated[str, Meta(min_length=1, max_length=300)]
    kind: CaseKind
    initiative_id: int | None = None
    application_id: int | None = None
    year: Annotated[int, Meta(ge=2000, le=2100)] | None = None


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
    return msgspec.convert({**row, "user_id": row["user"]}, AttendeeOut, strict=False)


def case_out(row: dict[str, Any]) -> CaseOut:
    return msgspec.convert(
        {**row, "initiative_id": row["initiative"], "application_id": row["application"]},
        CaseOut,
        strict=False,
    )


def agenda_out(row: dict[str, Any]) -> AgendaItemOut:
    return msgspec.convert({**row, "case_id": row["case"]}, AgendaItemOut, strict=False)


# -- proposals and decisions ---------------------------------------------------------------

Clauses = Annotated[list[Annotated[str, Meta(min_length=1, max_length=5000)]], Meta(max_length=50)]
Kronor = Annotated[int, Meta(ge=0, le=1_000_000_000)]


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


class ProposalUpdate(msgspec.Struct):
    version: Version
    document_date: dt.date | UnsetType = UNSET
    clauses: Clauses | UnsetType = UNSET
    application_text: LongText | UnsetType = UNSET
    assessment_text: LongText | UnsetType = UNSET
    amount: Kronor | UnsetType | None = UNSET
    period_start: dt.date | UnsetType | None = UNSET
    period_end: dt.date | UnsetType | None = UNSET


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
    commitments: dict[int, Kronor] | None = None  # year -> kronor; None: pro rata by months
    votes: list[VoteIn] = []
    reservations: list[Annotated[str, Meta(max_length=5000)]] = []
    supersedes_id: int | None = None


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
    return msgspec.convert(
        {**row, "case_id": row["case"], "clauses": _json_list(row["clauses"])},
        ProposalOut,
        strict=False,
    )


def _json_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    decoded = msgspec.json.decode(value or "[]")
    return decoded if isinstance(decoded, list) else []


# -- the economy -----------------------------------------------------------------------------

Money = Annotated[int, Meta(ge=-1_000_000_000, le=1_000_000_000)]


class NamedAmountIn(msgspec.Struct):
    name: Annotated[str, Meta(min_length=1, max_length=200)]
    amount: Money


class InitiativeForecastIn(msgspec.Struct):
    initiative_id: int
    amount: Money


class ForecastIn(msgspec.Struct):
    """The current year's prognos; a figure left out is forecast as budgeted."""

    member_contributions: Money | None = None
    elected_members: Money | None = None
    administration: Money | None = None
    other_costs: list[NamedAmountIn] = []
    initiatives: list[InitiativeForecastIn] = []


class YearBudgetIn(msgspec.Struct):
    member_contributions: Money
    elected_members: Money
    administration: Money
    other_costs: list[NamedAmountIn] = []
    carried_in: Money | None = None
    forecast: ForecastIn | None = None
    version: int | None = None  # the version edited; None when the year is new
    extra_contribution: Money = 0  # a one-off extra from the members, split like the ordinary
    extra_contribution_note: ShortText = ""


class YearBudgetOut(msgspec.Struct):
    year: int
    member_contributions: int
    elected_members: int
    administration: int
    other_costs: list[NamedAmountIn]
    carried_in: int | None
    forecast: ForecastIn | None
    version: int
    extra_contribution: int = 0
    extra_contribution_note: str = ""


class PendingApplicationIn(msgspec.Struct):
    """An application counted in a what-if: its case and the amount per year to count."""

    case_id: int
    amounts: dict[int, Money]


class WhatIfIn(msgspec.Struct):
    from_year: Annotated[int, Meta(ge=2000, le=2100)]
    years: Annotated[int, Meta(ge=1, le=15)] = 3
    meeting_id: int | None = None
    applications: list[PendingApplicationIn] | None = None  # None: every pending one, as proposed


class BudgetRoomOut(msgspec.Struct):
    """The budget room: columns, and rows with exact kronor and tkr as displayed."""

    columns: list[str]
    rows: list[dict[str, Any]]
    over_committed: list[str]


class NoteIO(msgspec.Struct):
    """A board member's private note on a case."""

    text: Annotated[str, Meta(max_length=20_000)]


# -- audit ----------------------------------------------------------------------------------


class AuditEntryOut(msgspec.Struct):
    id: int
    at: dt.datetime
    actor_email: str
    action: str
    entity: str
    entity_id: int | None
    summary: str
    changed: list[str]
    before: dict[str, object] | None
    after: dict[str, object] | None


def set_fields(update: msgspec.Struct) -> dict[str, object]:
    """The fields a PATCH actually carries (UNSET ones left out), without the version."""
    return {
        name: value
        for name in update.__struct_fields__
        if name != "version" and (value := getattr(update, name)) is not UNSET
    }


# -- rows to responses ----------------------------------------------------------------------


def association_out(row: dict[str, Any]) -> AssociationOut:
    return msgspec.convert(row, AssociationOut, strict=False)


def organisation_out(row: dict[str, Any]) -> OrganisationOut:
    return msgspec.convert(row, OrganisationOut, strict=False)


def contact_out(row: dict[str, Any]) -> ContactOut:
    return msgspec.convert(
        {**row, "organisation_id": row["organisation"]}, ContactOut, strict=False
    )


def user_out(row: dict[str, Any]) -> UserOut:
    return msgspec.convert({**row, "organisation_id": row["organisation"]}, UserOut, strict=False)


def initiative_out(row: dict[str, Any]) -> InitiativeOut:
    parties = [
        PartyOut(
            id=p["id"],
            organisation_id=p["organisation"],
            organisation_name=p["organisation_name"],
            role=PartyRole(p["role"]),
            contact_id=p["contact"],
        )
        for p in row.get("parties", [])
    ]
    return InitiativeOut(
        id=row["id"],
        name=row["name"],
        kind=InitiativeKind(row["kind"]),
        status=InitiativeStatus(row["status"]),
        lead_owner_id=row["lead_owner"],
        lead_owner_name=row["lead_owner_name"],
        target_group=row["target_group"],
        description=row["description"],
        area=row["area"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        version=row["version"],
        parties=parties,
    )


def audit_out(row: dict[str, Any]) -> AuditEntryOut:
    before = _json_field(row["before"])
    after = _json_field(row["after"])
    return AuditEntryOut(
        id=row["id"],
        at=row["at"],
        actor_email=row["actor_email"],
        action=row["action"],
        entity=row["entity"],
        entity_id=row["entity_id"],
        summary=row["summary"],
        changed=changed_fields(before, after),
        before=before,
        after=after,
    )


def _json_field(value: Any) -> dict[str, Any] | None:
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        return value
    decoded = msgspec.json.decode(value)
    return decoded if isinstance(decoded, dict) else {"value": decoded}


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


# -- two-factor log-in ----------------------------------------------------------------------


class CodeIn(msgspec.Struct):
    """A six-digit code from the authenticator app, or a recovery code."""

    code: Annotated[str, Meta(min_length=1, max_length=40)]


class TwoFactorStep(msgspec.Struct):
    """The password was right; send a code to `/api/auth/login/code` to finish logging in."""

    two_factor_required: bool = True


class TwoFactorStatus(msgspec.Struct):
    enabled: bool
    available: bool


class EnrolmentOut(msgspec.Struct):
    """The secret for the app, as text, as an otpauth:// link and as an SVG QR code."""

    secret: str
    otpauth_uri: str
    qr_svg: str


class RecoveryCodesOut(msgspec.Struct):
    """Shown once: each code logs in once instead of the app's code."""

    recovery_codes: list[str]
