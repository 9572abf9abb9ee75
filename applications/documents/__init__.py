"""The application as the board reads it: one A4 PDF in Swedish, rendered from plain data.

The shared look of our PDFs (page geometry, fonts, paragraph and table styles) is in `styles`,
the page furniture and the A4 template in `page`, the budget's tables in `budget_tables`, and
the application's sections and the rendering itself in `application`. The board pack and the
reports build on the same pieces, so this package re-exports them (a few with their leading
underscore) next to the public names; callers import from `applications.documents`.
"""

from __future__ import annotations

from applications.documents.application import (
    ApplicationDocument,
    application_story,
    render_application_pdf,
)
from applications.documents.page import _Furniture, _NumberedCanvas, a4_document
from applications.documents.styles import (
    _BODY,
    _CELL,
    _GRID_TABLE,
    _HEADING,
    _PLAIN_TABLE,
    _SUBTITLE,
    _TITLE,
    BOLD,
    CONTENT_LEFT,
    CONTENT_WIDTH,
    DASH,
    FONT,
    FRAME_PADDING,
    GREY,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    SHADE,
    STRONG_SHADE,
    _facts,
    _grid,
    _p,
    _texts,
)

__all__ = [
    "BOLD",
    "CONTENT_LEFT",
    "CONTENT_WIDTH",
    "DASH",
    "FONT",
    "FRAME_PADDING",
    "GREY",
    "MARGIN_BOTTOM",
    "MARGIN_TOP",
    "MARGIN_X",
    "PAGE_HEIGHT",
    "PAGE_WIDTH",
    "RULE",
    "SHADE",
    "STRONG_SHADE",
    "_BODY",
    "_CELL",
    "_GRID_TABLE",
    "_HEADING",
    "_PLAIN_TABLE",
    "_SUBTITLE",
    "_TITLE",
    "ApplicationDocument",
    "_Furniture",
    "_NumberedCanvas",
    "_facts",
    "_grid",
    "_p",
    "_texts",
    "a4_document",
    "application_story",
    "render_application_pdf",
]
