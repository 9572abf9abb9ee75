"""The budget template's structure: its blocks, cost groups and categories with their Swedish
labels, and the structs of a budget (lines, the per-year summary and the sums an application
states). Plain data with no arithmetic: the sums are in `totals`, the checks in `checks`.
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

# The template has a column for the lead owner and four for co-owners.
MAX_OWNERS = 5


class BudgetBlock(enum.StrEnum):
    """The two blocks of the template: what the association pays, and the parties' own money."""

    ASSOCIATION = "association"
    COFUNDING = "cofunding"


BLOCK_LABELS: dict[BudgetBlock, str] = {
    BudgetBlock.ASSOCIATION: "Att rekvirera från Samordningsförbundet",
    BudgetBlock.COFUNDING: "Egenfinansiering",
}


class CostGroup(enum.StrEnum):
    """The three headings the template sums under, in each block and in the per-year summary."""

    SALARIES = "salaries"
    PREMISES = "premises"
    OTHER = "other"


GROUP_LABELS: dict[CostGroup, str] = {
    CostGroup.SALARIES: "Lönekostnader",
    CostGroup.PREMISES: "Lokalkostnader",
    CostGroup.OTHER: "Övriga kostnader",
}


class CostCategory(enum.StrEnum):
    """The fixed cost lines of the template."""

    SALARY = "salary"
    PREMISES_RENT = "premises_rent"
    PREMISES_OTHER = "premises_other"
    EVALUATION = "evaluation"
    DISSEMINATION = "dissemination"
    STAFF_TRAINING = "staff_training"
    PURCHASED_SERVICES = "purchased_services"
    PARTICIPANT_ACTIVITIES = "participant_activities"
    PHONE_IT = "phone_it"
    TRAVEL = "travel"
    INTERPRETER = "interpreter"
    INFORMATION_MATERIAL = "information_material"
    OTHER = "other"


CATEGORY_LABELS: dict[CostCategory, str] = {
    CostCategory.SALARY: "Lönekostnader",
    CostCategory.PREMISES_RENT: "Lokalhyra",
    CostCategory.PREMISES_OTHER: "Övriga lokalkostnader",
    CostCategory.EVALUATION: "Utvärdering",
    CostCategory.DISSEMINATION: "Spridningsseminarier",
    CostCategory.STAFF_TRAINING: "Utbildning insatsmedarbetare",
    CostCategory.PURCHASED_SERVICES: (
        "Inköpta utredningar, utbildningar och tjänster avsedda för deltagare"
    ),
    CostCategory.PARTICIPANT_ACTIVITIES: "Övriga aktiviteter för deltagare",
    CostCategory.PHONE_IT: "Telefon-, IT-kostnader",
    CostCategory.TRAVEL: "Resor",
    CostCategory.INTERPRETER: "Tolk",
    CostCategory.INFORMATION_MATERIAL: "Informationsmaterial",
    CostCategory.OTHER: "Övrigt",
}

CATEGORY_GROUP: dict[CostCategory, CostGroup] = {
    CostCategory.SALARY: CostGroup.SALARIES,
    CostCategory.PREMISES_RENT: CostGroup.PREMISES,
    CostCategory.PREMISES_OTHER: CostGroup.PREMISES,
    **{
        category: CostGroup.OTHER
        for category in CostCategory
        if category
        not in (CostCategory.SALARY, CostCategory.PREMISES_RENT, CostCategory.PREMISES_OTHER)
    },
}


def categories_in(group: CostGroup) -> tuple[CostCategory, ...]:
    """The categories summed under a group, in template order."""
    return tuple(category for category in CostCategory if CATEGORY_GROUP[category] is group)


class TotalsSource(enum.StrEnum):
    """Which table of the application a stated figure was read from."""

    DETAILED = "detailed"
    SUMMARY = "summary"


SOURCE_LABELS: dict[TotalsSource, str] = {
    TotalsSource.DETAILED: "Budget – detaljerad",
    TotalsSource.SUMMARY: "Budgetsammanställning",
}


class BudgetLine(msgspec.Struct, frozen=True, kw_only=True):
    """One row of the template: a role (salary) or a cost, with an amount per owner column."""

    block: BudgetBlock
    category: CostCategory
    label: str = ""
    fte_percent: int | None = None  # "tjänst i %", salary lines only
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    amounts: list[int] = []  # kronor, one per owner column, in Budget.owners order
    # The row's own "alla insatsägare" cell as typed; None when blank.
    stated_total: int | None = None


class BudgetYear(msgspec.Struct, frozen=True, kw_only=True):
    """One column of the per-year summary (ÅR 1, ÅR 2, …) as stated; None is a blank cell."""

    label: str
    year: int | None = None
    salaries: int | None = None
    premises: int | None = None
    other: int | None = None
    total: int | None = None


class StatedRow(msgspec.Struct, frozen=True, kw_only=True):
    """A stated sum row: one cell per owner column, and the all-owners cell; None is blank."""

    amounts: list[int | None] = []
    total: int | None = None


class StatedBlock(msgspec.Struct, frozen=True, kw_only=True):
    """The sums stated within one block: per category, per group, for the block, and tjänst %."""

    categories: dict[CostCategory, StatedRow] = {}
    groups: dict[CostGroup, StatedRow] = {}
    total: StatedRow | None = None  # "Totalt från Samordningsförbundet" / "Summa egenfinansiering"
    fte_percent: int | None = None  # the "Summa lönekostnader" tjänst % cell


class StatedTotals(msgspec.Struct, frozen=True, kw_only=True):
    """Every sum one table of the application states, kept exactly as typed or imported."""

    source: TotalsSource = TotalsSource.DETAILED
    association: StatedBlock = msgspec.field(default_factory=StatedBlock)
    cofunding: StatedBlock = msgspec.field(default_factory=StatedBlock)
    grand: StatedRow | None = None  # "Total kostnad för insatsen" / the summary's Summa row

    def block(self, block: BudgetBlock) -> StatedBlock:
        return self.association if block is BudgetBlock.ASSOCIATION else self.cofunding


class Budget(msgspec.Struct, frozen=True, kw_only=True):
    """An application's budget: owners (lead owner first), lines, year summary, stated sums."""

    owners: list[str]
    lines: list[BudgetLine] = []
    years: list[BudgetYear] = []
    stated: list[StatedTotals] = []
    period_from: dt.date | None = None  # "Insatsens löptid", the fallback for lines without one
    period_to: dt.date | None = None
