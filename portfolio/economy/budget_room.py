"""Budget room (beslutsutrymme): room left per year for new grants, before and after applications."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from itertools import pairwise

import msgspec

from portfolio.core.formatting import round_tkr

# Money is int kronor throughout; tkr exists only in display_rows_tkr.

Cells = tuple[int | None, ...]

# The current year (Budget and Prognos) and this many following years, at the least.
FOLLOWING_YEARS = 3
DEFAULT_YEARS = 1 + FOLLOWING_YEARS


# --------------------------------------------------------------------------- inputs


class NamedAmount(msgspec.Struct, frozen=True):
    """A named cost line for one year, e.g. a shared support function."""

    name: str
    amount: int


class YearFigures(msgspec.Struct, frozen=True, kw_only=True):
    """The association's own budget figures for one year, in kronor."""

    year: int
    member_contributions: int
    elected_members: int
    administration: int
    other_costs: tuple[NamedAmount, ...] = ()
    extra_contribution: int = 0  # a one-off extra from the members, split like the ordinary


class YearForecast(msgspec.Struct, frozen=True, kw_only=True):
    """The forecast (prognos) for the current year; a figure left out is forecast as budgeted."""

    member_contributions: int | None = None
    elected_members: int | None = None
    administration: int | None = None
    # Matched to the budget's other costs by name; a name not in the budget adds a row.
    other_costs: tuple[NamedAmount, ...] = ()


class Commitment(msgspec.Struct, frozen=True, kw_only=True):
    """A decided insats, already summed per year (the database can GROUP BY insats, year)."""

    name: str
    owner: str
    amounts: dict[int, int]
    forecast: int | None = None  # current year only; None means as committed


class Application(msgspec.Struct, frozen=True, kw_only=True):
    """An application on the meeting's agenda, not yet decided: amount applied for per year."""

    name: str
    owner: str
    amounts: dict[int, int]


class Reservation(msgspec.Struct, frozen=True, kw_only=True):
    """Funds set aside in one year for a purpose; `drawn` is what grants drawing on it commit
    that year. What is left of it lowers the room; what is drawn is already the grants' own."""

    purpose: str
    year: int
    amount: int
    drawn: int = 0

    @property
    def remaining(self) -> int:
        return max(self.amount - self.drawn, 0)


class BudgetRoomInput(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the budget room is computed from; years[0] is the current year."""

    years: tuple[YearFigures, ...]
    opening_balance: int  # surplus (or deficit) carried into the current year
    current_forecast: YearForecast | None = None
    commitments: tuple[Commitment, ...] = ()
    applications: tuple[Application, ...] = ()
    reservations: tuple[Reservation, ...] = ()


# --------------------------------------------------------------------------- output


class ColumnKind(StrEnum):
    """Whether a column holds the adopted budget or the current year's forecast."""

    BUDGET = "budget"
    FORECAST = "forecast"


class Column(msgspec.Struct, frozen=True):
    """One column of the table: "Budget 2030", "Prognos 2030", "Budget 2031", ..."""

    year: int
    kind: ColumnKind
    label: str


class RowKind(StrEnum):
    """What a row of the table is; the order here is the order of the rows."""

    MEMBER_CONTRIBUTIONS = "member_contributions"
    EXTRA_CONTRIBUTION = "extra_contribution"
    CARRIED = "carried"
    INCOMING_TOTAL = "incoming_total"
    ELECTED_MEMBERS = "elected_members"
    ADMINISTRATION = "administration"
    COMMITMENT = "commitment"
    COMMITMENTS_TOTAL = "commitments_total"  # the insatser alone, before the other costs
    OTHER_COST = "other_cost"
    RESERVATION = "reservation"  # what is left of funds set aside, after the grants drawing on it
    COLLABORATION_TOTAL = "collaboration_total"
    COST_TOTAL = "cost_total"
    RESULT = "result"
    ROOM_BEFORE = "room_before"
    APPLICATION = "application"
    APPLICATIONS_TOTAL = "applications_total"
    ROOM_AFTER = "room_after"

    @property
    def is_total(self) -> bool:
        """True for computed rows (sums and differences), shown in bold."""
        return self in _TOTAL_KINDS


_TOTAL_KINDS = frozenset(
    {
        RowKind.INCOMING_TOTAL,
        RowKind.COMMITMENTS_TOTAL,
        RowKind.COLLABORATION_TOTAL,
        RowKind.COST_TOTAL,
        RowKind.RESULT,
        RowKind.ROOM_BEFORE,
        RowKind.APPLICATIONS_TOTAL,
        RowKind.ROOM_AFTER,
    }
)

LABELS: dict[RowKind, str] = {
    RowKind.MEMBER_CONTRIBUTIONS: "Medlemsavgifter",
    RowKind.EXTRA_CONTRIBUTION: "Extra medlemsbidrag (engångs)",
    RowKind.CARRIED: "Överfört från tidigare år",
    RowKind.INCOMING_TOTAL: "Totalt inkommande utrymme",
    RowKind.ELECTED_MEMBERS: "Förtroendevalda",
    RowKind.ADMINISTRATION: "Förvaltning",
    RowKind.COMMITMENTS_TOTAL: "S:a insatser",
    RowKind.COLLABORATION_TOTAL: "S:a samverkansinsatser",
    RowKind.COST_TOTAL: "Summa kostnader",
    RowKind.RESULT: "Årets resultat",
    RowKind.ROOM_BEFORE: "Utrymme före nya ansökningar",
    RowKind.APPLICATIONS_TOTAL: "Summa nya ansökningar",
    RowKind.ROOM_AFTER: "Utrymme efter nya ansökningar",
}


class BudgetRoomRow(msgspec.Struct, frozen=True, kw_only=True):
    """One row in exact kronor, one cell per column; None is an empty cell."""

    kind: RowKind
    label: str
    cells: Cells
    owner: str | None = None  # insats and application rows only


class BudgetRoomTable(msgspec.Struct, frozen=True, kw_only=True):
    """The budget room table in exact kronor."""

    columns: tuple[Column, ...]
    rows: tuple[BudgetRoomRow, ...]
    carry_note: str = ""  # where the carry into the first year comes from: typed or the chain

    def row(self, kind: RowKind, label: str | None = None) -> BudgetRoomRow:
        """The first row of this kind (and label, if given); KeyError if there is none."""
        for row in self.rows:
            if row.kind is kind and (label is None or row.label == label):
                return row
        raise KeyError(f"{kind} {label or ''}".strip())

    def rows_of(self, kind: RowKind) -> tuple[BudgetRoomRow, ...]:
        """All rows of one kind, e.g. every decided insats."""
        return tuple(row for row in self.rows if row.kind is kind)

    def column_index(self, label: str) -> int:
        """The position of a column by its label, e.g. "Prognos 2030"."""
        for index, column in enumerate(self.columns):
            if column.label == label:
                return index
        raise KeyError(label)


class DisplayRow(msgspec.Struct, frozen=True, kw_only=True):
    """One row for a page or document, each cell in whole tkr."""

    kind: RowKind
    label: str
    is_total: bool
    tkr: Cells
    owner: str | None = None


# --------------------------------------------------------------------------- computation


def compute_budget_room(data: BudgetRoomInput) -> BudgetRoomTable:
    """Compute the budget room table: Budget and Prognos for the current year, then Budget per year.

    Row 8 (room after new applications) of a column is carried into row 2 of the next year;
    for the current year it is the Prognos column's that is carried, and both current-year
    columns share the opening balance. A decided insats or cost line with no amount in a year
    shows 0 (a cost line stays in every column); an application with no amount shows an empty
    cell, as do the application subtotal cells where no application asks for money.
    """
    years = _checked_years(data.years)
    forecast = data.current_forecast or YearForecast()
    columns = _columns(years)
    col_years = tuple(column.year for column in columns)
    n = len(columns)

    def per_column(budget: Sequence[int], forecast_value: int | None) -> tuple[int, ...]:
        # Column 0 and 1 are the same year: Budget, then Prognos (falling back on the budget).
        current_value = budget[0] if forecast_value is None else forecast_value
        return (budget[0], current_value, *budget[1:])

    ordinary = per_column([y.member_contributions for y in years], forecast.member_contributions)
    extra = per_column([y.extra_contribution for y in years], None)
    # Everything the members pay in a year, the one-off extra included, funds that year's room.
    contributions = tuple(o + e for o, e in zip(ordinary, extra, strict=True))
    elected = per_column([y.elected_members for y in years], forecast.elected_members)
    administration = per_column([y.administration for y in years], forecast.administration)

    commitment_cells = [_commitment_cells(c, col_years) for c in data.commitments]
    other_cells = _other_cost_cells(years, forecast)
    reservation_cells = [
        tuple(r.remaining if year == r.year else 0 for year in col_years) for r in data.reservations
    ]
    reservation_rows = [
        BudgetRoomRow(kind=RowKind.RESERVATION, label=f"Reserverat: {r.purpose}", cells=cells)
        for r, cells in zip(data.reservations, reservation_cells, strict=True)
    ]
    commitment_rows = [
        BudgetRoomRow(kind=RowKind.COMMITMENT, label=c.name, owner=c.owner, cells=cells)
        for c, cells in zip(data.commitments, commitment_cells, strict=True)
    ]
    other_rows = [
        BudgetRoomRow(kind=RowKind.OTHER_COST, label=name, cells=cells)
        for name, cells in other_cells.items()
    ]
    application_rows = [
        BudgetRoomRow(
            kind=RowKind.APPLICATION,
            label=a.name,
            owner=a.owner,
            cells=tuple(a.amounts.get(year) for year in col_years),
        )
        for a in data.applications
    ]

    commitments_total = _column_sums(commitment_cells, n)
    collaboration = _column_sums([*commitment_cells, *other_cells.values(), *reservation_cells], n)
    costs = tuple(e + a + c for e, a, c in zip(elected, administration, collaboration, strict=True))
    applications_total = _column_sums_or_empty((r.cells for r in application_rows), n)
    applied = tuple(v or 0 for v in applications_total)

    carried: list[int] = []
    room_after: list[int] = []
    for index in range(n):
        if index <= 1:
            carry = data.opening_balance
        elif index == 2:
            carry = room_after[1]  # the current year's forecast, not its budget
        else:
            carry = room_after[index - 1]
        carried.append(carry)
        room_after.append(carry + contributions[index] - costs[index] - applied[index])

    incoming = tuple(c + k for c, k in zip(contributions, carried, strict=True))
    result = tuple(c - k for c, k in zip(contributions, costs, strict=True))
    room_before = tuple(i - k for i, k in zip(incoming, costs, strict=True))

    def fixed(kind: RowKind, cells: Cells) -> BudgetRoomRow:
        return BudgetRoomRow(kind=kind, label=LABELS[kind], cells=cells)

    extra_rows = [fixed(RowKind.EXTRA_CONTRIBUTION, extra)] if any(extra) else []
    rows = (
        fixed(RowKind.MEMBER_CONTRIBUTIONS, ordinary),
        *extra_rows,
        fixed(RowKind.CARRIED, tuple(carried)),
        fixed(RowKind.INCOMING_TOTAL, incoming),
        fixed(RowKind.ELECTED_MEMBERS, elected),
        fixed(RowKind.ADMINISTRATION, administration),
        *commitment_rows,
        fixed(RowKind.COMMITMENTS_TOTAL, commitments_total),
        *other_rows,
        *reservation_rows,
        fixed(RowKind.COLLABORATION_TOTAL, collaboration),
        fixed(RowKind.COST_TOTAL, costs),
        fixed(RowKind.RESULT, result),
        fixed(RowKind.ROOM_BEFORE, room_before),
        *application_rows,
        fixed(RowKind.APPLICATIONS_TOTAL, applications_total),
        fixed(RowKind.ROOM_AFTER, tuple(room_after)),
    )
    return BudgetRoomTable(columns=columns, rows=rows)


def horizon(from_year: int, years: int, reaches: list[int]) -> list[int]:
    """The years to show: `years` from `from_year`, and on to the last year any pending
    application or commitment reaches, so no figure falls off the end."""
    last = max([from_year + years - 1, *reaches])
    return list(range(from_year, last + 1))


def over_committed_columns(
    table: BudgetRoomTable, kind: RowKind = RowKind.ROOM_AFTER
) -> tuple[Column, ...]:
    """The columns whose room is negative: after new applications by default, or ROOM_BEFORE."""
    if kind not in (RowKind.ROOM_AFTER, RowKind.ROOM_BEFORE):
        raise ValueError(f"over-commitment is read from a room row, not {kind}")
    cells = table.row(kind).cells
    return tuple(
        column
        for column, value in zip(table.columns, cells, strict=True)
        if value is not None and value < 0
    )


def display_rows_tkr(table: BudgetRoomTable) -> tuple[DisplayRow, ...]:
    """The table in whole tkr for display.

    Every cell, totals included, is its own exact kronor amount rounded, so a total is the
    rounded exact sum and may differ by 1 from the sum of its rounded parts, as in real reports.
    """
    return tuple(
        DisplayRow(
            kind=row.kind,
            label=row.label,
            owner=row.owner,
            is_total=row.kind.is_total,
            tkr=tuple(None if v is None else round_tkr(v) for v in row.cells),
        )
        for row in table.rows
    )


# --------------------------------------------------------------------------- helpers


def _checked_years(years: Sequence[YearFigures]) -> tuple[YearFigures, ...]:
    if not years:
        raise ValueError("the budget room needs at least the current year")
    for previous, following in pairwise(years):
        if following.year != previous.year + 1:
            raise ValueError(
                f"years must follow each other: {previous.year} is followed by {following.year}"
            )
    return tuple(years)


def _columns(years: Sequence[YearFigures]) -> tuple[Column, ...]:
    current = years[0].year
    return (
        Column(current, ColumnKind.BUDGET, f"Budget {current}"),
        Column(current, ColumnKind.FORECAST, f"Prognos {current}"),
        *(Column(y.year, ColumnKind.BUDGET, f"Budget {y.year}") for y in years[1:]),
    )


def _commitment_cells(commitment: Commitment, col_years: Sequence[int]) -> tuple[int, ...]:
    amounts = commitment.amounts
    cells = [amounts.get(year, 0) for year in col_years]
    if commitment.forecast is not None:
        cells[1] = commitment.forecast
    return tuple(cells)


def _other_cost_cells(
    years: Sequence[YearFigures], forecast: YearForecast
) -> dict[str, tuple[int, ...]]:
    """Other collaborative costs by name, rows in order of first appearance; absent is 0."""
    n = len(years) + 1
    table: dict[str, list[int]] = {}

    def cells(name: str) -> list[int]:
        return table.setdefault(name, [0] * n)

    for index, figures in enumerate(years):
        for line in figures.other_costs:
            column = 0 if index == 0 else index + 1
            cells(line.name)[column] += line.amount
            if index == 0:
                cells(line.name)[1] += line.amount  # the forecast starts from the budget
    forecast_by_name: dict[str, int] = {}
    for line in forecast.other_costs:
        forecast_by_name[line.name] = forecast_by_name.get(line.name, 0) + line.amount
    for name, amount in forecast_by_name.items():
        cells(name)[1] = amount
    return {name: tuple(values) for name, values in table.items()}


def _column_sums(rows: Iterable[Sequence[int]], n: int) -> tuple[int, ...]:
    # zip(*rows) turns rows into columns in C, which keeps 1 000 insatser cheap.
    sums = tuple(sum(column) for column in zip(*rows, strict=True))
    return sums or (0,) * n


def _column_sums_or_empty(rows: Iterable[Cells], n: int) -> Cells:
    """Column sums where any row has a value; None where every row is empty."""
    sums: list[int | None] = [None] * n
    for cells in rows:
        for index, value in enumerate(cells):
            if value is not None:
                sums[index] = (sums[index] or 0) + value
    return tuple(sums)
