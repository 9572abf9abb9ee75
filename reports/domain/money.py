"""An insats's money at a glance: the grant per year against what has been claimed of it, by
the claims' status, and what remains to claim. Pure arithmetic on int kronor."""

from __future__ import annotations

from typing import Any

import msgspec

from reports.domain.requisitions import RequisitionStatus


class YearMoney(msgspec.Struct, kw_only=True):
    """One year of an insats's grant against what has been claimed of it."""

    year: int
    granted: int
    submitted: int  # claimed and waiting for the office's decision
    approved: int  # approved, not yet paid
    paid: int
    claimed: int  # submitted + approved + paid
    remaining: int  # granted - approved - paid: what is left, as the claims' checks count it


class InsatsMoney(msgspec.Struct, kw_only=True):
    initiative_id: int
    name: str
    years: list[YearMoney]
    total: YearMoney  # the years summed (its `year` is 0)


def _year(year: int, granted: int, submitted: int, approved: int, paid: int) -> YearMoney:
    claimed = submitted + approved + paid
    return YearMoney(
        year=year,
        granted=granted,
        submitted=submitted,
        approved=approved,
        paid=paid,
        claimed=claimed,
        remaining=granted - approved - paid,
    )


def money_of(
    initiative_id: int, name: str, granted: dict[int, int], requisitions: list[dict[str, Any]]
) -> InsatsMoney:
    """The grant per year (the decisions in force) against the requisitions by status; a
    rejected claim counts for nothing, and a year claimed without a grant still shows."""
    sums: dict[tuple[int, str], int] = {}
    for row in requisitions:
        key = (int(row["year"]), str(row["status"]))
        sums[key] = sums.get(key, 0) + int(row["amount"])
    years = [
        _year(
            year,
            granted.get(year, 0),
            sums.get((year, RequisitionStatus.SUBMITTED.value), 0),
            sums.get((year, RequisitionStatus.APPROVED.value), 0),
            sums.get((year, RequisitionStatus.PAID.value), 0),
        )
        for year in sorted(set(granted) | {year for year, _ in sums})
    ]
    total = _year(
        0,
        sum(y.granted for y in years),
        sum(y.submitted for y in years),
        sum(y.approved for y in years),
        sum(y.paid for y in years),
    )
    return InsatsMoney(initiative_id=initiative_id, name=name, years=years, total=total)
