"""Reading the "Budget - detaljerad" sheet: finding its header row and columns by their
headings, the owners and the insats period, then every line and stated sum row by row, with a
warning for each row that does not fit the template.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openpyxl.worksheet.worksheet import Worksheet

from applications.budget import CATEGORY_LABELS, BudgetBlock, BudgetLine, CostCategory, CostGroup
from applications.budget_xlsx.formulas import _loose_number
from applications.budget_xlsx.layout import _MAX_COLUMNS, _MAX_ROWS, YEARS_HEADING
from applications.budget_xlsx.parsing import (
    _ISO_DATE,
    _blank,
    _date_from_parts,
    _key,
    _text,
    _whole,
)
from applications.budget_xlsx.reading_cells import _CellReader
from applications.budget_xlsx.shape import (
    _CATEGORY_KEYS,
    _FROM_KEYS,
    _GRAND,
    _PLACEHOLDER_LABELS,
    _PLACEHOLDER_OWNERS,
    _TO_KEYS,
    _YEAR_LABEL,
    _block_heading,
    _close_category,
    _Detailed,
    _group_heading,
    _Layout,
    _placeholder,
    _RawRow,
    _sum_kind,
    _SumKind,
)
from portfolio.core.formatting import format_kronor


class _DetailedSheetReader(_CellReader):
    """Reads the "Budget - detaljerad" sheet: its layout, owners, period, lines and stated sums."""

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
