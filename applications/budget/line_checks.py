"""Checks on a budget's owners and lines: too many owner columns, a row's stated total, negative
amounts, money in a column without an owner, tjänst % and periods that do not hold; and the
notices on costs the association may not pay (interpreters, benefits to individuals).
"""

from __future__ import annotations

import re

from applications.budget.template import (
    CATEGORY_GROUP,
    MAX_OWNERS,
    Budget,
    BudgetBlock,
    BudgetLine,
    CostCategory,
)
from applications.budget.warning import (
    ALL_OWNERS_LABEL,
    BudgetWarning,
    Severity,
    WarningCode,
    _line_name,
    _mismatch_message,
    _owner_name,
)
from portfolio.core.formatting import format_date_iso, format_kronor


def _check_owners(budget: Budget) -> list[BudgetWarning]:
    if len(budget.owners) <= MAX_OWNERS:
        return []
    return [
        BudgetWarning(
            code=WarningCode.TOO_MANY_OWNERS,
            message=(
                f"Budgeten har {len(budget.owners)} insatsägare men mallen rymmer högst "
                f"{MAX_OWNERS}: en huvudinsatsägare och fyra delinsatsägare"
            ),
            stated=len(budget.owners),
            computed=MAX_OWNERS,
        )
    ]


def _line_warning(
    index: int,
    line: BudgetLine,
    code: WarningCode,
    message: str,
    *,
    severity: Severity = Severity.WARNING,
    owner_index: int | None = None,
    owner: str | None = None,
    stated: int | None = None,
    computed: int | None = None,
) -> BudgetWarning:
    return BudgetWarning(
        code=code,
        severity=severity,
        message=message,
        block=line.block,
        group=CATEGORY_GROUP[line.category],
        category=line.category,
        owner_index=owner_index,
        owner=owner,
        line_index=index,
        stated=stated,
        computed=computed,
        difference=None if stated is None or computed is None else stated - computed,
    )


def _check_line(budget: Budget, index: int, line: BudgetLine) -> list[BudgetWarning]:
    warnings: list[BudgetWarning] = []
    name = _line_name(line)
    line_sum = sum(line.amounts)
    if line.stated_total is not None and line.stated_total != line_sum:
        message = _mismatch_message(
            f"raden {name} ({ALL_OWNERS_LABEL})", line.stated_total, line_sum, "beloppen på raden"
        )
        warnings.append(
            _line_warning(
                index,
                line,
                WarningCode.LINE_TOTAL_MISMATCH,
                message,
                stated=line.stated_total,
                computed=line_sum,
            )
        )
    for column, amount in enumerate(line.amounts):
        owner = _owner_name(budget.owners, column)
        if amount < 0:
            message = f"Raden {name} har ett negativt belopp för {owner}: {format_kronor(amount)}"
            warnings.append(
                _line_warning(
                    index,
                    line,
                    WarningCode.NEGATIVE_AMOUNT,
                    message,
                    owner_index=column,
                    owner=owner,
                    computed=amount,
                )
            )
        if column >= len(budget.owners) and amount != 0:
            message = (
                f"Raden {name} har {format_kronor(amount)} i kolumn {column + 1}, "
                f"som saknar insatsägare"
            )
            warnings.append(
                _line_warning(
                    index,
                    line,
                    WarningCode.AMOUNT_WITHOUT_OWNER,
                    message,
                    owner_index=column,
                    computed=amount,
                )
            )
    fte = line.fte_percent
    if line.category is CostCategory.SALARY and fte is not None:
        # The template's blank rows read "0% 0": nothing to say about those.
        unused_template_row = fte == 0 and not any(line.amounts)
        if not 1 <= fte <= 100 and not unused_template_row:
            message = (
                f"Raden {name} anger {fte} % tjänst; tjänstgöringsgraden ska vara mellan "
                f"1 och 100 %"
            )
            warnings.append(
                _line_warning(index, line, WarningCode.FTE_OUT_OF_RANGE, message, stated=fte)
            )
        if fte > 0 and not any(line.amounts):
            message = f"Raden {name} anger {fte} % tjänst men inget belopp"
            warnings.append(
                _line_warning(index, line, WarningCode.FTE_WITHOUT_AMOUNT, message, stated=fte)
            )
    if line.period_from and line.period_to and line.period_to < line.period_from:
        message = (
            f"Raden {name} har tidsperioden {format_date_iso(line.period_from)} till "
            f"{format_date_iso(line.period_to)}: slutdatum före startdatum"
        )
        warnings.append(_line_warning(index, line, WarningCode.PERIOD_REVERSED, message))
    return warnings


# Benefits to individuals the association may not pay, as words in a line's label. Matched after
# dropping case, spaces and hyphens, so "Buss-kort" and "lön under  praktik" are caught too.
BENEFIT_KEYWORDS: tuple[str, ...] = (
    "busskort",
    "bussbiljett",
    "bussbiljetter",
    "resekort",
    "månadskort",
    "ulkort",
    "slkort",
    "milersättning",
    "kilometerersättning",
    "bilersättning",
    "praktiklön",
    "praktikersättning",
    "arbetsträningslön",
    "arbetsträningsersättning",
    "lönunderarbetsträning",
    "lönunderpraktik",
    "lönvidarbetsträning",
    "lönvidpraktik",
)
_INTERPRETER_WORD = re.compile(r"\btolk", re.IGNORECASE)


def _squash(text: str) -> str:
    return "".join(char for char in text.casefold() if char.isalnum())


def benefit_keyword(label: str) -> str | None:
    """The benefit-to-individuals keyword a label contains, if any."""
    squashed = _squash(label)
    return next((word for word in BENEFIT_KEYWORDS if word in squashed), None)


def _check_eligibility(index: int, line: BudgetLine) -> list[BudgetWarning]:
    # Only money the association is asked for; the parties may spend their own as they like.
    if line.block is not BudgetBlock.ASSOCIATION or not any(line.amounts):
        return []
    warnings: list[BudgetWarning] = []
    name, amount = _line_name(line), sum(line.amounts)
    if line.category is CostCategory.INTERPRETER or _INTERPRETER_WORD.search(line.label):
        message = (
            f"Raden {name} ({format_kronor(amount)}) avser tolk. Enligt vägledningen till lagen "
            f"kan samordningsförbundet inte finansiera tolk; kansliet bör bedöma kostnaden"
        )
        warnings.append(
            _line_warning(
                index,
                line,
                WarningCode.INTERPRETER_COST,
                message,
                severity=Severity.NOTICE,
                computed=amount,
            )
        )
    if benefit_keyword(line.label) is not None:
        message = (
            f"Raden {name} ({format_kronor(amount)}) ser ut att avse ersättning till enskilda. "
            f"Samordningsförbundet får inte betala ersättningar till individer, som busskort, "
            f"milersättning eller lön under arbetsträning; kansliet bör bedöma kostnaden"
        )
        warnings.append(
            _line_warning(
                index,
                line,
                WarningCode.BENEFIT_TO_INDIVIDUAL,
                message,
                severity=Severity.NOTICE,
                computed=amount,
            )
        )
    return warnings
