"""Cell values as Excel would show them: openpyxl gives a formula's last saved value, and a file
written by a program and never opened in Excel has none, so the template's simple sums and
arithmetic (SUM over cells and ranges, + - * /, brackets) are worked out here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.workbook import Workbook as LoadedWorkbook

from applications.budget_xlsx.layout import _MAX_RANGE_CELLS
from applications.budget_xlsx.parsing import _EXCEL_ERRORS, _blank, _number_from_text


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
