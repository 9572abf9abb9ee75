"""Reserved funds: a pool set aside in a year (for extensions, say) that lowers the room, and that
the grants drawing on it lower instead of the room (audited)."""

from __future__ import annotations

from typing import Any

from piccolo.columns import Column

from portfolio.accounts.permissions import can_manage, require
from portfolio.core import audit
from portfolio.core.db import write_transaction
from portfolio.core.domain import FieldProblem, Principal
from portfolio.core.errors import Conflict, NotFound, StaleVersion, ValidationFailed
from portfolio.core.tables import (
    Decision,
    FundReservation,
)
from portfolio.economy.schemas import (
    FIRST_BUDGET_YEAR,
    LAST_BUDGET_YEAR,
    ReservationIn,
    ReservationOut,
)


async def reservations(years: list[int] | None = None) -> list[ReservationOut]:
    """The reservations (of these years), each with what grants drawing on it commit in its
    year; superseded decisions are left out, as in the room."""
    rows = await FundReservation.raw(
        "SELECT r.id AS id, r.purpose AS purpose, r.year AS year, r.amount AS amount, "
        "r.version AS version, COALESCE(SUM(c.amount), 0) AS drawn FROM fund_reservation r "
        "LEFT JOIN decision d ON d.draws_on = r.id "
        "AND d.id NOT IN (SELECT supersedes FROM decision WHERE supersedes IS NOT NULL) "
        "LEFT JOIN commitment c ON c.decision = d.id AND c.year = r.year "
        "GROUP BY r.id, r.purpose, r.year, r.amount, r.version ORDER BY r.year, r.id"
    )
    wanted = set(years) if years is not None else None
    return [
        ReservationOut(
            id=row["id"],
            purpose=row["purpose"],
            year=int(row["year"]),
            amount=int(row["amount"]),
            drawn=int(row["drawn"]),
            remaining=max(int(row["amount"]) - int(row["drawn"]), 0),
            version=row["version"],
        )
        for row in rows
        if wanted is None or int(row["year"]) in wanted
    ]


def _reservation_problems(data: ReservationIn) -> list[FieldProblem]:
    problems = []
    if not data.purpose.strip():
        problems.append(FieldProblem("purpose", "Syfte: ange vad medlen reserveras för."))
    if not FIRST_BUDGET_YEAR <= data.year <= LAST_BUDGET_YEAR:
        problems.append(
            FieldProblem(
                "year", f"År: ange ett år mellan {FIRST_BUDGET_YEAR} och {LAST_BUDGET_YEAR}."
            )
        )
    if data.amount < 0:
        problems.append(FieldProblem("amount", "Reserverat belopp kan inte vara negativt."))
    return problems


async def save_reservation(
    actor: Principal, data: ReservationIn, reservation_id: int | None = None
) -> ReservationOut:
    """Create a reservation, or change one at the version it was read at; audited."""
    require(can_manage(actor))
    problems = _reservation_problems(data)
    if problems:
        raise ValidationFailed(problems)
    values: dict[Column | str, Any] = {
        FundReservation.purpose: data.purpose.strip(),
        FundReservation.year: data.year,
        FundReservation.amount: data.amount,
    }
    async with write_transaction():
        before = None
        if reservation_id is None:
            created = await FundReservation.insert(
                FundReservation(purpose=data.purpose.strip(), year=data.year, amount=data.amount)
            ).returning(FundReservation.id)
            reservation_id = created[0]["id"]
        else:
            before = (
                await FundReservation.select().where(FundReservation.id == reservation_id).first()
            )
            if before is None:
                raise NotFound("Reservationen finns inte.")
            saved = (
                await FundReservation.update(
                    {**values, FundReservation.version: FundReservation.version + 1}
                )
                .where(
                    (FundReservation.id == reservation_id)
                    & (FundReservation.version == data.version)
                )
                .returning(FundReservation.id)
            )
            if not saved:
                raise StaleVersion("Reservationen")
        after = await FundReservation.select().where(FundReservation.id == reservation_id).first()
        await audit.record(
            actor,
            "update" if before else "create",
            "fund_reservation",
            reservation_id,
            before,
            after,
            f"{data.purpose.strip()} {data.year}",
        )
    return next(r for r in await reservations() if r.id == reservation_id)


async def delete_reservation(actor: Principal, reservation_id: int) -> None:
    """Remove a reservation no grant draws on; audited."""
    require(can_manage(actor))
    async with write_transaction():
        before = await FundReservation.select().where(FundReservation.id == reservation_id).first()
        if before is None:
            raise NotFound("Reservationen finns inte.")
        if await Decision.exists().where(Decision.draws_on == reservation_id):
            raise Conflict(
                "Ett beslut tar medel ur reservationen; den kan inte tas bort.", field="id"
            )
        await FundReservation.delete().where(FundReservation.id == reservation_id)
        await audit.record(
            actor, "delete", "fund_reservation", reservation_id, before, None, before["purpose"]
        )
