"""The application's budget in the PDF: the tkr tables per block with lines, category and group
sums, the summary per owner, a summary-only budget's stated sums, the per-year summary, and the
budget's warnings for the board to observe; all laid out to stay on a portrait page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape

import msgspec
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table

from applications.budget import (
    BLOCK_LABELS,
    CATEGORY_GROUP,
    CATEGORY_LABELS,
    GROUP_LABELS,
    Budget,
    BudgetBlock,
    BudgetLine,
    BudgetTotals,
    BudgetYear,
    CostCategory,
    CostGroup,
    StatedRow,
    check_budget,
    compute_totals,
)
from applications.documents.styles import (
    _BULLET,
    _HEADING,
    _LEAD,
    _NOTE,
    _PLAIN_TABLE,
    _SUBHEADING,
    BOLD,
    CONTENT_WIDTH,
    DASH,
    FONT,
    RULE,
    SHADE,
    STRONG_SHADE,
    _long_date,
    _p,
)
from applications.domain import SECTION_LABELS, ApplicationContent, applied_amount
from portfolio.core.formatting import format_date_iso, format_kronor, format_tkr


class _Columns(msgspec.Struct, frozen=True):
    """The budget tables' shared layout: one label column, then owners and Totalt."""

    headers: list[str]  # owner columns only
    label_width: float
    amount_width: float
    font_size: float

    @property
    def widths(self) -> list[float]:
        return [self.label_width] + [self.amount_width] * (len(self.headers) + 1)


def _budget_columns(budget: Budget, totals: BudgetTotals) -> _Columns:
    width = len(totals.grand.amounts)
    headers = [
        budget.owners[index] if index < len(budget.owners) else f"Kolumn {index + 1}"
        for index in range(width)
    ]
    amount_columns = width + 1
    # The template has five owner columns; with all of them in use the figures shrink a little
    # and the labels get narrower, so that the table stays on a portrait page.
    font_size = 8.0 if amount_columns <= 5 else 7.0
    amount_width = min(24 * mm, (CONTENT_WIDTH - 42 * mm) / amount_columns)
    return _Columns(
        headers=headers,
        label_width=CONTENT_WIDTH - amount_width * amount_columns,
        amount_width=amount_width,
        font_size=font_size,
    )


_HEADER_PADDING = 1.5


def _header_cell(text: str, width: float, size: float) -> Paragraph:
    """A column header whose longest word fits the column, rather than being cut in two."""
    room = width - 2 * _HEADER_PADDING
    longest = max((stringWidth(word, BOLD, 1) for word in text.split()), default=0)
    if longest * size > room > 0:
        # A hair under the exact fit: at exactly the column width reportlab splits the word.
        size = max(5.5, room / longest * 0.98)
    style = ParagraphStyle(
        "amount-header", fontName=BOLD, fontSize=size, leading=size * 1.2, alignment=TA_RIGHT
    )
    return _p(text, style)


def _amount_table(
    columns: _Columns,
    first_header: str,
    rows: list[tuple[Flowable | str, Sequence[int | None], int | None]],
    kinds: list[str],
) -> Table:
    """A tkr table; each row is (label, kronor per column, kronor in all) and a kind for style.

    Kinds: "line", "heading" (shaded, label across), "sum" (bold), "total" (bold, shaded).
    """
    size = columns.font_size
    label_style = ParagraphStyle("amount-label", fontName=FONT, fontSize=size, leading=size * 1.25)
    bold_style = ParagraphStyle("amount-bold", parent=label_style, fontName=BOLD)
    header: list[Flowable | str] = [_p(first_header, bold_style)]
    header += [_header_cell(name, columns.amount_width, size) for name in columns.headers]
    header.append(_header_cell("Totalt", columns.amount_width, size))
    data: list[list[Flowable | str]] = [header]
    for (label, amounts, total), kind in zip(rows, kinds, strict=True):
        if isinstance(label, str):
            label = _p(label, label_style if kind == "line" else bold_style)
        if kind == "heading":
            data.append([label] + [""] * (len(columns.headers) + 1))
            continue
        cells = ["" if amount is None else format_tkr(amount) for amount in amounts]
        data.append([label, *cells, "" if total is None else format_tkr(total)])
    style: list[tuple[Any, ...]] = [
        *_PLAIN_TABLE,
        ("FONTNAME", (1, 1), (-1, -1), FONT),
        ("FONTSIZE", (1, 1), (-1, -1), size),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("LEFTPADDING", (1, 0), (-1, 0), _HEADER_PADDING),
        ("RIGHTPADDING", (1, 0), (-1, 0), _HEADER_PADDING),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("FONTNAME", (-1, 1), (-1, -1), BOLD),
    ]
    for index, kind in enumerate(kinds, start=1):
        if kind == "heading":
            style += [
                ("SPAN", (0, index), (-1, index)),
                ("BACKGROUND", (0, index), (-1, index), SHADE),
            ]
        elif kind in ("sum", "total"):
            style += [
                ("FONTNAME", (1, index), (-1, index), BOLD),
                ("LINEABOVE", (0, index), (-1, index), 0.75, colors.black),
            ]
            if kind == "total":
                style.append(("BACKGROUND", (0, index), (-1, index), STRONG_SHADE))
    return Table(data, colWidths=columns.widths, style=style, repeatRows=1, hAlign="LEFT")


def _line_label(line: BudgetLine, size: float) -> Paragraph:
    category = CATEGORY_LABELS[line.category]
    name = line.label.strip() or category
    if line.category is not CostCategory.SALARY and name != category:
        name = f"{category}: {name}"
    details = []
    if line.category is CostCategory.SALARY and line.fte_percent is not None:
        details.append(f"{line.fte_percent}\u00a0% tjänst")
    if line.period_from or line.period_to:
        details.append(f"{format_date_iso(line.period_from)}–{format_date_iso(line.period_to)}")
    markup = escape(name)
    if details:
        markup += (
            f'<br/><font size="{size - 1}" color="#555555">{escape(", ".join(details))}</font>'
        )
    style = ParagraphStyle("line-label", fontName=FONT, fontSize=size, leading=size * 1.25)
    return Paragraph(markup, style)


_BLOCK_TOTAL_LABELS = {
    BudgetBlock.ASSOCIATION: "Totalt från Samordningsförbundet",
    BudgetBlock.COFUNDING: "Summa egenfinansiering",
}


def _block_table(
    budget: Budget, totals: BudgetTotals, block: BudgetBlock, columns: _Columns
) -> Table:
    """One block of the template: lines per group, category and group sums, the block total."""
    width = len(columns.headers)
    block_totals = totals.block(block)
    lines = [line for line in budget.lines if line.block is block]
    order = {category: index for index, category in enumerate(CostCategory)}
    rows: list[tuple[Flowable | str, Sequence[int | None], int | None]] = []
    kinds: list[str] = []

    def add(
        label: Flowable | str, amounts: Sequence[int | None], total: int | None, kind: str
    ) -> None:
        rows.append((label, amounts, total))
        kinds.append(kind)

    for group in CostGroup:
        in_group = sorted(
            (line for line in lines if CATEGORY_GROUP[line.category] is group),
            key=lambda line: order[line.category],  # stable: the owner's order within a category
        )
        if in_group:
            add(GROUP_LABELS[group], [], None, "heading")
        categories = list(dict.fromkeys(line.category for line in in_group))
        for category in categories:
            of_category = [line for line in in_group if line.category is category]
            for line in of_category:
                amounts = [*line.amounts, *[0] * (width - len(line.amounts))]
                add(_line_label(line, columns.font_size), amounts, sum(line.amounts), "line")
            # A category sum only where it tells something the group sum does not.
            if len(of_category) > 1 and len(categories) > 1:
                category_sum = block_totals.categories[category]
                label = f"Summa {CATEGORY_LABELS[category].lower()}"
                add(label, category_sum.amounts, category_sum.total, "sum")
        group_sum = block_totals.groups[group]
        label = f"Summa {GROUP_LABELS[group].lower()}"
        if group is CostGroup.SALARIES and block_totals.fte_percent:
            label += f", {block_totals.fte_percent}\u00a0% tjänst"
        add(label, group_sum.amounts, group_sum.total, "sum")
    add(_BLOCK_TOTAL_LABELS[block], block_totals.total.amounts, block_totals.total.total, "total")
    return _amount_table(columns, "Kostnadsslag, tkr", rows, kinds)


def _summary_table(totals: BudgetTotals, columns: _Columns) -> Table:
    """The budget summary: both blocks and the whole insats, per owner."""
    rows: list[tuple[Flowable | str, Sequence[int | None], int | None]] = [
        (BLOCK_LABELS[block], totals.block(block).total.amounts, totals.block(block).total.total)
        for block in BudgetBlock
    ]
    rows.append(("Total kostnad för insatsen", totals.grand.amounts, totals.grand.total))
    return _amount_table(columns, "tkr", rows, ["line", "line", "total"])


def _stated_table(budget: Budget, columns: _Columns) -> Table | None:
    """Without lines, the sums the application states (a summary-only budget), as stated."""
    stated = next(iter(budget.stated), None)
    if stated is None:
        return None
    width = len(columns.headers)

    def cells(row: StatedRow | None) -> tuple[list[int | None], int | None]:
        if row is None:
            return [None] * width, None
        return [*row.amounts, *[None] * (width - len(row.amounts))][:width], row.total

    rows: list[tuple[Flowable | str, Sequence[int | None], int | None]] = []
    for block in BudgetBlock:
        rows.append((BLOCK_LABELS[block], *cells(stated.block(block).total)))
    rows.append(("Total kostnad för insatsen", *cells(stated.grand)))
    return _amount_table(columns, "tkr", rows, ["line", "line", "total"])


def _years_table(years: list[BudgetYear]) -> Table:
    """The per-year summary as stated; its Totalt column sums the stated cells."""
    fields: list[tuple[str, Callable[[BudgetYear], int | None]]] = [
        (GROUP_LABELS[CostGroup.SALARIES], lambda year: year.salaries),
        (GROUP_LABELS[CostGroup.PREMISES], lambda year: year.premises),
        (GROUP_LABELS[CostGroup.OTHER], lambda year: year.other),
        ("Summa", lambda year: year.total),
    ]
    amount_width = min(24 * mm, (CONTENT_WIDTH - 45 * mm) / (len(years) + 1))
    columns = _Columns(
        headers=[f"{year.label} ({year.year})" if year.year else year.label for year in years],
        label_width=CONTENT_WIDTH - amount_width * (len(years) + 1),
        amount_width=amount_width,
        font_size=8.0,
    )
    rows: list[tuple[Flowable | str, Sequence[int | None], int | None]] = []
    for label, field in fields:
        values = [field(year) for year in years]
        stated = [value for value in values if value is not None]
        rows.append((label, values, sum(stated) if stated else None))
    return _amount_table(columns, "tkr", rows, ["line", "line", "line", "total"])


def _budget(content: ApplicationContent) -> list[Flowable]:
    budget = content.budget
    flowables: list[Flowable] = [Paragraph(SECTION_LABELS["budget"], _HEADING)]
    if not (budget.lines or budget.years or budget.stated):
        return [*flowables, _p(DASH)]
    totals = compute_totals(budget)
    columns = _budget_columns(budget, totals)
    if budget.lines:
        applied = applied_amount(content)
        cofunding = totals.cofunding.total.total
        flowables.append(Paragraph(f"<b>Sökt belopp:</b> {format_kronor(applied)}", _LEAD))
        if cofunding:
            flowables.append(
                Paragraph(f"<b>Egenfinansiering:</b> {format_kronor(cofunding)}", _LEAD)
            )
    else:
        stated_total = next(
            (s.association.total.total for s in budget.stated if s.association.total is not None),
            None,
        )
        if stated_total is not None:
            flowables.append(
                Paragraph(
                    f"<b>Sökt belopp enligt budgetsammanställningen:</b> "
                    f"{format_kronor(stated_total)}",
                    _LEAD,
                )
            )
    if budget.period_from or budget.period_to:
        period = f"{_long_date(budget.period_from)} – {_long_date(budget.period_to)}"
        flowables.append(Paragraph(f"<b>Budgetens löptid:</b> {period}", _LEAD))
    flowables.append(_p("Belopp i tabellerna i tkr.", _NOTE))
    if budget.lines:
        for block in BudgetBlock:
            flowables.append(Paragraph(BLOCK_LABELS[block], _SUBHEADING))
            if any(line.block is block for line in budget.lines):
                flowables.append(_block_table(budget, totals, block, columns))
            else:
                flowables.append(_p(DASH))
        flowables += [Paragraph("Sammanställning", _SUBHEADING), _summary_table(totals, columns)]
    else:
        stated_table = _stated_table(budget, columns)
        if stated_table is not None:
            flowables += [Paragraph("Budgetsammanställning", _SUBHEADING), stated_table]
    if budget.years:
        flowables += [
            Paragraph(f"Per år: {BLOCK_LABELS[BudgetBlock.ASSOCIATION]}", _SUBHEADING),
            _years_table(budget.years),
        ]
    warnings = check_budget(budget)
    if warnings:
        flowables.append(Paragraph("Att observera i budgeten", _SUBHEADING))
        flowables += [
            Paragraph(escape(warning.message.rstrip(".") + "."), _BULLET, bulletText="•")
            for warning in warnings
        ]
    return flowables
