"""The reports tables: reports (quarterly, deviation, final) and requisitions."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from portfolio.core.tables import Initiative, Organisation, User
from reports.domain import ReportKind, ReportStatus, RequisitionStatus


class Report(Table):
    """A report of an insats; `content` is the living draft (ReportContent as JSON), copied
    into `accepted_content` when the office accepts it, after which nothing changes."""

    id: Serial
    initiative = ForeignKey(references=Initiative, null=False, on_delete=OnDelete.restrict)
    # The lead owner's organisation when the report was started: who may see and write it.
    organisation = ForeignKey(references=Organisation, null=False, on_delete=OnDelete.restrict)
    kind = Varchar(length=20, choices=ReportKind)
    year = Integer(null=True, default=None)  # quarterly reports
    quarter = Integer(null=True, default=None)
    # One report per scheduled slot ("12:2026-Q1", "12:final"); deviations have none.
    slot_key = Varchar(length=40, null=True, default=None, unique=True)
    period_start = Date(null=True, default=None)
    period_end = Date(null=True, default=None)
    due_on = Date(null=True, default=None)
    status = Varchar(length=20, choices=ReportStatus, default=ReportStatus.DRAFT, index=True)
    content = JSON(default="{}")
    accepted_content = JSON(null=True, default=None)
    # The content as last handed in: what the board reads while a returned report is redone.
    submitted_content = JSON(null=True, default=None)
    # Copied from the content on hand-in, so the budget room can read it with SQL.
    year_forecast = Integer(null=True, default=None)
    review_comment = Text(default="")
    version = Integer(default=1)
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    submitted_at = Timestamptz(null=True, default=None)
    reviewed_at = Timestamptz(null=True, default=None)
    reviewed_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)


class Requisition(Table):
    """A claim of actual costs for a period, per budget category; `amount` is the lines' sum."""

    id: Serial
    initiative = ForeignKey(references=Initiative, null=False, on_delete=OnDelete.restrict)
    organisation = ForeignKey(references=Organisation, null=False, on_delete=OnDelete.restrict)
    period_start = Date()
    period_end = Date()
    year = Integer(index=True)
    amount = Integer(default=0)
    lines = JSON(default="[]")  # [{"category": ..., "amount": ...}]
    flags = JSON(default="[]")  # the checks as they stood when it was sent in
    status = Varchar(
        length=20, choices=RequisitionStatus, default=RequisitionStatus.SUBMITTED, index=True
    )
    note = Text(default="")  # the owner's explanation
    decision_reason = Text(default="")
    paid_on = Date(null=True, default=None)
    version = Integer(default=1)
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    decided_at = Timestamptz(null=True, default=None)
    decided_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)


__all__ = ["Report", "Requisition"]
