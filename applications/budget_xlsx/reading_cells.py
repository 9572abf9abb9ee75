"""Reading one cell of an uploaded workbook as text, whole kronor, tjänst % or a date, with a
warning for every value read with doubt (rounded, unreadable, an Excel error, a formula that
could not be worked out). The base of the workbook reader in `reading`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openpyxl.styles.numbers import is_date_format
from openpyxl.utils.datetime import from_excel
from openpyxl.workbook.workbook import Workbook as LoadedWorkbook
from openpyxl.worksheet.worksheet import Worksheet

from applications.budget_xlsx.checking import ImportWarning
from applications.budget_xlsx.formulas import _Cells, _coordinate
from applications.budget_xlsx.parsing import (
    _EXCEL_ERRORS,
    _blank,
    _date_from_text,
    _key,
    _number_from_text,
    _text,
    _whole,
)
from portfolio.core.formatting import format_kronor


class _CellReader:
    """One workbook's cells read as text, kronor, tjänst % and dates, collecting warnings."""

    def __init__(self, values: LoadedWorkbook, formulas: LoadedWorkbook) -> None:
        self.cells = _Cells(values, formulas)
        self.warnings: list[ImportWarning] = []
        self._warned_failures: set[tuple[str, int, int]] = set()

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
