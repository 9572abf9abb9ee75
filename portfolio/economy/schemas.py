"""msgspec Structs for year budgets, forecasts and the budget room."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta

from portfolio.core.schemas import Kronor, Name, ShortText, Year
from portfolio.economy.budget_room import DEFAULT_YEARS

# -- the economy -----------------------------------------------------------------------------

# A figure that may be negative (equity carried in); every other amount is Kronor, never negative.
Money = Annotated[int, Meta(ge=-1_000_000_000, le=1_000_000_000)]


class NamedAmountIn(msgspec.Struct):
    name: Name
    amount: Kronor


class InitiativeForecastIn(msgspec.Struct):
    initiative_id: int
    amount: Kronor


class ForecastIn(msgspec.Struct):
    """The current year's prognos; a figure left out is forecast as budgeted."""

    member_contributions: Kronor | None = None
    elected_members: Kronor | None = None
    administration: Kronor | None = None
    other_costs: list[NamedAmountIn] = []
    initiatives: list[InitiativeForecastIn] = []


class YearBudgetIn(msgspec.Struct):
    member_contributions: Kronor
    elected_members: Kronor
    administration: Kronor
    other_costs: list[NamedAmountIn] = []
    carried_in: Money | None = None
    forecast: ForecastIn | None = None
    version: int | None = None  # the version edited; None when the year is new
    extra_contribution: Kronor = 0  # a one-off extra from the members, split like the ordinary
    extra_contribution_note: ShortText = ""


class YearBudgetOut(msgspec.Struct):
    year: int
    member_contributions: int
    elected_members: int
    administration: int
    other_costs: list[NamedAmountIn]
    carried_in: int | None
    forecast: ForecastIn | None
    version: int
    extra_contribution: int = 0
    extra_contribution_note: str = ""


class PendingApplicationIn(msgspec.Struct):
    """An application counted in a what-if: its case and the amount per year to count."""

    case_id: int
    amounts: dict[Year, Kronor]


class WhatIfIn(msgspec.Struct):
    from_year: Year
    years: Annotated[int, Meta(ge=1, le=15)] = DEFAULT_YEARS
    meeting_id: int | None = None
    applications: list[PendingApplicationIn] | None = None  # None: every pending one, as proposed


class BudgetRoomOut(msgspec.Struct):
    """The budget room: columns, and rows with exact kronor and tkr as displayed."""

    columns: list[str]
    rows: list[dict[str, Any]]
    over_committed: list[str]
    carry_note: str = ""  # "Överfört till 2031 är räknat från 2030 års prognos."


class ReservationIn(msgspec.Struct):
    """Funds set aside in a year for a purpose (e.g. extensions); kronor."""

    purpose: Annotated[str, Meta(min_length=1, max_length=300)]
    year: int
    amount: Money
    version: int | None = None  # the version edited; None when new


class ReservationOut(msgspec.Struct):
    id: int
    purpose: str
    year: int
    amount: int
    drawn: int  # committed that year by grants drawing on it
    remaining: int  # what still lowers the room
    version: int


# A year budget is for a year the association can plan for: not 0, not 99999.
FIRST_BUDGET_YEAR = 2000


LAST_BUDGET_YEAR = 2100
