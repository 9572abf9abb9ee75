"""The application budget template as data: its lines, its arithmetic and the checks on its sums.

Pure domain code (stdlib and msgspec only, plus the shared Swedish formatting). Money is exact int
kronor. Stated figures (as typed or imported) are kept beside the lines and compared with them;
nothing here ever changes a figure: a disagreement becomes a BudgetWarning for the office to see.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Sequence

import msgspec

from portfolio.core.formatting import format_date_iso, format_kronor

# The template has a column for the lead owner and four for co-owners.
MAX_OWNERS = 5


class BudgetBlock(enum.StrEnum):
    """The two blocks of the template: what the association pays, and the parties' own money."""

    ASSOCIATION = "association"
    COFUNDING = "cofunding"


BLOCK_LABELS: dict[BudgetBlock, str] = {
    BudgetBlock.ASSOCIATION: "Att rekvirera från Samordningsförbundet",
    BudgetBlock.COFUNDING: "Egenfinansiering",
}


class CostGroup(enum.StrEnum):
    """The three headings the template sums under, in each block and in the per-year summary."""

    SALARIES = "salaries"
    PREMISES = "premises"
    OTHER = "other"


GROUP_LABELS: dict[CostGroup, str] = {
    CostGroup.SALARIES: "Lönekostnader",
    CostGroup.PREMISES: "Lokalkostnader",
    CostGroup.OTHER: "Övriga kostnader",
}


class CostCategory(enum.StrEnum):
    """The fixed cost lines of the template."""

    SALARY = "salary"
    PREMISES_RENT = "premises_rent"
    PREMISES_OTHER = "premises_other"
    EVALUATION = "evaluation"
    DISSEMINATION = "dissemination"
    STAFF_TRAINING = "staff_training"
    PURCHASED_SERVICES = "purchased_services"
    PARTICIPANT_ACTIVITIES = "participant_activities"
    PHONE_IT = "phone_it"
    TRAVEL = "travel"
    INTERPRETER = "interpreter"
    INFORMATION_MATERIAL = "information_material"
    OTHER = "other"


CATEGORY_LABELS: dict[CostCategory, str] = {
    CostCategory.SALARY: "Lönekostnader",
    CostCategory.PREMISES_RENT: "Lokalhyra",
    CostCategory.PREMISES_OTHER: "Övriga lokalkostnader",
    CostCategory.EVALUATION: "Utvärdering",
    CostCategory.DISSEMINATION: "Spridningsseminarier",
    CostCategory.STAFF_TRAINING: "Utbildning insatsmedarbetare",
    CostCategory.PURCHASED_SERVICES: (
        "Inköpta utredningar, utbildningar och tjänster avsedda för deltagare"
    ),
    CostCategory.PARTICIPANT_ACTIVITIES: "Övriga aktiviteter för deltagare",
    CostCategory.PHONE_IT: "Telefon-, IT-kostnader",
    CostCategory.TRAVEL: "Resor",
    CostCategory.INTERPRETER: "Tolk",
    CostCategory.INFORMATION_MATERIAL: "Informationsmaterial",
    CostCategory.OTHER: "Övrigt",
}

CATEGORY_GROUP: dict[CostCategory, CostGroup] = {
    CostCategory.SALARY: CostGroup.SALARIES,
    CostCategory.PREMISES_RENT: CostGroup.PREMISES,
    CostCategory.PREMISES_OTHER: CostGroup.PREMISES,
    **{
        category: CostGroup.OTHER
        for category in CostCategory
        if category
        not in (CostCategory.SALARY, CostCategory.PREMISES_RENT, CostCategory.PREMISES_OTHER)
    },
}


def categories_in(group: CostGroup) -> tuple[CostCategory, ...]:
    """The categories summed under a group, in template order."""
    return tuple(category for category in CostCategory if CATEGORY_GROUP[category] is group)


class TotalsSource(enum.StrEnum):
    """Which table of the application a stated figure was read from."""

    DETAILED = "detailed"
    SUMMARY = "summary"


SOURCE_LABELS: dict[TotalsSource, str] = {
    TotalsSource.DETAILED: "Budget – detaljerad",
    TotalsSource.SUMMARY: "Budgetsammanställning",
}


class BudgetLine(msgspec.Struct, frozen=True, kw_only=True):
    """One row of the template: a role (salary) or a cost, with an amount per owner column."""

    block: BudgetBlock
    category: CostCategory
    label: str = ""
    fte_percent: int | None = None  # "tjänst i %", salary lines only
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    amounts: list[int] = []  # kronor, one per owner column, in Budget.owners order
    # The row's own "alla insatsägare" cell as typed; None when blank.
    stated_total: int | None = None


class BudgetYear(msgspec.Struct, frozen=True, kw_only=True):
    """One column of the per-year summary (ÅR 1, ÅR 2, …) as stated; None is a blank cell."""

    label: str
    year: int | None = None
    salaries: int | None = None
    premises: int | None = None
    other: int | None = None
    total: int | None = None


class StatedRow(msgspec.Struct, frozen=True, kw_only=True):
    """A stated sum row: one cell per owner column, and the all-owners cell; None is blank."""

    amounts: list[int | None] = []
    total: int | None = None


class StatedBlock(msgspec.Struct, frozen=True, kw_only=True):
    """The sums stated within one block: per category, per group, for the block, and tjänst %."""

    categories: dict[CostCategory, StatedRow] = {}
    groups: dict[CostGroup, StatedRow] = {}
    total: StatedRow | None = None  # "Totalt från Samordningsförbundet" / "Summa egenfinansiering"
    fte_percent: int | None = None  # the "Summa lönekostnader" tjänst % cell


class StatedTotals(msgspec.Struct, frozen=True, kw_only=True):
    """Every sum one table of the application states, kept exactly as typed or imported."""

    source: TotalsSource = TotalsSource.DETAILED
    association: StatedBlock = msgspec.field(default_factory=StatedBlock)
    cofunding: StatedBlock = msgspec.field(default_factory=StatedBlock)
    grand: StatedRow | None = None  # "Total kostnad för insatsen" / the summary's Summa row

    def block(self, block: BudgetBlock) -> StatedBlock:
        return self.association if block is BudgetBlock.ASSOCIATION else self.cofunding


class Budget(msgspec.Struct, frozen=True, kw_only=True):
    """An application's budget: owners (lead owner first), lines, year summary, stated sums."""

    owners: list[str]
    lines: list[BudgetLine] = []
    years: list[BudgetYear] = []
    stated: list[StatedTotals] = []
    period_from: dt.date | None = None  # "Insatsens löptid", the fallback for lines without one
    period_to: dt.date | None = None


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


# --- warnings ---------------------------------------------------------------------------------


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


# --- per-year split -----------------------------------------------------------------------------


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
