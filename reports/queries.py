"""Read queries over reports and requisitions, and the sums the budget room and follow-up need."""

from __future__ import annotations

from typing import Any

from portfolio.core.domain import InitiativeStatus, Principal, Role
from portfolio.core.rows import raw_date
from portfolio.core.tables import Association, Commitment, Initiative
from reports.domain import COMMITTED_STATUSES, ReportKind, ReportStatus, RequisitionStatus
from reports.tables import Report, Requisition

_REPORT_LIST_COLUMNS = (
    Report.id,
    Report.initiative,
    Report.organisation,
    Report.kind,
    Report.year,
    Report.quarter,
    Report.period_start,
    Report.period_end,
    Report.due_on,
    Report.status,
    Report.version,
    Report.submitted_at,
    Report.updated_at,
    Report.initiative.name.as_alias("initiative_name"),
    Report.organisation.name.as_alias("organisation_name"),
)

# Insatser that owe reports: granted and after.
REPORTING_STATUSES = (InitiativeStatus.GRANTED, InitiativeStatus.RUNNING, InitiativeStatus.ENDED)


async def due_days() -> int:
    row = await Association.select(Association.report_due_days).first()
    return int(row["report_due_days"]) if row else 30


async def report_rows(
    user: Principal,
    initiative_id: int | None = None,
    status: ReportStatus | None = None,
    kind: ReportKind | None = None,
) -> list[dict[str, Any]]:
    """The reports `user` may see, filtered in SQL: an owner's own organisation's only."""
    query = Report.select(*_REPORT_LIST_COLUMNS).order_by(Report.period_end, ascending=False)
    if user.role is Role.OWNER:
        query = query.where(Report.organisation == (user.organisation_id or -1))
    elif user.role is Role.BOARD:
        query = query.where(Report.status != ReportStatus.DRAFT)
    if initiative_id is not None:
        query = query.where(Report.initiative == initiative_id)
    if status is not None:
        query = query.where(Report.status == status)
    if kind is not None:
        query = query.where(Report.kind == kind)
    return await query


async def report_row(report_id: int) -> dict[str, Any] | None:
    return await (
        Report.select(
            *Report._meta.columns,
            Report.initiative.name.as_alias("initiative_name"),
            Report.organisation.name.as_alias("organisation_name"),
        )
        .where(Report.id == report_id)
        .first()
    )


async def initiative_reports(initiative_id: int) -> list[dict[str, Any]]:
    """Every report of an insats with its content, in period order."""
    return await (
        Report.select()
        .where(Report.initiative == initiative_id)
        .order_by(Report.period_end)
        .order_by(Report.id)
    )


async def reporting_initiatives(user: Principal) -> list[dict[str, Any]]:
    """Insatser that owe reports and that `user` may see (an owner: those their organisation leads)."""
    query = Initiative.select(
        Initiative.id,
        Initiative.name,
        Initiative.status,
        Initiative.lead_owner,
        Initiative.period_start,
        Initiative.period_end,
        Initiative.lead_owner.name.as_alias("lead_owner_name"),
    ).where(
        Initiative.status.is_in(list(REPORTING_STATUSES))
        & Initiative.period_start.is_not_null()
        & Initiative.period_end.is_not_null()
    )
    if user.role is Role.OWNER:
        query = query.where(Initiative.lead_owner == (user.organisation_id or -1))
    return await query.order_by(Initiative.name)


async def slot_statuses(initiative_ids: list[int]) -> dict[str, tuple[int, str]]:
    """slot_key -> (report id, status) for the scheduled reports of these insatser."""
    if not initiative_ids:
        return {}
    rows = await Report.select(Report.id, Report.slot_key, Report.status).where(
        Report.initiative.is_in(initiative_ids) & Report.slot_key.is_not_null()
    )
    return {r["slot_key"]: (r["id"], r["status"]) for r in rows}


async def requisition_rows(
    user: Principal,
    initiative_id: int | None = None,
    status: RequisitionStatus | None = None,
) -> list[dict[str, Any]]:
    query = Requisition.select(
        *Requisition._meta.columns,
        Requisition.initiative.name.as_alias("initiative_name"),
        Requisition.organisation.name.as_alias("organisation_name"),
    ).order_by(Requisition.period_start, ascending=False)
    if user.role is Role.OWNER:
        query = query.where(Requisition.organisation == (user.organisation_id or -1))
    if initiative_id is not None:
        query = query.where(Requisition.initiative == initiative_id)
    if status is not None:
        query = query.where(Requisition.status == status)
    return await query.order_by(Requisition.id, ascending=False)


async def requisition_row(requisition_id: int) -> dict[str, Any] | None:
    return await (
        Requisition.select(
            *Requisition._meta.columns,
            Requisition.initiative.name.as_alias("initiative_name"),
            Requisition.organisation.name.as_alias("organisation_name"),
        )
        .where(Requisition.id == requisition_id)
        .first()
    )


async def committed_requisitions(
    initiative_id: int, except_id: int | None = None
) -> list[dict[str, Any]]:
    """The insats's approved and paid requisitions: what a new claim is measured against."""
    query = Requisition.select().where(
        (Requisition.initiative == initiative_id)
        & Requisition.status.is_in([s.value for s in COMMITTED_STATUSES])
    )
    if except_id is not None:
        query = query.where(Requisition.id != except_id)
    return await query


_NOT_SUPERSEDED = "c.decision NOT IN (SELECT supersedes FROM decision WHERE supersedes IS NOT NULL)"


async def commitments_by_year(initiative_id: int) -> dict[int, int]:
    """The insats's granted amount per year, from the decisions still in force."""
    rows = await Commitment.raw(
        "SELECT c.year AS year, SUM(c.amount) AS amount FROM commitment c "
        f"WHERE c.initiative = {{}} AND {_NOT_SUPERSEDED} GROUP BY c.year ORDER BY c.year",
        initiative_id,
    )
    return {int(r["year"]): int(r["amount"]) for r in rows}


async def forecast_inputs(year: int) -> list[dict[str, Any]]:
    """Per insats with a commitment in `year`: the commitment, the requisitions paid for the
    year and the last day they cover, and the owner's latest year forecast from a handed-in
    quarterly report. One query; the sums are the database's."""
    rows = await Commitment.raw(
        "SELECT c.initiative AS initiative, SUM(c.amount) AS committed, "
        "i.period_start AS period_start, i.period_end AS period_end, "
        "(SELECT COALESCE(SUM(q.amount), 0) FROM requisition q WHERE q.initiative = c.initiative "
        "AND q.year = {} AND q.status = 'paid') AS paid, "
        "(SELECT MAX(q.period_end) FROM requisition q WHERE q.initiative = c.initiative "
        "AND q.year = {} AND q.status = 'paid') AS paid_through, "
        "(SELECT r.year_forecast FROM report r WHERE r.initiative = c.initiative "
        "AND r.kind = 'quarterly' AND r.year = {} AND r.status IN ('submitted', 'accepted') "
        "AND r.year_forecast IS NOT NULL ORDER BY r.quarter DESC LIMIT 1) AS owner_forecast "
        "FROM commitment c JOIN initiative i ON i.id = c.initiative "
        f"WHERE c.year = {{}} AND {_NOT_SUPERSEDED} "
        "GROUP BY c.initiative, i.period_start, i.period_end",
        year,
        year,
        year,
        year,
    )
    return [
        {
            "initiative": int(r["initiative"]),
            "committed": int(r["committed"]),
            "period_start": raw_date(r["period_start"]),
            "period_end": raw_date(r["period_end"]),
            "paid": int(r["paid"] or 0),
            "paid_through": raw_date(r["paid_through"]),
            "owner_forecast": None if r["owner_forecast"] is None else int(r["owner_forecast"]),
        }
        for r in rows
    ]


async def paid_by_year(initiative_id: int | None = None) -> list[dict[str, Any]]:
    """Paid requisitions summed per insats and year (the follow-up's spending)."""
    where = "WHERE q.status = 'paid'" + (" AND q.initiative = {}" if initiative_id else "")
    args = [initiative_id] if initiative_id else []
    rows = await Requisition.raw(
        "SELECT q.initiative AS initiative, q.year AS year, SUM(q.amount) AS amount "
        f"FROM requisition q {where} GROUP BY q.initiative, q.year ORDER BY q.year",
        *args,
    )
    return [
        {"initiative": int(r["initiative"]), "year": int(r["year"]), "amount": int(r["amount"])}
        for r in rows
    ]


async def committed_by_year() -> list[dict[str, Any]]:
    """Commitments in force summed per insats and year."""
    rows = await Commitment.raw(
        "SELECT c.initiative AS initiative, c.year AS year, SUM(c.amount) AS amount "
        f"FROM commitment c WHERE {_NOT_SUPERSEDED} GROUP BY c.initiative, c.year"
    )
    return [
        {"initiative": int(r["initiative"]), "year": int(r["year"]), "amount": int(r["amount"])}
        for r in rows
    ]
