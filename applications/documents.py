"""The application as the board reads it: one A4 PDF in Swedish, rendered from plain data."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape

import msgspec
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table

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
from applications.domain import (
    AGREEMENT_TEXT,
    APPLICATION_KIND_LABELS,
    GOAL_KIND_LABELS,
    SECTION_LABELS,
    SECTIONS,
    ApplicationContent,
    ApplicationKind,
    Goal,
    GoalKind,
    Party,
    applied_amount,
)
from portfolio.core.domain import INITIATIVE_KIND_LABELS, InitiativeKind
from portfolio.core.formatting import (
    format_date_iso,
    format_date_long,
    format_kronor,
    format_number,
    format_tkr,
)


class ApplicationDocument(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the renderer needs about one submitted version of an application."""

    association_name: str
    kind: ApplicationKind
    version: int
    submitted_on: dt.date | None
    content: ApplicationContent
    organisation_names: dict[int, str] = {}  # organisation id -> name, for parties and approvals
    # The extension requirements of the decision being extended, with this version's answers.
    requirements: list[tuple[str, str]] = []


DASH = "–"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 22 * mm
# SimpleDocTemplate's frame pads its content by 6 pt on every side.
FRAME_PADDING = 6
CONTENT_LEFT = MARGIN_X + FRAME_PADDING
CONTENT_WIDTH = PAGE_WIDTH - 2 * CONTENT_LEFT
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#999999")
SHADE = colors.HexColor("#EEEEEE")
STRONG_SHADE = colors.HexColor("#DDDDDD")
FONT, BOLD = "Helvetica", "Helvetica-Bold"

_BODY = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13.5, spaceAfter=5)
_TITLE = ParagraphStyle("title", fontName=BOLD, fontSize=18, leading=22, spaceAfter=4)
_SUBTITLE = ParagraphStyle("subtitle", parent=_BODY, textColor=GREY, spaceAfter=2)
_NOTE = ParagraphStyle("note", parent=_SUBTITLE, keepWithNext=1)
_HEADING = ParagraphStyle(
    "heading", fontName=BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4, keepWithNext=1
)
_SUBHEADING = ParagraphStyle(
    "subheading",
    fontName=BOLD,
    fontSize=10,
    leading=13,
    spaceBefore=6,
    spaceAfter=3,
    keepWithNext=1,
)
# The budget's opening lines stay with its first table rather than end a page alone.
_LEAD = ParagraphStyle("lead", parent=_BODY, keepWithNext=1)
_BULLET = ParagraphStyle("bullet", parent=_BODY, leftIndent=12, bulletIndent=2, spaceAfter=3)
_CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11)
_CELL_BOLD = ParagraphStyle("cell-bold", parent=_CELL, fontName=BOLD)


def _p(text: str, style: ParagraphStyle = _BODY) -> Paragraph:
    """A paragraph of plain text: markup characters are escaped, line breaks kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _texts(value: str, style: ParagraphStyle = _BODY) -> list[Flowable]:
    """A free text as paragraphs (split on blank lines), or a dash when it is empty."""
    value = value.replace("\r\n", "\n").strip()
    if not value:
        return [_p(DASH, style)]
    return [_p(block.strip(), style) for block in re.split(r"\n\s*\n", value)]


def _long_date(day: dt.date | None) -> str:
    return format_date_long(day) if day else DASH


# --- page furniture -------------------------------------------------------------------------


class _Furniture(msgspec.Struct, frozen=True):
    """The running header and footer texts."""

    header_left: str
    header_right: str
    footer_left: str


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The text cut with an ellipsis so it fits the width (a header line never wraps)."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


class _NumberedCanvas(Canvas):
    """Holds every page until the end so each footer can say "Sida X av Y" in a single build."""

    def __init__(self, *args: Any, furniture: _Furniture, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_furniture(number, total)
            super().showPage()
        super().save()

    def _draw_furniture(self, number: int, total: int) -> None:
        furniture = self._furniture
        self.saveState()
        self.setFont(FONT, 8)
        self.setFillColor(GREY)
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        top = PAGE_HEIGHT - 14 * mm
        right_text = furniture.header_right
        right_width = stringWidth(right_text, FONT, 8)
        left_room = CONTENT_WIDTH - right_width - 6 * mm
        self.drawString(CONTENT_LEFT, top, _fit(furniture.header_left, FONT, 8, left_room))
        self.drawRightString(PAGE_WIDTH - CONTENT_LEFT, top, right_text)
        self.line(CONTENT_LEFT, top - 2 * mm, PAGE_WIDTH - CONTENT_LEFT, top - 2 * mm)
        bottom = 12 * mm
        self.line(CONTENT_LEFT, bottom + 4 * mm, PAGE_WIDTH - CONTENT_LEFT, bottom + 4 * mm)
        page_text = f"Sida {number} av {total}"
        left_room = CONTENT_WIDTH - stringWidth(page_text, FONT, 8) - 6 * mm
        self.drawString(CONTENT_LEFT, bottom, _fit(furniture.footer_left, FONT, 8, left_room))
        self.drawRightString(PAGE_WIDTH - CONTENT_LEFT, bottom, page_text)
        self.restoreState()


# --- small tables ---------------------------------------------------------------------------

_PLAIN_TABLE = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
]
_GRID_TABLE = [
    *_PLAIN_TABLE,
    ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
    ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
]


def _facts(rows: Sequence[tuple[str, str]]) -> Table:
    """Short sections as a label / value list."""
    data = [[_p(label, _CELL_BOLD), _p(value or DASH, _CELL)] for label, value in rows]
    return Table(
        data, colWidths=[50 * mm, CONTENT_WIDTH - 50 * mm], style=_PLAIN_TABLE, hAlign="LEFT"
    )


def _grid(header: list[str], rows: list[list[Flowable | str]], widths: list[float]) -> Table:
    """A table with a bold header row that repeats on every page it runs onto."""
    data: list[list[Flowable | str]] = [[_p(cell, _CELL_BOLD) for cell in header], *rows]
    return Table(data, colWidths=widths, style=_GRID_TABLE, repeatRows=1, hAlign="LEFT")


# --- the form's sections --------------------------------------------------------------------


def _party_rows(doc: ApplicationDocument) -> list[list[Flowable | str]]:
    content, names = doc.content, doc.organisation_names

    def row(role: str, party: Party) -> list[Flowable | str]:
        organisation = (
            names.get(party.organisation_id, DASH) if party.organisation_id is not None else DASH
        )
        return [
            _p(role, _CELL),
            _p(organisation, _CELL),
            _p(party.contact_name or DASH, _CELL),
            _p(party.contact_email or DASH, _CELL),
        ]

    rows = [row(SECTION_LABELS["lead_owner"], content.lead_owner)]
    # Numbered like the budget template's columns, so the reader can follow an owner across.
    rows += [
        row(f"Delinsatsägare {number}", party)
        for number, party in enumerate(content.co_owners, start=1)
    ]
    if not content.co_owners:
        rows.append(row(SECTION_LABELS["co_owners"], Party()))
    rows += [row("Samverkanspart", party) for party in content.partners]
    if not content.partners:
        rows.append(row(SECTION_LABELS["partners"], Party()))
    return rows


def _parties(doc: ApplicationDocument) -> list[Flowable]:
    # E-mail addresses cannot wrap, so they get the widest column.
    widths = [32 * mm, 38 * mm, 36 * mm, CONTENT_WIDTH - 106 * mm]
    header = ["Roll", "Organisation", "Kontaktperson", "E-post"]
    return [
        Paragraph("Insatsägare och samverkansparter", _HEADING),
        _grid(header, _party_rows(doc), widths),
    ]


def _goals(goals: list[Goal]) -> list[Flowable]:
    flowables: list[Flowable] = [Paragraph(SECTION_LABELS["goals"], _HEADING)]
    goals = [goal for goal in goals if goal.text.strip() or goal.target is not None]
    if not goals:
        return [*flowables, _p(DASH)]
    rows: list[list[Flowable | str]] = []
    kind_rows: list[int] = []
    for kind in GoalKind:
        of_kind = [goal for goal in goals if goal.kind == kind]
        if not of_kind:
            continue
        kind_rows.append(len(rows) + 1)  # +1 for the header row
        rows.append([_p(GOAL_KIND_LABELS[kind], _CELL_BOLD), "", ""])
        for goal in of_kind:
            target = format_number(goal.target) if goal.target is not None else DASH
            rows.append([_p(goal.text or DASH, _CELL), _p(target, _CELL), _p(goal.unit, _CELL)])
    table = _grid(
        ["Beskrivning", "Målvärde", "Enhet"], rows, [105 * mm, 18 * mm, CONTENT_WIDTH - 123 * mm]
    )
    for index in kind_rows:
        table.setStyle(
            [("SPAN", (0, index), (-1, index)), ("BACKGROUND", (0, index), (-1, index), SHADE)]
        )
    return [*flowables, table]


def _approvals(doc: ApplicationDocument) -> list[Flowable]:
    flowables: list[Flowable] = [Paragraph(SECTION_LABELS["approvals"], _HEADING)]
    if not doc.content.approvals:
        return [*flowables, _p(DASH)]
    rows: list[list[Flowable | str]] = []
    for approval in doc.content.approvals:
        organisation = (
            doc.organisation_names.get(approval.organisation_id, DASH)
            if approval.organisation_id is not None
            else DASH
        )
        approved = format_date_long(approval.approved_on) if approval.approved_on else "Ej godkänd"
        rows.append(
            [
                _p(organisation, _CELL),
                _p(approval.name or DASH, _CELL),
                _p(approval.title or DASH, _CELL),
                _p(approved, _CELL),
            ]
        )
    header = ["Part", "Namn", "Befattning", "Godkänt"]
    return [*flowables, _grid(header, rows, [50 * mm, 45 * mm, 40 * mm, CONTENT_WIDTH - 135 * mm])]


def _agreement(content: ApplicationContent) -> list[Flowable]:
    accepted = (
        "Sökande har godkänt överenskommelsen."
        if content.agreement_accepted
        else "Överenskommelsen är inte godkänd."
    )
    return [
        Paragraph(SECTION_LABELS["agreement_accepted"], _HEADING),
        _p(AGREEMENT_TEXT),
        _p(accepted),
    ]


def _requirements(doc: ApplicationDocument) -> list[Flowable]:
    flowables: list[Flowable] = [Paragraph(SECTION_LABELS["requirement_answers"], _HEADING)]
    if not doc.requirements:
        return [*flowables, _p(DASH)]
    for number, (requirement, answer) in enumerate(doc.requirements, start=1):
        flowables.append(
            Paragraph(f"Krav {number}: {escape(requirement)}", _SUBHEADING),
        )
        if answer.strip():
            flowables += _texts(answer)
        else:
            flowables.append(Paragraph("<i>Ej besvarat.</i>", _BODY))
    return flowables


# --- the budget -----------------------------------------------------------------------------


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


# --- the document ---------------------------------------------------------------------------


def _initiative_kind_label(value: str) -> str:
    try:
        return INITIATIVE_KIND_LABELS[InitiativeKind(value)]
    except ValueError:
        return value


def _count(value: int | None) -> str:
    return format_number(value) if value is not None else DASH


def _title_block(doc: ApplicationDocument) -> list[Flowable]:
    content = doc.content
    submitted = (
        f"inskickad {format_date_long(doc.submitted_on)}" if doc.submitted_on else "ej inskickad"
    )
    flowables: list[Flowable] = [
        _p(content.insats_name.strip() or "Namnlös insats", _TITLE),
        _p(f"Version {doc.version}, {submitted}", _SUBTITLE),
    ]
    return [*flowables, Spacer(1, 4 * mm)]


def a4_document(
    buffer: io.BytesIO, *, title: str = "", author: str = "", subject: str = ""
) -> SimpleDocTemplate:
    """An A4 page in the margins every document of ours shares, metadata in Swedish."""
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=author,
        subject=subject,
        creator="Finsam Portfolio",
        lang="sv-SE",
    )


def application_story(doc: ApplicationDocument) -> list[Flowable]:
    """The application's flowables, for its own PDF or as a part of the board pack."""
    content = doc.content
    facts: dict[str, str] = {
        "insats_name": content.insats_name,
        "initiative_kind": _initiative_kind_label(content.initiative_kind),
        "period_start": _long_date(content.period_start),
        "period_end": _long_date(content.period_end),
        "last_intake": _long_date(content.last_intake),
        "expected_participants": _count(content.expected_participants),
        "anchored_on": _long_date(content.anchored_on),
    }
    texts: dict[str, str] = {
        name: getattr(content, name)
        for name in (
            "purpose",
            "background",
            "changes_summary",
            "target_group",
            "method",
            "follow_up",
            "implementation",
            "anchoring",
        )
    }
    builders: dict[str, Callable[[], list[Flowable]]] = {
        "lead_owner": lambda: _parties(doc),
        "goals": lambda: _goals(content.goals),
        "budget": lambda: _budget(content),
        "agreement_accepted": lambda: _agreement(content),
        "approvals": lambda: _approvals(doc),
        "requirement_answers": lambda: _requirements(doc),
    }
    story = _title_block(doc)
    pending: list[tuple[str, str]] = []  # consecutive short sections, shown as one list
    for name, label in SECTIONS:
        if name in facts:
            pending.append((label, facts[name]))
            continue
        if pending:
            story += [Spacer(1, 2 * mm), _facts(pending)]
            pending = []
        if name in texts:
            story += [Paragraph(label, _HEADING), *_texts(texts[name])]
        elif name in builders:
            story += builders[name]()
        # co_owners and partners are rows of the parties table.
    if pending:
        story.append(_facts(pending))
    return story


def render_application_pdf(doc: ApplicationDocument) -> bytes:
    """The application as an A4 PDF in Swedish, as the board reads it in the board pack."""
    name = doc.content.insats_name.strip()
    kind_label = APPLICATION_KIND_LABELS[doc.kind]
    furniture = _Furniture(
        header_left=doc.association_name,
        header_right=f"Ansökan om finansiering — {kind_label}",
        footer_left=name,
    )
    buffer = io.BytesIO()
    template = a4_document(
        buffer,
        title=f"Ansökan {name}".strip(),
        author=doc.association_name,
        subject=f"Ansökan om finansiering — {kind_label}",
    )
    template.build(
        application_story(doc), canvasmaker=functools.partial(_NumberedCanvas, furniture=furniture)
    )
    return buffer.getvalue()
