"""A grouped bar chart of money per year, drawn three ways from one description: reportlab for
the PDF, SVG for the web page and PNG for Word (python-docx takes no vector drawings)."""

from __future__ import annotations

import io
import math
from html import escape
from pathlib import Path

import msgspec
from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from portfolio.core.formatting import format_number, round_tkr

SERIES_COLOURS = ("#4a7aa8", "#d08c2f", "#6b9b5e", "#9a5a8e")
FONT = "Helvetica"
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


class Series(msgspec.Struct, frozen=True):
    name: str
    values: list[int]  # kronor, one per category


class BarChart(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    categories: list[str]
    series: list[Series]
    unit: str = "tkr"


class Scale(msgspec.Struct, frozen=True):
    low: int
    high: int
    step: int


def nice_scale(values: list[int], ticks: int = 5) -> Scale:
    """An axis in whole tkr from a round number below the lowest value (or 0) to one above the
    highest, in 1, 2 or 5 × 10^n steps; zero is always on the axis, so a negative room shows."""
    low, high = min([0, *values]), max([0, *values])
    if low == high:
        return Scale(0, 1, 1)
    raw = (high - low) / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return Scale(math.floor(low / step) * step, math.ceil(high / step) * step, step)


def _tkr_values(chart: BarChart) -> list[list[int]]:
    return [[round_tkr(v) for v in s.values] for s in chart.series]


def chart_drawing(chart: BarChart, width: float, height: float) -> Drawing:
    """The chart as a reportlab Drawing: a flowable in a PDF, or SVG through renderSVG."""
    data = _tkr_values(chart)
    scale = nice_scale([v for row in data for v in row])
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, chart.title, fontName=FONT + "-Bold", fontSize=10))
    bars = VerticalBarChart()
    bars.x, bars.y = 55, 40
    bars.width, bars.height = width - 70, height - 75
    bars.data = data
    bars.categoryAxis.categoryNames = chart.categories
    bars.categoryAxis.labels.fontName = FONT
    bars.categoryAxis.labels.fontSize = 8
    bars.categoryAxis.labels.boxAnchor = "n"
    bars.categoryAxis.labels.dy = -4
    # The category labels sit at the bottom even when the bars go below zero.
    bars.categoryAxis.labelAxisMode = "low"
    bars.valueAxis.valueMin, bars.valueAxis.valueMax = scale.low, scale.high
    bars.valueAxis.valueStep = scale.step
    bars.valueAxis.labels.fontName = FONT
    bars.valueAxis.labels.fontSize = 8
    bars.valueAxis.labelTextFormat = lambda value: format_number(int(value))
    bars.valueAxis.visibleGrid = True
    bars.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    bars.groupSpacing = 8
    for index, colour in enumerate(SERIES_COLOURS[: len(data)]):
        bars.bars[index].fillColor = colors.HexColor(colour)
        bars.bars[index].strokeColor = None
    drawing.add(bars)
    legend = Legend()
    legend.x, legend.y = 55, 12
    legend.fontName, legend.fontSize = FONT, 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 150
    legend.colorNamePairs = [
        (colors.HexColor(c), s.name) for c, s in zip(SERIES_COLOURS, chart.series, strict=False)
    ]
    drawing.add(legend)
    drawing.add(String(0, 26, chart.unit, fontName=FONT, fontSize=8))
    return drawing


def chart_svg(chart: BarChart, width: float = 640, height: float = 260) -> str:
    """The chart as an inline <svg> element, titled for screen readers."""
    svg = renderSVG.drawToString(chart_drawing(chart, width, height))
    body = svg[svg.index("<svg") :]
    title = escape(chart.title)
    return body.replace(">", f' role="img" aria-label="{title}"><title>{title}</title>', 1)


def chart_png(chart: BarChart, width: int = 1200, height: int = 500) -> bytes:
    """The chart as a PNG for Word, drawn with Pillow (reportlab's bitmap renderer needs cairo)."""
    from PIL import Image, ImageDraw, ImageFont

    def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        if _DEJAVU.exists():
            return ImageFont.truetype(str(_DEJAVU), size)
        return ImageFont.load_default(size)

    data = _tkr_values(chart)
    scale = nice_scale([v for row in data for v in row])
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    small, title = font(20), font(26)
    draw.text((10, 8), chart.title, fill="black", font=title)
    left, right, top, bottom = 130, width - 20, 60, height - 90

    def y_of(value: float) -> float:
        return bottom - (value - scale.low) / (scale.high - scale.low) * (bottom - top)

    for tick in range(scale.low, scale.high + 1, scale.step):
        y = y_of(tick)
        draw.line([(left, y), (right, y)], fill="#dddddd" if tick else "#555555", width=2)
        draw.text((left - 10, y), format_number(tick), fill="black", font=small, anchor="rm")
    group = (right - left) / max(len(chart.categories), 1)
    bar = (group - 24) / max(len(data), 1)
    for c, label in enumerate(chart.categories):
        x0 = left + c * group + 12
        for s, row in enumerate(data):
            y0, y1 = sorted((y_of(0), y_of(row[c])))
            colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
            draw.rectangle([x0 + s * bar, y0, x0 + (s + 1) * bar - 4, y1], fill=colour)
        draw.text((x0 + group / 2 - 12, bottom + 12), label, fill="black", font=small, anchor="mt")
    x = left
    for s, series in enumerate(chart.series):
        colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
        draw.rectangle([x, height - 34, x + 22, height - 14], fill=colour)
        draw.text((x + 30, height - 24), series.name, fill="black", font=small, anchor="lm")
        x += 40 + int(draw.textlength(series.name, font=small))
    draw.text((10, bottom + 12), chart.unit, fill="black", font=small)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
