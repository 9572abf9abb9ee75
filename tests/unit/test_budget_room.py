"""Budget room (beslutsutrymme): the autumn-2030 example of the domain brief, the carry rule, rounding."""

from __future__ import annotations

import time
from collections.abc import Callable

import msgspec
import pytest

from portfolio.economy.budget_room import (
    Application,
    BudgetRoomInput,
    BudgetRoomTable,
    ColumnKind,
    Commitment,
    NamedAmount,
    RowKind,
    YearFigures,
    YearForecast,
    compute_budget_room,
    display_rows_tkr,
    over_committed_columns,
)

TKR = 1000
COLUMNS = ("Budget 2030", "Prognos 2030", "Budget 2031", "Budget 2032")
OTHER = "Övriga samverkanskostnader"


def autumn_2030() -> BudgetRoomInput:
    """The invented example of the domain brief, in kronor."""
    return BudgetRoomInput(
        years=(
            YearFigures(
                year=2030,
                member_contributions=12_000 * TKR,
                elected_members=500 * TKR,
                administration=2_600 * TKR,
                other_costs=(NamedAmount(OTHER, 400 * TKR),),
            ),
            YearFigures(
                year=2031,
                member_contributions=12_000 * TKR,
                elected_members=500 * TKR,
                administration=2_650 * TKR,
                other_costs=(NamedAmount(OTHER, 400 * TKR),),
            ),
            YearFigures(
                year=2032,
                member_contributions=12_400 * TKR,
                elected_members=520 * TKR,
                administration=2_700 * TKR,
                other_costs=(NamedAmount(OTHER, 400 * TKR),),
            ),
        ),
        opening_balance=2_500 * TKR,
        current_forecast=YearForecast(elected_members=450 * TKR),
        commitments=(
            Commitment(
                name="Insats A",
                owner="Kommun X",
                amounts={2030: 3_000 * TKR, 2031: 3_100 * TKR},
                forecast=2_700 * TKR,
            ),
            Commitment(
                name="Insats B", owner="Region", amounts={2030: 2_200 * TKR, 2031: 1_100 * TKR}
            ),
            Commitment(
                name="Insats C",
                owner="Kommun Y",
                amounts={2030: 800 * TKR, 2031: 800 * TKR, 2032: 800 * TKR},
            ),
        ),
        applications=(
            Application(
                name="New application D",
                owner="Kommun X",
                amounts={2031: 1_500 * TKR, 2032: 1_500 * TKR},
            ),
            Application(name="New application E", owner="Region", amounts={2031: 900 * TKR}),
        ),
    )


# The brief's table in tkr, row by row; None is an empty cell.
EXPECTED_TKR: list[tuple[RowKind, str, tuple[int | None, ...]]] = [
    (RowKind.MEMBER_CONTRIBUTIONS, "Medlemsavgifter", (12_000, 12_000, 12_000, 12_400)),
    (RowKind.CARRIED, "Överfört från tidigare år", (2_500, 2_500, 5_350, 6_400)),
    (RowKind.INCOMING_TOTAL, "Totalt inkommande utrymme", (14_500, 14_500, 17_350, 18_800)),
    (RowKind.ELECTED_MEMBERS, "Förtroendevalda", (500, 450, 500, 520)),
    (RowKind.ADMINISTRATION, "Förvaltning", (2_600, 2_600, 2_650, 2_700)),
    (RowKind.COMMITMENT, "Insats A", (3_000, 2_700, 3_100, 0)),
    (RowKind.COMMITMENT, "Insats B", (2_200, 2_200, 1_100, 0)),
    (RowKind.COMMITMENT, "Insats C", (800, 800, 800, 800)),
    (RowKind.COMMITMENTS_TOTAL, "S:a insatser", (6_000, 5_700, 5_000, 800)),
    (RowKind.OTHER_COST, OTHER, (400, 400, 400, 400)),
    (RowKind.COLLABORATION_TOTAL, "S:a samverkansinsatser", (6_400, 6_100, 5_400, 1_200)),
    (RowKind.COST_TOTAL, "Summa kostnader", (9_500, 9_150, 8_550, 4_420)),
    (RowKind.RESULT, "Årets resultat", (2_500, 2_850, 3_450, 7_980)),
    (RowKind.ROOM_BEFORE, "Utrymme före nya ansökningar", (5_000, 5_350, 8_800, 14_380)),
    (RowKind.APPLICATION, "New application D", (None, None, 1_500, 1_500)),
    (RowKind.APPLICATION, "New application E", (None, None, 900, None)),
    (RowKind.APPLICATIONS_TOTAL, "Summa nya ansökningar", (None, None, 2_400, 1_500)),
    (RowKind.ROOM_AFTER, "Utrymme efter nya ansökningar", (5_000, 5_350, 6_400, 12_880)),
]


def kronor(cells: tuple[int | None, ...]) -> tuple[int | None, ...]:
    """A row of the expected table from tkr to kronor."""
    return tuple(None if v is None else v * TKR for v in cells)


@pytest.fixture
def table() -> BudgetRoomTable:
    """The example computed."""
    return compute_budget_room(autumn_2030())


# --------------------------------------------------------------------------- the example


def test_columns_are_budget_and_forecast_for_current_year_then_budget_per_year(
    table: BudgetRoomTable,
) -> None:
    """Columns: Budget 2030, Prognos 2030, Budget 2031, Budget 2032."""
    assert tuple(c.label for c in table.columns) == COLUMNS
    assert tuple(c.year for c in table.columns) == (2030, 2030, 2031, 2032)
    assert tuple(c.kind for c in table.columns) == (
        ColumnKind.BUDGET,
        ColumnKind.FORECAST,
        ColumnKind.BUDGET,
        ColumnKind.BUDGET,
    )


def test_rows_come_in_the_order_of_the_brief(table: BudgetRoomTable) -> None:
    """Rows are contributions, carry, incoming, costs, result, rooms and applications, in order."""
    assert [(r.kind, r.label) for r in table.rows] == [(k, label) for k, label, _ in EXPECTED_TKR]


@pytest.mark.parametrize(
    ("kind", "label", "expected"), EXPECTED_TKR, ids=[e[1] for e in EXPECTED_TKR]
)
def test_example_every_cell_in_kronor(
    table: BudgetRoomTable, kind: RowKind, label: str, expected: tuple[int | None, ...]
) -> None:
    """Each row of the autumn-2030 example is reproduced exactly, in kronor."""
    assert table.row(kind, label).cells == kronor(expected)


def test_example_every_cell_in_tkr_display(table: BudgetRoomTable) -> None:
    """The display rows in tkr are the brief's table, cell by cell."""
    shown = [(r.kind, r.label, r.tkr) for r in display_rows_tkr(table)]
    assert shown == EXPECTED_TKR


def test_insats_and_application_rows_carry_their_owner(table: BudgetRoomTable) -> None:
    """Rows for an insats or an application name its owner, as in "Insats A (Kommun X)"."""
    owners = {r.label: r.owner for r in table.rows if r.owner is not None}
    assert owners == {
        "Insats A": "Kommun X",
        "Insats B": "Region",
        "Insats C": "Kommun Y",
        "New application D": "Kommun X",
        "New application E": "Region",
    }


def test_total_rows_are_marked_for_display(table: BudgetRoomTable) -> None:
    """Sums and differences are flagged as totals; entered amounts are not."""
    totals = {r.kind for r in display_rows_tkr(table) if r.is_total}
    assert totals == {
        RowKind.INCOMING_TOTAL,
        RowKind.COMMITMENTS_TOTAL,
        RowKind.COLLABORATION_TOTAL,
        RowKind.COST_TOTAL,
        RowKind.RESULT,
        RowKind.ROOM_BEFORE,
        RowKind.APPLICATIONS_TOTAL,
        RowKind.ROOM_AFTER,
    }


def test_table_round_trips_through_json(table: BudgetRoomTable) -> None:
    """The table is a plain msgspec Struct the API can send as JSON with integer kronor."""
    encoded = msgspec.json.encode(table)
    assert msgspec.json.decode(encoded, type=BudgetRoomTable) == table


def test_input_decodes_from_json_with_year_keys() -> None:
    """Commitments per year arrive as JSON objects keyed by year."""
    data = msgspec.json.encode(autumn_2030())
    assert msgspec.json.decode(data, type=BudgetRoomInput) == autumn_2030()


# --------------------------------------------------------------------------- the carry rule


def test_carry_into_next_year_comes_from_current_year_forecast(table: BudgetRoomTable) -> None:
    """Row 2 of the first following year is the Prognos column's room after applications."""
    room_after = table.row(RowKind.ROOM_AFTER).cells
    carried = table.row(RowKind.CARRIED).cells
    assert room_after[0] != room_after[1]
    assert carried[2] == room_after[1] == 5_350 * TKR


def test_carry_between_following_years_is_room_after_applications(table: BudgetRoomTable) -> None:
    """Row 8 of 2031 becomes row 2 of 2032."""
    assert table.row(RowKind.CARRIED).cells[3] == table.row(RowKind.ROOM_AFTER).cells[2]


def test_budget_and_forecast_share_the_opening_balance(table: BudgetRoomTable) -> None:
    """Both current-year columns start from the same carried amount."""
    assert table.row(RowKind.CARRIED).cells[:2] == (2_500 * TKR, 2_500 * TKR)


def test_carry_is_from_budget_figures_when_nothing_is_forecast() -> None:
    """Without any forecast, the Prognos column equals the Budget column, and so does the carry."""
    data = msgspec.structs.replace(
        autumn_2030(),
        current_forecast=None,
        commitments=tuple(
            msgspec.structs.replace(c, forecast=None) for c in autumn_2030().commitments
        ),
    )
    table = compute_budget_room(data)
    for row in table.rows:
        assert row.cells[0] == row.cells[1], row.label
    assert table.row(RowKind.CARRIED).cells[2] == 5_000 * TKR


def test_carry_alone_with_one_following_year() -> None:
    """A minimal table: 100 carried in, contributions 50, costs 30, an application of 40."""
    data = BudgetRoomInput(
        years=(
            YearFigures(year=2030, member_contributions=50, elected_members=10, administration=20),
            YearFigures(year=2031, member_contributions=50, elected_members=10, administration=20),
        ),
        opening_balance=100,
        current_forecast=YearForecast(member_contributions=60),
        applications=(Application(name="X", owner="Y", amounts={2030: 40}),),
    )
    table = compute_budget_room(data)
    assert table.row(RowKind.ROOM_AFTER).cells == (80, 90, 110)
    assert table.row(RowKind.CARRIED).cells == (100, 100, 90)


def test_application_for_current_year_reduces_both_current_columns() -> None:
    """An application asking for money this year is shown in the Budget and the Prognos column."""
    data = msgspec.structs.replace(
        autumn_2030(),
        applications=(Application(name="F", owner="Kommun Y", amounts={2030: 100 * TKR}),),
    )
    table = compute_budget_room(data)
    assert table.row(RowKind.APPLICATION).cells == (100 * TKR, 100 * TKR, None, None)
    assert table.row(RowKind.ROOM_AFTER).cells[:2] == (4_900 * TKR, 5_250 * TKR)
    assert table.row(RowKind.CARRIED).cells[2] == 5_250 * TKR


def test_forecast_of_other_costs_is_matched_by_name() -> None:
    """A forecast cost line replaces its budget line; a new name adds a row with budget 0."""
    data = msgspec.structs.replace(
        autumn_2030(),
        current_forecast=YearForecast(
            other_costs=(NamedAmount(OTHER, 350 * TKR), NamedAmount("Utvärdering", 75 * TKR))
        ),
    )
    table = compute_budget_room(data)
    assert table.row(RowKind.OTHER_COST, OTHER).cells == (
        400 * TKR,
        350 * TKR,
        400 * TKR,
        400 * TKR,
    )
    assert table.row(RowKind.OTHER_COST, "Utvärdering").cells == (0, 75 * TKR, 0, 0)


def test_commitment_amounts_outside_the_window_are_not_counted() -> None:
    """Amounts for years before the current year or after the last column do not enter the table."""
    data = msgspec.structs.replace(
        autumn_2030(),
        commitments=(Commitment(name="Old", owner="X", amounts={2029: 999, 2030: 1, 2033: 999}),),
        applications=(),
    )
    assert compute_budget_room(data).row(RowKind.COMMITMENT).cells == (1, 1, 0, 0)


def test_years_must_follow_each_other() -> None:
    """A gap in the years is refused rather than carried across silently."""
    data = msgspec.structs.replace(
        autumn_2030(), years=(autumn_2030().years[0], autumn_2030().years[2])
    )
    with pytest.raises(ValueError, match="2030 is followed by 2032"):
        compute_budget_room(data)


def test_at_least_the_current_year_is_needed() -> None:
    """An empty list of years is refused."""
    with pytest.raises(ValueError):
        compute_budget_room(BudgetRoomInput(years=(), opening_balance=0))


# --------------------------------------------------------------------------- rounding


def rounding_case() -> BudgetRoomTable:
    """Three insatser of 1 400 kr each: 1 tkr each when rounded, 4 200 kr = 4 tkr together."""
    return compute_budget_room(
        BudgetRoomInput(
            years=(
                YearFigures(
                    year=2030, member_contributions=10_000, elected_members=0, administration=0
                ),
            ),
            opening_balance=0,
            commitments=tuple(
                Commitment(name=f"Insats {n}", owner="X", amounts={2030: 1_400}) for n in "ABC"
            ),
        )
    )


def test_total_is_the_rounded_exact_sum_not_the_sum_of_rounded_rows() -> None:
    """1 400 + 1 400 + 1 400 kr shows as 1 + 1 + 1 tkr but the total as 4 tkr."""
    rows = {r.label: r for r in display_rows_tkr(rounding_case())}
    assert [rows[f"Insats {n}"].tkr[0] for n in "ABC"] == [1, 1, 1]
    assert rows["Summa kostnader"].tkr[0] == 4
    assert rows["Årets resultat"].tkr[0] == 6  # 5 800 kr rounds half up


def test_exact_kronor_are_kept_in_the_table() -> None:
    """The table itself is never rounded."""
    assert rounding_case().row(RowKind.COST_TOTAL).cells[0] == 4_200


def test_half_a_tkr_rounds_away_from_zero_in_display() -> None:
    """500 kr shows as 1 tkr and -500 kr as -1 tkr."""
    table = compute_budget_room(
        BudgetRoomInput(
            years=(
                YearFigures(
                    year=2030, member_contributions=500, elected_members=0, administration=1_000
                ),
            ),
            opening_balance=0,
        )
    )
    rows = {r.kind: r for r in display_rows_tkr(table)}
    assert rows[RowKind.MEMBER_CONTRIBUTIONS].tkr[0] == 1
    assert rows[RowKind.RESULT].tkr[0] == -1


# --------------------------------------------------------------------------- over-commitment


def test_example_is_not_over_committed(table: BudgetRoomTable) -> None:
    """Every column of the example has room left."""
    assert over_committed_columns(table) == ()


def test_negative_room_is_kept_and_carried() -> None:
    """Applications beyond the room give a negative room, which is carried into the next year."""
    data = msgspec.structs.replace(
        autumn_2030(),
        applications=(Application(name="Big", owner="Region", amounts={2031: 10_000 * TKR}),),
    )
    table = compute_budget_room(data)
    room_after = table.row(RowKind.ROOM_AFTER).cells
    assert room_after[2] == 8_800 * TKR - 10_000 * TKR
    assert table.row(RowKind.CARRIED).cells[3] == -1_200 * TKR
    assert [c.label for c in over_committed_columns(table)] == ["Budget 2031"]
    assert over_committed_columns(table, RowKind.ROOM_BEFORE) == ()
    assert display_rows_tkr(table)[-1].tkr[2] == -1_200


def test_over_commitment_before_applications_is_reported() -> None:
    """A forecast overspend makes the room negative before any application."""
    data = msgspec.structs.replace(
        autumn_2030(), current_forecast=YearForecast(administration=8_000 * TKR)
    )
    table = compute_budget_room(data)
    assert [c.label for c in over_committed_columns(table, RowKind.ROOM_BEFORE)] == ["Prognos 2030"]


def test_over_commitment_is_read_from_a_room_row_only(table: BudgetRoomTable) -> None:
    """Asking whether a cost row is over-committed is a programming error."""
    with pytest.raises(ValueError):
        over_committed_columns(table, RowKind.COST_TOTAL)


# --------------------------------------------------------------------------- speed


def test_thousand_insatser_over_ten_years_compute_in_milliseconds() -> None:
    """1 000 commitments already summed per year, over ten years, take a few milliseconds."""
    years = tuple(
        YearFigures(
            year=2030 + i,
            member_contributions=12_000_000,
            elected_members=500_000,
            administration=2_600_000,
        )
        for i in range(10)
    )
    commitments = tuple(
        Commitment(
            name=f"Insats {n}",
            owner="Kommun",
            amounts={2030 + i: 1_000 + n + i for i in range(10)},
            forecast=900 + n,
        )
        for n in range(1_000)
    )
    data = BudgetRoomInput(years=years, opening_balance=0, commitments=commitments)
    compute_budget_room(data)  # warm up
    best = min(_timed(lambda: compute_budget_room(data)) for _ in range(5))
    table = compute_budget_room(data)
    assert len(table.rows_of(RowKind.COMMITMENT)) == 1_000
    assert table.row(RowKind.COLLABORATION_TOTAL).cells[2] == sum(
        1_000 + n + 1 for n in range(1_000)
    )
    assert best < 0.05  # generous for slow CI; typically ~2 ms


def _timed(action: Callable[[], object]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def test_a_one_off_extra_contribution_funds_its_year_and_carries_on() -> None:
    """An extra of 1 000 tkr in 2031 gets its own row, raises 2031's room by 1 000 tkr and,
    carried, 2032's too; without an extra the row is not there at all."""
    plain = compute_budget_room(autumn_2030())
    data = autumn_2030()
    years = list(data.years)
    years[1] = msgspec.structs.replace(years[1], extra_contribution=1_000 * TKR)
    extra = compute_budget_room(msgspec.structs.replace(data, years=tuple(years)))
    assert not plain.rows_of(RowKind.EXTRA_CONTRIBUTION)
    assert extra.row(RowKind.EXTRA_CONTRIBUTION).cells == (0, 0, 1_000 * TKR, 0)
    labels = [r.kind for r in extra.rows]
    assert (
        labels.index(RowKind.EXTRA_CONTRIBUTION) == labels.index(RowKind.MEMBER_CONTRIBUTIONS) + 1
    )
    assert (
        extra.row(RowKind.MEMBER_CONTRIBUTIONS).cells
        == plain.row(RowKind.MEMBER_CONTRIBUTIONS).cells
    )
    before, after = plain.row(RowKind.ROOM_AFTER).cells, extra.row(RowKind.ROOM_AFTER).cells
    assert [(a or 0) - (b or 0) for a, b in zip(after, before, strict=True)] == [
        0,
        0,
        1_000 * TKR,
        1_000 * TKR,
    ]
    assert (extra.row(RowKind.RESULT).cells[2] or 0) - (
        plain.row(RowKind.RESULT).cells[2] or 0
    ) == (1_000 * TKR)


def test_the_horizon_is_the_current_year_and_three_more_or_as_far_as_anything_reaches() -> None:
    from portfolio.economy.budget_room import DEFAULT_YEARS, horizon

    assert horizon(2030, DEFAULT_YEARS, []) == [2030, 2031, 2032, 2033]
    assert horizon(2030, DEFAULT_YEARS, [2031, 2034]) == [2030, 2031, 2032, 2033, 2034]
    assert horizon(2030, 2, [2028]) == [2030, 2031]  # years already gone do not count


def test_a_reservation_lowers_the_room_and_a_grant_drawing_on_it_is_not_counted_twice() -> None:
    """1 000 tkr reserved in 2031 for extensions lowers 2031's room by 1 000; an extension grant
    of 600 tkr in 2031 drawing on it leaves 400 reserved, so the room is lowered by 1 000 in all."""
    from portfolio.economy.budget_room import Reservation

    base = autumn_2030()
    reserved = msgspec.structs.replace(
        base,
        reservations=(Reservation(purpose="Förlängningar 2031", year=2031, amount=1_000 * TKR),),
    )
    table = compute_budget_room(reserved)
    row = table.row(RowKind.RESERVATION)
    assert row.label == "Reserverat: Förlängningar 2031"
    assert row.cells == (0, 0, 1_000 * TKR, 0)
    assert table.row(RowKind.ROOM_BEFORE).cells[2] == 7_800 * TKR  # 8 800 - 1 000
    assert table.row(RowKind.COLLABORATION_TOTAL).cells[2] == 6_400 * TKR
    extension = Commitment(
        name="Insats A, förlängning", owner="Kommun X", amounts={2031: 600 * TKR}
    )
    drawn = msgspec.structs.replace(
        reserved,
        commitments=(*base.commitments, extension),
        reservations=(
            Reservation(
                purpose="Förlängningar 2031", year=2031, amount=1_000 * TKR, drawn=600 * TKR
            ),
        ),
    )
    table = compute_budget_room(drawn)
    assert table.row(RowKind.RESERVATION).cells == (0, 0, 400 * TKR, 0)
    assert table.row(RowKind.ROOM_BEFORE).cells[2] == 7_800 * TKR  # the same: not twice
    overdrawn = Reservation(purpose="x", year=2031, amount=100, drawn=250)
    assert overdrawn.remaining == 0
