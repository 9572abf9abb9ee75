"""Reading the "Budgetsammanställning" sheet: the per-year summary (ÅR 1, ÅR 2, … as columns,
wherever it sits) and the summary's table per owner with its Summa row, as stated figures.
"""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from applications.budget import BudgetYear, StatedBlock, StatedRow, StatedTotals, TotalsSource
from applications.budget_xlsx.layout import _MAX_COLUMNS, _MAX_ROWS, YEARS_HEADING
from applications.budget_xlsx.parsing import _blank, _key
from applications.budget_xlsx.reading_detailed import _DetailedSheetReader
from applications.budget_xlsx.shape import (
    _PLACEHOLDER_OWNERS,
    _YEAR_LABEL,
    _year_numbers,
    _year_part,
)


class _SummarySheetReader(_DetailedSheetReader):
    """Reads the per-year summary and the "Budgetsammanställning" sheet's table per owner."""

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
