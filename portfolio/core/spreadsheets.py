"""Pure: CSV for Swedish Excel and workbooks, with user text that a spreadsheet would run as a
formula kept as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from portfolio.core.schemas import scrub, strip_control

# A cell starting with one of these is a formula to Excel and LibreOffice: an insats named
# "=HYPERLINK(…)" would run when the office opens the file (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """Text that a spreadsheet would take for a formula, with a leading apostrophe (shown as
    text); everything else as it is. Numbers stay numbers."""
    if isinstance(value, str):
        value = strip_control(value)  # what a workbook cannot hold, stored before the checks
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return "" if value is None else value


def text_cell(cell: Any) -> Any:
    """An openpyxl cell holding user text: never a formula, however it starts. openpyxl makes
    any string beginning with "=" a formula; marked as a string it is shown exactly as typed."""
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def to_csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """Excel in Sweden splits on semicolons and needs the BOM to read å, ä and ö right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_safe(cell) for cell in header])
    writer.writerows([csv_safe(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- Spreadsheets --------------------------------------------------------------------------


def to_xlsx(sheets: Iterable[tuple[str, Sequence[str], Iterable[Iterable[Any]]]]) -> bytes:
    """An Excel workbook, one sheet per (title, header, rows); amounts stay numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title[:31])  # Excel's limit on a sheet name
        sheet.append([scrub(value) for value in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(["" if value is None else scrub(value) for value in row])
            for cell in sheet[sheet.max_row]:
                text_cell(cell)  # these sheets hold data only, never a formula
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
