"""msgspec Structs for the register: association, organisations, key, contacts, insatser,
parties, conditions and the audit trail (X / XCreate / XUpdate with UNSET).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar

import msgspec
from msgspec import UNSET, Meta, UnsetType

from portfolio.core.audit import changed_fields
from portfolio.core.domain import (
    AttendeeRole,
    ConditionKind,
    InitiativeKind,
    InitiativeStatus,
    OrganisationKind,
    PartyRole,
)
from portfolio.core.schemas import (
    Clause,
    LongText,
    Name,
    ShortText,
    Title,
    Version,
    _json_field,
)

Share = Annotated[int, Meta(ge=0, le=10_000)]


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
    __email_fields__: ClassVar = ("email",)

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


Kronor = Annotated[int, Meta(ge=0, le=1_000_000_000)]


class SetupOrganisation(msgspec.Struct):
    """A member organisation named at set-up, with its share of its kind's quarter if any."""

    name: Name
    kind: OrganisationKind
    org_number: ShortText = ""
    share: Share | None = None  # hundredths of a percent; kommuner and regions only


class SetupYearBudget(msgspec.Struct):
    year: Annotated[int, Meta(ge=2000, le=2100)]
    member_contributions: Kronor = 0
    elected_members: Kronor = 0
    administration: Kronor = 0


class AssociationSetup(msgspec.Struct):
    """The first-run set-up: the association, its members by kind, the keys, the year budgets."""

    name: Name
    org_number: ShortText = ""
    address: ShortText = ""
    postal_address: ShortText = ""
    email: ShortText = ""
    phone: ShortText = ""
    director_name: ShortText = ""
    organisations: list[SetupOrganisation] = []
    year_budgets: list[SetupYearBudget] = []


class SetupOut(msgspec.Struct):
    association: AssociationOut
    organisations: list[OrganisationOut]
    years: list[int]


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
    __email_fields__: ClassVar = ("email",)

    name: Name
    email: ShortText = ""
    phone: ShortText = ""
    title: ShortText = ""


class ContactUpdate(msgspec.Struct):
    __email_fields__: ClassVar = ("email",)

    version: Version
    name: Name | UnsetType = UNSET
    email: ShortText | UnsetType = UNSET
    phone: ShortText | UnsetType = UNSET
    title: ShortText | UnsetType = UNSET


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


class CoFinancier(msgspec.Struct):
    """Another financier of a co-financed insats, with its share in kronor."""

    name: Annotated[str, Meta(min_length=1, max_length=300)]
    amount: Annotated[int, Meta(ge=0, le=10_000_000_000)]


TotalCost = Annotated[int, Meta(ge=0, le=10_000_000_000)]


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
    orientation: str = ""
    follow_up_method: str = ""
    esf_cofunded: bool = False
    total_cost: int | None = None  # the whole project's cost, when co-financed
    co_financiers: list[CoFinancier] = []


class InitiativeCreate(msgspec.Struct):
    name: Title
    kind: InitiativeKind
    lead_owner_id: int
    target_group: LongText = ""
    description: LongText = ""
    area: ShortText = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    status: InitiativeStatus = InitiativeStatus.APPLIED
    orientation: ShortText = ""
    follow_up_method: ShortText = ""
    esf_cofunded: bool = False
    total_cost: TotalCost | None = None
    co_financiers: list[CoFinancier] = []


class InitiativeUpdate(msgspec.Struct):
    version: Version
    name: Title | UnsetType = UNSET
    kind: InitiativeKind | UnsetType = UNSET
    status: InitiativeStatus | UnsetType = UNSET
    lead_owner_id: int | UnsetType = UNSET
    target_group: LongText | UnsetType = UNSET
    description: LongText | UnsetType = UNSET
    area: ShortText | UnsetType = UNSET
    period_start: dt.date | UnsetType | None = UNSET
    period_end: dt.date | UnsetType | None = UNSET
    orientation: ShortText | UnsetType = UNSET
    follow_up_method: ShortText | UnsetType = UNSET
    esf_cofunded: bool | UnsetType = UNSET
    total_cost: TotalCost | UnsetType | None = UNSET
    co_financiers: list[CoFinancier] | UnsetType = UNSET


# -- conditions ----------------------------------------------------------------------------


class ConditionOut(msgspec.Struct):
    id: int
    initiative_id: int
    kind: ConditionKind
    text: str
    met: bool
    met_note: str
    version: int
    decision_id: int | None = None  # the decision that set it or carried it over
    ended_by_id: int | None = None  # the decision that dropped it: no longer in force


class ConditionCreate(msgspec.Struct):
    kind: ConditionKind
    text: Clause


class ConditionUpdate(msgspec.Struct):
    version: Version
    text: Clause | UnsetType = UNSET
    met: bool | UnsetType = UNSET
    met_note: LongText | UnsetType = UNSET


def condition_out(row: dict[str, Any]) -> ConditionOut:
    return msgspec.convert(
        {
            **row,
            "initiative_id": row["initiative"],
            "decision_id": row.get("decision"),
            "ended_by_id": row.get("ended_by"),
        },
        ConditionOut,
        strict=False,
    )


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


# -- rows to responses ----------------------------------------------------------------------


def association_out(row: dict[str, Any]) -> AssociationOut:
    return msgspec.convert(row, AssociationOut, strict=False)


def organisation_out(row: dict[str, Any]) -> OrganisationOut:
    return msgspec.convert(row, OrganisationOut, strict=False)


def contact_out(row: dict[str, Any]) -> ContactOut:
    return msgspec.convert(
        {**row, "organisation_id": row["organisation"]}, ContactOut, strict=False
    )


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
        orientation=row.get("orientation", ""),
        follow_up_method=row.get("follow_up_method", ""),
        esf_cofunded=bool(row.get("esf_cofunded", False)),
        total_cost=row.get("total_cost"),
        co_financiers=msgspec.convert(_decoded_list(row.get("co_financiers")), list[CoFinancier]),
    )


def _decoded_list(value: Any) -> list[Any]:
    if isinstance(value, str):
        return msgspec.json.decode(value or "[]") or []
    return list(value or [])


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


# -- the board's people ---------------------------------------------------------------------


class PersonOut(msgspec.Struct):
    id: int
    name: str
    email: str
    role: AttendeeRole
    organisation_id: int | None
    organisation_name: str
    title: str
    term_start: dt.date | None
    term_end: dt.date | None
    user_id: int | None
    active: bool
    version: int


class PersonCreate(msgspec.Struct):
    """A ledamot, ersättare or official; the e-mail is where kallelser go without an account."""

    name: Name
    role: AttendeeRole = AttendeeRole.MEMBER
    email: ShortText = ""
    organisation_id: int | None = None
    title: ShortText = ""
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    user_id: int | None = None


class PersonUpdate(msgspec.Struct):
    version: Version
    name: Name | UnsetType = UNSET
    role: AttendeeRole | UnsetType = UNSET
    email: ShortText | UnsetType = UNSET
    organisation_id: int | UnsetType | None = UNSET
    title: ShortText | UnsetType = UNSET
    term_start: dt.date | UnsetType | None = UNSET
    term_end: dt.date | UnsetType | None = UNSET
    user_id: int | UnsetType | None = UNSET
    active: bool | UnsetType = UNSET


def person_out(row: dict[str, Any]) -> PersonOut:
    return msgspec.convert(
        {
            **row,
            "organisation_id": row["organisation"],
            "organisation_name": row.get("organisation_name") or "",
            "user_id": row["user"],
        },
        PersonOut,
        strict=False,
    )
