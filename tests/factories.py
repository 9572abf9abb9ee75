"""Plain helpers that put rows straight into the database for a test to start from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portfolio.domain import (
    InitiativeKind,
    InitiativeStatus,
    OrganisationKind,
    PartyRole,
    Principal,
    Role,
)
from portfolio.passwords import hash_password
from portfolio.tables import Association, Initiative, InitiativeParty, Organisation, User

PASSWORD = "rätt-lösenord-123"
# Hashing is deliberately slow; hash the shared test password once.
PASSWORD_HASH = hash_password(PASSWORD)


async def association(name: str = "Samordningsförbundet Test") -> dict[str, Any]:
    rows = await Association.insert(Association(name=name, director_name="Eva Chef")).returning(
        *Association._meta.columns
    )
    return rows[0]


async def organisation(
    name: str,
    kind: OrganisationKind = OrganisationKind.KOMMUN,
    is_member: bool = True,
    share: int | None = None,
) -> dict[str, Any]:
    rows = await Organisation.insert(
        Organisation(name=name, kind=kind, is_member=is_member, contribution_share=share)
    ).returning(*Organisation._meta.columns)
    return rows[0]


async def user(
    email: str, role: Role, organisation_id: int | None = None, name: str = ""
) -> Principal:
    rows = await User.insert(
        User(
            email=email,
            name=name or email.split("@")[0].title(),
            role=role,
            organisation=organisation_id,
            password_hash=PASSWORD_HASH,
        )
    ).returning(User.id)
    return Principal(
        user_id=rows[0]["id"],
        email=email,
        name=name or email,
        role=role,
        organisation_id=organisation_id,
    )


async def initiative(
    name: str,
    lead_owner_id: int,
    status: InitiativeStatus = InitiativeStatus.RUNNING,
    partners: tuple[int, ...] = (),
) -> dict[str, Any]:
    rows = await Initiative.insert(
        Initiative(
            name=name,
            kind=InitiativeKind.INDIVIDUAL,
            status=status,
            lead_owner=lead_owner_id,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2027, 12, 31),
        )
    ).returning(*Initiative._meta.columns)
    for org_id in partners:
        await InitiativeParty.insert(
            InitiativeParty(initiative=rows[0]["id"], organisation=org_id, role=PartyRole.PARTNER)
        )
    return rows[0]


class World:
    """A small association: office, board, and owners in two kommuner, each with an insats."""

    office: Principal
    board: Principal
    owner_a: Principal
    owner_b: Principal
    fk: dict[str, Any]
    kommun_a: dict[str, Any]
    kommun_b: dict[str, Any]
    initiative_a: dict[str, Any]
    initiative_b: dict[str, Any]


async def world() -> World:
    w = World()
    await association()
    w.fk = await organisation("Försäkringskassan", OrganisationKind.FK)
    w.kommun_a = await organisation("Alfa kommun", share=6000)
    w.kommun_b = await organisation("Beta kommun", share=4000)
    w.office = await user("kansli@test.example", Role.OFFICE, name="Kim Kansli")
    w.board = await user("ledamot@test.example", Role.BOARD, name="Bo Ledamot")
    w.owner_a = await user("agare@alfa.example", Role.OWNER, w.kommun_a["id"], name="Ada Ägare")
    w.owner_b = await user("agare@beta.example", Role.OWNER, w.kommun_b["id"], name="Bea Ägare")
    w.initiative_a = await initiative("Alfa-insatsen", w.kommun_a["id"], partners=(w.fk["id"],))
    w.initiative_b = await initiative("Beta-insatsen", w.kommun_b["id"], InitiativeStatus.APPLIED)
    return w
