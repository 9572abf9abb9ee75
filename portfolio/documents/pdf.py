"""PDF building blocks shared by every paper (reportlab): styles, bookmarks, the letterhead,
"Sida X av Y", and the pack's page template.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Sequence
from typing import IO, Any, TypeVar
from xml.sax.saxutils import escape

import msgspec
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from applications.documents import (
    _GRID_TABLE,
    _PLAIN_TABLE,
    BOLD,
    CONTENT_WIDTH,
    FONT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    RULE,
    _Furniture,
    _NumberedCanvas,
    _p,
)
from portfolio.core.formatting import format_date_iso, format_date_long
from portfolio.documents.models import (
    Attendee,
    Letterhead,
    Signature,
)

__all__ = [
    "OutlineEntry",
    "PackTemplate",
    "bookmark",
]

F = TypeVar("F", bound=Flowable)

CLAUSE_INDENT = 10 * mm
VOTE_CHOICES = ("ja", "nej", "avstår")
# Where bookmark() leaves its mark on a flowable for PackTemplate to find.
BOOKMARK_ATTRIBUTE = "_bookmark"

_BODY = ParagraphStyle("fs-body", fontName=FONT, fontSize=10, leading=13.5, spaceAfter=5)
_LINE = ParagraphStyle("fs-line", parent=_BODY, spaceAfter=1)
_TITLE = ParagraphStyle(
    "fs-title", fontName=BOLD, fontSize=16, leading=20, spaceBefore=6, spaceAfter=8, keepWithNext=1
)
_HEADING = ParagraphStyle(
    "fs-heading",
    fontName=BOLD,
    fontSize=12,
    leading=15,
    spaceBefore=10,
    spaceAfter=4,
    keepWithNext=1,
)
_SUBHEADING = ParagraphStyle(
    "fs-subheading",
    fontName=BOLD,
    fontSize=10,
    leading=13,
    spaceBefore=6,
    spaceAfter=3,
    keepWithNext=1,
)
# The proposer's sentence and "<body> beslutar" stay with their first att-sats.
_LEAD = ParagraphStyle("fs-lead", parent=_BODY, keepWithNext=1)
# "att" hangs in the margin as a bullet so every clause's text starts at the same indent.
_CLAUSE = ParagraphStyle(
    "fs-clause",
    parent=_BODY,
    leftIndent=CLAUSE_INDENT,
    bulletIndent=0,
    bulletFontName=FONT,
    bulletFontSize=10,
)
_CELL = ParagraphStyle("fs-cell", fontName=FONT, fontSize=9, leading=11)
_CELL_BOLD = ParagraphStyle("fs-cell-bold", parent=_CELL, fontName=BOLD)


# --- Bookmarks and the page template ---------------------------------------------------------


class OutlineEntry(msgspec.Struct, frozen=True):
    """A PDF outline (bookmark) entry: its title and depth, 0 at the top.

    `key` names its destination, so a table of contents can link to it and learn its page.
    """

    title: str
    level: int = 0
    key: str = ""


def bookmark(flowable: F, title: str, level: int = 0, key: str = "") -> F:
    """Mark a flowable so PackTemplate puts an outline entry pointing at it; returns the flowable.

    Mark headings and short blocks: the pieces of a flowable split over a page carry no mark.
    """
    # Keyed entries add up, so a case and its first paper may open at the same flowable; any
    # other mark replaces what was there (a story's own title mark, renamed inside the pack).
    existing = getattr(flowable, BOOKMARK_ATTRIBUTE, [])
    entries = [e for e in existing if key and e.key and e.key != key]
    setattr(flowable, BOOKMARK_ATTRIBUTE, [*entries, OutlineEntry(title, level, key)])
    return flowable


def _contact_line(letterhead: Letterhead) -> str:
    parts = [
        letterhead.address,
        letterhead.postal_address,
        f"Org.nr {letterhead.org_number}" if letterhead.org_number else "",
        letterhead.email,
        letterhead.phone,
    ]
    return " | ".join(part for part in parts if part)


class _PackCanvas(_NumberedCanvas):
    """The numbered canvas, with each bookmark bound to the page it was made on.

    _NumberedCanvas holds every page back until save(), while reportlab binds a bookmark to the
    page the PDF file is writing at that moment: without this every bookmark would open page 1.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._page_bookmarks: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
        # Page numbers known only at the end (a table of contents): (right x, baseline y, key).
        self._late_page_numbers: list[tuple[float, float, str]] = []
        self.page_of: dict[str, int] = {}  # destination key -> page number, filled while building
        super().__init__(*args, **kwargs)

    def bookmarkPage(self, key: str, *args: Any, **kwargs: Any) -> None:
        self._page_bookmarks.append((key, args, kwargs))

    def late_page_number(self, right: float, baseline: float, key: str) -> None:
        """Write the page number of destination `key` here once every page is laid out."""
        self._late_page_numbers.append((right, baseline, key))

    def showPage(self) -> None:
        super().showPage()  # keeps this page's state, its bookmark list included
        self._page_bookmarks = []
        self._late_page_numbers = []

    def _draw_furniture(self, number: int, total: int) -> None:
        # save() has restored this page's state and is about to write it: bind its bookmarks now.
        for key, args, kwargs in self._page_bookmarks:
            Canvas.bookmarkPage(self, key, *args, **kwargs)
        if self._late_page_numbers:
            self.saveState()
            self.setFont(FONT, 10)
            for right, baseline, key in self._late_page_numbers:
                if key in self.page_of:
                    self.drawRightString(right, baseline, str(self.page_of[key]))
            self.restoreState()
        super()._draw_furniture(number, total)


def _drawn_height(flowable: Flowable) -> float:
    # Paragraphs keep their wrapped height in .height, tables in ._height.
    return float(getattr(flowable, "_height", None) or getattr(flowable, "height", 0) or 0)


class PackTemplate(BaseDocTemplate):
    """An A4 document of one or more board documents, "Sida X av Y" on every page.

    Flowables marked with bookmark() get an outline entry pointing at their top edge, so a board
    pack built from several stories has a bookmark per document and per case.
    """

    def __init__(
        self,
        filename: str | IO[bytes],
        *,
        title: str,
        letterhead: Letterhead,
        running_title: str = "",
        subject: str = "",
    ) -> None:
        super().__init__(
            filename,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=title,
            author=letterhead.name,
            subject=subject,
            creator="Finsam Portfolio",
            lang="sv-SE",
        )
        # The frame's default 6 pt padding is the one the furniture's geometry assumes.
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self.furniture = _Furniture(
            header_left=letterhead.name,
            header_right=running_title or title,
            footer_left=_contact_line(letterhead),
        )
        self._outline_count = 0
        self._outline_level = -1

    def build(
        self,
        flowables: list[Flowable],
        filename: str | IO[bytes] | None = None,
        canvasmaker: Any = None,
    ) -> None:
        if canvasmaker is None:
            canvasmaker = functools.partial(_PackCanvas, furniture=self.furniture)
        super().build(flowables, filename=filename, canvasmaker=canvasmaker)

    def afterFlowable(self, flowable: Flowable) -> None:
        for entry in getattr(flowable, BOOKMARK_ATTRIBUTE, []):
            self._add_outline_entry(flowable, entry)

    def _add_outline_entry(self, flowable: Flowable, entry: OutlineEntry) -> None:
        if self._outline_count == 0:
            self.canv.showOutline()  # readers open the pack with its bookmarks in view
        # A PDF outline cannot skip a level: a child needs a parent just before it.
        level = min(max(entry.level, 0), self._outline_level + 1)
        key = entry.key or f"outline-{self._outline_count}"
        self._outline_count += 1
        page_of = getattr(self.canv, "page_of", None)
        if page_of is not None:
            page_of[key] = self.canv.getPageNumber()
        self._outline_level = level
        # The frame has moved below the flowable and its space after: its top is back up there.
        top = self.frame._y + flowable.getSpaceAfter() + _drawn_height(flowable)
        self.canv.bookmarkHorizontalAbsolute(key, top)
        self.canv.addOutlineEntry(entry.title, key, level=level)


def _render(
    story: list[Flowable],
    *,
    title: str,
    letterhead: Letterhead,
    running_title: str = "",
    subject: str = "",
) -> bytes:
    buffer = io.BytesIO()
    template = PackTemplate(
        buffer, title=title, letterhead=letterhead, running_title=running_title, subject=subject
    )
    template.build(story)
    return buffer.getvalue()


# --- Shared pieces ---------------------------------------------------------------------------


def _labelled(label: str, value: str) -> Paragraph:
    """A "Label: value" line with the label in bold."""
    return Paragraph(f"<b>{escape(label)}:</b> {escape(value)}", _LINE)


def _clauses(clauses: Sequence[str]) -> list[Flowable]:
    """Each att-sats its own paragraph, "att" hanging in the margin so the clause text aligns."""
    flowables: list[Flowable] = []
    for clause in clauses:
        text = clause.strip()
        if text.startswith("att "):
            flowables.append(
                Paragraph(escape(text[4:].lstrip()), _CLAUSE, bulletText="att"),
            )
        else:
            flowables.append(_p(text, _CLAUSE))
    return flowables


def _meeting_time(day: dt.date, start: dt.time | None, end: dt.time | None) -> str:
    """ "16 september 2021, kl. 13.00–15.00": Swedish writes clock times with a full stop."""
    when = format_date_long(day)
    if start is None:
        return when
    when += f", kl. {start:%H.%M}"
    return f"{when}–{end:%H.%M}" if end is not None else when


def _meeting_details(
    day: dt.date, start: dt.time | None, end: dt.time | None, place: str
) -> list[Flowable]:
    flowables: list[Flowable] = [_labelled("Tid", _meeting_time(day, start, end))]
    if place:
        flowables.append(_labelled("Plats", place))
    return flowables


def _people(heading: str, people: Sequence[Attendee]) -> list[Flowable]:
    """People with organisation and role, as a borderless table under a heading."""
    if not people:
        return []
    rows = [
        [_p(person.name, _CELL), _p(person.organisation, _CELL), _p(person.role, _CELL)]
        for person in people
    ]
    widths = [55 * mm, 70 * mm, CONTENT_WIDTH - 125 * mm]
    return [
        _p(heading, _SUBHEADING),
        Table(rows, colWidths=widths, style=_PLAIN_TABLE, hAlign="LEFT"),
    ]


def _grid(header: Sequence[str], rows: list[list[Flowable]], widths: Sequence[float]) -> Table:
    """A ruled table with a bold header row that repeats on every page it runs onto."""
    data: list[list[Flowable]] = [[_p(cell, _CELL_BOLD) for cell in header], *rows]
    return Table(data, colWidths=list(widths), style=_GRID_TABLE, repeatRows=1, hAlign="LEFT")


def _signature(signature: Signature) -> list[Flowable]:
    """Name and title on one line, as the seed signs: "Åsa Fichtel, Förbundschef"."""
    text = ", ".join(part for part in (signature.name, signature.title) if part)
    return [Spacer(1, 8 * mm), _p(text, _BODY)]


def _signature_lines(signers: Sequence[tuple[str, str]]) -> Table:
    """Room to sign on a line for each role, the printed name under the line."""
    rows: list[list[Flowable | str]] = []
    style: list[tuple[Any, ...]] = [*_PLAIN_TABLE, ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]
    for role, name in signers:
        line_row = len(rows)
        rows += [[_p(role, _CELL_BOLD), ""], ["", _p(name, _CELL)]]
        style.append(("LINEBELOW", (1, line_row), (1, line_row), 0.5, RULE))
    heights = [14 * mm if index % 2 == 0 else None for index in range(len(rows))]
    return Table(rows, colWidths=[45 * mm, 80 * mm], rowHeights=heights, style=style, hAlign="LEFT")


def _approval_status(approved_on: dt.date | None) -> Paragraph:
    text = f"Justerat {format_date_iso(approved_on)}" if approved_on else "Ej justerat"
    return Paragraph(f"<b>{text}</b>", _BODY)
