"""Writing a budget as the association's template (export_budget): the "Budget - detaljerad"
sheet row by row with its sums as Excel formulas, and the "Budgetsammanställning" sheet per owner
and per year, styled with the template's fills and fonts.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from applications.budget import (
    BLOCK_LABELS,
    CATEGORY_LABELS,
    GROUP_LABELS,
    MAX_OWNERS,
    Budget,
    BudgetBlock,
    BudgetLine,
    BudgetYear,
    CostCategory,
    CostGroup,
    categories_in,
)
from applications.budget_xlsx.layout import (
    _FIRST_OWNER_COL,
    _FROM_COL,
    _FTE_COL,
    _LABEL_COL,
    _MIN_SALARY_ROWS,
    _TO_COL,
    ALL_OWNERS_HEADER,
    BLOCK_TOTAL_LABELS,
    DATE_FORMAT,
    DETAILED_SHEET,
    FROM_HEADER,
    FTE_HEADER,
    GRAND_TOTAL_LABEL,
    KRONOR_FORMAT,
    LABEL_HEADER,
    PERCENT_FORMAT,
    PERIOD_LABEL,
    SUMMARY_SHEET,
    TO_HEADER,
    YEAR_ROW_LABELS,
    YEARS_HEADING,
    owner_role,
)
from applications.budget_xlsx.parsing import _key
from portfolio.core.schemas import scrub, strip_control
from portfolio.core.spreadsheets import text_cell

_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # "Fyll i färgmarkerade fält"
_BLOCK_FILL = PatternFill("solid", fgColor="BDD7EE")
_GROUP_FILL = PatternFill("solid", fgColor="E7E6E6")
_TOTAL_FILL = PatternFill("solid", fgColor="D9D9D9")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_THIN = Side(style="thin", color="A6A6A6")
_SUM_BORDER = Border(top=_THIN)


def _owner_columns(budget: Budget) -> int:
    widest_line = max((len(line.amounts) for line in budget.lines), default=0)
    return max(MAX_OWNERS, len(budget.owners), widest_line)


def _export_label(line: BudgetLine | None, category: CostCategory) -> str:
    """Salary lines show their role; other lines their category, and a label of their own after it."""
    if category is CostCategory.SALARY:
        return line.label if line else ""
    name = CATEGORY_LABELS[category]
    if line is None or not line.label.strip() or _key(line.label) == _key(name):
        return name
    return f"{name}: {line.label.strip()}"


def _column_sum(first: int, last: int) -> Callable[[str], str]:
    return lambda col: f"=SUM({col}{first}:{col}{last})"


def _cells_sum(rows: list[int]) -> Callable[[str], str]:
    return lambda col: "=" + "+".join(f"{col}{row}" for row in rows)


class _DetailedWriter:
    """Writes the "Budget - detaljerad" sheet row by row; the sums are formulas."""

    def __init__(self, sheet: Worksheet, budget: Budget) -> None:
        self.sheet = sheet
        self.budget = budget
        self.owner_count = _owner_columns(budget)
        self.total_col = _FIRST_OWNER_COL + self.owner_count
        self.row = 0

    @property
    def owner_cols(self) -> range:
        return range(_FIRST_OWNER_COL, self.total_col)

    def _row_sum(self, row: int) -> str:
        first, last = get_column_letter(_FIRST_OWNER_COL), get_column_letter(self.total_col - 1)
        return f"=SUM({first}{row}:{last}{row})"

    def _amount_cell(self, row: int, col: int, value: str, *, bold: bool = False) -> None:
        cell = self.sheet.cell(row, col, value)
        cell.number_format = KRONOR_FORMAT
        if bold:
            cell.font = _BOLD

    def heading(self, text: str, fill: PatternFill) -> None:
        self.row += 1
        for col in range(_LABEL_COL, self.total_col + 1):
            self.sheet.cell(self.row, col).fill = fill
        self.sheet.cell(self.row, _LABEL_COL, text).font = _BOLD

    def line(self, line: BudgetLine | None, category: CostCategory) -> None:
        self.row += 1
        row = self.row
        label = text_cell(self.sheet.cell(row, _LABEL_COL, _export_label(line, category)))
        label.alignment = Alignment(wrap_text=True, vertical="top")
        if category is CostCategory.SALARY:
            label.fill = _INPUT_FILL
        fte = self.sheet.cell(row, _FTE_COL)
        fte.number_format = PERCENT_FORMAT
        for col in (_FTE_COL, _FROM_COL, _TO_COL, *self.owner_cols):
            self.sheet.cell(row, col).fill = _INPUT_FILL
        for col in (_FROM_COL, _TO_COL):
            self.sheet.cell(row, col).number_format = DATE_FORMAT
        for col in self.owner_cols:
            self.sheet.cell(row, col).number_format = KRONOR_FORMAT
        if line is not None:
            if line.fte_percent is not None:
                fte.value = line.fte_percent / 100
            self.sheet.cell(row, _FROM_COL, line.period_from)
            self.sheet.cell(row, _TO_COL, line.period_to)
            for index, amount in enumerate(line.amounts):
                self.sheet.cell(row, _FIRST_OWNER_COL + index, amount)
        self._amount_cell(row, self.total_col, self._row_sum(row))

    def sum_row(
        self, label: str, formula: Callable[[str], str], *, fte: bool = False, fill: bool = False
    ) -> int:
        self.row += 1
        row = self.row
        self.sheet.cell(row, _LABEL_COL, label).font = _BOLD
        if fte:
            cell = self.sheet.cell(row, _FTE_COL, formula(get_column_letter(_FTE_COL)))
            cell.number_format, cell.font = PERCENT_FORMAT, _BOLD
        for col in self.owner_cols:
            self._amount_cell(row, col, formula(get_column_letter(col)), bold=True)
        self._amount_cell(row, self.total_col, self._row_sum(row), bold=True)
        for col in range(_LABEL_COL, self.total_col + 1):
            self.sheet.cell(row, col).border = _SUM_BORDER
            if fill:
                self.sheet.cell(row, col).fill = _TOTAL_FILL
        return row

    def block(self, block: BudgetBlock) -> int:
        """One block with its three headings and their sums; returns the block total's row."""
        self.heading(BLOCK_LABELS[block], _BLOCK_FILL)
        group_rows: list[int] = []
        for group in CostGroup:
            self.heading(GROUP_LABELS[group], _GROUP_FILL)
            first = self.row + 1
            lines = [line for line in self.budget.lines if line.block is block]
            for category in categories_in(group):
                of_category = [line for line in lines if line.category is category]
                if category is CostCategory.SALARY:
                    spare = max(1, _MIN_SALARY_ROWS - len(of_category))
                    rows: list[BudgetLine | None] = [*of_category, *[None] * spare]
                else:
                    rows = [*of_category] or [None]  # the template keeps every fixed row
                for line in rows:
                    self.line(line, category)
            group_rows.append(
                self.sum_row(
                    f"Summa {GROUP_LABELS[group].lower()}",
                    _column_sum(first, self.row),
                    fte=group is CostGroup.SALARIES,
                )
            )
        return self.sum_row(
            BLOCK_TOTAL_LABELS[block],
            _cells_sum(group_rows),
            fill=True,
        )

    def write(self, insats_name: str) -> dict[BudgetBlock, int]:
        sheet = self.sheet
        sheet.cell(1, 1, f"Budget - detaljerad {insats_name}".strip()).font = _TITLE
        sheet.cell(2, 1, PERIOD_LABEL).font = _BOLD
        for col, day in ((_FROM_COL, self.budget.period_from), (_TO_COL, self.budget.period_to)):
            cell = sheet.cell(2, col, day)
            cell.number_format, cell.fill = DATE_FORMAT, _INPUT_FILL
        sheet.cell(3, 1, "Belopp i kronor. Fyll i de gula fälten; summorna räknas ut av Excel.")
        for index, col in enumerate(self.owner_cols):
            sheet.cell(4, col, owner_role(index)).font = Font(italic=True)
        headers = [LABEL_HEADER, FTE_HEADER, FROM_HEADER, TO_HEADER]
        owners = [*self.budget.owners, *[""] * (self.owner_count - len(self.budget.owners))]
        for col, text in enumerate([*headers, *owners, ALL_OWNERS_HEADER], start=1):
            cell = text_cell(sheet.cell(5, col, text))
            cell.font = _BOLD
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
            cell.border = Border(bottom=_THIN)
            if _FIRST_OWNER_COL <= col < self.total_col:
                cell.fill = _INPUT_FILL
        self.row = 5
        totals = {BudgetBlock.ASSOCIATION: self.block(BudgetBlock.ASSOCIATION)}
        self.row += 1
        totals[BudgetBlock.COFUNDING] = self.block(BudgetBlock.COFUNDING)
        self.row += 1
        self.sum_row(
            GRAND_TOTAL_LABEL,
            _cells_sum(list(totals.values())),
            fill=True,
        )
        sheet.column_dimensions["A"].width = 46
        for col in (_FTE_COL, _FROM_COL, _TO_COL):
            sheet.column_dimensions[get_column_letter(col)].width = 12
        for col in [*self.owner_cols, self.total_col]:
            sheet.column_dimensions[get_column_letter(col)].width = 18
        sheet.freeze_panes = sheet.cell(6, _FIRST_OWNER_COL)
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        return totals


def _summary_years(budget: Budget) -> list[BudgetYear]:
    """The years to show: the budget's own, else empty ÅR columns over the insats period."""
    if budget.years:
        return budget.years
    if budget.period_from and budget.period_to and budget.period_from <= budget.period_to:
        first, last = (
            budget.period_from.year,
            min(budget.period_to.year, budget.period_from.year + 9),
        )
        return [
            BudgetYear(label=f"ÅR {n}", year=year)
            for n, year in enumerate(range(first, last + 1), start=1)
        ]
    return [BudgetYear(label=f"ÅR {n}") for n in (1, 2, 3)]


def _write_summary(
    sheet: Worksheet, budget: Budget, insats_name: str, totals: dict[BudgetBlock, int]
) -> None:
    """The "Budgetsammanställning" sheet: per owner from the detailed sheet, then per year."""
    sheet.cell(1, 1, f"Budgetsammanställning {insats_name}".strip()).font = _TITLE
    sheet.cell(2, 1, PERIOD_LABEL).font = _BOLD
    for col, day in ((2, budget.period_from), (3, budget.period_to)):
        sheet.cell(2, col, day).number_format = DATE_FORMAT
    sheet.cell(3, 1, "Belopp i kronor.")
    headers = [
        "Roll",
        "Insatsägare",
        BLOCK_LABELS[BudgetBlock.ASSOCIATION],
        BLOCK_LABELS[BudgetBlock.COFUNDING],
        "Totalt för insatsen",
    ]
    for col, text in enumerate(headers, start=1):
        cell = sheet.cell(5, col, text)
        cell.font, cell.border = _BOLD, Border(bottom=_THIN)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    detailed = f"'{DETAILED_SHEET}'"
    count = _owner_columns(budget)
    first = 6
    for index in range(count):
        row = first + index
        owner_col = get_column_letter(_FIRST_OWNER_COL + index)
        sheet.cell(row, 1, owner_role(index))
        text_cell(sheet.cell(row, 2, budget.owners[index] if index < len(budget.owners) else ""))
        for col, block in ((3, BudgetBlock.ASSOCIATION), (4, BudgetBlock.COFUNDING)):
            formula = f"={detailed}!{owner_col}{totals[block]}"
            sheet.cell(row, col, formula).number_format = KRONOR_FORMAT
        sheet.cell(row, 5, f"=C{row}+D{row}").number_format = KRONOR_FORMAT
    last = first + count - 1
    summa = last + 1
    sheet.cell(summa, 1, "Summa").font = _BOLD
    for col in (3, 4, 5):
        letter = get_column_letter(col)
        cell = sheet.cell(summa, col, f"=SUM({letter}{first}:{letter}{last})")
        cell.number_format, cell.font, cell.border = KRONOR_FORMAT, _BOLD, Border(top=_THIN)

    years = _summary_years(budget)
    heading = summa + 2
    sheet.cell(heading, 1, YEARS_HEADING).font = _BOLD
    labels, numbers = heading + 1, heading + 2
    parts = {"salaries": heading + 3, "premises": heading + 4, "other": heading + 5}
    total = heading + 6
    for key, row in (("year", numbers), *parts.items(), ("total", total)):
        sheet.cell(row, 1, YEAR_ROW_LABELS[key]).font = _BOLD if key == "total" else Font()
    for offset, year in enumerate(years):
        col = 2 + offset
        letter = get_column_letter(col)
        cell = text_cell(sheet.cell(labels, col, year.label))
        cell.font, cell.alignment = _BOLD, Alignment(horizontal="right")
        sheet.cell(numbers, col, year.year).fill = _INPUT_FILL
        for key, row in parts.items():
            cell = sheet.cell(row, col, getattr(year, key))
            cell.number_format, cell.fill = KRONOR_FORMAT, _INPUT_FILL
        cell = sheet.cell(total, col, f"=SUM({letter}{parts['salaries']}:{letter}{parts['other']})")
        cell.number_format, cell.font, cell.border = KRONOR_FORMAT, _BOLD, Border(top=_THIN)
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 24
    for col in range(3, max(6, 2 + len(years))):
        sheet.column_dimensions[get_column_letter(col)].width = 20


def export_budget(budget: Budget, insats_name: str) -> bytes:
    """The budget as an .xlsx in the association's template layout, sums as Excel formulas."""
    # Text stored before the input checks may hold characters a workbook cannot (openpyxl
    # refuses them): left out here rather than failing the download.
    budget, insats_name = scrub(budget), strip_control(insats_name)
    workbook = Workbook()
    detailed = workbook.active
    assert isinstance(detailed, Worksheet)
    detailed.title = DETAILED_SHEET
    totals = _DetailedWriter(detailed, budget).write(insats_name)
    _write_summary(workbook.create_sheet(SUMMARY_SHEET), budget, insats_name, totals)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
