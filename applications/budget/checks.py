"""Every check on a budget in one call: check_budget runs the sum checks and the line checks and
returns their warnings in a stable order; the budget itself is never changed.
"""

from __future__ import annotations

from applications.budget.line_checks import _check_eligibility, _check_line, _check_owners
from applications.budget.sum_checks import (
    _check_stated_against_lines,
    _check_stated_internally,
    _check_years,
)
from applications.budget.template import Budget
from applications.budget.totals import compute_totals
from applications.budget.warning import BudgetWarning


def check_budget(budget: Budget) -> list[BudgetWarning]:
    """Every disagreement and doubtful line in a budget, as warnings; the budget is left as is."""
    totals = compute_totals(budget)
    warnings = _check_owners(budget)
    for stated in budget.stated:
        if budget.lines:
            warnings += _check_stated_against_lines(budget, stated, totals)
        else:
            warnings += _check_stated_internally(budget, stated, totals)
    warnings += _check_years(budget, totals)
    for index, line in enumerate(budget.lines):
        warnings += _check_line(budget, index, line)
        warnings += _check_eligibility(index, line)
    return warnings
