"""Requisitions: check a claim of actual costs against the grant, send it in, approve or
reject it, and record its payment, each saved and audited in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from applications.budget import CostCategory
from portfolio.accounts.permissions import require
from portfolio.core import audit
from portfolio.core.db import lock_for_update, write_transaction
from portfolio.core.domain import FieldProblem, Principal
from portfolio.core.errors import Conflict, NotFound, ValidationFailed
from portfolio.core.formatting import format_kr
from portfolio.core.tables import Initiative
from portfolio.core.versioning import update_versioned
from portfolio.register.services import get_initiative
from reports import queries
from reports.domain.requisitions import (
    EarlierClaim,
    RequisitionFlag,
    RequisitionLine,
    RequisitionStatus,
    blocking,
    check_requisition,
    requisition_problems,
)
from reports.permissions import (
    can_decide_requisition,
    can_record_payment,
    can_view_requisition,
    can_write_reports,
)
from reports.schemas import RequisitionCreate
from reports.services.common import _encode, _now, decode_flags, decode_lines
from reports.services.grants import grant_facts
from reports.tables import Requisition


async def get_requisition(actor: Principal, requisition_id: int) -> dict[str, Any]:
    row = await queries.requisition_row(requisition_id)
    if row is None or not can_view_requisition(actor, row["organisation"]):
        raise NotFound("Rekvisitionen finns inte.")
    return {**row, "lines": decode_lines(row["lines"]), "flags": decode_flags(row["flags"])}


async def requisition_flags(
    initiative_id: int,
    period_start: dt.date,
    period_end: dt.date,
    lines: list[RequisitionLine],
    except_id: int | None = None,
) -> list[RequisitionFlag]:
    facts, _ = await grant_facts(initiative_id)
    earlier = [
        EarlierClaim(
            period_start=r["period_start"],
            period_end=r["period_end"],
            lines=decode_lines(r["lines"]),
        )
        for r in await queries.committed_requisitions(initiative_id, except_id)
    ]
    return check_requisition(period_start, period_end, lines, facts, earlier)


def _merged(lines: list[RequisitionLine]) -> list[RequisitionLine]:
    """One line per category, in the template's order, zero lines dropped."""
    sums: dict[CostCategory, int] = {}
    for line in lines:
        sums[line.category] = sums.get(line.category, 0) + line.amount
    return [RequisitionLine(category=c, amount=sums[c]) for c in CostCategory if sums.get(c)]


async def check_claim(actor: Principal, data: RequisitionCreate) -> list[RequisitionFlag]:
    """The flags a claim would carry, without sending it (the form shows them as typed)."""
    initiative = await get_initiative(actor, data.initiative_id)
    require(can_write_reports(actor, initiative["lead_owner"]))
    problems = requisition_problems(data.period_start, data.period_end, data.lines)
    if problems:
        raise ValidationFailed(problems)
    return await requisition_flags(
        data.initiative_id, data.period_start, data.period_end, _merged(data.lines)
    )


async def create_requisition(actor: Principal, data: RequisitionCreate) -> dict[str, Any]:
    """Send in a claim of actual costs; it is checked against the grant and every excess flagged."""
    initiative = await get_initiative(actor, data.initiative_id)
    require(can_write_reports(actor, initiative["lead_owner"]))
    problems = requisition_problems(data.period_start, data.period_end, data.lines)
    if problems:
        raise ValidationFailed(problems)
    lines = _merged(data.lines)
    async with write_transaction():
        flags = await requisition_flags(
            data.initiative_id, data.period_start, data.period_end, lines
        )
        values = {
            "initiative": data.initiative_id,
            "organisation": initiative["lead_owner"],
            "period_start": data.period_start,
            "period_end": data.period_end,
            "year": data.period_start.year,
            "amount": sum(line.amount for line in lines),
            "lines": _encode(lines),
            "flags": _encode(flags),
            "note": data.note.strip(),
        }
        row = (
            await Requisition.insert(Requisition(created_by=actor.user_id, **values)).returning(
                Requisition.id
            )
        )[0]
        await audit.record(
            actor,
            "create",
            "requisition",
            row["id"],
            None,
            values,
            f"{initiative['name']}: {data.period_start} – {data.period_end}"
            + (" (flaggad)" if flags else ""),
        )
    return await get_requisition(actor, row["id"])


async def decide_requisition(
    actor: Principal, requisition_id: int, version: int, approve: bool, reason: str
) -> dict[str, Any]:
    """Approve or reject a claim. A claim over the grant cannot be approved; a rejection says why."""
    async with write_transaction():
        row = await get_requisition(actor, requisition_id)
        # Claims of one insats are approved one at a time, so two cannot pass the grant together.
        await lock_for_update(Initiative, row["initiative"])
        status = RequisitionStatus(row["status"])
        require(can_decide_requisition(actor, status))
        if not approve and not reason.strip():
            raise ValidationFailed([FieldProblem("reason", "Ange varför rekvisitionen avslås.")])
        # Checked again now: another claim may have been approved since this one came in.
        flags = await requisition_flags(
            row["initiative"], row["period_start"], row["period_end"], row["lines"], requisition_id
        )
        stopping = blocking(flags)
        if approve and stopping:
            raise Conflict(
                "Rekvisitionen kan inte godkännas: " + " ".join(f.message for f in stopping),
                field="approve",
            )
        target = RequisitionStatus.APPROVED if approve else RequisitionStatus.REJECTED
        await update_versioned(
            Requisition,
            requisition_id,
            version,
            {
                Requisition.status: target,
                Requisition.decision_reason: reason.strip(),
                Requisition.flags: _encode(flags),
                Requisition.decided_at: _now(),
                Requisition.decided_by: actor.user_id,
            },
            what="Rekvisitionen",
        )
        await audit.record(
            actor,
            "approve" if approve else "reject",
            "requisition",
            requisition_id,
            {"status": status.value},
            {"status": target.value, "reason": reason.strip()},
            f"{row['initiative_name']}: {row['period_start']} – {row['period_end']}",
        )
    return await get_requisition(actor, requisition_id)


async def record_payment(
    actor: Principal, requisition_id: int, version: int, paid_on: dt.date
) -> dict[str, Any]:
    """Record that an approved claim has been paid: from then on it counts in the forecast."""
    async with write_transaction():
        row = await get_requisition(actor, requisition_id)
        status = RequisitionStatus(row["status"])
        require(can_record_payment(actor, status))
        await update_versioned(
            Requisition,
            requisition_id,
            version,
            {Requisition.status: RequisitionStatus.PAID, Requisition.paid_on: paid_on},
            what="Rekvisitionen",
        )
        await audit.record(
            actor,
            "pay",
            "requisition",
            requisition_id,
            {"status": status.value},
            {"status": RequisitionStatus.PAID.value, "paid_on": paid_on.isoformat()},
            f"{row['initiative_name']}: {format_kr(row['amount'])} utbetalt",
        )
    return await get_requisition(actor, requisition_id)
