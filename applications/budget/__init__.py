"""The application budget template as data: its lines, its arithmetic and the checks on its sums.

Pure domain code (stdlib and msgspec only, plus the shared Swedish formatting). Money is exact int
kronor. Stated figures (as typed or imported) are kept beside the lines and compared with them;
nothing here ever changes a figure: a disagreement becomes a BudgetWarning for the office to see.
The template's structure is in `template`, its sums in `totals`, the warnings in `warning`,
`sum_checks`, `line_checks` and `checks`, and the per-year split in `years`; this package
re-exports their public names, so callers import from `applications.budget`.
"""

from __future__ import annotations

from applications.budget.checks import check_budget
from applications.budget.line_checks import BENEFIT_KEYWORDS, benefit_keyword
from applications.budget.template import (
    BLOCK_LABELS,
    CATEGORY_GROUP,
    CATEGORY_LABELS,
    GROUP_LABELS,
    MAX_OWNERS,
    SOURCE_LABELS,
    Budget,
    BudgetBlock,
    BudgetLine,
    BudgetYear,
    CostCategory,
    CostGroup,
    StatedBlock,
    StatedRow,
    StatedTotals,
    TotalsSource,
    categories_in,
)
from applications.budget.totals import (
    BlockTotals,
    BudgetTotals,
    OwnerTotals,
    compute_totals,
    year_parts_total,
)
from applications.budget.warning import ALL_OWNERS_LABEL, BudgetWarning, Severity, WarningCode
from applications.budget.years import (
    YearSplit,
    months_per_year,
    propose_year_split,
    split_by_months,
    stated_year_amounts,
)

__all__ = [
    "ALL_OWNERS_LABEL",
    "BENEFIT_KEYWORDS",
    "BLOCK_LABELS",
    "CATEGORY_GROUP",
    "CATEGORY_LABELS",
    "GROUP_LABELS",
    "MAX_OWNERS",
    "SOURCE_LABELS",
    "BlockTotals",
    "Budget",
    "BudgetBlock",
    "BudgetLine",
    "BudgetTotals",
    "BudgetWarning",
    "BudgetYear",
    "CostCategory",
    "CostGroup",
    "OwnerTotals",
    "Severity",
    "StatedBlock",
    "StatedRow",
    "StatedTotals",
    "TotalsSource",
    "WarningCode",
    "YearSplit",
    "benefit_keyword",
    "categories_in",
    "check_budget",
    "compute_totals",
    "months_per_year",
    "propose_year_split",
    "split_by_months",
    "stated_year_amounts",
    "year_parts_total",
]
