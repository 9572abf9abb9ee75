"""What the report routes share: request and form types, who may use them (the access
declarations and the organisations owning a report or requisition), and the labels every page gets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from applications.budget import CATEGORY_LABELS, CostCategory
from portfolio.accounts.access import Who, access
from portfolio.accounts.guards import owners_of

# The web glue every controller shares (portfolio/core/web.py), under the names this package's
# controllers import from here.
from portfolio.core.web import XLSX as XLSX
from portfolio.core.web import AnyRequest as AnyRequest
from portfolio.core.web import Form as Form
from reports.domain import (
    OUTCOME_LABELS,
    PROGRESSION_INDICATORS,
    PROGRESSION_SCALE,
    REPORT_KIND_LABELS,
    REPORT_STATUS_LABELS,
    REQUISITION_STATUS_LABELS,
    ReportKind,
    ReportStatus,
    RequisitionStatus,
)
from reports.schedule import SLOT_STATE_LABELS, SlotState
from reports.tables import Report, Requisition


def _today() -> dt.date:
    return dt.date.today()


@owners_of("report_id")
async def _report_owners(report_id: int) -> set[int]:
    rows = await Report.select(Report.organisation).where(Report.id == report_id)
    return {r["organisation"] for r in rows}


@owners_of("requisition_id")
async def _requisition_owners(requisition_id: int) -> set[int]:
    rows = await Requisition.select(Requisition.organisation).where(
        Requisition.id == requisition_id
    )
    return {r["organisation"] for r in rows}


# Reading a report or requisition: the office, the board (handed in: the service checks), its
# organisation's owners. Writing: the lead owner's people, on their own things (the service
# checks the lead); creating names the insats in the body, so any owner, then the service.
READERS = access(Who.OFFICE, Who.BOARD, Who.OWN)
WRITERS = access(Who.OWN)
WRITERS_ANY = access(Who.OWNER)
OFFICE = access(Who.OFFICE)
PORTFOLIO = access(Who.OFFICE, Who.BOARD)


def _labels() -> dict[str, Any]:
    return {
        "REPORT_KIND_LABELS": REPORT_KIND_LABELS,
        "REPORT_STATUS_LABELS": REPORT_STATUS_LABELS,
        "REQUISITION_STATUS_LABELS": REQUISITION_STATUS_LABELS,
        "SLOT_STATE_LABELS": SLOT_STATE_LABELS,
        "CATEGORY_LABELS": CATEGORY_LABELS,
        "OUTCOME_LABELS": OUTCOME_LABELS,
        "PROGRESSION_INDICATORS": PROGRESSION_INDICATORS,
        "PROGRESSION_SCALE": PROGRESSION_SCALE,
        "ReportKind": ReportKind,
        "ReportStatus": ReportStatus,
        "RequisitionStatus": RequisitionStatus,
        "SlotState": SlotState,
        "CostCategory": CostCategory,
    }
