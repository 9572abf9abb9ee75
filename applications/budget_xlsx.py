"""The budget template as an Excel workbook: written in the association's layout, read back."""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import msgspec
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.workbook.workbook import Workbook as LoadedWorkbook
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
    StatedBlock,
    StatedRow,
    StatedTotals,
    TotalsSource,
    categories_in,
)
from portfolio.core.formatting import format_kronor
from portfolio.core.spreadsheets import text_cell

DETAILED_SHEET = "Budget - detaljerad"
SUMMARY_SHEET = "Budgetsammanställning"
LABEL_HEADER = "Kostnadsslag"
FTE_HEADER = "Tjänst %"
FROM_HEADER = "Period från"
TO_HEADER = "Period till"
ALL_OWNERS_HEADER = "Alla insatsägare"
PERIOD_LABEL = "Insatsens löptid"
BLOCK_TOTAL_LABELS = {
    BudgetBlock.ASSOCIATION: "Totalt från Samordningsförbundet",
    BudgetBlock.COFUNDING: "Summa egenfinansiering",
}
GRAND_TOTAL_LABEL = "Total kostnad för insatsen"
YEARS_HEADING = "Kostnader per år att rekvirera från Samordningsförbundet"
YEAR_ROW_LABELS = {
    "year": "År",
    "salaries": "Lönekostnader inkl. PO-pålägg",
    "premises": "Lokalkostnader",
    "other": "Övriga kostnader",
    "total": "Totalt",
}

# Excel stores digit grouping as "," whatever the language; Swedish Excel shows "#,##0" as
# "# ##0", i.e. 1 200 000. A literal space in the code would not group millions.
KRONOR_FORMAT = "#,##0"
PERCENT_FORMAT = "0%"  # tjänst % as Excel's own percent, so typing "50" in the cell gives 50 %
DATE_FORMAT = "yyyy-mm-dd"

# The template's columns, as export_budget writes them.
_LABEL_COL, _FTE_COL, _FROM_COL, _TO_COL, _FIRST_OWNER_COL = 1, 2, 3, 4, 5
_MIN_SALARY_ROWS = 5  # like the template: room to add roles inside the sums' ranges

# What the importer reads at most; a budget is a page or two, not a database.
_MAX_ROWS = 2000
_MAX_COLUMNS = 60
_MAX_RANGE_CELLS = 20_000


# --- export -------------------------------------------------------------------------------------

_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # "Fyll i färgmarkerade fält"
_BLOCK_FILL = PatternFill("solid", fgColor="BDD7EE")
_GROUP_FILL = PatternFill("solid", fgColor="E7E6E6")
_TOTAL_FILL = PatternFill("solid", fgColor="D9D9D9")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_THIN = Side(style="thin", color="A6A6A6")
_SUM_BORDER = Border(top=_THIN)


def owner_role(index: int) -> str:
    """The template's name for an owner column: Huvudinsatsägare, Delinsatsägare 1, …"""
    return "Huvudinsatsägare" if index == 0 else f"Delinsatsägare {index}"


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
    workbook = Workbook()
    detailed = workbook.active
    assert isinstance(detailed, Worksheet)
    detailed.title = DETAILED_SHEET
    totals = _DetailedWriter(detailed, budget).write(insats_name)
    _write_summary(workbook.create_sheet(SUMMARY_SHEET), budget, insats_name, totals)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- import: results ----------------------------------------------------------------------------


class ImportWarning(msgspec.Struct, frozen=True, kw_only=True):
    """Something in an uploaded workbook read with doubt or left out: where it is, and why."""

    sheet: str
    cell: str  # e.g. "C14"; empty when the warning is about the whole file
    message: str


class ImportResult(msgspec.Struct, frozen=True, kw_only=True):
    """A budget read from a workbook, or None when the file is no budget template; and warnings."""

    budget: Budget | None
    warnings: list[ImportWarning] = []


_NOT_XLSX = (
    "Filen kunde inte läsas som en Excel-arbetsbok (.xlsx). Fyll i budgetmallen, spara den i "
    "Excel som ”Excel-arbetsbok (*.xlsx)” och ladda upp den igen."
)
_OLD_XLS = (
    "Filen är sparad i det äldre Excel-formatet .xls. Öppna den i Excel, spara den som "
    "”Excel-arbetsbok (*.xlsx)” och ladda upp den igen."
)
_ODS = (
    "Filen är ett OpenDocument-kalkylark (.ods). Spara den som ”Excel-arbetsbok (*.xlsx)” och "
    "ladda upp den igen."
)
_EMPTY = "Filen är tom. Välj den ifyllda budgetmallen (.xlsx) och ladda upp den igen."
# A filled template unpacks to well under a megabyte; reading one costs about 35 times its
# unpacked size in memory, so a small file that unpacks to much more is refused unread.
MAX_UNPACKED_BYTES = 5 * 1024 * 1024
MAX_MEMBERS = 200
_TOO_LARGE = (
    "Arbetsboken är för stor för en budget (mer än 5 MB uppackad). Använd budgetmallen från "
    "ansökan, med budgeten på ett eller två blad."
)
_NO_TEMPLATE = (
    "Arbetsboken ser inte ut som budgetmallen: ingen rad med kolumnrubriken "
    "”Alla insatsägare” hittades. Använd mallen ”Budget - detaljerad” från ansökan."
)
_UNEXPECTED = (
    "Budgeten kunde inte läsas ur filen på grund av ett oväntat fel. Kontrollera att det är "
    "budgetmallen och försök igen, eller fyll i budgeten direkt i ansökan."
)


def _file_problem(data: bytes) -> str | None:
    """Why the bytes cannot be an .xlsx workbook, in Swedish; None when they may be one."""
    if not data:
        return _EMPTY
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # the OLE container of Office 97-2003 files
        return _OLD_XLS
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # Only the central directory: what each part says it unpacks to, which is also
            # as far as reading a part goes.
            members = archive.infolist()
            if len(members) > MAX_MEMBERS or (
                sum(member.file_size for member in members) > MAX_UNPACKED_BYTES
            ):
                return _TOO_LARGE
            names = {member.filename for member in members}
            if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:100]:
                return _ODS
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, RuntimeError):
        return _NOT_XLSX
    return None if "xl/workbook.xml" in names else _NOT_XLSX


def _failure(message: str) -> ImportResult:
    return ImportResult(budget=None, warnings=[ImportWarning(sheet="", cell="", message=message)])


def import_budget(data: bytes) -> ImportResult:
    """Read a filled budget template; figures as typed, doubts and left-out rows as warnings."""
    problem = _file_problem(data)
    if problem:
        return _failure(problem)
    try:
        values = load_workbook(io.BytesIO(data), data_only=True)
        formulas = load_workbook(io.BytesIO(data), data_only=False)
    except Exception:  # openpyxl fails in many ways (zip, XML, styles) on a damaged file
        return _failure(_NOT_XLSX)
    try:
        return _Importer(values, formulas).run()
    except Exception:  # an upload must never become a server error; the message says what to do
        return _failure(_UNEXPECTED)


# --- import: reading text, amounts, percentages and dates ---------------------------------------

_SPACES = re.compile(r"\s+")


def _text(value: object) -> str:
    """A cell as text, spaces (also no-break and thin ones) collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", str(value).replace("\u00a0", " ").replace("\u202f", " ")).strip()


def _key(text: object) -> str:
    """Text reduced to lower-case letters and digits, to compare labels typed in any way."""
    return "".join(char for char in _text(text).casefold() if char.isalnum())


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_EXCEL_ERRORS = {"#null!", "#div/0!", "#value!", "#ref!", "#name?", "#num!", "#n/a", "#spill!"}
_DOT_THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+(,\d+)?")
_COMMA_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3}){2,}(\.\d+)?")
_PLAIN_NUMBER = re.compile(r"-?\d+([.,]\d+)?")


def _number_from_text(text: str) -> Decimal | None:
    """ "1 200 000", "1 200 000 kr", "37 500,50", "1.200.000", "1 200 tkr", "-" -> a number."""
    cleaned = text.casefold().replace("\u2212", "-").replace("\u2013", "-")
    cleaned = "".join(cleaned.split())
    factor = 1000 if "tkr" in cleaned else 1
    for unit in ("tkr", "kronor", "kr", "sek", ":-"):
        cleaned = cleaned.replace(unit, "")
    cleaned = cleaned.rstrip(".")
    if cleaned in ("-", ""):
        return Decimal(0) if cleaned == "-" else None
    if _DOT_THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _COMMA_THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    elif _PLAIN_NUMBER.fullmatch(cleaned):
        cleaned = cleaned.replace(",", ".")  # the Swedish decimal comma
    else:
        return None
    try:
        return Decimal(cleaned) * factor
    except InvalidOperation:
        return None


def _whole(number: Decimal) -> int:
    return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.](\d{1,2})[-./]?(\d{4}|\d{2})")
_COMPACT_DATE = re.compile(r"(\d{2}|\d{4})(\d{2})(\d{2})")


def _date_from_parts(year: int, month: int, day: int) -> dt.date | None:
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _date_from_text(text: str) -> dt.date | None:
    """2022-01-01, 220101 (the template's ååmmdd), 20220101, 1/1-2022, 31.12.2023 -> a date."""
    squeezed = text.replace(" ", "")
    if match := _ISO_DATE.match(squeezed):
        return _date_from_parts(*(int(part) for part in match.groups()))
    if match := _DAY_MONTH_YEAR.fullmatch(squeezed):
        day, month, year = (int(part) for part in match.groups())
        return _date_from_parts(year, month, day)
    if match := _COMPACT_DATE.fullmatch(squeezed):
        return _date_from_parts(*(int(part) for part in match.groups()))
    return None


# --- import: cells, and formulas that Excel never calculated -------------------------------------


class _FormulaError(Exception):
    """A formula this module cannot work out (an unsupported function, an error, a cycle)."""


_FORMULA_TOKEN = re.compile(
    r"""\s*(?:
      (?P<func>[A-Za-z][A-Za-z0-9.]*)\(
    | (?P<ref>(?:(?P<sheet>'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?
        \$?(?P<c1>[A-Za-z]{1,3})\$?(?P<r1>\d+)(?::\$?(?P<c2>[A-Za-z]{1,3})\$?(?P<r2>\d+))?)
    | (?P<number>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
    | (?P<op>[-+*/(),;])
    )""",
    re.VERBOSE,
)

_Lookup = Callable[[str, int, int], object]


class _Formula:
    """Sums and arithmetic as Excel does them: SUM over cells and ranges, + - * /, brackets.

    Unlike Excel, amounts typed as text ("1 200 000 kr") count: with no value saved by Excel the
    sum is worked out from the lines as this module reads them.
    """

    def __init__(self, text: str, sheet: str, lookup: _Lookup) -> None:
        self.sheet, self.lookup = sheet, lookup
        self.tokens: list[re.Match[str]] = []
        position = 0
        text = text.rstrip()
        while position < len(text):
            match = _FORMULA_TOKEN.match(text, position)
            if match is None or match.end() == position:
                raise _FormulaError(text)
            self.tokens.append(match)
            position = match.end()
        self.index = 0

    def evaluate(self) -> float:
        value = self._expression()
        if self.index != len(self.tokens):
            raise _FormulaError("trailing tokens")
        return value

    def _peek(self, offset: int = 0) -> re.Match[str] | None:
        index = self.index + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def _op(self, offset: int = 0) -> str | None:
        token = self._peek(offset)
        return token.group("op") if token else None

    def _expression(self) -> float:
        value = self._term()
        while self._op() in ("+", "-"):
            op = self._op()
            self.index += 1
            right = self._term()
            value = value + right if op == "+" else value - right
        return value

    def _term(self) -> float:
        value = self._factor()
        while self._op() in ("*", "/"):
            op = self._op()
            self.index += 1
            right = self._factor()
            if op == "/" and right == 0:
                raise _FormulaError("#DIV/0!")
            value = value * right if op == "*" else value / right
        return value

    def _factor(self) -> float:
        token = self._peek()
        if token is None:
            raise _FormulaError("unexpected end")
        self.index += 1
        if token.group("op") in ("-", "+"):
            value = self._factor()
            return -value if token.group("op") == "-" else value
        if token.group("op") == "(":
            value = self._expression()
            self._expect(")")
            return value
        if token.group("number"):
            return float(token.group("number"))
        if token.group("ref"):
            if token.group("c2"):
                raise _FormulaError("a range outside SUM")
            return _arithmetic_value(next(iter(self._cells(token))))
        if token.group("func"):
            if token.group("func").upper() != "SUM":
                raise _FormulaError(token.group("func"))
            return self._sum()
        raise _FormulaError(token.group(0))

    def _expect(self, op: str) -> None:
        if self._op() != op:
            raise _FormulaError(f"expected {op}")
        self.index += 1

    def _sum(self) -> float:
        total = 0.0
        while self._op() != ")":
            token = self._peek()
            # A bare reference as an argument: blanks and words in it are skipped, as in Excel.
            if token is not None and token.group("ref") and self._op(1) in (",", ";", ")"):
                self.index += 1
                for value in self._cells(token):
                    if isinstance(value, str) and value.strip().casefold() in _EXCEL_ERRORS:
                        raise _FormulaError(value)
                    if (number := _loose_number(value)) is not None:
                        total += float(number)
            else:
                total += self._expression()
            if self._op() in (",", ";"):
                self.index += 1
            elif self._op() != ")":
                raise _FormulaError("expected , or )")
        self.index += 1
        return total

    def _cells(self, token: re.Match[str]) -> Iterable[object]:
        sheet = token.group("sheet")
        sheet = sheet.strip("'").replace("''", "'") if sheet else self.sheet
        first_col, first_row = (
            column_index_from_string(token.group("c1").upper()),
            int(token.group("r1")),
        )
        last_col, last_row = first_col, first_row
        if token.group("c2"):
            last_col = column_index_from_string(token.group("c2").upper())
            last_row = int(token.group("r2"))
        rows = range(min(first_row, last_row), max(first_row, last_row) + 1)
        cols = range(min(first_col, last_col), max(first_col, last_col) + 1)
        if len(rows) * len(cols) > _MAX_RANGE_CELLS:
            raise _FormulaError("range too large")
        return [self.lookup(sheet, row, col) for row in rows for col in cols]


def _loose_number(value: object) -> Decimal | None:
    """A number, or text that reads as one ("1 200 000 kr"); None for anything else."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    if isinstance(value, str) and value.strip().casefold() not in _EXCEL_ERRORS:
        return _number_from_text(value)
    return None


def _arithmetic_value(value: object) -> float:
    if _blank(value):
        return 0.0
    number = _loose_number(value)
    if number is None:
        raise _FormulaError(f"not a number: {value!r}")  # Excel's #VALUE!
    return float(number)


def _coordinate(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


class _Cells:
    """Cell values as Excel would show them, working out formulas Excel never calculated.

    openpyxl reads a formula's last value as Excel saved it; a file written by a program and
    never opened in Excel has none, so the simple sums of the template are worked out here.
    """

    def __init__(self, values: LoadedWorkbook, formulas: LoadedWorkbook) -> None:
        self.values, self.formulas = values, formulas
        self.computed: dict[str, list[tuple[int, int]]] = {}
        self.failed: dict[tuple[str, int, int], str] = {}
        self._cache: dict[tuple[str, int, int], object] = {}
        self._busy: set[tuple[str, int, int]] = set()

    def formula(self, sheet: str, row: int, col: int) -> str | None:
        """The formula in a cell, if it has one."""
        value = self.formulas[sheet].cell(row, col).value
        if isinstance(value, str) and value.startswith("="):
            return value
        # Array and table formulas come as objects with the formula text in .text.
        text = getattr(value, "text", None)
        return text if isinstance(text, str) else None

    def number_format(self, sheet: str, row: int, col: int) -> str:
        return str(self.values[sheet].cell(row, col).number_format or "")

    def get(self, sheet: str, row: int, col: int) -> object:
        """The value a cell shows; None when blank or when its formula cannot be worked out."""
        try:
            return self._resolve(sheet, row, col)
        except _FormulaError:
            return None

    def _resolve(self, sheet: str, row: int, col: int) -> object:
        key = (sheet, row, col)
        if key in self.failed:
            raise _FormulaError(self.failed[key])
        if key in self._cache:
            return self._cache[key]
        if sheet not in self.values.sheetnames:
            raise _FormulaError(f"no sheet {sheet}")
        value = self.values[sheet].cell(row, col).value
        formula = self.formula(sheet, row, col)
        if value is None and formula is not None:
            if key in self._busy:
                raise _FormulaError("circular reference")
            self._busy.add(key)
            try:
                value = _Formula(formula.lstrip("="), sheet, self._resolve).evaluate()
            except (_FormulaError, RecursionError) as error:
                self.failed[key] = formula
                raise _FormulaError(formula) from error
            finally:
                self._busy.discard(key)
            if value.is_integer():
                value = int(value)
            self.computed.setdefault(sheet, []).append((row, col))
        self._cache[key] = value
        return value


# --- import: the template's shape ----------------------------------------------------------------

_FROM_KEYS = {"från", "periodfrån", "fom", "frånochmed", "datumfrån", "startdatum", "start"}
_TO_KEYS = {"till", "periodtill", "tom", "tillochmed", "datumtill", "slutdatum", "slut"}
_PLACEHOLDER_OWNERS = {"namn", "huvudinsatsägare", "delinsatsägare", "insatsägare"}
_PLACEHOLDER_LABELS = {"kostnadsbeteckning", "namn"}
_YEAR_LABEL = re.compile(r"år(\d{1,2})")
_GROUP_KEYS = {
    CostGroup.SALARIES: "lönekostnader",
    CostGroup.PREMISES: "lokalkostnader",
    CostGroup.OTHER: "övrigakostnader",
}
_CATEGORY_KEYS = {_key(label): category for category, label in CATEGORY_LABELS.items()}


def _block_heading(key: str) -> BudgetBlock | None:
    if key.startswith(("attrekvirera", "kostnaderattrekvirera")):
        return BudgetBlock.ASSOCIATION
    if key.startswith("egenfinansiering"):
        return BudgetBlock.COFUNDING
    return None


def _group_heading(key: str) -> CostGroup | None:
    if key.startswith("lönekostnader"):  # "Lönekostnader inkl PO.pålägg" in the template
        return CostGroup.SALARIES
    if key in ("lokalkostnader", "övrigakostnader"):
        return CostGroup.PREMISES if key == "lokalkostnader" else CostGroup.OTHER
    return None


_SumKind = CostGroup | CostCategory | BudgetBlock | None
_GRAND = None  # a sum row of the whole insats: "Total kostnad för insatsen"


def _sum_kind(key: str) -> tuple[bool, _SumKind]:
    """Whether a row is a sum row, and what it sums: a group, a category, a block or all."""
    for prefix in ("summa", "totalt", "total"):
        if key.startswith(prefix):
            rest = key[len(prefix) :]
            break
    else:
        return False, None
    for group, group_key in _GROUP_KEYS.items():
        if rest.startswith(group_key):
            return True, group
    if rest.startswith("egenfinansiering"):
        return True, BudgetBlock.COFUNDING
    if rest.startswith(("frånsamordningsförbundet", "attrekvirera", "samordningsförbundet")):
        return True, BudgetBlock.ASSOCIATION
    if rest in _CATEGORY_KEYS:
        return True, _CATEGORY_KEYS[rest]
    if rest in ("", "kostnadförinsatsen", "kostnad", "förinsatsen", "insatsen", "projektet"):
        return True, _GRAND
    return False, None


def _close_category(key: str) -> CostCategory | None:
    """A category whose label was typed with a slip or shortened ("Utvärdring", "Inköpta utr…")."""
    if len(key) < 4:
        return None
    candidates = {k: c for k, c in _CATEGORY_KEYS.items() if c is not CostCategory.SALARY}
    prefixed = [c for k, c in candidates.items() if len(key) >= 6 and k.startswith(key)]
    if len(prefixed) == 1:
        return prefixed[0]
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, k).ratio(), c) for k, c in candidates.items()),
        key=lambda pair: pair[0],
        reverse=True,
    )
    if scored[0][0] >= 0.85 and (len(scored) == 1 or scored[1][0] < scored[0][0] - 0.05):
        return scored[0][1]
    return None


def _placeholder(label: str) -> bool:
    """A label the template prints on rows to be filled in: "3.", "Kostnadsbeteckning"."""
    return not label or bool(re.fullmatch(r"\d+\.?", label)) or _key(label) in _PLACEHOLDER_LABELS


def _year_numbers(key: str, values: dict[int, object]) -> bool:
    """Whether a row of the per-year summary holds calendar years (2022, 2023, …)."""
    numbers = [value for value in values.values() if not _blank(value)]
    return (
        key in ("", "år", "kalenderår")
        and bool(numbers)
        and all(isinstance(v, int | float) and 1900 <= v <= 2200 for v in numbers)
    )


def _year_part(key: str) -> str | None:
    """The BudgetYear field a row of the per-year summary gives, by its label."""
    if key.startswith("lönekostnader"):
        return "salaries"
    if key.startswith(("lokalkostnader", "lokalhyra", "övrigalokalkostnader")):
        return "premises"
    if key.startswith("övrigakostnader"):
        return "other"
    if key.startswith(("totalt", "summa", "total")):
        return "total"
    return None


@dataclass(frozen=True)
class _Layout:
    """Where the detailed sheet keeps what: header rows and the columns found by their headings."""

    header_row: int
    header_rows: set[int]
    label_col: int
    fte_col: int | None
    from_col: int | None
    to_col: int | None
    owner_cols: list[int]
    total_col: int


# A stated row while reading: one cell per owner column, then the all-owners cell.
_RawRow = list[int | None]


@dataclass
class _BlockStated:
    """Sums stated in one block while reading, before the width of the budget is known."""

    categories: dict[CostCategory, _RawRow] = field(default_factory=dict)
    groups: dict[CostGroup, _RawRow] = field(default_factory=dict)
    total: _RawRow | None = None
    fte_percent: int | None = None


@dataclass
class _Detailed:
    """What the detailed sheet holds, as read."""

    lines: list[BudgetLine] = field(default_factory=list)
    used_cols: set[int] = field(default_factory=set)  # owner columns (0-based) lines typed in
    blocks: dict[BudgetBlock, _BlockStated] = field(
        default_factory=lambda: {block: _BlockStated() for block in BudgetBlock}
    )
    grand: _RawRow | None = None
    any_stated: bool = False
    end_row: int | None = None

    def stated_rows(self) -> list[_RawRow]:
        rows = [self.grand] if self.grand else []
        for block in self.blocks.values():
            rows += [*block.categories.values(), *block.groups.values()]
            rows += [block.total] if block.total else []
        return rows

    def stated(self, width: int) -> StatedTotals:
        def row(raw: _RawRow) -> StatedRow:
            amounts = raw[:-1][:width]
            return StatedRow(amounts=amounts + [None] * (width - len(amounts)), total=raw[-1])

        def block(stated: _BlockStated) -> StatedBlock:
            return StatedBlock(
                categories={c: row(r) for c, r in stated.categories.items()},
                groups={g: row(r) for g, r in stated.groups.items()},
                total=row(stated.total) if stated.total else None,
                fte_percent=stated.fte_percent,
            )

        return StatedTotals(
            source=TotalsSource.DETAILED,
            association=block(self.blocks[BudgetBlock.ASSOCIATION]),
            cofunding=block(self.blocks[BudgetBlock.COFUNDING]),
            grand=row(self.grand) if self.grand else None,
        )


class _Importer:
    """Reads one workbook into a Budget, collecting warnings as it goes."""

    def __init__(self, values: LoadedWorkbook, formulas: LoadedWorkbook) -> None:
        self.cells = _Cells(values, formulas)
        self.warnings: list[ImportWarning] = []
        self._warned_failures: set[tuple[str, int, int]] = set()

    # -- cells ---------------------------------------------------------------------------------

    def warn(self, sheet: str, row: int, col: int, message: str) -> None:
        self.warnings.append(
            ImportWarning(sheet=sheet, cell=_coordinate(row, col), message=message)
        )

    def read(self, sheet: str, row: int, col: int) -> object:
        value = self.cells.get(sheet, row, col)
        key = (sheet, row, col)
        if key in self.cells.failed and key not in self._warned_failures:
            self._warned_failures.add(key)
            self.warn(
                sheet,
                row,
                col,
                f"Formeln {self.cells.failed[key]} har inget sparat värde och kunde inte räknas "
                f"ut här; cellen läses som tom. Öppna filen i Excel, spara den och ladda upp "
                f"den igen.",
            )
        return value

    def amount(self, sheet: str, row: int, col: int) -> int | None:
        """Whole kronor from a number or from text such as "1 200 000 kr"; None when blank."""
        value = self.read(sheet, row, col)
        if _blank(value):
            return None
        number: Decimal | None = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = Decimal(str(value))
        elif isinstance(value, str):
            if value.strip().casefold() in _EXCEL_ERRORS:
                self.warn(
                    sheet, row, col, f"Excel visar felet {value.strip()} här; cellen läses som tom."
                )
                return None
            number = _number_from_text(value)
        if number is None:
            self.warn(
                sheet,
                row,
                col,
                f"”{_text(value)}” kunde inte läsas som ett belopp i kronor; cellen läses som tom.",
            )
            return None
        whole = _whole(number)
        if number != whole:
            self.warn(
                sheet,
                row,
                col,
                f"Beloppet {_text(value)} är avrundat till hela kronor: {format_kronor(whole)}.",
            )
        return whole

    def percent(self, sheet: str, row: int, col: int) -> int | None:
        """Tjänst % from 100 %, "100%", "100" or a fraction such as 0,5; None when blank."""
        value = self.read(sheet, row, col)
        if _blank(value):
            return None
        number: Decimal | None = None
        typed_percent = "%" in self.cells.number_format(sheet, row, col)
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = Decimal(str(value))
            if typed_percent:
                number *= 100
        elif isinstance(value, str):
            typed_percent = "%" in value
            number = _number_from_text(value.replace("%", ""))
        if number is None:
            self.warn(
                sheet,
                row,
                col,
                f"”{_text(value)}” kunde inte läsas som tjänstgöringsgrad i procent; "
                f"cellen läses som tom.",
            )
            return None
        # A plain 0,5 or 1 in a cell without % means a share of full time, not 0,5 %.
        if not typed_percent and 0 < number <= 1:
            number *= 100
        whole = _whole(number)
        if number != whole:
            self.warn(sheet, row, col, f"Tjänstgöringsgraden är avrundad till {whole} %.")
        return whole

    def date(self, sheet: str, row: int, col: int) -> dt.date | None:
        value = self.read(sheet, row, col)
        if _blank(value):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        parsed: dt.date | None = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            if is_date_format(self.cells.number_format(sheet, row, col)) or (
                20_000 < value < 80_000 and float(value).is_integer()
            ):
                serial = from_excel(value)
                parsed = serial.date() if isinstance(serial, dt.datetime) else None
            elif float(value).is_integer():
                parsed = _date_from_text(str(int(value)))
        elif isinstance(value, str):
            parsed = _date_from_text(value)
        if parsed is None:
            self.warn(
                sheet,
                row,
                col,
                f"”{_text(value)}” kunde inte läsas som ett datum (skriv till exempel "
                f"2022-01-01); cellen läses som tom.",
            )
        return parsed

    def text(self, sheet: str, row: int, col: int) -> str:
        return _text(self.cells.get(sheet, row, col))

    def row_keys(self, sheet: Worksheet, row: int, last_col: int) -> list[tuple[int, str]]:
        return [
            (col, key)
            for col in range(1, last_col + 1)
            if (key := _key(self.cells.get(sheet.title, row, col)))
        ]

    # -- the detailed sheet --------------------------------------------------------------------

    def find_layout(self, sheet: Worksheet) -> _Layout | None:
        last_row, last_col = min(sheet.max_row, _MAX_ROWS), min(sheet.max_column, _MAX_COLUMNS)
        header_row = total_col = 0
        for row in range(1, min(last_row, 80) + 1):
            for col, key in self.row_keys(sheet, row, last_col):
                if "allainsatsägare" in key:
                    header_row, total_col = row, col
                    break
            if header_row:
                break
        if not header_row:
            return None
        label_col = self._label_column(sheet, header_row, total_col, last_row)
        fixed: dict[str, int] = {}
        header_rows = {header_row}
        for row in range(header_row, min(header_row + 3, last_row) + 1):
            for col, key in self.row_keys(sheet, row, total_col - 1):
                if col <= label_col:
                    continue
                kind = (
                    "fte"
                    if key.startswith("tjänst")
                    else "from"
                    if key in _FROM_KEYS or key.endswith("från")
                    else "to"
                    if key in _TO_KEYS or key.endswith("till")
                    else None
                )
                if kind and kind not in fixed:
                    fixed[kind] = col
                    header_rows.add(row)
        first_owner = max([label_col, *fixed.values()]) + 1
        return _Layout(
            header_row=header_row,
            header_rows=header_rows,
            label_col=label_col,
            fte_col=fixed.get("fte"),
            from_col=fixed.get("from"),
            to_col=fixed.get("to"),
            owner_cols=list(range(first_owner, total_col)),
            total_col=total_col,
        )

    def _label_column(
        self, sheet: Worksheet, header_row: int, total_col: int, last_row: int
    ) -> int:
        for row in range(max(1, header_row - 2), header_row + 1):
            for col, key in self.row_keys(sheet, row, total_col - 1):
                if key.startswith(("kostnadsslag", "kostnader")):
                    return col
        for row in range(header_row + 1, min(header_row + 40, last_row) + 1):
            for col, key in self.row_keys(sheet, row, total_col - 1):
                if _block_heading(key) or _group_heading(key):
                    return col
        return 1

    def owners(self, sheet: Worksheet, layout: _Layout) -> list[str]:
        names = []
        for col in layout.owner_cols:
            name = self.text(sheet.title, layout.header_row, col)
            key = _key(name).rstrip("0123456789")
            names.append("" if key in _PLACEHOLDER_OWNERS else name)
        while names and not names[-1]:
            names.pop()
        return names

    def period(self, sheet: Worksheet, layout: _Layout) -> tuple[dt.date | None, dt.date | None]:
        """The insats period from the "Insatsens löptid" row above the header, if there is one."""
        last_col = min(sheet.max_column, _MAX_COLUMNS)
        for row in range(1, layout.header_row):
            found = [col for col, key in self.row_keys(sheet, row, last_col) if "löptid" in key]
            if not found:
                continue
            days: list[dt.date] = []
            for col in range(found[0] + 1, last_col + 1):
                value = self.cells.get(sheet.title, row, col)
                if isinstance(value, dt.datetime | dt.date):
                    days.append(value.date() if isinstance(value, dt.datetime) else value)
                elif isinstance(value, str):
                    days += [
                        day
                        for match in _ISO_DATE.finditer(value.replace(" ", ""))
                        if (day := _date_from_parts(*(int(p) for p in match.groups())))
                    ]
            return (days[0] if days else None, days[1] if len(days) > 1 else None)
        return None, None

    def years_header(self, sheet: Worksheet, row: int, last_col: int) -> list[int] | None:
        """The year columns when a row heads the per-year summary (ÅR 1, ÅR 2, …)."""
        keys = self.row_keys(sheet, row, last_col)
        if any(key == _key(YEARS_HEADING) for _, key in keys):
            return None  # the heading above the ÅR row
        marked = [col for col, key in keys if _YEAR_LABEL.fullmatch(key)]
        return marked or None

    def read_detailed(self, sheet: Worksheet, layout: _Layout) -> _Detailed:
        title = sheet.title
        result = _Detailed()
        block, group = BudgetBlock.ASSOCIATION, None
        last_row = min(sheet.max_row, _MAX_ROWS)
        last_col = min(sheet.max_column, _MAX_COLUMNS)
        for row in range(layout.header_row + 1, last_row + 1):
            label = self.text(title, row, layout.label_col)
            key = _key(label)
            if self.years_header(sheet, row, last_col) or key.startswith(
                ("budgetsammanställning", _key(YEARS_HEADING))
            ):
                result.end_row = row
                break
            heading_block, heading_group = _block_heading(key), _group_heading(key)
            if heading_block:
                block, group = heading_block, None
            if heading_group:
                group = heading_group
            if row in layout.header_rows or heading_block:
                continue
            raw = {
                col: self.cells.get(title, row, col)
                for col in [layout.fte_col, layout.from_col, layout.to_col, *layout.owner_cols]
                if col is not None
            }
            typed = [col for col, value in raw.items() if not _blank(value)]
            figures = [_loose_number(_text(raw[col]).replace("%", "")) for col in typed]
            if heading_group:
                # Column headings beside a heading ("tjänst i %") are no figures to lose.
                if any(figures):
                    self._did_not_fit(title, row, layout, label)
                continue
            is_sum, kind = _sum_kind(key)
            if is_sum:
                self._read_sum(title, row, layout, kind, block, result)
                continue
            if not typed or (_placeholder(label) and all(f == 0 for f in figures)):
                continue  # a blank row, a note, or an unused template row such as "3. 0%"
            line = self._line(title, row, layout, label, block, group)
            if line is None:
                self._did_not_fit(title, row, layout, label)
                continue
            result.lines.append(line)
            result.used_cols.update(
                layout.owner_cols.index(col) for col in typed if col in layout.owner_cols
            )
        return result

    def _line(
        self,
        title: str,
        row: int,
        layout: _Layout,
        label: str,
        block: BudgetBlock,
        group: CostGroup | None,
    ) -> BudgetLine | None:
        key = _key(label)
        category: CostCategory | None = None
        own_label = ""
        prefix, colon, rest = label.partition(":")
        if colon and _key(prefix) in _CATEGORY_KEYS:
            category, own_label = _CATEGORY_KEYS[_key(prefix)], rest.strip()
        elif key in _CATEGORY_KEYS:
            category = _CATEGORY_KEYS[key]
        elif group is CostGroup.SALARIES:
            category, own_label = CostCategory.SALARY, label
        elif (close := _close_category(key)) is not None:
            category = close
            self.warn(
                title,
                row,
                layout.label_col,
                f"Raden ”{label}” är inläst som ”{CATEGORY_LABELS[close]}”.",
            )
        elif block is BudgetBlock.COFUNDING and group is CostGroup.OTHER:
            # The template lets the parties name their own costs ("Kostnadsbeteckning").
            category = CostCategory.OTHER
            own_label = "" if key in _PLACEHOLDER_LABELS else label
        if category is None:
            return None
        if category is not CostCategory.SALARY and not own_label:
            own_label = CATEGORY_LABELS[category]
        return BudgetLine(
            block=block,
            category=category,
            label=own_label,
            fte_percent=self.percent(title, row, layout.fte_col) if layout.fte_col else None,
            period_from=self.date(title, row, layout.from_col) if layout.from_col else None,
            period_to=self.date(title, row, layout.to_col) if layout.to_col else None,
            amounts=[self.amount(title, row, col) or 0 for col in layout.owner_cols],
            stated_total=self.amount(title, row, layout.total_col),
        )

    def _did_not_fit(self, title: str, row: int, layout: _Layout, label: str) -> None:
        numbers = [
            number
            for col in layout.owner_cols
            if (number := _loose_number(self.cells.get(title, row, col))) is not None
        ]
        money = f" ({format_kronor(_whole(sum(numbers, Decimal(0))))})" if any(numbers) else ""
        name = f"Raden ”{label}”" if label else "En rad utan benämning"
        self.warn(
            title,
            row,
            layout.label_col,
            f"{name}{money} passar inte in i budgetmallen och är inte inläst. Skriv den på "
            f"en av mallens rader, till exempel som ”Övrigt: {label or 'beskrivning'}”.",
        )

    def _read_sum(
        self,
        title: str,
        row: int,
        layout: _Layout,
        kind: _SumKind,
        block: BudgetBlock,
        result: _Detailed,
    ) -> None:
        cells: _RawRow = [self.amount(title, row, col) for col in layout.owner_cols]
        cells.append(self.amount(title, row, layout.total_col))
        result.any_stated = True
        stated = result.blocks[block]
        if kind is _GRAND:
            result.grand = cells
        elif isinstance(kind, BudgetBlock):
            result.blocks[kind].total = cells
        elif isinstance(kind, CostGroup):
            stated.groups[kind] = cells
            if kind is CostGroup.SALARIES and layout.fte_col:
                stated.fte_percent = self.percent(title, row, layout.fte_col)
        else:
            stated.categories[kind] = cells

    # -- the summary sheet ---------------------------------------------------------------------

    def read_years(self, sheet: Worksheet, start: int) -> list[BudgetYear]:
        """The per-year summary (ÅR 1, ÅR 2, … as columns) from row `start` on, if it is there."""
        title = sheet.title
        last_row = min(sheet.max_row, _MAX_ROWS)
        last_col = min(sheet.max_column, _MAX_COLUMNS)
        for header in range(start, last_row + 1):
            cols = self.years_header(sheet, header, last_col)
            if cols:
                break
        else:
            return []
        columns: dict[int, dict[str, int | None]] = {col: {} for col in cols}
        formula_total = {col: False for col in cols}
        pending: str | None = None
        blank_rows = 0
        for row in range(header + 1, min(header + 16, last_row) + 1):
            label = " ".join(
                text for col in range(1, cols[0]) if (text := self.text(title, row, col))
            )
            key = _key(label)
            values = {col: self.cells.get(title, row, col) for col in cols}
            typed = any(not _blank(value) for value in values.values())
            if not key and not typed:
                blank_rows += 1
                if blank_rows >= 3:
                    break
                continue
            blank_rows = 0
            if _year_numbers(key, values):
                for col, value in values.items():
                    columns[col]["year"] = int(value) if isinstance(value, int | float) else None
                continue
            part = _year_part(key)
            if not typed:
                # A heading such as "LÖNEKOSTNADER" whose figures are on the next row.
                pending = part or pending
                continue
            part, pending = part or pending, None
            if part is None:
                self.warn(
                    title,
                    row,
                    1,
                    f"Raden ”{label}” i årsfördelningen passar inte in i mallen och är inte "
                    f"inläst.",
                )
                continue
            for col in cols:
                amount = self.amount(title, row, col)
                if part == "premises":
                    # The template splits premises in two rows; BudgetYear keeps their sum.
                    earlier = columns[col].get("premises")
                    if earlier is not None:
                        amount = earlier + (amount or 0)
                columns[col][part] = amount
                if part == "total":
                    formula_total[col] = self.cells.formula(title, row, col) is not None
        years = []
        for col, fields in columns.items():
            parts = [fields.get(name) for name in ("salaries", "premises", "other")]
            typed_total = fields.get("total") is not None and not formula_total[col]
            if all(part is None for part in parts) and not typed_total:
                continue  # an empty template column: a sum of blanks is no figure
            found = _YEAR_LABEL.fullmatch(_key(self.text(title, header, col)))
            label = f"ÅR {int(found.group(1))}" if found else self.text(title, header, col)
            years.append(
                BudgetYear(
                    label=label,
                    year=fields.get("year"),
                    salaries=fields.get("salaries"),
                    premises=fields.get("premises"),
                    other=fields.get("other"),
                    total=fields.get("total"),
                )
            )
        return years

    def read_owner_summary(self, sheet: Worksheet) -> StatedTotals | None:
        """The summary's table per owner: association, co-funding and total, with its Summa row."""
        title = sheet.title
        last_row = min(sheet.max_row, _MAX_ROWS)
        last_col = min(sheet.max_column, _MAX_COLUMNS)
        for header in range(1, min(last_row, 60) + 1):
            keys = self.row_keys(sheet, header, last_col)
            association = next((c for c, k in keys if k.startswith("attrekvirera")), None)
            cofunding = next((c for c, k in keys if "egenfinansiering" in k), None)
            if association and cofunding:
                total = next((c for c, k in keys if k.startswith("totalt")), None)
                break
        else:
            return None
        value_cols = [association, cofunding, *([total] if total else [])]
        rows: list[tuple[str, list[int | None]]] = []
        summa: list[int | None] | None = None
        for row in range(header + 1, min(header + 20, last_row) + 1):
            label = " ".join(
                text for col in range(1, min(value_cols)) if (text := self.text(title, row, col))
            )
            if _key(label).startswith(("summa", "totalt")):
                summa = [self.amount(title, row, col) for col in value_cols]
                break
            if self.years_header(sheet, row, last_col) or _key(label) == _key(YEARS_HEADING):
                break
            if all(_blank(self.cells.get(title, row, col)) for col in value_cols):
                continue  # a role written above its owner, or a note such as "(Avser år …)"
            rows.append((label, [self.amount(title, row, col) for col in value_cols]))
        # Template rows for owners that are not there (no name, nothing in them) say nothing.
        while (
            rows
            and not any(rows[-1][1])
            and all(
                _key(word).rstrip("0123456789") in _PLACEHOLDER_OWNERS | {"", "roll"}
                for word in rows[-1][0].split()
            )
        ):
            rows.pop()
        if not rows and summa is None:
            return None

        def stated(index: int) -> StatedRow:
            return StatedRow(
                amounts=[cells[index] for _, cells in rows],
                total=summa[index] if summa else None,
            )

        return StatedTotals(
            source=TotalsSource.SUMMARY,
            association=StatedBlock(total=stated(0)),
            cofunding=StatedBlock(total=stated(1)),
            grand=stated(2) if total else None,
        )

    # -- the whole workbook --------------------------------------------------------------------

    def _sheets(self) -> list[Worksheet]:
        return [s for s in self.cells.values.worksheets if isinstance(s, Worksheet)]

    def run(self) -> ImportResult:
        sheets = self._sheets()
        ordered = sorted(sheets, key=lambda s: "detaljerad" not in _key(s.title))
        found = next(
            ((s, layout) for s in ordered if (layout := self.find_layout(s)) is not None), None
        )
        if found is None:
            return _failure(_NO_TEMPLATE)
        sheet, layout = found
        owners = self.owners(sheet, layout)
        period_from, period_to = self.period(sheet, layout)
        detailed = self.read_detailed(sheet, layout)

        others = sorted(
            (s for s in sheets if s is not sheet),
            key=lambda s: "sammanställning" not in _key(s.title),
        )
        years: list[BudgetYear] = []
        summary: StatedTotals | None = None
        for other in others:
            years = years or self.read_years(other, 1)
            summary = summary or self.read_owner_summary(other)
        if not years and detailed.end_row:
            # The template's per-year table can also sit below the detailed budget.
            years = self.read_years(sheet, detailed.end_row)

        width = max([len(owners), *(index + 1 for index in detailed.used_cols)])
        for raw in detailed.stated_rows():
            width = max([width, *(i + 1 for i, v in enumerate(raw[:-1]) if v)])
        lines = [
            msgspec.structs.replace(line, amounts=line.amounts[:width]) for line in detailed.lines
        ]
        stated = [detailed.stated(width)] if detailed.any_stated else []
        if summary is not None:
            stated.append(summary)
        self._formula_notes()
        budget = Budget(
            owners=owners,
            lines=lines,
            years=years,
            stated=stated,
            period_from=period_from,
            period_to=period_to,
        )
        return ImportResult(budget=budget, warnings=self.warnings)

    def _formula_notes(self) -> None:
        """One warning per sheet for the formulas worked out here, naming the first few."""
        for title, cells in self.cells.computed.items():
            ordered = sorted(set(cells))
            names = ", ".join(_coordinate(row, col) for row, col in ordered[:5])
            more = " med flera" if len(ordered) > 5 else ""
            count = f"{len(ordered)} formler saknar" if len(ordered) > 1 else "En formel saknar"
            self.warn(
                title,
                *ordered[0],
                f"{count} sparat värde ({names}{more}), eftersom filen inte har räknats om och "
                f"sparats i Excel. Värdena är uträknade här ur de ifyllda cellerna.",
            )


__all__ = [
    "ImportResult",
    "ImportWarning",
    "export_budget",
    "import_budget",
    "owner_role",
]
