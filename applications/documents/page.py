"""The page around the content: the running header and footer (cut to fit, "Sida X av Y" in a
single build by holding every page to the end) and the A4 document template with the margins
and Swedish metadata every document of ours shares.
"""

from __future__ import annotations

import io
from typing import Any

import msgspec
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

from applications.documents.styles import (
    CONTENT_LEFT,
    CONTENT_WIDTH,
    FONT,
    GREY,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
)


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
