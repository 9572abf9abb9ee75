"""msgspec Structs for the register: association, organisations, key, contacts, insatser,
parties, conditions and the audit trail (X / XCreate / XUpdate with UNSET).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from portfolio.core.audit import changed_fields
from portfolio.core.domain import (
    ConditionKind,
    InitiativeKind,
    InitiativeStatus,
    OrganisationKind,
    PartyRole,
)
from portfolio.core.schemas import LongText, Name, ShortText, Version, _json_field

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
    decision_id: int | None = None  # the decision that set it or carried it over
    ended_by_id: int | None = None  # the decision that dropped it: no longer in force


class ConditionCreate(msgspec.Struct):
    kind: ConditionKind
    text: Annotated[str, Meta(min_length=1, max_length=5000)]


class ConditionUpdate(msgspec.Struct):
    version: Version
    text: Annotated[str, Meta(min_length=1, max_length=5000)] | UnsetType = UNSET
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
