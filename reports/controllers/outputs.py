"""The API's views of a report and a requisition built from their rows, and a report's PDF."""

from __future__ import annotations

from typing import Any

from portfolio.core import queries as core_queries
from portfolio.core.domain import Principal
from reports import services
from reports.documents import ReportDocument, render_report_pdf
from reports.domain import (
    ReportContent,
    ReportKind,
    ReportStatus,
    RequisitionStatus,
    cost_progress,
    goal_progress,
    progression_round,
)
from reports.schemas import ReportOut, ReportSummary, RequisitionOut


async def _report_out(row: dict[str, Any]) -> ReportOut:
    facts, goals = await services.grant_facts(row["initiative"])
    earlier = await services.earlier_quarters(row)
    content: ReportContent = row["content"]
    return ReportOut(
        id=row["id"],
        initiative_id=row["initiative"],
        initiative_name=row["initiative_name"],
        organisation_id=row["organisation"],
        organisation_name=row["organisation_name"],
        kind=ReportKind(row["kind"]),
        label=row["label"],
        year=row["year"],
        quarter=row["quarter"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        due_on=row["due_on"],
        status=ReportStatus(row["status"]),
        content=content,
        frozen=row["status"] == ReportStatus.ACCEPTED,
        review_comment=row["review_comment"],
        version=row["version"],
        submitted_at=row["submitted_at"],
        problems=await services.report_check(row),
        notices=await services.report_notices(row),
        goals=goal_progress(goals, earlier, content),
        costs=cost_progress(facts.category_budget, earlier, content),
        progression=progression_round(row["label"], content.progression),
    )


def _summary(row: dict[str, Any]) -> ReportSummary:
    return ReportSummary(
        id=row["id"],
        initiative_id=row["initiative"],
        initiative_name=row["initiative_name"],
        organisation_name=row["organisation_name"],
        kind=ReportKind(row["kind"]),
        label=services.report_label(row),
        period_start=row["period_start"],
        period_end=row["period_end"],
        due_on=row["due_on"],
        status=ReportStatus(row["status"]),
        version=row["version"],
    )


async def _requisition_out(row: dict[str, Any]) -> RequisitionOut:
    flags = row["flags"]
    if row["status"] == RequisitionStatus.SUBMITTED:
        # Still open: shown as it checks now, since other claims may have been approved since.
        flags = await services.requisition_flags(
            row["initiative"], row["period_start"], row["period_end"], row["lines"], row["id"]
        )
    return RequisitionOut(
        id=row["id"],
        initiative_id=row["initiative"],
        initiative_name=row["initiative_name"],
        organisation_id=row["organisation"],
        organisation_name=row["organisation_name"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        year=row["year"],
        amount=row["amount"],
        lines=row["lines"],
        flags=flags,
        status=RequisitionStatus(row["status"]),
        note=row["note"],
        decision_reason=row["decision_reason"],
        paid_on=row["paid_on"],
        version=row["version"],
        created_at=row["created_at"],
    )


async def _report_pdf(actor: Principal, report_id: int) -> tuple[bytes, str]:
    row = await services.get_report(actor, report_id)
    out = await _report_out(row)
    association = await core_queries.required_association()
    document = ReportDocument(
        association_name=association["name"],
        initiative_name=out.initiative_name,
        organisation_name=out.organisation_name,
        kind=out.kind,
        label=out.label,
        status=out.status,
        period_start=out.period_start,
        period_end=out.period_end,
        due_on=out.due_on,
        submitted_on=out.submitted_at.date() if out.submitted_at else None,
        content=out.content,
        goals=out.goals,
        costs=out.costs,
        progression=out.progression,
        review_comment=out.review_comment,
    )
    return render_report_pdf(document), f"{out.initiative_name} {out.label}.pdf"
