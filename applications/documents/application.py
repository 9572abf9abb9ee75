"""The application's PDF as a whole: the document's data (ApplicationDocument), the form's
sections in order (facts, texts, parties, goals, budget, agreement, approvals, extension
requirements), its story as flowables for the board pack, and render_application_pdf.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable
from xml.sax.saxutils import escape

import msgspec
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from applications.documents.budget_tables import _budget
from applications.documents.page import _Furniture, _NumberedCanvas, a4_document
from applications.documents.styles import (
    _BODY,
    _CELL,
    _CELL_BOLD,
    _HEADING,
    _SUBHEADING,
    _SUBTITLE,
    _TITLE,
    CONTENT_WIDTH,
    DASH,
    SHADE,
    _facts,
    _grid,
    _long_date,
    _p,
    _texts,
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
)
from portfolio.core.domain import INITIATIVE_KIND_LABELS, InitiativeKind
from portfolio.core.formatting import format_date_long, format_number


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
