"""What a budget warning is: its severity, its stable code, the BudgetWarning struct with where
it points and by how much, and the helpers that name owners, lines and disagreements in its
Swedish messages. The checks that raise warnings are in `sum_checks` and `line_checks`.
"""

from __future__ import annotations

import enum

import msgspec

from applications.budget.template import (
    CATEGORY_LABELS,
    BudgetBlock,
    BudgetLine,
    CostCategory,
    CostGroup,
    TotalsSource,
)
from portfolio.core.formatting import format_kronor


class Severity(enum.StrEnum):
    """How a warning is meant; neither blocks anything."""

    WARNING = "warning"  # the figures or the template do not hold together
    NOTICE = "notice"  # a cost the association may not pay: for the office to assess


class WarningCode(enum.StrEnum):
    """What kind of thing a warning is about; stable, for pages and API to key on."""

    CATEGORY_TOTAL_MISMATCH = "category_total_mismatch"
    GROUP_TOTAL_MISMATCH = "group_total_mismatch"
    BLOCK_TOTAL_MISMATCH = "block_total_mismatch"
    GRAND_TOTAL_MISMATCH = "grand_total_mismatch"
    LINE_TOTAL_MISMATCH = "line_total_mismatch"
    FTE_TOTAL_MISMATCH = "fte_total_mismatch"
    STATED_SUM_MISMATCH = "stated_sum_mismatch"
    YEAR_TOTAL_MISMATCH = "year_total_mismatch"
    YEARS_GROUP_MISMATCH = "years_group_mismatch"
    YEARS_TOTAL_MISMATCH = "years_total_mismatch"
    NEGATIVE_AMOUNT = "negative_amount"
    AMOUNT_WITHOUT_OWNER = "amount_without_owner"
    TOO_MANY_OWNERS = "too_many_owners"
    FTE_OUT_OF_RANGE = "fte_out_of_range"
    FTE_WITHOUT_AMOUNT = "fte_without_amount"
    PERIOD_REVERSED = "period_reversed"
    INTERPRETER_COST = "interpreter_cost"
    BENEFIT_TO_INDIVIDUAL = "benefit_to_individual"


class BudgetWarning(msgspec.Struct, frozen=True, kw_only=True):
    """One thing in a budget worth the office's attention, with where it is and by how much.

    `difference` is stated minus computed. For the tjänst % codes the three figures are percent,
    not kronor.
    """

    code: WarningCode
    severity: Severity = Severity.WARNING
    message: str
    source: TotalsSource | None = None
    block: BudgetBlock | None = None
    group: CostGroup | None = None
    category: CostCategory | None = None
    owner_index: int | None = None  # None with an owner-less place means "alla insatsägare"
    owner: str | None = None
    line_index: int | None = None
    year_label: str | None = None
    stated: int | None = None
    computed: int | None = None
    difference: int | None = None


ALL_OWNERS_LABEL = "alla insatsägare"


def _owner_name(owners: list[str], index: int) -> str:
    return owners[index] if index < len(owners) else f"kolumn {index + 1}"


def _line_name(line: BudgetLine) -> str:
    name = line.label or CATEGORY_LABELS[line.category]
    return f"{name} i egenfinansieringen" if line.block is BudgetBlock.COFUNDING else name


def _mismatch_message(place: str, stated: int, computed: int, basis: str) -> str:
    return (
        f"Summan för {place} är angiven till {format_kronor(stated)} men {basis} summerar till "
        f"{format_kronor(computed)} (skillnad {format_kronor(abs(stated - computed))})"
    )
