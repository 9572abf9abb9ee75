"""The template's shape as the importer recognises it: the headings of blocks and groups, sum
rows and what they sum, category labels typed with a slip, placeholder rows, the per-year
summary's rows, and the structures that hold a detailed sheet's layout and figures as read.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from applications.budget import (
    CATEGORY_LABELS,
    BudgetBlock,
    BudgetLine,
    CostCategory,
    CostGroup,
    StatedBlock,
    StatedRow,
    StatedTotals,
    TotalsSource,
)
from applications.budget_xlsx.parsing import _blank, _key

_FROM_KEYS = {"från", "periodfrån", "fom", "frånochmed", "datumfrån", "startdatum", "start"}
_TO_KEYS = {"till", "periodtill", "tom", "tillochmed", "datumtill", "slutdatum", "slut"}
_PLACEHOLDER_OWNERS = {"namn", "huvudinsatsägare", "delinsatsägare", "insatsägare"}
_PLACEHOLDER_LABELS = {"kostnadsbeteckning", "namn"}
_YEAR_LABEL = re.compile(r"år(\d{1,2})")
_GROUP_KEYS = {
    CostGroup.SALARIES: "lönekostnader",
    CostGroup.PREMISES: "lokalkostnader",
    CostGroup.OTHER: "övrigakostnader",
}
_CATEGORY_KEYS = {_key(label): category for category, label in CATEGORY_LABELS.items()}


def _block_heading(key: str) -> BudgetBlock | None:
    if key.startswith(("attrekvirera", "kostnaderattrekvirera")):
        return BudgetBlock.ASSOCIATION
    if key.startswith("egenfinansiering"):
        return BudgetBlock.COFUNDING
    return None


def _group_heading(key: str) -> CostGroup | None:
    if key.startswith("lönekostnader"):  # "Lönekostnader inkl PO.pålägg" in the template
        return CostGroup.SALARIES
    if key in ("lokalkostnader", "övrigakostnader"):
        return CostGroup.PREMISES if key == "lokalkostnader" else CostGroup.OTHER
    return None


_SumKind = CostGroup | CostCategory | BudgetBlock | None
_GRAND = None  # a sum row of the whole insats: "Total kostnad för insatsen"


def _sum_kind(key: str) -> tuple[bool, _SumKind]:
    """Whether a row is a sum row, and what it sums: a group, a category, a block or all."""
    for prefix in ("summa", "totalt", "total"):
        if key.startswith(prefix):
            rest = key[len(prefix) :]
            break
    else:
        return False, None
    for group, group_key in _GROUP_KEYS.items():
        if rest.startswith(group_key):
            return True, group
    if rest.startswith("egenfinansiering"):
        return True, BudgetBlock.COFUNDING
    if rest.startswith(("frånsamordningsförbundet", "attrekvirera", "samordningsförbundet")):
        return True, BudgetBlock.ASSOCIATION
    if rest in _CATEGORY_KEYS:
        return True, _CATEGORY_KEYS[rest]
    if rest in ("", "kostnadförinsatsen", "kostnad", "förinsatsen", "insatsen", "projektet"):
        return True, _GRAND
    return False, None


def _close_category(key: str) -> CostCategory | None:
    """A category whose label was typed with a slip or shortened ("Utvärdring", "Inköpta utr…")."""
    if len(key) < 4:
        return None
    candidates = {k: c for k, c in _CATEGORY_KEYS.items() if c is not CostCategory.SALARY}
    prefixed = [c for k, c in candidates.items() if len(key) >= 6 and k.startswith(key)]
    if len(prefixed) == 1:
        return prefixed[0]
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, k).ratio(), c) for k, c in candidates.items()),
        key=lambda pair: pair[0],
        reverse=True,
    )
    if scored[0][0] >= 0.85 and (len(scored) == 1 or scored[1][0] < scored[0][0] - 0.05):
        return scored[0][1]
    return None


def _placeholder(label: str) -> bool:
    """A label the template prints on rows to be filled in: "3.", "Kostnadsbeteckning"."""
    return not label or bool(re.fullmatch(r"\d+\.?", label)) or _key(label) in _PLACEHOLDER_LABELS


def _year_numbers(key: str, values: dict[int, object]) -> bool:
    """Whether a row of the per-year summary holds calendar years (2022, 2023, …)."""
    numbers = [value for value in values.values() if not _blank(value)]
    return (
        key in ("", "år", "kalenderår")
        and bool(numbers)
        and all(isinstance(v, int | float) and 1900 <= v <= 2200 for v in numbers)
    )


def _year_part(key: str) -> str | None:
    """The BudgetYear field a row of the per-year summary gives, by its label."""
    if key.startswith("lönekostnader"):
        return "salaries"
    if key.startswith(("lokalkostnader", "lokalhyra", "övrigalokalkostnader")):
        return "premises"
    if key.startswith("övrigakostnader"):
        return "other"
    if key.startswith(("totalt", "summa", "total")):
        return "total"
    return None


@dataclass(frozen=True)
class _Layout:
    """Where the detailed sheet keeps what: header rows and the columns found by their headings."""

    header_row: int
    header_rows: set[int]
    label_col: int
    fte_col: int | None
    from_col: int | None
    to_col: int | None
    owner_cols: list[int]
    total_col: int


# A stated row while reading: one cell per owner column, then the all-owners cell.
_RawRow = list[int | None]


@dataclass
class _BlockStated:
    """Sums stated in one block while reading, before the width of the budget is known."""

    categories: dict[CostCategory, _RawRow] = field(default_factory=dict)
    groups: dict[CostGroup, _RawRow] = field(default_factory=dict)
    total: _RawRow | None = None
    fte_percent: int | None = None


@dataclass
class _Detailed:
    """What the detailed sheet holds, as read."""

    lines: list[BudgetLine] = field(default_factory=list)
    used_cols: set[int] = field(default_factory=set)  # owner columns (0-based) lines typed in
    blocks: dict[BudgetBlock, _BlockStated] = field(
        default_factory=lambda: {block: _BlockStated() for block in BudgetBlock}
    )
    grand: _RawRow | None = None
    any_stated: bool = False
    end_row: int | None = None

    def stated_rows(self) -> list[_RawRow]:
        rows = [self.grand] if self.grand else []
        for block in self.blocks.values():
            rows += [*block.categories.values(), *block.groups.values()]
            rows += [block.total] if block.total else []
        return rows

    def stated(self, width: int) -> StatedTotals:
        def row(raw: _RawRow) -> StatedRow:
            amounts = raw[:-1][:width]
            return StatedRow(amounts=amounts + [None] * (width - len(amounts)), total=raw[-1])

        def block(stated: _BlockStated) -> StatedBlock:
            return StatedBlock(
                categories={c: row(r) for c, r in stated.categories.items()},
                groups={g: row(r) for g, r in stated.groups.items()},
                total=row(stated.total) if stated.total else None,
                fte_percent=stated.fte_percent,
            )

        return StatedTotals(
            source=TotalsSource.DETAILED,
            association=block(self.blocks[BudgetBlock.ASSOCIATION]),
            cofunding=block(self.blocks[BudgetBlock.COFUNDING]),
            grand=row(self.grand) if self.grand else None,
        )
