"""Reads every area needs of the shared tables: the association and its organisations."""

from __future__ import annotations

from typing import Any

from portfolio.core.domain import OrganisationKind
from portfolio.core.errors import Conflict
from portfolio.core.tables import Association, Organisation

NOT_SET_UP = (
    "Förbundets uppgifter är inte registrerade ännu. Gör förbundets första inställning "
    "(namn, organisationsnummer och adress) under Inställningar innan dokument och "
    "exporter tas fram."
)


async def association_row() -> dict[str, Any] | None:
    return await Association.select().first()


async def required_association() -> dict[str, Any]:
    """The association, for a document or export: refused until set-up, never blank."""
    row = await association_row()
    if row is None:
        raise Conflict(NOT_SET_UP)
    return row


async def organisation_rows(kind: OrganisationKind | None = None) -> list[dict[str, Any]]:
    query = Organisation.select().order_by(Organisation.kind).order_by(Organisation.name)
    if kind is not None:
        query = query.where(Organisation.kind == kind)
    return await query


async def organisation_names() -> dict[int, str]:
    return {
        row["id"]: row["name"]
        for row in await Organisation.select(Organisation.id, Organisation.name)
    }


async def organisation_row(organisation_id: int) -> dict[str, Any] | None:
    return await Organisation.select().where(Organisation.id == organisation_id).first()
