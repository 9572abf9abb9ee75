"""Requisitions: their states, the claim's lines, and the checks against the grant.

A requisition claims actual costs per budget category and is checked against the grant,
naming every excess as a flag the office sees. Money is int kronor.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence

import msgspec

from applications.budget import CATEGORY_LABELS, CostCategory
from portfolio.core.domain import FieldProblem
from portfolio.core.formatting import format_kronor


class RequisitionStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"


REQUISITION_STATUS_LABELS = {
    RequisitionStatus.SUBMITTED: "Inlämnad",
    RequisitionStatus.APPROVED: "Godkänd",
    RequisitionStatus.REJECTED: "Avslagen",
    RequisitionStatus.PAID: "Utbetald",
}

REQUISITION_TRANSITIONS: dict[RequisitionStatus, frozenset[RequisitionStatus]] = {
    RequisitionStatus.SUBMITTED: frozenset(
        {RequisitionStatus.APPROVED, RequisitionStatus.REJECTED}
    ),
    RequisitionStatus.APPROVED: frozenset({RequisitionStatus.PAID}),
    RequisitionStatus.REJECTED: frozenset(),
    RequisitionStatus.PAID: frozenset(),
}

# Money the association has said yes to: what a new claim is measured against.
COMMITTED_STATUSES = frozenset({RequisitionStatus.APPROVED, RequisitionStatus.PAID})


class RequisitionLine(msgspec.Struct, frozen=True, kw_only=True):
    category: CostCategory
    amount: int


class FlagCode(enum.StrEnum):
    """What a requisition flag is about; stable, for pages and API to key on."""

    YEAR_EXCEEDED = "year_exceeded"
    TOTAL_EXCEEDED = "total_exceeded"
    CATEGORY_EXCEEDED = "category_exceeded"
    OUTSIDE_GRANT_PERIOD = "outside_grant_period"
    OVERLAPS_EARLIER = "overlaps_earlier"


class RequisitionFlag(msgspec.Struct, frozen=True, kw_only=True):
    """One thing in a claim the office must see. A blocking flag stops approval."""

    code: FlagCode
    message: str
    blocking: bool
    limit: int | None = None
    claimed: int | None = None
    excess: int | None = None
    category: CostCategory | None = None


class GrantFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What was granted: the period, the commitment per year, the budget per category."""

    period_start: dt.date | None
    period_end: dt.date | None
    commitments: dict[int, int]
    category_budget: dict[CostCategory, int] = {}

    @property
    def total(self) -> int:
        return sum(self.commitments.values())


class EarlierClaim(msgspec.Struct, frozen=True, kw_only=True):
    """A requisition already approved or paid."""

    period_start: dt.date
    period_end: dt.date
    lines: list[RequisitionLine]

    @property
    def amount(self) -> int:
        return sum(line.amount for line in self.lines)


def requisition_problems(
    period_start: dt.date, period_end: dt.date, lines: Sequence[RequisitionLine]
) -> list[FieldProblem]:
    """What makes a claim unreadable (refused at once, unlike the flags the office weighs)."""
    problems: list[FieldProblem] = []
    if period_end < period_start:
        problems.append(FieldProblem("period_end", "Slutdatum kan inte vara före startdatum."))
    elif period_start.year != period_end.year:
        problems.append(
            FieldProblem("period_end", "En rekvisition gäller en period inom ett och samma år.")
        )
    for line in lines:
        if line.amount < 0:
            problems.append(
                FieldProblem(f"lines.{line.category.value}", "Ett belopp kan inte vara negativt.")
            )
    if sum(line.amount for line in lines) <= 0:
        problems.append(FieldProblem("lines", "Ange kostnaderna som rekvireras."))
    return problems


def check_requisition(
    period_start: dt.date,
    period_end: dt.date,
    lines: Sequence[RequisitionLine],
    grant: GrantFacts,
    earlier: Sequence[EarlierClaim],
) -> list[RequisitionFlag]:
    """The claim against the grant for its year and in total, against what was already
    approved or paid, and per category against the budget; each excess named with its figures."""
    flags: list[RequisitionFlag] = []
    claimed = sum(line.amount for line in lines)
    year = period_start.year
    if (grant.period_start and period_start < grant.period_start) or (
        grant.period_end and period_end > grant.period_end
    ):
        flags.append(
            RequisitionFlag(
                code=FlagCode.OUTSIDE_GRANT_PERIOD,
                message="Perioden ligger utanför den beviljade perioden.",
                blocking=True,
            )
        )
    overlapping = [
        e for e in earlier if e.period_start <= period_end and period_start <= e.period_end
    ]
    if overlapping:
        flags.append(
            RequisitionFlag(
                code=FlagCode.OVERLAPS_EARLIER,
                message="Perioden överlappar en redan godkänd eller utbetald rekvisition.",
                blocking=True,
            )
        )
    year_limit = grant.commitments.get(year, 0)
    year_before = sum(e.amount for e in earlier if e.period_start.year == year)
    if year_before + claimed > year_limit:
        excess = year_before + claimed - year_limit
        flags.append(
            RequisitionFlag(
                code=FlagCode.YEAR_EXCEEDED,
                message=(
                    f"Rekvisitionen överskrider det beviljade beloppet för {year} "
                    f"({format_kronor(year_limit)}; redan godkänt {format_kronor(year_before)}) "
                    f"med {format_kronor(excess)}."
                ),
                blocking=True,
                limit=year_limit,
                claimed=year_before + claimed,
                excess=excess,
            )
        )
    total_before = sum(e.amount for e in earlier)
    if total_before + claimed > grant.total:
        excess = total_before + claimed - grant.total
        flags.append(
            RequisitionFlag(
                code=FlagCode.TOTAL_EXCEEDED,
                message=(
                    f"Rekvisitionen överskrider insatsens beviljade totalbelopp "
                    f"({format_kronor(grant.total)}; redan godkänt {format_kronor(total_before)}) "
                    f"med {format_kronor(excess)}."
                ),
                blocking=True,
                limit=grant.total,
                claimed=total_before + claimed,
                excess=excess,
            )
        )
    for category in CostCategory:
        now = sum(line.amount for line in lines if line.category is category)
        # Without a budget per category (a summary-only budget) there is nothing to compare.
        if not now or not grant.category_budget:
            continue
        before = sum(line.amount for e in earlier for line in e.lines if line.category is category)
        budget = grant.category_budget.get(category, 0)
        if before + now > budget:
            excess = before + now - budget
            flags.append(
                RequisitionFlag(
                    code=FlagCode.CATEGORY_EXCEEDED,
                    message=(
                        f"{CATEGORY_LABELS[category]}: rekvirerat hittills "
                        f"{format_kronor(before + now)} mot budgeterat "
                        f"{format_kronor(budget)}, {format_kronor(excess)} över."
                    ),
                    # The board grants the total; a category over its budget is for the
                    # office to weigh, not a ceiling.
                    blocking=False,
                    limit=budget,
                    claimed=before + now,
                    excess=excess,
                    category=category,
                )
            )
    return flags


def blocking(flags: Sequence[RequisitionFlag]) -> list[RequisitionFlag]:
    return [f for f in flags if f.blocking]
