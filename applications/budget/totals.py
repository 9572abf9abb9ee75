"""The budget's arithmetic: sums of the lines per category, group, block and owner column, and
in all, computed from the lines alone (never from stated figures), plus the per-year summary's
sum of its parts. Exact int kronor throughout.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import msgspec

from applications.budget.template import (
    Budget,
    BudgetBlock,
    BudgetLine,
    BudgetYear,
    CostCategory,
    CostGroup,
    categories_in,
)


class OwnerTotals(msgspec.Struct, frozen=True):
    """Computed kronor per owner column and their sum."""

    amounts: list[int]
    total: int


class BlockTotals(msgspec.Struct, frozen=True):
    """Computed sums of one block."""

    categories: dict[CostCategory, OwnerTotals]
    groups: dict[CostGroup, OwnerTotals]
    total: OwnerTotals
    fte_percent: int


class BudgetTotals(msgspec.Struct, frozen=True):
    """Computed sums of a whole budget, from its lines alone."""

    association: BlockTotals
    cofunding: BlockTotals
    grand: OwnerTotals

    def block(self, block: BudgetBlock) -> BlockTotals:
        return self.association if block is BudgetBlock.ASSOCIATION else self.cofunding


def _column_count(budget: Budget) -> int:
    # Money typed in a column without an owner still counts, so no sum ever drops it.
    return max([len(budget.owners), *(len(line.amounts) for line in budget.lines)])


def _sum_rows(rows: Iterable[Sequence[int]], width: int) -> OwnerTotals:
    amounts = [0] * width
    for row in rows:
        for index, amount in enumerate(row):
            amounts[index] += amount
    return OwnerTotals(amounts, sum(amounts))


def _block_totals(lines: list[BudgetLine], width: int) -> BlockTotals:
    categories = {
        category: _sum_rows((line.amounts for line in lines if line.category is category), width)
        for category in CostCategory
    }
    groups = {
        group: _sum_rows((categories[c].amounts for c in categories_in(group)), width)
        for group in CostGroup
    }
    fte = sum(line.fte_percent or 0 for line in lines if line.category is CostCategory.SALARY)
    return BlockTotals(
        categories=categories,
        groups=groups,
        total=_sum_rows((groups[g].amounts for g in CostGroup), width),
        fte_percent=fte,
    )


def compute_totals(budget: Budget) -> BudgetTotals:
    """Sum the lines per category, group, block and owner, and in all."""
    width = _column_count(budget)
    blocks = {
        block: _block_totals([line for line in budget.lines if line.block is block], width)
        for block in BudgetBlock
    }
    association, cofunding = blocks[BudgetBlock.ASSOCIATION], blocks[BudgetBlock.COFUNDING]
    return BudgetTotals(
        association=association,
        cofunding=cofunding,
        grand=_sum_rows((association.total.amounts, cofunding.total.amounts), width),
    )


def year_parts_total(year: BudgetYear) -> int | None:
    """A summary year's salaries + premises + other, blanks as 0; None when all are blank."""
    parts = [part for part in (year.salaries, year.premises, year.other) if part is not None]
    return sum(parts) if parts else None


def _year_amount(year: BudgetYear) -> int | None:
    # The year's stated total, or the sum of its parts when the total cell is blank.
    return year.total if year.total is not None else year_parts_total(year)
