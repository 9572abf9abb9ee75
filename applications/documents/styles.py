"""The shared look of every PDF of ours: the A4 page geometry, colours and fonts, the paragraph
styles, plain-text paragraphs (escaped, a dash when empty), and the small label/value and grid
tables. Used by the application's PDF, the board pack and the reports alike.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table

from portfolio.core.formatting import format_date_long

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
