"""msgspec Structs for year budgets, forecasts and the budget room."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import msgspec
from msgspec import Meta

from portfolio.core.schemas import ShortText

if TYPE_CHECKING:
    from portfolio.economy.national import NationalFigures

# -- the economy -----------------------------------------------------------------------------

Money = Annotated[int, Meta(ge=-1_000_000_000, le=1_000_000_000)]


class NamedAmountIn(msgspec.Struct):
    name: Annotated[str, Meta(min_length=1, max_length=200)]
    amount: Money


class InitiativeForecastIn(msgspec.Struct):
    initiative_id: int
    amount: Money


class ForecastIn(msgspec.Struct):
    """The current year's prognos; a figure left out is forecast as budgeted."""

    member_contributions: Money | None = None
    elected_members: Money | None = None
    administration: Money | None = None
    other_costs: list[NamedAmountIn] = []
    initiatives: list[InitiativeForecastIn] = []


class YearBudgetIn(msgspec.Struct):
    member_contributions: Money
    elected_members: Money
    administration: Money
    other_costs: list[NamedAmountIn] = []
    carried_in: Money | None = None
    forecast: ForecastIn | None = None
    version: int | None = None  # the version edited; None when the year is new
    extra_contribution: Money = 0  # a one-off extra from the members, split like the ordinary
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
    amounts: dict[int, Money]


class WhatIfIn(msgspec.Struct):
    from_year: Annotated[int, Meta(ge=2000, le=2100)]
    years: Annotated[int, Meta(ge=1, le=15)] = 3
    meeting_id: int | None = None
    applications: list[PendingApplicationIn] | None = None  # None: every pending one, as proposed


class BudgetRoomOut(msgspec.Struct):
    """The budget room: columns, and rows with exact kronor and tkr as displayed."""

    columns: list[str]
    rows: list[dict[str, Any]]
    over_committed: list[str]


class NationalFiguresOut(msgspec.Struct, frozen=True, kw_only=True):
    """Uppföljning Finsam's figures as JSON: each association row a pair [label, kronor or
    null], each insats row the columns of `national.INITIATIVE_HEADER`. Lists rather than
    tuples, since a tuple's schema (`prefixItems`) is misread by some OpenAPI tools as the
    older `items: [...]`; the JSON is the same."""

    year: int
    association: list[list[str | int | None]]
    initiatives: list[list[Any]]


def national_out(figures: NationalFigures) -> NationalFiguresOut:
    return NationalFiguresOut(
        year=figures.year,
        association=[list(row) for row in figures.association],
        initiatives=figures.initiatives,
    )
