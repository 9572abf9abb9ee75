"""Checks on the sums a budget states: every stated category, group, block and grand total (and
the tjänst % sum) against the sums of the lines, or, for a summary-only budget, against each
other; and the per-year summary against its parts and against the lines.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from applications.budget.template import (
    CATEGORY_GROUP,
    CATEGORY_LABELS,
    GROUP_LABELS,
    Budget,
    BudgetBlock,
    CostCategory,
    CostGroup,
    StatedRow,
    StatedTotals,
    TotalsSource,
)
from applications.budget.totals import BudgetTotals, OwnerTotals, _year_amount, year_parts_total
from applications.budget.warning import (
    ALL_OWNERS_LABEL,
    BudgetWarning,
    WarningCode,
    _mismatch_message,
    _owner_name,
)
from portfolio.core.formatting import format_kronor


class _Place(msgspec.Struct, frozen=True, kw_only=True):
    """Where a stated row sits, for its messages and location fields."""

    code: WarningCode
    name: str
    source: TotalsSource
    block: BudgetBlock | None = None
    group: CostGroup | None = None
    category: CostCategory | None = None


def _compare_cells(
    place: _Place,
    cells: Iterable[tuple[int | None, int | None, int]],
    owners: list[str],
    basis: str,
) -> list[BudgetWarning]:
    """Stated cells (owner column or None for all owners, stated, computed) that disagree."""
    source_part = " i budgetsammanställningen" if place.source is TotalsSource.SUMMARY else ""
    warnings = []
    for index, stated, computed in cells:
        if stated is None or stated == computed:
            continue
        owner = None if index is None else _owner_name(owners, index)
        warnings.append(
            BudgetWarning(
                code=place.code,
                message=_mismatch_message(
                    f"{place.name} ({owner or ALL_OWNERS_LABEL}){source_part}",
                    stated,
                    computed,
                    basis,
                ),
                source=place.source,
                block=place.block,
                group=place.group,
                category=place.category,
                owner_index=index,
                owner=owner,
                stated=stated,
                computed=computed,
                difference=stated - computed,
            )
        )
    return warnings


def _compare_row(
    place: _Place, stated: StatedRow, computed: OwnerTotals, owners: list[str], basis: str
) -> list[BudgetWarning]:
    """Each stated cell of a row against its computed counterpart (missing columns are 0)."""
    cells: list[tuple[int | None, int | None, int]] = [
        (index, amount, computed.amounts[index] if index < len(computed.amounts) else 0)
        for index, amount in enumerate(stated.amounts)
    ]
    cells.append((None, stated.total, computed.total))
    return _compare_cells(place, cells, owners, basis)


def _block_place_name(label: str, block: BudgetBlock) -> str:
    return f"{label} i egenfinansieringen" if block is BudgetBlock.COFUNDING else label


_BLOCK_TOTAL_NAMES = {
    BudgetBlock.ASSOCIATION: "allt att rekvirera från Samordningsförbundet",
    BudgetBlock.COFUNDING: "all egenfinansiering",
}
_GRAND_TOTAL_NAME = "hela insatsen"


def _stated_rows(
    stated: StatedTotals, totals: BudgetTotals
) -> list[tuple[_Place, StatedRow, OwnerTotals]]:
    """Every stated row of a table with its place and the computed row it should equal."""
    rows: list[tuple[_Place, StatedRow, OwnerTotals]] = []
    source = stated.source
    for block in BudgetBlock:
        block_stated, block_computed = stated.block(block), totals.block(block)
        for category, row in block_stated.categories.items():
            place = _Place(
                code=WarningCode.CATEGORY_TOTAL_MISMATCH,
                name=_block_place_name(CATEGORY_LABELS[category], block),
                source=source,
                block=block,
                group=CATEGORY_GROUP[category],
                category=category,
            )
            rows.append((place, row, block_computed.categories[category]))
        for group, row in block_stated.groups.items():
            place = _Place(
                code=WarningCode.GROUP_TOTAL_MISMATCH,
                name=_block_place_name(GROUP_LABELS[group], block),
                source=source,
                block=block,
                group=group,
            )
            rows.append((place, row, block_computed.groups[group]))
        if block_stated.total is not None:
            place = _Place(
                code=WarningCode.BLOCK_TOTAL_MISMATCH,
                name=_BLOCK_TOTAL_NAMES[block],
                source=source,
                block=block,
            )
            rows.append((place, block_stated.total, block_computed.total))
    if stated.grand is not None:
        place = _Place(code=WarningCode.GRAND_TOTAL_MISMATCH, name=_GRAND_TOTAL_NAME, source=source)
        rows.append((place, stated.grand, totals.grand))
    return rows


def _check_stated_against_lines(
    budget: Budget, stated: StatedTotals, totals: BudgetTotals
) -> list[BudgetWarning]:
    warnings: list[BudgetWarning] = []
    for place, row, computed in _stated_rows(stated, totals):
        warnings += _compare_row(place, row, computed, budget.owners, "raderna")
    for block in BudgetBlock:
        fte_stated = stated.block(block).fte_percent
        fte_computed = totals.block(block).fte_percent
        if fte_stated is None or fte_stated == fte_computed:
            continue
        salaries = _block_place_name(GROUP_LABELS[CostGroup.SALARIES], block)
        warnings.append(
            BudgetWarning(
                code=WarningCode.FTE_TOTAL_MISMATCH,
                message=(
                    f"Tjänstgöringsgraden för {salaries} är angiven till {fte_stated} % men "
                    f"raderna summerar till {fte_computed} % "
                    f"(skillnad {abs(fte_stated - fte_computed)} procentenheter)"
                ),
                source=stated.source,
                block=block,
                group=CostGroup.SALARIES,
                category=CostCategory.SALARY,
                stated=fte_stated,
                computed=fte_computed,
                difference=fte_stated - fte_computed,
            )
        )
    return warnings


def _check_stated_internally(
    budget: Budget, stated: StatedTotals, totals: BudgetTotals
) -> list[BudgetWarning]:
    """Without lines (a summary-only budget) stated figures can only be checked on each other."""
    warnings: list[BudgetWarning] = []
    for place, row, _ in _stated_rows(stated, totals):
        if row.amounts and all(amount is not None for amount in row.amounts):
            owners_sum = sum(amount or 0 for amount in row.amounts)
            internal = msgspec.structs.replace(place, code=WarningCode.STATED_SUM_MISMATCH)
            warnings += _compare_cells(
                internal, [(None, row.total, owners_sum)], budget.owners, "delbeloppen"
            )
    # Per owner, and in all, the grand total is the two blocks together.
    association, cofunding, grand = stated.association.total, stated.cofunding.total, stated.grand
    if association is None or cofunding is None or grand is None:
        return warnings
    cells: list[tuple[int | None, int | None, int]] = []
    for index in range(len(grand.amounts)):
        parts = (_cell(association, index), _cell(cofunding, index))
        if parts[0] is not None and parts[1] is not None:
            cells.append((index, grand.amounts[index], parts[0] + parts[1]))
    if association.total is not None and cofunding.total is not None:
        cells.append((None, grand.total, association.total + cofunding.total))
    place = _Place(
        code=WarningCode.STATED_SUM_MISMATCH, name=_GRAND_TOTAL_NAME, source=stated.source
    )
    return warnings + _compare_cells(
        place, cells, budget.owners, "att rekvirera och egenfinansiering"
    )


def _cell(row: StatedRow, index: int) -> int | None:
    return row.amounts[index] if index < len(row.amounts) else 0


def _check_years(budget: Budget, totals: BudgetTotals) -> list[BudgetWarning]:
    warnings: list[BudgetWarning] = []
    for year in budget.years:
        parts = year_parts_total(year)
        if year.total is not None and parts is not None and year.total != parts:
            place = f"{year.label} ({year.year})" if year.year is not None else year.label
            warnings.append(
                BudgetWarning(
                    code=WarningCode.YEAR_TOTAL_MISMATCH,
                    message=_mismatch_message(
                        place,
                        year.total,
                        parts,
                        "årets lönekostnader, lokalkostnader och övriga kostnader",
                    ),
                    block=BudgetBlock.ASSOCIATION,
                    year_label=year.label,
                    stated=year.total,
                    computed=parts,
                    difference=year.total - parts,
                )
            )
    amounts = [amount for year in budget.years if (amount := _year_amount(year)) is not None]
    if not amounts:
        return warnings
    if budget.lines:
        group_fields = {
            CostGroup.SALARIES: [year.salaries for year in budget.years],
            CostGroup.PREMISES: [year.premises for year in budget.years],
            CostGroup.OTHER: [year.other for year in budget.years],
        }
        for group, cells in group_fields.items():
            # A summary that never states a group has nothing to compare for it.
            if all(cell is None for cell in cells):
                continue
            stated_sum = sum(cell or 0 for cell in cells)
            computed = totals.association.groups[group].total
            if stated_sum != computed:
                warnings.append(
                    BudgetWarning(
                        code=WarningCode.YEARS_GROUP_MISMATCH,
                        message=(
                            f"Årsfördelningen för {GROUP_LABELS[group]} summerar till "
                            f"{format_kronor(stated_sum)} men raderna att rekvirera från "
                            f"Samordningsförbundet summerar till {format_kronor(computed)} "
                            f"(skillnad {format_kronor(abs(stated_sum - computed))})"
                        ),
                        block=BudgetBlock.ASSOCIATION,
                        group=group,
                        stated=stated_sum,
                        computed=computed,
                        difference=stated_sum - computed,
                    )
                )
        reference: int | None = totals.association.total.total
        basis = "raderna att rekvirera från Samordningsförbundet summerar till"
    else:
        reference = next(
            (
                s.association.total.total
                for s in budget.stated
                if s.association.total is not None and s.association.total.total is not None
            ),
            None,
        )
        basis = "summan att rekvirera från Samordningsförbundet är angiven till"
    years_sum = sum(amounts)
    if reference is not None and years_sum != reference:
        warnings.append(
            BudgetWarning(
                code=WarningCode.YEARS_TOTAL_MISMATCH,
                message=(
                    f"Årsfördelningen summerar till {format_kronor(years_sum)} men {basis} "
                    f"{format_kronor(reference)} "
                    f"(skillnad {format_kronor(abs(years_sum - reference))})"
                ),
                block=BudgetBlock.ASSOCIATION,
                stated=years_sum,
                computed=reference,
                difference=years_sum - reference,
            )
        )
    return warnings
