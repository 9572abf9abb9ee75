""" "Ekonomisk information" as PDF: the budget room table and its chart."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from applications.documents import (
    _PLAIN_TABLE,
    BOLD,
    CONTENT_WIDTH,
    FONT,
    RULE,
    _p,
)
from portfolio.core.formatting import format_number
from portfolio.documents.charts import BarChart, chart_drawing
from portfolio.documents.models import (
    EconomyReport,
)
from portfolio.documents.pdf import (
    _BODY,
    _CELL,
    _CELL_BOLD,
    _LINE,
    _SUBHEADING,
    _TITLE,
    _render,
    _signature,
    bookmark,
)

# --- Ekonomisk information -------------------------------------------------------------------


def economy_title(doc: EconomyReport) -> str:
    return "Ekonomisk information" + (f" inför {doc.meeting_label}" if doc.meeting_label else "")


def _economy_table(doc: EconomyReport) -> Table:
    amount_width = 19 * mm
    label_width = CONTENT_WIDTH - amount_width * len(doc.columns)
    data: list[list[Flowable | str]] = [
        [_p("tkr", _CELL_BOLD), *[_p(c, _CELL_BOLD) for c in doc.columns]]
    ]
    style: list[tuple[Any, ...]] = [
        *_PLAIN_TABLE,
        ("FONTNAME", (1, 1), (-1, -1), FONT),
        ("FONTSIZE", (1, 1), (-1, -1), 9),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
    ]
    for index, row in enumerate(doc.rows, start=1):
        label = escape(row.label) + (
            f' <font color="#555555">({escape(row.owner)})</font>' if row.owner else ""
        )
        data.append(
            [
                Paragraph(label, _CELL_BOLD if row.is_total else _CELL),
                *["" if v is None else format_number(v) for v in row.tkr],
            ]
        )
        if row.is_total:
            style += [
                ("FONTNAME", (1, index), (-1, index), BOLD),
                ("LINEABOVE", (0, index), (-1, index), 0.75, colors.black),
            ]
        negative = [i for i, v in enumerate(row.tkr, start=1) if v is not None and v < 0]
        for column in negative:
            style.append(
                ("TEXTCOLOR", (column, index), (column, index), colors.HexColor("#b00020"))
            )
    widths = [label_width, *[amount_width] * len(doc.columns)]
    return Table(data, colWidths=widths, style=style, repeatRows=1, hAlign="LEFT")


def economy_story(
    doc: EconomyReport, chart: BarChart, *, outline_level: int = 0, key: str = ""
) -> list[Flowable]:
    """The budget room in tkr before and after the meeting's applications, with its chart;
    when years lack a budget, the message naming them instead."""
    heading = bookmark(_p(economy_title(doc), _TITLE), "Ekonomisk information", outline_level, key)
    if doc.missing:
        return [
            heading,
            Paragraph("<b>Beslutsutrymmet kan inte visas.</b> " + escape(doc.missing), _BODY),
            *_signature(doc.signature),
        ]
    story: list[Flowable] = [
        heading,
        _p(
            "Beslutsutrymme per år före och efter de ansökningar som ligger för beslut. "
            "Belopp i tkr; summorna är avrundade exakta summor.",
            _BODY,
        ),
        _economy_table(doc),
    ]
    if doc.over_committed:
        story.append(
            Paragraph(
                "<b>Överintecknat:</b> utrymmet efter nya ansökningar är negativt för "
                + escape(", ".join(doc.over_committed))
                + ".",
                _BODY,
            )
        )
    if doc.applications:
        story.append(_p("Ansökningar som räknas in", _SUBHEADING))
        story += [_p(f"• {name}", _LINE) for name in doc.applications]
    story += [Spacer(1, 4 * mm), KeepTogether([chart_drawing(chart, CONTENT_WIDTH, 70 * mm)])]
    return [*story, *_signature(doc.signature)]


def render_economy_pdf(doc: EconomyReport, chart: BarChart) -> bytes:
    return _render(
        economy_story(doc, chart),
        title=economy_title(doc),
        letterhead=doc.letterhead,
        subject="Ekonomisk information",
    )
