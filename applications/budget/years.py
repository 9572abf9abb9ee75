"""The budget per calendar year: the years the per-year summary states, the months a period
touches in each year, an amount split pro rata by those months, and a proposed per-year summary
for a budget that states none.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from applications.budget.template import CATEGORY_GROUP, Budget, BudgetBlock, BudgetYear, CostGroup


def stated_year_amounts(budget: Budget) -> dict[int, int]:
    """The per-year summary's totals by calendar year, where the summary names the year."""
    return {
        year.year: year.total
        for year in budget.years
        if year.year is not None and year.total is not None
    }


def months_per_year(start: dt.date, end: dt.date) -> dict[int, int]:
    """Calendar months a period touches, per year; a started month counts as a whole one."""
    if end < start:
        raise ValueError(f"period ends {end} before it starts {start}")
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    months: dict[int, int] = {}
    for month in range(first, last + 1):
        months[month // 12] = months.get(month // 12, 0) + 1
    return months


def split_by_months(amount: int, start: dt.date, end: dt.date) -> dict[int, int]:
    """An amount pro rata by months per calendar year, rounded down, the remainder in the last."""
    months = months_per_year(start, end)
    whole = sum(months.values())
    years = sorted(months)
    parts = {year: amount * months[year] // whole for year in years[:-1]}
    parts[years[-1]] = amount - sum(parts.values())
    return parts


class YearSplit(msgspec.Struct, frozen=True):
    """A proposed per-year summary, and the kronor that no period lets us place."""

    years: list[BudgetYear]
    unplaced: int


def propose_year_split(budget: Budget, block: BudgetBlock = BudgetBlock.ASSOCIATION) -> YearSplit:
    """Propose ÅR 1, ÅR 2, … for a block from its lines' periods (the insats period as fallback).

    For when the application states no per-year summary. Each line is split on its own, so every
    group and year sums exactly to the lines; a line without a usable period is left unplaced.
    """
    per_year: dict[int, dict[CostGroup, int]] = {}
    unplaced = 0
    for line in budget.lines:
        if line.block is not block:
            continue
        start = line.period_from or budget.period_from
        end = line.period_to or budget.period_to
        amount = sum(line.amounts)
        if start is None or end is None or end < start:
            unplaced += amount
            continue
        for year, part in split_by_months(amount, start, end).items():
            groups = per_year.setdefault(year, dict.fromkeys(CostGroup, 0))
            groups[CATEGORY_GROUP[line.category]] += part
    if not per_year:
        return YearSplit([], unplaced)
    first, last = min(per_year), max(per_year)
    years = []
    for number, year in enumerate(range(first, last + 1), start=1):
        groups = per_year.get(year, dict.fromkeys(CostGroup, 0))
        years.append(
            BudgetYear(
                label=f"ÅR {number}",
                year=year,
                salaries=groups[CostGroup.SALARIES],
                premises=groups[CostGroup.PREMISES],
                other=groups[CostGroup.OTHER],
                total=sum(groups.values()),
            )
        )
    return YearSplit(years, unplaced)
