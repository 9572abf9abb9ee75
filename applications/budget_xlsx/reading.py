"""Reading an uploaded workbook into a Budget (import_budget): the file is checked first, then
the detailed sheet, the summary and the per-year table are read, figures as typed and doubts
and left-out rows as warnings. An upload never becomes a server error.
"""

from __future__ import annotations

import io

import msgspec
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from applications.budget import Budget, BudgetYear, StatedTotals
from applications.budget_xlsx.checking import (
    _NO_TEMPLATE,
    _NOT_XLSX,
    _UNEXPECTED,
    ImportResult,
    _failure,
    _file_problem,
)
from applications.budget_xlsx.formulas import _coordinate
from applications.budget_xlsx.parsing import _key
from applications.budget_xlsx.reading_summary import _SummarySheetReader


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


class _Importer(_SummarySheetReader):
    """Reads one workbook into a Budget, collecting warnings as it goes."""

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
