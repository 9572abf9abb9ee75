"""The shared vocabulary of every area (domain.md's glossary): roles, organisation kinds, insats
states and their rules, meeting bodies and statuses, case kinds.

No database and no web framework here: these are plain enums, Structs and functions that the
services, pages, API and documents share, and that unit tests exercise directly.
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec


class Role(enum.StrEnum):
    """What a person may do: the office runs everything, owners their own work, the board reads."""

    OFFICE = "office"
    OWNER = "owner"
    BOARD = "board"


ROLE_LABELS = {
    Role.OFFICE: "Förbundschef/kansli",
    Role.OWNER: "Insatsägare",
    Role.BOARD: "Styrelseledamot",
}


class OrganisationKind(enum.StrEnum):
    FK = "fk"
    AF = "af"
    REGION = "region"
    KOMMUN = "kommun"
    OTHER = "other"


ORGANISATION_KIND_LABELS = {
    OrganisationKind.FK: "Försäkringskassan",
    OrganisationKind.AF: "Arbetsförmedlingen",
    OrganisationKind.REGION: "Region",
    OrganisationKind.KOMMUN: "Kommun",
    OrganisationKind.OTHER: "Övrig organisation",
}

# The parties of the law: every kommun together counts as one party, as do FK and AF each.
PARTY_OF_KIND = {
    OrganisationKind.FK: "state-fk",
    OrganisationKind.AF: "state-af",
    OrganisationKind.REGION: "region",
    OrganisationKind.KOMMUN: "kommun",
}


def count_parties(kinds: list[OrganisationKind]) -> int:
    """Distinct parties among organisations, all kommuner counting as one; others don't count."""
    return len({PARTY_OF_KIND[kind] for kind in kinds if kind in PARTY_OF_KIND})


class InitiativeKind(enum.StrEnum):
    INDIVIDUAL = "individual"
    STRUCTURAL = "structural"


INITIATIVE_KIND_LABELS = {
    InitiativeKind.INDIVIDUAL: "Individinsats",
    InitiativeKind.STRUCTURAL: "Strukturinsats",
}


class InitiativeStatus(enum.StrEnum):
    APPLIED = "applied"
    GRANTED = "granted"
    RUNNING = "running"
    ENDED = "ended"
    STOPPED = "stopped"


INITIATIVE_STATUS_LABELS = {
    InitiativeStatus.APPLIED: "Ansökt",
    InitiativeStatus.GRANTED: "Beviljad",
    InitiativeStatus.RUNNING: "Pågående",
    InitiativeStatus.ENDED: "Avslutad",
    InitiativeStatus.STOPPED: "Avbruten",
}

INITIATIVE_TRANSITIONS: dict[InitiativeStatus, frozenset[InitiativeStatus]] = {
    InitiativeStatus.APPLIED: frozenset({InitiativeStatus.GRANTED, InitiativeStatus.STOPPED}),
    InitiativeStatus.GRANTED: frozenset({InitiativeStatus.RUNNING, InitiativeStatus.STOPPED}),
    InitiativeStatus.RUNNING: frozenset({InitiativeStatus.ENDED, InitiativeStatus.STOPPED}),
    InitiativeStatus.ENDED: frozenset(),
    InitiativeStatus.STOPPED: frozenset(),
}


def can_move_initiative(current: InitiativeStatus, target: InitiativeStatus) -> bool:
    return target == current or target in INITIATIVE_TRANSITIONS[current]


class PartyRole(enum.StrEnum):
    CO_OWNER = "co_owner"
    PARTNER = "partner"


PARTY_ROLE_LABELS = {PartyRole.CO_OWNER: "Delinsatsägare", PartyRole.PARTNER: "Samverkanspart"}


class Principal(msgspec.Struct, frozen=True):
    """The signed-in person as the rules see them."""

    user_id: int
    email: str
    name: str
    role: Role
    organisation_id: int | None = None

    @property
    def is_office(self) -> bool:
        return self.role is Role.OFFICE


class FieldProblem(msgspec.Struct, frozen=True):
    """One thing wrong with submitted input, named by the field it concerns."""

    field: str
    message: str


def check_period(start: dt.date | None, end: dt.date | None) -> list[FieldProblem]:
    if start and end and end < start:
        return [FieldProblem("period_end", "Slutdatum kan inte vara före startdatum.")]
    return []


class ConditionKind(enum.StrEnum):
    """Conditions a decision sets, told apart because each is followed up differently."""

    EXTENSION_REQUIREMENT = "extension_requirement"
    FUNDING_RESERVATION = "funding_reservation"
    FREE_TEXT = "free_text"


CONDITION_KIND_LABELS = {
    ConditionKind.EXTENSION_REQUIREMENT: "Krav vid förlängning",
    ConditionKind.FUNDING_RESERVATION: "Förbehåll om finansiering",
    ConditionKind.FREE_TEXT: "Övrigt villkor",
}


class Body(enum.StrEnum):
    """Who meets: the board decides, the working committee prepares."""

    BOARD = "fs"
    WORKING_COMMITTEE = "au"


BODY_LABELS = {Body.BOARD: "Förbundsstyrelsen", Body.WORKING_COMMITTEE: "Arbetsutskottet"}


class MeetingStatus(enum.StrEnum):
    PLANNED = "planned"
    NOTICE_SENT = "notice_sent"
    HELD = "held"
    APPROVED = "approved"


MEETING_STATUS_LABELS = {
    MeetingStatus.PLANNED: "Planerat",
    MeetingStatus.NOTICE_SENT: "Kallelse skickad",
    MeetingStatus.HELD: "Genomfört",
    MeetingStatus.APPROVED: "Protokoll justerat",
}

MEETING_TRANSITIONS: dict[MeetingStatus, frozenset[MeetingStatus]] = {
    MeetingStatus.PLANNED: frozenset({MeetingStatus.NOTICE_SENT}),
    MeetingStatus.NOTICE_SENT: frozenset({MeetingStatus.HELD}),
    MeetingStatus.HELD: frozenset({MeetingStatus.APPROVED}),
    MeetingStatus.APPROVED: frozenset(),
}


class AttendeeRole(enum.StrEnum):
    """A person's part in a meeting, in the order the minutes list them."""

    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    MEMBER = "member"
    SUBSTITUTE = "substitute"
    DIRECTOR = "director"
    OTHER = "other"


ATTENDEE_ROLE_LABELS = {
    AttendeeRole.CHAIR: "ordförande",
    AttendeeRole.VICE_CHAIR: "vice ordförande",
    AttendeeRole.MEMBER: "ledamot",
    AttendeeRole.SUBSTITUTE: "ersättare",
    AttendeeRole.DIRECTOR: "förbundschef",
    AttendeeRole.OTHER: "övrig",
}
# Members and substitutes make the board; the others attend without a vote.
VOTING_ROLES = frozenset(
    {AttendeeRole.CHAIR, AttendeeRole.VICE_CHAIR, AttendeeRole.MEMBER, AttendeeRole.SUBSTITUTE}
)


class CaseKind(enum.StrEnum):
    APPLICATION = "application"
    INFORMATION = "information"
    ECONOMY = "economy"
    OTHER = "other"


CASE_KIND_LABELS = {
    CaseKind.APPLICATION: "Ansökan",
    CaseKind.INFORMATION: "Information",
    CaseKind.ECONOMY: "Ekonomi",
    CaseKind.OTHER: "Övrigt",
}


def format_case_number(year: int, number: int) -> str:
    """The association's registry number (Dnr): "2021:13"."""
    return f"{year}:{number}"


def attachment_label(item_number: int, attachments: int) -> str:
    """The pack's numbering of an agenda item's papers: "bilaga nr. 6" or "bilaga nr. 6 - 6.2"."""
    if attachments <= 1:
        return f"bilaga nr. {item_number}"
    return f"bilaga nr. {item_number} - {item_number}.{attachments - 1}"
