"""Read queries for the register: contacts, insatser and their parties, conditions and the audit
trail (the association and organisations are read in core/queries.py, as every area needs them). Owners see only their own organisation's insatser (`_visible_to`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from piccolo.query.functions.aggregate import Count

from portfolio.core.domain import (
    ConditionKind,
    InitiativeStatus,
    Principal,
    Role,
)
from portfolio.core.tables import (
    AuditEntry,
    Condition,
    Contact,
    Initiative,
    InitiativeParty,
)


async def contact_rows(organisation_id: int) -> list[dict[str, Any]]:
    return await (
        Contact.select().where(Contact.organisation == organisation_id).order_by(Contact.name)
    )


async def contact_row(contact_id: int) -> dict[str, Any] | None:
    return await Contact.select().where(Contact.id == contact_id).first()


_INITIATIVE_COLUMNS = (
    *Initiative._meta.columns,
    Initiative.lead_owner.name.as_alias("lead_owner_name"),
)


def _visible_to(user: Principal) -> Any:
    """A WHERE clause limiting insatser to what `user` may see (None: no limit)."""
    if user.role in (Role.OFFICE, Role.BOARD):
        return None
    org = user.organisation_id or -1
    party_of = InitiativeParty.select(InitiativeParty.initiative).where(
        InitiativeParty.organisation == org
    )
    return (Initiative.lead_owner == org) | Initiative.id.is_in(party_of)


async def initiative_rows(
    user: Principal,
    status: InitiativeStatus | None = None,
    owner_id: int | None = None,
    kommun_id: int | None = None,
    year: int | None = None,
) -> list[dict[str, Any]]:
    """Insatser `user` may see, filtered; `kommun_id` matches lead owner or party, `year` the period."""
    query = Initiative.select(*_INITIATIVE_COLUMNS).order_by(Initiative.name)
    visible = _visible_to(user)
    if visible is not None:
        query = query.where(visible)
    if status is not None:
        query = query.where(Initiative.status == status)
    if owner_id is not None:
        query = query.where(Initiative.lead_owner == owner_id)
    if kommun_id is not None:
        parties = InitiativeParty.select(InitiativeParty.initiative).where(
            InitiativeParty.organisation == kommun_id
        )
        query = query.where((Initiative.lead_owner == kommun_id) | Initiative.id.is_in(parties))
    if year is not None:
        # Running at some time during the year: started by its end, not ended before its start.
        query = query.where(
            (Initiative.period_start.is_null() | (Initiative.period_start <= dt.date(year, 12, 31)))
            & (Initiative.period_end.is_null() | (Initiative.period_end >= dt.date(year, 1, 1)))
        )
    return await query


async def initiative_row(initiative_id: int) -> dict[str, Any] | None:
    return await (
        Initiative.select(*_INITIATIVE_COLUMNS).where(Initiative.id == initiative_id).first()
    )


async def party_rows(initiative_id: int) -> list[dict[str, Any]]:
    return await (
        InitiativeParty.select(
            *InitiativeParty._meta.columns,
            InitiativeParty.organisation.name.as_alias("organisation_name"),
            InitiativeParty.organisation.kind.as_alias("organisation_kind"),
        )
        .where(InitiativeParty.initiative == initiative_id)
        .order_by(InitiativeParty.role)
        .order_by(InitiativeParty.id)
    )


async def initiative_counts_by_status(user: Principal) -> dict[str, int]:
    query = Initiative.select(Initiative.status, Count()).group_by(Initiative.status)
    visible = _visible_to(user)
    if visible is not None:
        query = query.where(visible)
    return {row["status"]: row["count"] for row in await query}


async def condition_rows(
    initiative_id: int, kind: ConditionKind | None = None
) -> list[dict[str, Any]]:
    query = Condition.select().where(Condition.initiative == initiative_id).order_by(Condition.id)
    if kind is not None:
        query = query.where(Condition.kind == kind)
    return await query


async def condition_row(condition_id: int) -> dict[str, Any] | None:
    return await Condition.select().where(Condition.id == condition_id).first()


async def audit_rows(
    entity: str | None = None, entity_id: int | None = None, limit: int = 200, offset: int = 0
) -> list[dict[str, Any]]:
    query = AuditEntry.select().order_by(AuditEntry.id, ascending=False).limit(limit).offset(offset)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    return await query
