"""Use cases for the board's people: ledamöter, ersättare and officials, with or without an
account. A meeting's attendance list is drawn from them; each change is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portfolio.accounts.permissions import can_manage, require
from portfolio.core import audit
from portfolio.core.db import write_transaction
from portfolio.core.domain import FieldProblem, Principal
from portfolio.core.errors import NotFound, ValidationFailed
from portfolio.core.schemas import set_fields
from portfolio.core.tables import BoardPerson, Organisation, User
from portfolio.core.versioning import update_versioned
from portfolio.register.schemas import PersonCreate, PersonUpdate

_COLUMNS = {
    "organisation_id": BoardPerson.organisation,
    "user_id": BoardPerson.user,
}


def _plausible_email(address: str) -> bool:
    local, at, domain = address.strip().rpartition("@")
    return bool(at and local and "." in domain and " " not in address.strip())


async def person_rows(on: dt.date | None = None, active_only: bool = False) -> list[dict[str, Any]]:
    """The register in order of part and name; `on` keeps those whose term covers that day."""
    query = BoardPerson.select(
        *BoardPerson._meta.columns,
        BoardPerson.organisation.name.as_alias("organisation_name"),
    ).order_by(BoardPerson.name)
    if active_only or on is not None:
        query = query.where(BoardPerson.active == True)  # noqa: E712
    rows = await query
    if on is not None:
        rows = [
            r
            for r in rows
            if (r["term_start"] is None or r["term_start"] <= on)
            and (r["term_end"] is None or on <= r["term_end"])
        ]
    return rows


async def get_person(person_id: int) -> dict[str, Any]:
    row = await (
        BoardPerson.select(
            *BoardPerson._meta.columns,
            BoardPerson.organisation.name.as_alias("organisation_name"),
        )
        .where(BoardPerson.id == person_id)
        .first()
    )
    if row is None:
        raise NotFound("Personen finns inte i styrelseregistret.")
    return row


async def _check(values: dict[str, Any]) -> None:
    problems: list[FieldProblem] = []
    email = str(values.get("email") or "").strip()
    if email and not _plausible_email(email):
        problems.append(FieldProblem("email", "Ange en e-postadress som namn@exempel.se."))
    start, end = values.get("term_start"), values.get("term_end")
    if start is not None and end is not None and end < start:
        problems.append(FieldProblem("term_end", "Mandatperioden kan inte sluta innan den börjar."))
    org = values.get("organisation_id")
    if org is not None and not await Organisation.exists().where(Organisation.id == org):
        problems.append(FieldProblem("organisation_id", "Organisationen finns inte."))
    user = values.get("user_id")
    if user is not None and not await User.exists().where(User.id == user):
        problems.append(FieldProblem("user_id", "Kontot finns inte."))
    if problems:
        raise ValidationFailed(problems)


def _to_columns(values: dict[str, Any]) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for name, value in values.items():
        column = _COLUMNS.get(name) or getattr(BoardPerson, name)
        out[column] = value.strip() if isinstance(value, str) else value
    return out


async def create_person(actor: Principal, data: PersonCreate) -> dict[str, Any]:
    require(can_manage(actor))
    values = {name: getattr(data, name) for name in data.__struct_fields__}
    await _check(values)
    async with write_transaction():
        created = (
            await BoardPerson.insert(BoardPerson(_data=_to_columns(values))).returning(
                BoardPerson.id
            )
        )[0]
        row = await get_person(created["id"])
        await audit.record(actor, "create", "board_person", row["id"], None, row, data.name)
    return row


async def update_person(actor: Principal, person_id: int, update: PersonUpdate) -> dict[str, Any]:
    require(can_manage(actor))
    async with write_transaction():
        before = await get_person(person_id)
        values = set_fields(update)
        merged = {
            "email": before["email"],
            "term_start": before["term_start"],
            "term_end": before["term_end"],
            **values,
        }
        await _check(merged)
        await update_versioned(
            BoardPerson, person_id, update.version, _to_columns(values), what="Personen"
        )
        after = await get_person(person_id)
        await audit.record(actor, "update", "board_person", person_id, before, after)
    return after
