"""Reports as A4 PDF (reportlab): one report, and a summary of accepted reports for a meeting.

Renderers take plain Structs and return bytes; the page furniture ("Sida X av Y") and table
styles are the application PDF's, so every document of the association looks the same.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Sequence

import msgspec
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from applications.documents import (
    _BODY,
    _CELL,
    _HEADING,
    _SUBTITLE,
    _TITLE,
    CONTENT_WIDTH,
    DASH,
    _facts,
    _Furniture,
    _grid,
    _NumberedCanvas,
    _p,
    _texts,
    a4_document,
)
from portfolio.core.formatting import (
    format_date_iso,
    format_date_long,
    format_kronor,
    format_number,
)
from reports.domain import (
    OUTCOME_LABELS,
    PROGRESSION_INDICATORS,
    REPORT_KIND_LABELS,
    REPORT_STATUS_LABELS,
    CostProgress,
    GoalProgress,
    ProgressionRound,
    ReportContent,
    ReportKind,
    ReportStatus,
)


class ReportDocument(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the renderer needs about one report."""

    association_name: str
    initiative_name: str
    organisation_name: str
    kind: ReportKind
    label: str
    status: ReportStatus
    period_start: dt.date | None
    period_end: dt.date | None
    due_on: dt.date | None
    submitted_on: dt.date | None
    content: ReportContent
    goals: list[GoalProgress] = []
    costs: list[CostProgress] = []
    progression: ProgressionRound | None = None
    review_comment: str = ""


class SummaryEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One accepted report in a meeting's summary."""

    initiative_name: str
    organisation_name: str
    label: str
    new_participants: int
    ended_to_work_or_studies: int
    costs: int
    year_forecast: int | None
    goals: list[GoalProgress] = []
    deviations: str = ""
    narrative: str = ""


class SummaryDocument(msgspec.Struct, frozen=True, kw_only=True):
    """Accepted reports since a date, for the board's information."""

    association_name: str
    title: str
    since: dt.date | None
    until: dt.date
    entries: list[SummaryEntry]


def _template(buffer: io.BytesIO, title: str, author: str, subject: str) -> SimpleDocTemplate:
    return a4_document(buffer, title=title, author=author, subject=subject)


def _period(start: dt.date | None, end: dt.date | None) -> str:
    if start is None or end is None:
        return DASH
    return f"{format_date_iso(start)} – {format_date_iso(end)}"


def _num(value: int | None) -> str:
    return DASH if value is None else format_number(value)


def _goal_table(goals: Sequence[GoalProgress]) -> list[Flowable]:
    if not goals:
        return [_p("Ansökan har inga mål att följa upp.")]
    rows: list[list[Flowable | str]] = [
        [
            _p(g.text, _CELL),
            _p(f"{_num(g.target)} {g.unit}".strip(), _CELL),
            _p(_num(g.period), _CELL),
            _p(_num(g.cumulative), _CELL),
            _p(DASH if g.percent is None else f"{g.percent} %", _CELL),
        ]
        for g in goals
    ]
    widths = [CONTENT_WIDTH - 100 * mm, 28 * mm, 22 * mm, 26 * mm, 24 * mm]
    return [_grid(["Mål", "Målvärde", "Perioden", "Hittills", "Av målet"], rows, widths)]


def _cost_table(costs: Sequence[CostProgress]) -> list[Flowable]:
    if not costs:
        return [_p("Inga kostnader redovisade.")]
    rows: list[list[Flowable | str]] = [
        [
            _p(c.label, _CELL),
            _p(format_number(c.budget), _CELL),
            _p(format_number(c.period), _CELL),
            _p(format_number(c.cumulative), _CELL),
            _p(format_number(c.remaining) + (" (över)" if c.over else ""), _CELL),
        ]
        for c in costs
    ]
    widths = [CONTENT_WIDTH - 112 * mm, 28 * mm, 26 * mm, 28 * mm, 30 * mm]
    return [_grid(["Kategori", "Budget", "Perioden", "Hittills", "Kvar"], rows, widths)]


def _participants(content: ReportContent) -> list[Flowable]:
    p = content.participants
    rows: list[list[Flowable | str]] = [
        [_p(label, _CELL), _p(str(w), _CELL), _p(str(m), _CELL), _p(str(w + m), _CELL)]
        for label, w, m in (
            ("Vid periodens början", p.start_women, p.start_men),
            ("Nya", p.new_women, p.new_men),
            ("Avslutade", p.ended_women, p.ended_men),
            ("Vid periodens slut", p.women_at_end, p.men_at_end),
        )
    ]
    widths = [CONTENT_WIDTH - 90 * mm, 30 * mm, 30 * mm, 30 * mm]
    outcome_rows = [
        (OUTCOME_LABELS[name], str(getattr(content.outcomes, name))) for name in OUTCOME_LABELS
    ]
    return [
        _grid(["Deltagare", "Kvinnor", "Män", "Totalt"], rows, widths),
        Spacer(1, 3 * mm),
        Paragraph("Avslutade deltagare per utfall", _SUBTITLE),
        _facts(outcome_rows),
    ]


def _progression(round_: ProgressionRound | None) -> list[Flowable]:
    if round_ is None:
        return []
    rows = [
        (name, str(round_.averages[i]).replace(".", ","))
        for i, name in enumerate(PROGRESSION_INDICATORS)
    ]
    return [
        Paragraph("Progressionsmätning (SMAIL)", _HEADING),
        _p(f"Medelvärden för {round_.measured} mätta deltagare."),
        _facts(rows),
    ]


def _report_story(doc: ReportDocument) -> list[Flowable]:
    content = doc.content
    story: list[Flowable] = [
        Paragraph(f"{REPORT_KIND_LABELS[doc.kind]} – {doc.initiative_name}", _TITLE),
        _facts(
            [
                ("Insats", doc.initiative_name),
                ("Huvudinsatsägare", doc.organisation_name),
                ("Rapport", doc.label),
                ("Period", _period(doc.period_start, doc.period_end)),
                ("Senast inlämnad", format_date_iso(doc.due_on) if doc.due_on else DASH),
                ("Inlämnad", format_date_long(doc.submitted_on) if doc.submitted_on else DASH),
                ("Status", REPORT_STATUS_LABELS[doc.status]),
            ]
        ),
    ]
    if doc.kind is not ReportKind.DEVIATION:
        story += [Paragraph("Deltagare", _HEADING), *_participants(content)]
        story += [Paragraph("Måluppfyllelse", _HEADING), *_goal_table(doc.goals)]
        story += [Paragraph("Kostnader mot budget (kronor)", _HEADING), *_cost_table(doc.costs)]
        story += [
            _p(
                "Prognos för årets kostnader: "
                + (
                    format_kronor(content.year_forecast)
                    if content.year_forecast is not None
                    else DASH
                )
            )
        ]
        story += _progression(doc.progression)
    story += [Paragraph("Avvikelser", _HEADING), *_texts(content.deviations)]
    story += [Paragraph("Beskrivning av perioden", _HEADING), *_texts(content.narrative)]
    if doc.review_comment and doc.status is ReportStatus.RETURNED:
        story += [Paragraph("Kansliets kommentar", _HEADING), *_texts(doc.review_comment)]
    return story


def render_report_pdf(doc: ReportDocument) -> bytes:
    """One report as an A4 PDF in Swedish."""
    buffer = io.BytesIO()
    title = f"{REPORT_KIND_LABELS[doc.kind]} {doc.initiative_name} {doc.label}"
    template = _template(buffer, title, doc.association_name, REPORT_KIND_LABELS[doc.kind])
    furniture = _Furniture(
        header_left=doc.association_name,
        header_right=f"{REPORT_KIND_LABELS[doc.kind]} — {doc.label}",
        footer_left=doc.initiative_name,
    )
    template.build(
        _report_story(doc), canvasmaker=functools.partial(_NumberedCanvas, furniture=furniture)
    )
    return buffer.getvalue()


def summary_story(doc: SummaryDocument) -> list[Flowable]:
    """The summary's flowables, for a board pack to include as they are."""
    since = f"från {format_date_long(doc.since)} " if doc.since else ""
    story: list[Flowable] = [
        Paragraph(doc.title, _TITLE),
        _p(f"Godkända rapporter {since}till {format_date_long(doc.until)}.", _BODY),
    ]
    if not doc.entries:
        story.append(_p("Inga rapporter har godkänts under perioden."))
    for entry in doc.entries:
        story += [
            Paragraph(f"{entry.initiative_name} – {entry.label}", _HEADING),
            _facts(
                [
                    ("Huvudinsatsägare", entry.organisation_name),
                    ("Nya deltagare", format_number(entry.new_participants)),
                    ("Till arbete eller studier", format_number(entry.ended_to_work_or_studies)),
                    ("Kostnader under perioden", format_kronor(entry.costs)),
                    (
                        "Prognos för året",
                        format_kronor(entry.year_forecast)
                        if entry.year_forecast is not None
                        else DASH,
                    ),
                ]
            ),
        ]
        if entry.goals:
            story += _goal_table(entry.goals)
        if entry.deviations.strip():
            story += [Paragraph("Avvikelser", _SUBTITLE), *_texts(entry.deviations)]
        story += _texts(entry.narrative)
    return story


def summary_pdf(doc: SummaryDocument) -> bytes:
    """A summary of accepted reports as an A4 PDF, for a meeting's agenda or the board pack."""
    buffer = io.BytesIO()
    template = _template(buffer, doc.title, doc.association_name, "Sammanställning av rapporter")
    furniture = _Furniture(
        header_left=doc.association_name,
        header_right="Sammanställning av rapporter",
        footer_left=doc.title,
    )
    template.build(
        summary_story(doc), canvasmaker=functools.partial(_NumberedCanvas, furniture=furniture)
    )
    return buffer.getvalue()
