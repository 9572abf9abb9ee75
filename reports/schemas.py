"""Request and response Structs of the reports API (the page forms reuse them)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from msgspec import Meta

from portfolio.core.domain import FieldProblem
from portfolio.core.schemas import LongText, Version, Year
from reports.domain import (
    CostProgress,
    GoalProgress,
    ProgressionRound,
    ReportContent,
    ReportKind,
    ReportStatus,
    RequisitionFlag,
    RequisitionLine,
    RequisitionStatus,
)
from reports.schedule import SlotState

Text = LongText


class ReportCreate(msgspec.Struct, kw_only=True):
    """A new report: a quarter's (year and quarter), the final report, or a deviation report."""

    initiative_id: int
    kind: ReportKind = ReportKind.QUARTERLY
    year: Year | None = None
    quarter: Annotated[int, Meta(ge=1, le=4)] | None = None


class ReportDraftIn(msgspec.Struct, kw_only=True):
    version: Version
    content: ReportContent


class VersionIn(msgspec.Struct, kw_only=True):
    version: Version


class ReturnIn(msgspec.Struct, kw_only=True):
    version: Version
    comment: Text


class ReportSummary(msgspec.Struct, kw_only=True):
    id: int
    initiative_id: int
    initiative_name: str
    organisation_name: str
    kind: ReportKind
    label: str
    period_start: dt.date | None
    period_end: dt.date | None
    due_on: dt.date | None
    status: ReportStatus
    version: int


class ParticipantPoint(msgspec.Struct, frozen=True, kw_only=True):
    """Participants in one quarter, for the follow-up over time."""

    label: str
    at_start: int
    new: int
    ended: int
    at_end: int
    women_at_end: int
    men_at_end: int


class ReportOut(msgspec.Struct, kw_only=True):
    id: int
    initiative_id: int
    initiative_name: str
    organisation_id: int
    organisation_name: str
    kind: ReportKind
    label: str
    year: int | None
    quarter: int | None
    period_start: dt.date | None
    period_end: dt.date | None
    due_on: dt.date | None
    status: ReportStatus
    content: ReportContent
    frozen: bool  # accepted: `content` is the accepted copy and never changes
    review_comment: str
    version: int
    submitted_at: dt.datetime | None
    problems: list[FieldProblem]
    notices: list[str]
    goals: list[GoalProgress]
    costs: list[CostProgress]
    progression: ProgressionRound | None


class SlotOut(msgspec.Struct, kw_only=True):
    """A scheduled report and where it stands today."""

    initiative_id: int
    initiative_name: str
    organisation_name: str
    kind: ReportKind
    label: str
    year: int | None
    quarter: int | None
    period_start: dt.date
    period_end: dt.date
    due: dt.date
    state: SlotState
    state_label: str
    days_late: int
    report_id: int | None
    report_status: ReportStatus | None


class RequisitionCreate(msgspec.Struct, kw_only=True):
    initiative_id: int
    period_start: dt.date
    period_end: dt.date
    lines: Annotated[list[RequisitionLine], Meta(max_length=50)]
    note: Text = ""


class RequisitionCheckOut(msgspec.Struct, kw_only=True):
    """A claim checked before it is sent in: the flags it would carry."""

    amount: int
    flags: list[RequisitionFlag]


class RequisitionDecisionIn(msgspec.Struct, kw_only=True):
    version: Version
    approve: bool
    reason: Text = ""


class PaymentIn(msgspec.Struct, kw_only=True):
    version: Version
    paid_on: dt.date


class RequisitionOut(msgspec.Struct, kw_only=True):
    id: int
    initiative_id: int
    initiative_name: str
    organisation_id: int
    organisation_name: str
    period_start: dt.date
    period_end: dt.date
    year: int
    amount: int
    lines: list[RequisitionLine]
    flags: list[RequisitionFlag]  # as checked now (for a decided one: as it stood when sent in)
    status: RequisitionStatus
    note: str
    decision_reason: str
    paid_on: dt.date | None
    version: int
    created_at: dt.datetime


class YearSpending(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    granted: int
    paid: int


class FollowUpOut(msgspec.Struct, kw_only=True):
    """One insats followed up: goals against targets, participants over time, spending."""

    initiative_id: int
    initiative_name: str
    organisation_name: str
    period_start: dt.date | None
    period_end: dt.date | None
    goals: list[GoalProgress]
    participants: list[ParticipantPoint]
    spending: list[YearSpending]
    granted_total: int
    paid_total: int
    progression: list[ProgressionRound]


class PortfolioYearOut(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    granted: int
    paid: int
    new_participants: int
    ended_to_work_or_studies: int


class PortfolioKommunOut(msgspec.Struct, frozen=True, kw_only=True):
    kommun: str
    year: int
    granted: int
    paid: int
    new_participants: int


class PortfolioFollowUpOut(msgspec.Struct, kw_only=True):
    years: list[PortfolioYearOut]
    kommuner: list[PortfolioKommunOut]


class AgendaSummaryIn(msgspec.Struct, kw_only=True):
    meeting_id: int
