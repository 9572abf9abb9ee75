"""The budget template: its totals, its per-year split and every warning it can raise."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from applications.budget import (
    BLOCK_LABELS,
    CATEGORY_GROUP,
    CATEGORY_LABELS,
    GROUP_LABELS,
    MAX_OWNERS,
    Budget,
    BudgetBlock,
    BudgetLine,
    BudgetWarning,
    BudgetYear,
    CostCategory,
    CostGroup,
    Severity,
    StatedBlock,
    StatedRow,
    StatedTotals,
    TotalsSource,
    WarningCode,
    benefit_keyword,
    categories_in,
    check_budget,
    compute_totals,
    months_per_year,
    propose_year_split,
    split_by_months,
    year_parts_total,
)

NBSP = "\u00a0"
A, C = BudgetBlock.ASSOCIATION, BudgetBlock.COFUNDING
D = dt.date


def line(
    category: CostCategory,
    *amounts: int,
    block: BudgetBlock = A,
    label: str = "",
    fte: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    stated_total: int | None = None,
) -> BudgetLine:
    """A budget line, amounts in owner column order."""
    return BudgetLine(
        block=block,
        category=category,
        label=label,
        fte_percent=fte,
        period_from=start,
        period_to=end,
        amounts=list(amounts),
        stated_total=stated_total,
    )


def codes(warnings: list[BudgetWarning]) -> list[WarningCode]:
    return [warning.code for warning in warnings]


KNIVSTA = Budget(
    owners=["Knivsta kommun", "Arbetsförmedlingen"],
    lines=[
        line(CostCategory.SALARY, 600_000, 0, label="Arbetsmarknadssekreterare", fte=100),
        line(CostCategory.SALARY, 550_000, 0, label="Arbetsmarknadssekreterare", fte=100),
        line(CostCategory.SALARY, 0, 150_000, label="Arbetsförmedlare", fte=25),
        line(CostCategory.PREMISES_RENT, 100_000, 0),
        line(CostCategory.PREMISES_OTHER, 10_000, 0),
        line(CostCategory.EVALUATION, 40_000, 0),
        line(CostCategory.OTHER, 15_000, 5_000),
        line(CostCategory.SALARY, 300_000, 0, block=C, label="Projektledare", fte=50),
        line(CostCategory.PREMISES_RENT, 20_000, 0, block=C),
    ],
)


# --- the template as data ---------------------------------------------------------------------


def test_categories_fall_into_salaries_premises_and_other_costs() -> None:
    """Salaries and the two premises lines are their own groups; the ten others are other costs."""
    assert categories_in(CostGroup.SALARIES) == (CostCategory.SALARY,)
    assert categories_in(CostGroup.PREMISES) == (
        CostCategory.PREMISES_RENT,
        CostCategory.PREMISES_OTHER,
    )
    assert len(categories_in(CostGroup.OTHER)) == 10
    assert set(CATEGORY_GROUP) == set(CostCategory)


def test_every_category_group_and_block_has_its_swedish_template_label() -> None:
    """Pages show the template's own words."""
    assert set(CATEGORY_LABELS) == set(CostCategory)
    assert CATEGORY_LABELS[CostCategory.INTERPRETER] == "Tolk"
    assert CATEGORY_LABELS[CostCategory.PHONE_IT] == "Telefon-, IT-kostnader"
    assert GROUP_LABELS[CostGroup.PREMISES] == "Lokalkostnader"
    assert BLOCK_LABELS[A] == "Att rekvirera från Samordningsförbundet"
    assert BLOCK_LABELS[C] == "Egenfinansiering"


def test_budget_roundtrips_through_json() -> None:
    """A budget is stored and sent as JSON with its dates, enums and stated totals intact."""
    budget = msgspec.structs.replace(
        KNIVSTA,
        stated=[StatedTotals(association=StatedBlock(groups={CostGroup.SALARIES: StatedRow()}))],
        years=[BudgetYear(label="ÅR 1", year=2022, total=1)],
        period_from=D(2022, 1, 1),
    )
    assert msgspec.json.decode(msgspec.json.encode(budget), type=Budget) == budget


# --- totals ------------------------------------------------------------------------------------


def test_totals_per_category_and_owner() -> None:
    """Lines of one category add up per owner column and in all."""
    totals = compute_totals(KNIVSTA)
    salaries = totals.association.categories[CostCategory.SALARY]
    assert salaries.amounts == [1_150_000, 150_000]
    assert salaries.total == 1_300_000
    assert totals.association.categories[CostCategory.TRAVEL].amounts == [0, 0]


def test_totals_per_group_block_and_owner() -> None:
    """Groups sum their categories, blocks their groups, and the grand total both blocks."""
    totals = compute_totals(KNIVSTA)
    assert totals.association.groups[CostGroup.PREMISES].amounts == [110_000, 0]
    assert totals.association.groups[CostGroup.OTHER].amounts == [55_000, 5_000]
    assert totals.association.total.amounts == [1_315_000, 155_000]
    assert totals.association.total.total == 1_470_000
    assert totals.cofunding.total.amounts == [320_000, 0]
    assert totals.grand.amounts == [1_635_000, 155_000]
    assert totals.grand.total == 1_790_000


def test_fte_percent_is_summed_per_block_over_salary_lines() -> None:
    """The template's "Summa lönekostnader" tjänst % is the sum of the salary lines."""
    totals = compute_totals(KNIVSTA)
    assert totals.association.fte_percent == 225
    assert totals.cofunding.fte_percent == 50


def test_year_parts_total_treats_blank_cells_as_zero_and_all_blank_as_unknown() -> None:
    """A year's own total is salaries + premises + other, blanks being 0."""
    assert year_parts_total(BudgetYear(label="ÅR 1", salaries=100, other=5)) == 105
    assert year_parts_total(BudgetYear(label="ÅR 1", total=105)) is None


def test_consistent_budget_gives_no_warnings() -> None:
    """A budget whose stated sums all match its lines raises nothing."""
    stated = StatedTotals(
        association=StatedBlock(
            groups={CostGroup.SALARIES: StatedRow(amounts=[1_150_000, 150_000], total=1_300_000)},
            total=StatedRow(amounts=[1_315_000, 155_000], total=1_470_000),
            fte_percent=225,
        ),
        grand=StatedRow(amounts=[1_635_000, 155_000], total=1_790_000),
    )
    years = [
        BudgetYear(label="ÅR 1", year=2022, salaries=650_000, premises=55_000, other=30_000),
        BudgetYear(label="ÅR 2", year=2023, salaries=650_000, premises=55_000, other=30_000),
    ]
    budget = msgspec.structs.replace(KNIVSTA, stated=[stated], years=years)
    assert check_budget(budget) == []


# --- stated totals against the lines ---------------------------------------------------------


def test_stated_category_total_that_disagrees_with_lines_is_warned_not_changed() -> None:
    """A wrong "Summa" is reported with place, both figures and the difference; it stays wrong."""
    stated = StatedTotals(
        association=StatedBlock(
            categories={CostCategory.SALARY: StatedRow(amounts=[1_200_000, 150_000])}
        )
    )
    budget = msgspec.structs.replace(KNIVSTA, stated=[stated])
    [warning] = check_budget(budget)
    assert warning.code is WarningCode.CATEGORY_TOTAL_MISMATCH
    assert warning.severity is Severity.WARNING
    assert warning.message == (
        f"Summan för Lönekostnader (Knivsta kommun) är angiven till 1{NBSP}200{NBSP}000 kronor "
        f"men raderna summerar till 1{NBSP}150{NBSP}000 kronor (skillnad 50{NBSP}000 kronor)"
    )
    assert (warning.block, warning.category, warning.owner_index, warning.owner) == (
        A,
        CostCategory.SALARY,
        0,
        "Knivsta kommun",
    )
    assert (warning.stated, warning.computed, warning.difference) == (
        1_200_000,
        1_150_000,
        50_000,
    )
    assert budget.stated[0].association.categories[CostCategory.SALARY].amounts[0] == 1_200_000


def test_stated_group_total_in_cofunding_names_the_block_and_all_owners_column() -> None:
    """The all-owners cell is checked too, and a co-funding sum says it is co-funding."""
    stated = StatedTotals(
        cofunding=StatedBlock(groups={CostGroup.PREMISES: StatedRow(amounts=[20_000], total=0)})
    )
    [warning] = check_budget(msgspec.structs.replace(KNIVSTA, stated=[stated]))
    assert warning.code is WarningCode.GROUP_TOTAL_MISMATCH
    assert (warning.block, warning.group, warning.owner_index) == (C, CostGroup.PREMISES, None)
    assert warning.message.startswith(
        "Summan för Lokalkostnader i egenfinansieringen (alla insatsägare) är angiven till 0 kronor"
    )
    assert warning.difference == -20_000


def test_stated_block_and_grand_totals_that_disagree_are_warned() -> None:
    """'Totalt från Samordningsförbundet' and 'Total kostnad för insatsen' are checked per cell."""
    stated = StatedTotals(
        association=StatedBlock(total=StatedRow(amounts=[1_315_000, 150_000], total=1_470_000)),
        grand=StatedRow(amounts=[None, None], total=1_800_000),
    )
    warnings = check_budget(msgspec.structs.replace(KNIVSTA, stated=[stated]))
    assert codes(warnings) == [WarningCode.BLOCK_TOTAL_MISMATCH, WarningCode.GRAND_TOTAL_MISMATCH]
    assert warnings[0].owner == "Arbetsförmedlingen"
    assert warnings[0].difference == -5_000
    assert warnings[1].difference == 10_000
    assert "hela insatsen (alla insatsägare)" in warnings[1].message


def test_summary_table_mismatch_says_it_is_in_the_budgetsammanstallning() -> None:
    """The same sum stated in the summary table is checked and named as such."""
    stated = StatedTotals(
        source=TotalsSource.SUMMARY,
        association=StatedBlock(total=StatedRow(amounts=[1_315_000, 155_000], total=1_400_000)),
    )
    [warning] = check_budget(msgspec.structs.replace(KNIVSTA, stated=[stated]))
    assert warning.source is TotalsSource.SUMMARY
    assert "(alla insatsägare) i budgetsammanställningen är angiven till" in warning.message


def test_line_row_total_that_disagrees_with_its_amounts_is_warned() -> None:
    """A line's own all-owners cell must be the sum of its owner columns."""
    budget = Budget(
        owners=["Håbo kommun", "Arbetsförmedlingen"],
        lines=[line(CostCategory.SALARY, 100, 50, label="Coach", fte=50, stated_total=100)],
    )
    [warning] = check_budget(budget)
    assert warning.code is WarningCode.LINE_TOTAL_MISMATCH
    assert (warning.line_index, warning.stated, warning.computed) == (0, 100, 150)
    assert warning.message.startswith("Summan för raden Coach (alla insatsägare)")


def test_stated_fte_total_that_disagrees_is_warned_in_percent() -> None:
    """The 'Summa lönekostnader' tjänst % is checked against the salary lines."""
    stated = StatedTotals(association=StatedBlock(fte_percent=200))
    [warning] = check_budget(msgspec.structs.replace(KNIVSTA, stated=[stated]))
    assert warning.code is WarningCode.FTE_TOTAL_MISMATCH
    assert (warning.stated, warning.computed, warning.difference) == (200, 225, -25)
    assert "225 %" in warning.message


def test_blank_stated_cells_are_not_compared() -> None:
    """A blank cell (None) is not a zero: there is nothing stated to disagree."""
    stated = StatedTotals(
        association=StatedBlock(total=StatedRow(amounts=[None, None], total=None)),
        grand=StatedRow(),
    )
    assert check_budget(msgspec.structs.replace(KNIVSTA, stated=[stated])) == []


def test_summary_only_budget_is_checked_on_its_own_figures() -> None:
    """Without lines, each Summa must be its owners' sum and the grand total both blocks."""
    budget = Budget(
        owners=["Tierps kommun", "Region Uppsala"],
        stated=[
            StatedTotals(
                source=TotalsSource.SUMMARY,
                association=StatedBlock(total=StatedRow(amounts=[100, 50], total=160)),
                cofunding=StatedBlock(total=StatedRow(amounts=[30, 0], total=30)),
                grand=StatedRow(amounts=[130, 40], total=190),
            )
        ],
    )
    warnings = check_budget(budget)
    assert codes(warnings) == [WarningCode.STATED_SUM_MISMATCH] * 3
    # The association's Summa is not its owners' 150.
    assert (warnings[0].block, warnings[0].stated, warnings[0].computed) == (A, 160, 150)
    # The grand row's Summa is not its owners' 170.
    assert (warnings[1].block, warnings[1].stated, warnings[1].computed) == (None, 190, 170)
    # Region Uppsala's grand total is not its 50 + 0.
    assert (warnings[2].owner, warnings[2].stated, warnings[2].computed) == (
        "Region Uppsala",
        40,
        50,
    )


# --- the per-year summary ----------------------------------------------------------------------


def test_year_total_that_disagrees_with_its_parts_is_warned() -> None:
    """'TOTALT' for a year must be its salaries, premises and other costs."""
    years = [
        BudgetYear(label="ÅR 1", year=2022, salaries=1_300_000, other=170_000, total=1_400_000)
    ]
    warnings = check_budget(msgspec.structs.replace(KNIVSTA, years=years))
    assert WarningCode.YEAR_TOTAL_MISMATCH in codes(warnings)
    [warning] = [w for w in warnings if w.code is WarningCode.YEAR_TOTAL_MISMATCH]
    assert warning.year_label == "ÅR 1"
    assert warning.message.startswith("Summan för ÅR 1 (2022) är angiven till 1")
    assert warning.difference == -70_000


def test_year_summary_that_disagrees_with_association_grand_total_is_warned() -> None:
    """The years together must make the whole sum asked from the association."""
    years = [
        BudgetYear(label="ÅR 1", year=2022, total=700_000),
        BudgetYear(label="ÅR 2", year=2023, total=700_000),
    ]
    [warning] = check_budget(msgspec.structs.replace(KNIVSTA, years=years))
    assert warning.code is WarningCode.YEARS_TOTAL_MISMATCH
    assert (warning.stated, warning.computed, warning.difference) == (
        1_400_000,
        1_470_000,
        -70_000,
    )
    assert warning.message.startswith("Årsfördelningen summerar till 1")


def test_year_summary_group_that_disagrees_with_lines_is_warned() -> None:
    """Salaries over the years must be the salary lines; so for premises and other costs."""
    years = [
        BudgetYear(label="ÅR 1", year=2022, salaries=1_200_000, premises=110_000, other=55_000),
        BudgetYear(label="ÅR 2", year=2023, salaries=100_000),
    ]
    warnings = check_budget(msgspec.structs.replace(KNIVSTA, years=years))
    assert codes(warnings) == [WarningCode.YEARS_GROUP_MISMATCH, WarningCode.YEARS_TOTAL_MISMATCH]
    assert warnings[0].group is CostGroup.OTHER
    assert warnings[0].difference == -5_000


def test_year_summary_with_blank_groups_is_compared_on_its_totals_only() -> None:
    """A summary stating only totals says nothing about groups."""
    years = [BudgetYear(label="ÅR 1", year=2022, total=1_470_000)]
    assert check_budget(msgspec.structs.replace(KNIVSTA, years=years)) == []


def test_year_summary_of_a_summary_only_budget_is_compared_with_its_stated_total() -> None:
    """Without lines the years must make the stated sum to be asked from the association."""
    budget = Budget(
        owners=["Tierps kommun"],
        stated=[StatedTotals(association=StatedBlock(total=StatedRow(total=300)))],
        years=[BudgetYear(label="ÅR 1", total=100), BudgetYear(label="ÅR 2", total=100)],
    )
    [warning] = check_budget(budget)
    assert warning.code is WarningCode.YEARS_TOTAL_MISMATCH
    assert (warning.stated, warning.computed) == (200, 300)
    assert "är angiven till 300 kronor" in warning.message


# --- lines --------------------------------------------------------------------------------------


def test_negative_amount_is_warned() -> None:
    """A negative amount on a line is shown, with its owner; it is still counted."""
    budget = Budget(owners=["Enköpings kommun"], lines=[line(CostCategory.TRAVEL, -5_000)])
    [warning] = check_budget(budget)
    assert warning.code is WarningCode.NEGATIVE_AMOUNT
    assert (warning.owner, warning.line_index, warning.computed) == ("Enköpings kommun", 0, -5_000)
    assert compute_totals(budget).grand.total == -5_000


def test_more_owners_than_the_template_allows_is_warned() -> None:
    """One lead owner and four co-owners at most."""
    budget = Budget(owners=[f"Org {n}" for n in range(MAX_OWNERS + 1)])
    [warning] = check_budget(budget)
    assert warning.code is WarningCode.TOO_MANY_OWNERS
    assert (warning.stated, warning.computed) == (6, 5)
    assert check_budget(Budget(owners=[f"Org {n}" for n in range(MAX_OWNERS)])) == []


def test_money_in_a_column_without_owner_is_counted_and_warned() -> None:
    """No amount is dropped for want of an owner; zeros in unused template columns are fine."""
    budget = Budget(owners=["Håbo kommun"], lines=[line(CostCategory.TRAVEL, 100, 0, 20)])
    [warning] = check_budget(budget)
    assert warning.code is WarningCode.AMOUNT_WITHOUT_OWNER
    assert warning.owner_index == 2
    assert compute_totals(budget).grand.amounts == [100, 0, 20]


@pytest.mark.parametrize("fte", [0, 101, -10, 150])
def test_salary_fte_outside_1_to_100_is_warned(fte: int) -> None:
    """Tjänst % is a share of one full-time post."""
    budget = Budget(owners=["Knivsta kommun"], lines=[line(CostCategory.SALARY, 10, fte=fte)])
    assert codes(check_budget(budget)) == [WarningCode.FTE_OUT_OF_RANGE]


def test_unused_template_salary_row_is_not_warned() -> None:
    """The template's blank rows ("3. 0% 0") say nothing."""
    budget = Budget(owners=["Knivsta kommun"], lines=[line(CostCategory.SALARY, 0, fte=0)])
    assert check_budget(budget) == []


def test_salary_line_with_fte_but_no_amount_is_warned() -> None:
    """A post with a tjänst % but no kronor is a cost left out."""
    budget = Budget(
        owners=["Uppsala kommun"],
        lines=[line(CostCategory.SALARY, 0, block=C, label="Socialsekreterare", fte=100)],
    )
    [warning] = check_budget(budget)
    assert warning.code is WarningCode.FTE_WITHOUT_AMOUNT
    assert warning.message == (
        "Raden Socialsekreterare i egenfinansieringen anger 100 % tjänst men inget belopp"
    )


def test_period_ending_before_it_starts_is_warned() -> None:
    """A line's period must run forwards."""
    budget = Budget(
        owners=["Knivsta kommun"],
        lines=[line(CostCategory.SALARY, 10, fte=50, start=D(2023, 1, 1), end=D(2022, 12, 31))],
    )
    [warning] = check_budget(budget)
    assert warning.code is WarningCode.PERIOD_REVERSED
    assert "2023-01-01 till 2022-12-31" in warning.message


# --- costs the association may not pay -------------------------------------------------------


def test_interpreter_line_with_money_is_a_notice_never_an_error() -> None:
    """The law guidance says no interpreters, but the template has the line: warn, don't block."""
    budget = Budget(owners=["Knivsta kommun"], lines=[line(CostCategory.INTERPRETER, 12_000)])
    [warning] = check_budget(budget)
    assert warning.code is WarningCode.INTERPRETER_COST
    assert warning.severity is Severity.NOTICE
    assert warning.message.startswith(f"Raden Tolk (12{NBSP}000 kronor) avser tolk.")


def test_interpreter_in_another_line_label_is_noticed() -> None:
    """Interpreting booked under Övrigt is still interpreting."""
    budget = Budget(
        owners=["Knivsta kommun"], lines=[line(CostCategory.OTHER, 5_000, label="Tolkkostnader")]
    )
    assert codes(check_budget(budget)) == [WarningCode.INTERPRETER_COST]


def test_empty_interpreter_line_of_the_template_is_not_noticed() -> None:
    """The template's 'Tolk 0' is no cost."""
    budget = Budget(owners=["Knivsta kommun"], lines=[line(CostCategory.INTERPRETER, 0)])
    assert check_budget(budget) == []


@pytest.mark.parametrize(
    "label",
    [
        "Busskort till deltagare",
        "BUSS-KORT",
        "UL-kort",
        "Milersättning deltagare",
        "Praktiklön",
        "Lön under arbetsträning",
    ],
)
def test_benefits_to_individuals_are_noticed_by_swedish_keywords(label: str) -> None:
    """Bus cards, mileage and pay during work training are benefits the association can't pay."""
    budget = Budget(
        owners=["Tierps kommun"],
        lines=[line(CostCategory.PARTICIPANT_ACTIVITIES, 8_000, label=label)],
    )
    [warning] = check_budget(budget)
    assert warning.code is WarningCode.BENEFIT_TO_INDIVIDUAL
    assert warning.severity is Severity.NOTICE
    assert (warning.line_index, warning.computed) == (0, 8_000)


def test_ordinary_labels_are_not_taken_for_benefits() -> None:
    """Staff travel and purchased courses are ordinary costs."""
    assert benefit_keyword("Resor för personal") is None
    assert benefit_keyword("Inköpta utbildningar") is None


def test_benefits_paid_from_cofunding_are_not_noticed() -> None:
    """Only what the association is asked to pay is its concern."""
    budget = Budget(
        owners=["Tierps kommun"],
        lines=[line(CostCategory.OTHER, 8_000, block=C, label="Busskort")],
    )
    assert check_budget(budget) == []


# --- nothing is changed -------------------------------------------------------------------------


def test_checks_and_totals_mutate_nothing() -> None:
    """Stated and line figures are exactly as before, however wrong they are."""
    budget = msgspec.structs.replace(
        FRAMSTEGET,
        lines=[*FRAMSTEGET.lines, line(CostCategory.INTERPRETER, -1, 0, 0, 0, fte=400)],
    )
    before = msgspec.json.encode(budget)
    assert check_budget(budget)
    compute_totals(budget)
    propose_year_split(budget)
    assert msgspec.json.encode(budget) == before


# --- per-year split -----------------------------------------------------------------------------


def test_months_are_counted_whole_per_calendar_year() -> None:
    """A started month counts; 1 April 2022 to 30 September 2023 is 9 + 9 months."""
    assert months_per_year(D(2022, 4, 1), D(2023, 9, 30)) == {2022: 9, 2023: 9}
    assert months_per_year(D(2022, 1, 15), D(2022, 1, 20)) == {2022: 1}
    with pytest.raises(ValueError):
        months_per_year(D(2023, 1, 1), D(2022, 1, 1))


def test_split_by_months_rounds_down_and_puts_the_remainder_in_the_last_year() -> None:
    """The parts always sum exactly to the amount."""
    assert split_by_months(100, D(2022, 1, 1), D(2024, 12, 31)) == {2022: 33, 2023: 33, 2024: 34}
    assert split_by_months(1_232_000, D(2022, 1, 1), D(2023, 10, 31)) == {
        2022: 672_000,
        2023: 560_000,
    }


def test_proposed_years_split_each_group_and_sum_exactly_to_the_lines() -> None:
    """ÅR 1, ÅR 2 … follow the calendar years the lines run over."""
    budget = Budget(
        owners=["Knivsta kommun"],
        lines=[
            line(CostCategory.SALARY, 1_000, fte=100, start=D(2022, 7, 1), end=D(2023, 12, 31)),
            line(CostCategory.PREMISES_RENT, 100, start=D(2023, 1, 1), end=D(2023, 6, 30)),
            line(CostCategory.SALARY, 999, block=C, start=D(2022, 1, 1), end=D(2022, 12, 31)),
        ],
    )
    split = propose_year_split(budget)
    assert split.years == [
        BudgetYear(label="ÅR 1", year=2022, salaries=333, premises=0, other=0, total=333),
        BudgetYear(label="ÅR 2", year=2023, salaries=667, premises=100, other=0, total=767),
    ]
    assert split.unplaced == 0
    assert propose_year_split(budget, C).years[0].total == 999


def test_proposed_split_falls_back_on_the_insats_period_and_reports_what_it_cannot_place() -> None:
    """Lines without a period use the insats period; without either their money is unplaced."""
    lines = [line(CostCategory.OTHER, 300)]
    with_period = Budget(
        owners=["X"], lines=lines, period_from=D(2022, 1, 1), period_to=D(2024, 12, 31)
    )
    assert [year.total for year in propose_year_split(with_period).years] == [100, 100, 100]
    without = propose_year_split(Budget(owners=["X"], lines=lines))
    assert (without.years, without.unplaced) == ([], 300)


# --- the real budgets of seed 002 (FS 2021-09-16), typed in kronor --------------------------------

# fmt: off
# (The seed data keeps one budget line per source line, as in the board pack.)
# Arbetslivsintro: Uppsala kommun with Region Uppsala; two template columns left as "NAMN".
ARBETSLIVSINTRO = Budget(
    owners=["Uppsala kommun", "Region Uppsala"],
    period_from=D(2022, 1, 1),
    period_to=D(2023, 10, 31),
    lines=[
        line(CostCategory.SALARY, 1_232_000, 0, label="Socialsekreterare/ projektledare", fte=100,
             start=D(2022, 1, 1), end=D(2023, 10, 31), stated_total=1_232_000),
        line(CostCategory.SALARY, 1_008_000, 0, label="Socialsekreterare", fte=100,
             start=D(2022, 4, 1), end=D(2023, 9, 30), stated_total=1_008_000),
        line(CostCategory.SALARY, 504_000, 0, label="Resurs för upphandling", fte=50,
             start=D(2022, 4, 1), end=D(2023, 9, 30), stated_total=504_000),
        line(CostCategory.SALARY, 504_000, 0, label="Arbetsterapeut", fte=50,
             start=D(2022, 4, 1), end=D(2023, 9, 30), stated_total=504_000),
        line(CostCategory.SALARY, 0, 1_134_000, label="Rehabiliteringskoordinator", fte=100,
             start=D(2022, 1, 1), end=D(2023, 10, 31), stated_total=1_134_000),
        line(CostCategory.PURCHASED_SERVICES, 1_500_000, 0,
             start=D(2022, 4, 1), end=D(2023, 9, 30), stated_total=1_500_000),
        line(CostCategory.INTERPRETER, 0, 0, stated_total=0),
        line(CostCategory.OTHER, 150_000, 0,
             start=D(2022, 1, 1), end=D(2023, 10, 31), stated_total=150_000),
        line(CostCategory.SALARY, 0, 0, block=C, label="Socialsekreterare", fte=100),
        line(CostCategory.SALARY, 0, 0, block=C, label="Socialsekreterare", fte=100),
    ],
    years=[
        BudgetYear(label="ÅR 1", year=2022, salaries=2_275_350, other=1_100_000, total=3_375_350),
        BudgetYear(label="ÅR 2", year=2023, salaries=2_106_650, other=550_000, total=2_656_650),
    ],
    stated=[
        StatedTotals(
            association=StatedBlock(
                groups={
                    CostGroup.SALARIES: StatedRow(
                        amounts=[3_248_000, 1_134_000, 0, 0], total=4_382_000
                    ),
                    CostGroup.PREMISES: StatedRow(amounts=[0, 0, 0, 0], total=0),
                    CostGroup.OTHER: StatedRow(amounts=[1_650_000, 0, 0, 0], total=1_650_000),
                },
                total=StatedRow(amounts=[4_898_000, 1_134_000, 0, 0], total=6_032_000),
                fte_percent=400,
            ),
            cofunding=StatedBlock(
                groups={group: StatedRow(amounts=[0, 0, 0, 0], total=0) for group in CostGroup},
                total=StatedRow(amounts=[0, 0, 0, 0], total=0),
                fte_percent=200,
            ),
            grand=StatedRow(amounts=[4_898_000, 1_134_000, 0, 0], total=6_032_000),
        ),
        StatedTotals(
            source=TotalsSource.SUMMARY,
            association=StatedBlock(
                total=StatedRow(amounts=[4_898_000, 1_134_000, 0, 0, 0], total=6_032_000)
            ),
            cofunding=StatedBlock(total=StatedRow(amounts=[0, 0, 0, 0, 0], total=0)),
            grand=StatedRow(amounts=[4_898_000, 1_134_000, 0, 0, 0], total=6_032_000),
        ),
    ],
)

# Framsteget 2.0: Håbo kommun with Arbetsförmedlingen (350 000 kr for 2022-2023), FK and Region.
HABO_START, HABO_END = D(2022, 1, 1), D(2024, 12, 31)
FRAMSTEGET = Budget(
    owners=["Håbo kommun", "Arbetsförmedlingen", "Försäkringskassan", "Region Uppsala"],
    period_from=D(2022, 1, 1),
    period_to=D(2024, 12, 31),
    lines=[
        line(CostCategory.SALARY, 2_400_000, 0, 0, 0, label="Insatsansvarig/rehabcoach", fte=100,
             stated_total=2_400_000, start=HABO_START, end=HABO_END),
        line(CostCategory.SALARY, 2_205_000, 0, 0, 0, label="Unga vuxen-coach", fte=100,
             stated_total=2_205_000, start=HABO_START, end=HABO_END),
        line(CostCategory.SALARY, 2_235_000, 0, 0, 0, label="Arbetskonsulent", fte=100,
             stated_total=2_235_000, start=HABO_START, end=HABO_END),
        line(CostCategory.SALARY, 720_000, 0, 0, 0, label="Arbetsgivarkoordinator", fte=100,
             start=D(2022, 1, 1), end=D(2022, 12, 31), stated_total=720_000),
        line(CostCategory.SALARY, 630_000, 0, 0, 0, label="Rehabcoach", fte=30,
             stated_total=630_000, start=HABO_START, end=HABO_END),
        # The seed leaves this line's all-owners cell blank: the root of its wrong sums.
        line(CostCategory.SALARY, 0, 350_000, 0, 0, label="Arbetsförmedlare", fte=25,
             start=D(2022, 1, 1), end=D(2023, 12, 31)),
        line(CostCategory.PREMISES_RENT, 600_000, 0, 0, 0, stated_total=600_000, start=HABO_START, end=HABO_END),
        line(CostCategory.PREMISES_OTHER, 37_500, 0, 0, 0, stated_total=37_500, start=HABO_START, end=HABO_END),
        line(CostCategory.STAFF_TRAINING, 30_000, 0, 0, 0, stated_total=30_000),
        line(CostCategory.PARTICIPANT_ACTIVITIES, 40_000, 0, 0, 0, stated_total=40_000),
        line(CostCategory.PHONE_IT, 30_000, 0, 0, 0, stated_total=30_000),
        line(CostCategory.INTERPRETER, 0, 0, 0, 0, stated_total=0),
        line(CostCategory.OTHER, 80_000, 0, 0, 0, stated_total=80_000),
    ],
    # The summary splits Lokalkostnader 200 000 + Övriga lokalkostnader 12 500 a year.
    years=[
        BudgetYear(label="ÅR 1", year=2022, salaries=3_325_000, premises=212_500, other=60_000,
                   total=3_597_500),
        BudgetYear(label="ÅR 2", year=2023, salaries=2_665_000, premises=212_500, other=60_000,
                   total=2_937_500),
        BudgetYear(label="ÅR 3", year=2024, salaries=2_550_000, premises=212_500, other=60_000,
                   total=2_822_500),
    ],
    stated=[
        StatedTotals(
            association=StatedBlock(
                groups={
                    CostGroup.SALARIES: StatedRow(
                        amounts=[8_190_000, 350_000, 0, 0], total=8_190_000
                    ),
                    CostGroup.PREMISES: StatedRow(amounts=[637_500, 0, 0, 0], total=637_500),
                    CostGroup.OTHER: StatedRow(amounts=[180_000, 0, 0, 0], total=180_000),
                },
                total=StatedRow(amounts=[9_007_500, 350_000, 0, 0], total=9_007_500),
                fte_percent=455,
            ),
            cofunding=StatedBlock(
                groups={group: StatedRow(amounts=[0, 0, 0, 0], total=0) for group in CostGroup},
                total=StatedRow(amounts=[0, 0, 0, 0], total=0),
                fte_percent=0,
            ),
            grand=StatedRow(amounts=[9_007_500, 350_000, 0, 0], total=9_007_500),
        ),
        StatedTotals(
            source=TotalsSource.SUMMARY,
            association=StatedBlock(
                total=StatedRow(amounts=[9_007_500, 350_000, 0, 0], total=9_357_500)
            ),
            cofunding=StatedBlock(total=StatedRow(amounts=[0, 0, 0, 0], total=0)),
            grand=StatedRow(amounts=[9_007_500, 350_000, 0, 0], total=9_357_500),
        ),
    ],
)

# Ung framtid: only the Budgetsammanställning is in the pack (OCR'd: "8 010 ooo:" read as 8 010 000).
UNG_FRAMTID = Budget(
    owners=["Tierps kommun", "Arbetsförmedlingen", "Region Uppsala", "Försäkringskassan"],
    period_from=D(2022, 1, 1),
    period_to=D(2024, 12, 31),
    stated=[
        StatedTotals(
            source=TotalsSource.SUMMARY,
            association=StatedBlock(
                total=StatedRow(amounts=[8_010_000, 160_000, 240_000, 0], total=8_410_000)
            ),
            cofunding=StatedBlock(total=StatedRow(amounts=[6_865_000, 0, 0, 0], total=6_865_000)),
            grand=StatedRow(amounts=[14_875_000, 160_000, 240_000, 0], total=15_275_000),
        )
    ],
)

# fmt: on


def test_seed_arbetslivsintro_totals_reproduce_the_application() -> None:
    """4 382 000 in salaries, 1 650 000 other costs, 6 032 000 in all: 4 898 000 + 1 134 000."""
    totals = compute_totals(ARBETSLIVSINTRO)
    assert totals.association.groups[CostGroup.SALARIES].amounts == [3_248_000, 1_134_000]
    assert totals.association.groups[CostGroup.SALARIES].total == 4_382_000
    assert totals.association.groups[CostGroup.OTHER].total == 1_650_000
    assert totals.association.total.amounts == [4_898_000, 1_134_000]
    assert totals.grand.total == 6_032_000
    assert totals.association.fte_percent == 400


def test_seed_arbetslivsintro_year_one_is_the_sum_the_board_granted() -> None:
    """ÅR 1 is 3 375 350 kronor, the 'maximalt 3 375 350 kronor' of the decision for 2022."""
    [first, second] = ARBETSLIVSINTRO.years
    assert year_parts_total(first) == first.total == 3_375_350
    assert year_parts_total(second) == 2_656_650


def test_seed_arbetslivsintro_cofunded_posts_without_money_are_flagged() -> None:
    """Its sums all agree, but co-funding names two full-time posts (200 %) at 0 kronor."""
    warnings = check_budget(ARBETSLIVSINTRO)
    assert codes(warnings) == [WarningCode.FTE_WITHOUT_AMOUNT] * 2
    assert {w.block for w in warnings} == {C}
    assert [w.line_index for w in warnings] == [8, 9]


def test_seed_arbetslivsintro_proposed_split_differs_from_the_stated_one_but_sums_the_same() -> (
    None
):
    """Pro rata by months gives 2022 more than the applicant did; both sum to 6 032 000."""
    split = propose_year_split(ARBETSLIVSINTRO)
    assert [year.year for year in split.years] == [2022, 2023]
    assert sum(year.total or 0 for year in split.years) == 6_032_000
    assert split.years[0].total != ARBETSLIVSINTRO.years[0].total
    assert split.unplaced == 0


def test_seed_framsteget_lines_sum_to_the_sum_applied_for() -> None:
    """The lines make 9 357 500 kronor, the 'Total summa som ansöks om' and the summary's Summa."""
    totals = compute_totals(FRAMSTEGET)
    assert totals.association.groups[CostGroup.SALARIES].total == 8_540_000
    assert totals.association.groups[CostGroup.PREMISES].total == 637_500
    assert totals.association.groups[CostGroup.OTHER].total == 180_000
    assert totals.association.total.amounts == [9_007_500, 350_000, 0, 0]
    assert totals.grand.total == 9_357_500
    assert totals.association.fte_percent == 455
    assert [year.total for year in FRAMSTEGET.years] == [3_597_500, 2_937_500, 2_822_500]
    assert sum(year.total or 0 for year in FRAMSTEGET.years) == 9_357_500


def test_seed_framsteget_all_owners_column_leaves_out_arbetsformedlingen() -> None:
    """The detailed budget's all-owners sums miss AF's 350 000: each wrong cell is flagged once."""
    warnings = check_budget(FRAMSTEGET)
    assert codes(warnings) == [
        WarningCode.GROUP_TOTAL_MISMATCH,
        WarningCode.BLOCK_TOTAL_MISMATCH,
        WarningCode.GRAND_TOTAL_MISMATCH,
    ]
    for warning in warnings:
        assert warning.source is TotalsSource.DETAILED
        assert warning.owner_index is None
        assert warning.difference == -350_000
    assert warnings[0].message == (
        f"Summan för Lönekostnader (alla insatsägare) är angiven till 8{NBSP}190{NBSP}000 kronor "
        f"men raderna summerar till 8{NBSP}540{NBSP}000 kronor (skillnad 350{NBSP}000 kronor)"
    )
    assert (warnings[1].stated, warnings[1].computed) == (9_007_500, 9_357_500)
    # The figures stay as the applicant typed them.
    assert FRAMSTEGET.stated[0].association.total is not None
    assert FRAMSTEGET.stated[0].association.total.total == 9_007_500


def test_seed_framsteget_proposed_split_sums_to_the_lines() -> None:
    """Pro rata: AF's 350 000 over 2022-2023, the coordinator's 720 000 in 2022 only."""
    split = propose_year_split(FRAMSTEGET)
    assert [year.salaries for year in split.years] == [3_385_000, 2_665_000, 2_490_000]
    assert sum(year.total or 0 for year in split.years) == 9_357_500


def test_seed_ung_framtid_summary_is_consistent() -> None:
    """8 010 000 + 160 000 + 240 000 = 8 410 000; with 6 865 000 co-funding, 15 275 000."""
    assert check_budget(UNG_FRAMTID) == []


def test_seed_ung_framtid_split_over_three_years_gives_the_granted_first_year() -> None:
    """8 410 000 over 36 months is 2 803 333 in 2022: the decision's 'maximalt 2 803 333 kronor'."""
    assert split_by_months(8_410_000, D(2022, 1, 1), D(2024, 12, 31)) == {
        2022: 2_803_333,
        2023: 2_803_333,
        2024: 2_803_334,
    }
