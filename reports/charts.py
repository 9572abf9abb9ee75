"""Small server-rendered SVG charts for the follow-up pages: no JavaScript, readable by all.

Each chart carries a <title> and <desc> (role="img", aria-labelledby), and the page shows the
same figures in a table beside it, so the chart is never the only way to read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from portfolio.core.formatting import format_number

# Colour-blind safe pair (Okabe-Ito blue and orange), with text labels anyway.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")
WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 16, 40


def _nice_max(value: int) -> int:
    """A round axis maximum at or above the value (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _frame(chart_id: str, title: str, desc: str, body: list[str], legend: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + 20 * bool(legend)}" '
        f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "".join(legend)
        + "</svg>"
    )


def _axis(top_value: int) -> list[str]:
    plot_height = HEIGHT - TOP - BOTTOM
    parts = []
    for i in range(5):
        value = top_value * i // 4
        y = HEIGHT - BOTTOM - plot_height * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d7de"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(format_number(value))}</text>"
        )
    return parts


def _legend(names: Sequence[str]) -> list[str]:
    if len(names) < 2:
        return []
    parts = []
    for index, name in enumerate(names):
        x = LEFT + index * 170
        parts.append(
            f'<rect x="{x}" y="{HEIGHT + 2}" width="12" height="12" fill="{COLOURS[index % 4]}"/>'
            f'<text x="{x + 16}" y="{HEIGHT + 12}" font-size="12">{escape(name)}</text>'
        )
    return parts


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
) -> str:
    """Grouped bars: one group per label, one bar per series."""
    top_value = _nice_max(max((v for _, values in series for v in values), default=0))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    group = plot_width / max(len(labels), 1)
    bar = group * 0.8 / max(len(series), 1)
    body = _axis(top_value)
    for i, label in enumerate(labels):
        x0 = LEFT + group * i + group * 0.1
        for s, (name, values) in enumerate(series):
            value = values[i] if i < len(values) else 0
            height = plot_height * max(value, 0) / top_value
            body.append(
                f'<rect x="{x0 + bar * s:.1f}" y="{HEIGHT - BOTTOM - height:.1f}" '
                f'width="{bar * 0.92:.1f}" height="{height:.1f}" fill="{COLOURS[s % 4]}">'
                f"<title>{escape(f'{label}, {name}: {format_number(value)}')}</title></rect>"
            )
        body.append(
            f'<text x="{x0 + group * 0.4:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'font-size="11">{escape(label)}</text>'
        )
    return _frame(chart_id, title, desc, body, _legend([name for name, _ in series]))


def progress_bars(
    chart_id: str, title: str, desc: str, rows: Sequence[tuple[str, int, int | None]]
) -> str:
    """One horizontal bar per row: the result so far against its target (a line at 100 %)."""
    height = 28 * len(rows) + 20
    label_width = 220
    plot = WIDTH - label_width - 80
    body = []
    for i, (label, value, target) in enumerate(rows):
        y = 10 + 28 * i
        share = min(value / target, 1.5) if target else 0
        body.append(
            f'<text x="0" y="{y + 14}" font-size="12">{escape(label[:34])}</text>'
            f'<rect x="{label_width}" y="{y}" width="{plot}" height="18" fill="#eef2f6"/>'
            f'<rect x="{label_width}" y="{y}" width="{plot * min(share, 1):.1f}" height="18" '
            f'fill="{COLOURS[2] if target and value >= target else COLOURS[0]}"/>'
            f'<text x="{label_width + plot + 6}" y="{y + 14}" font-size="12">'
            f"{escape(format_number(value))} / {escape(format_number(target) if target else '–')}"
            "</text>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" class="chart">'
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )
