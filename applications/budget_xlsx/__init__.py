"""The budget template as an Excel workbook: written in the association's layout, read back.

The workbook's layout (sheet names, headings, formats, columns) is in `layout`; `writing` makes
the workbook (export_budget); `checking` refuses files that are no workbook and holds the import
result and its warnings; `parsing`, `formulas`, `shape` and the `reading*` modules read an
uploaded workbook (import_budget). This package re-exports their public names, so callers import
from `applications.budget_xlsx`.
"""

from __future__ import annotations

from applications.budget_xlsx.checking import (
    MAX_MEMBERS,
    MAX_UNPACKED_BYTES,
    ImportResult,
    ImportWarning,
)
from applications.budget_xlsx.layout import (
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
from applications.budget_xlsx.reading import import_budget
from applications.budget_xlsx.writing import export_budget

__all__ = [
    "ALL_OWNERS_HEADER",
    "BLOCK_TOTAL_LABELS",
    "DATE_FORMAT",
    "DETAILED_SHEET",
    "FROM_HEADER",
    "FTE_HEADER",
    "GRAND_TOTAL_LABEL",
    "KRONOR_FORMAT",
    "LABEL_HEADER",
    "MAX_MEMBERS",
    "MAX_UNPACKED_BYTES",
    "PERCENT_FORMAT",
    "PERIOD_LABEL",
    "SUMMARY_SHEET",
    "TO_HEADER",
    "YEARS_HEADING",
    "YEAR_ROW_LABELS",
    "ImportResult",
    "ImportWarning",
    "export_budget",
    "import_budget",
    "owner_role",
]
