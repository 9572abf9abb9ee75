"""The board's documents as DOCX (python-docx), for the kansli to edit further in Word."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from typing import cast

from docx import Document as new_document
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph

from portfolio.core.formatting import format_date_iso, format_date_long, format_number
from portfolio.core.schemas import scrub
from portfolio.documents.charts import BarChart, chart_png
from portfolio.documents.models import (
    Attendee,
    EconomyReport,
    ExtractDocument,
    Letterhead,
    MinutesDocument,
    MinutesSection,
    NoticeDocument,
    ProposalDocument,
    Signature,
    Vote,
)

FONT = "Calibri"
LANGUAGE = "sv-SE"
TEXT_WIDTH = Cm(16)  # A4 less two 2.5 cm margins
CLAUSE_INDENT = Cm(1)
VOTE_CHOICES = ("ja", "nej", "avstår")
SIGNATURE_LINE = "_" * 36

__all__ = [
    "render_economy_docx",
    "render_extract_docx",
    "render_minutes_docx",
    "render_notice_docx",
    "render_proposal_docx",
]


# --- The four documents ---------------------------------------------------------------------


def render_proposal_docx(doc: ProposalDocument) -> bytes:
    """A tjänsteskrivelse: case header, Förslag till beslut with its att-satser, Ärendet, signature."""
    doc = scrub(doc)
    document = _new_document(doc.letterhead, doc.title, doc.document_date)
    fs_line = " ".join(
        part for part in (format_date_iso(doc.fs_date), doc.attachment_label) if part
    )
    _key_value_table(
        document,
        [
            ("Datum", format_date_iso(doc.document_date)),
            ("Dnr", doc.case_number),
            ("AU", format_date_iso(doc.au_date)),
            # The seed puts the pack's attachment number on the FS line: "FS 2021-09-16 bilaga nr. 6".
            ("FS" if doc.fs_date else "Bilaga", fs_line),
        ],
    )
    document.add_heading(doc.title, level=1)
    document.add_heading("Förslag till beslut", level=2)
    document.add_paragraph(doc.proposer)
    _clauses(document, doc.clauses)
    if doc.application_text or doc.assessment_text:
        document.add_heading("Ärendet", level=2)
        for heading, text in (
            ("Ansökan", doc.application_text),
            ("Bedömning", doc.assessment_text),
        ):
            if text:
                document.add_heading(heading, level=3)
                _text(document, text)
    _signature(document, doc.signature)
    return _to_bytes(document)


def render_notice_docx(doc: NoticeDocument) -> bytes:
    """A kallelse: who meets when and where, who is invited, and the numbered föredragningslista."""
    doc = scrub(doc)
    title = f"Kallelse {doc.body} {format_date_iso(doc.meeting_date)}"
    document = _new_document(doc.letterhead, title, doc.meeting_date)
    document.add_heading("Kallelse", level=1)
    document.add_paragraph(f"{doc.body} kallas till sammanträde.")
    _meeting_details(document, doc.meeting_date, doc.start_time, doc.end_time, doc.place)
    _people(document, "Kallade", doc.invited)
    if doc.agenda:
        document.add_heading("Föredragningslista", level=2)
        table = _grid_table(
            document,
            ["Nr", "Ärende", "Dnr", "Bilaga"],
            [Cm(1.2), Cm(8.8), Cm(2.5), Cm(3.5)],
        )
        for entry in doc.agenda:
            cells = table.add_row().cells
            cells[0].text = str(entry.number)
            cells[1].text = entry.title
            details = [
                entry.kind_label,
                f"Föredragande: {entry.presenter}" if entry.presenter else "",
            ]
            if any(details):
                run = cells[1].add_paragraph().add_run(", ".join(d for d in details if d))
                run.italic = True
                run.font.size = Pt(9)
            cells[2].text = entry.case_number
            cells[3].text = entry.attachment_label
    if doc.note:
        _text(document, doc.note)
    _signature(document, doc.signature)
    return _to_bytes(document)


def render_minutes_docx(doc: MinutesDocument) -> bytes:
    """A protokoll: the meeting, who took part, one § per case, and the justering block."""
    doc = scrub(doc)
    title = f"Protokoll {doc.body} {format_date_iso(doc.meeting_date)}"
    document = _new_document(doc.letterhead, title, doc.meeting_date)
    document.add_heading("Protokoll", level=1)
    _minutes_header(document, doc)
    _people(document, "Närvarande", doc.present)
    _people(document, "Frånvarande", doc.absent)
    _people(document, "Övriga närvarande", doc.others_present)
    for label, name in (
        ("Ordförande", doc.chair),
        ("Sekreterare", doc.secretary),
        ("Justerare", doc.checker),
    ):
        if name:
            _labelled(document, label, name)
    for section in doc.sections:
        _section(document, section, doc.body)
    document.add_heading("Justering", level=2)
    _approval_status(document, doc.approved_on)
    for role, name in (
        ("Ordförande", doc.chair),
        ("Sekreterare", doc.secretary),
        ("Justerare", doc.checker),
    ):
        _signature_line(document, role, name)
    return _to_bytes(document)


def render_extract_docx(doc: ExtractDocument) -> bytes:
    """A protokollsutdrag: the minutes' header, one § as in the minutes, and the certification."""
    doc = scrub(doc)
    minutes = doc.minutes
    title = (
        f"Protokollsutdrag {minutes.body} {format_date_iso(minutes.meeting_date)}"
        f" § {doc.section.paragraph}"
    )
    document = _new_document(minutes.letterhead, title, minutes.meeting_date)
    document.add_heading("Protokollsutdrag", level=1)
    _minutes_header(document, minutes)
    _section(document, doc.section, minutes.body)
    _approval_status(document, minutes.approved_on)
    _signature_line(document, "Rätt utdraget betygar", doc.certified_by)
    return _to_bytes(document)


def render_economy_docx(doc: EconomyReport, chart: BarChart) -> bytes:
    """ "Ekonomisk information": the budget room table in tkr and the chart of the room per year."""
    doc = scrub(doc)
    title = "Ekonomisk information" + (f" inför {doc.meeting_label}" if doc.meeting_label else "")
    document = _new_document(doc.letterhead, title, doc.report_date)
    document.add_heading(title, level=1)
    if doc.missing:
        paragraph = document.add_paragraph()
        paragraph.add_run("Beslutsutrymmet kan inte visas. ").bold = True
        paragraph.add_run(doc.missing)
        _signature(document, doc.signature)
        return _to_bytes(document)
    document.add_paragraph(
        "Beslutsutrymme per år före och efter de ansökningar som ligger för beslut. "
        "Belopp i tkr; summorna är avrundade exakta summor."
    )
    widths = [Cm(16 - 1.9 * len(doc.columns)), *[Cm(1.9)] * len(doc.columns)]
    table = _grid_table(document, ["tkr", *doc.columns], widths)
    for row in doc.rows:
        cells = table.add_row().cells
        label = f"{row.label} ({row.owner})" if row.owner else row.label
        cells[0].text = label
        for cell, value in zip(cells[1:], row.tkr, strict=True):
            cell.text = "" if value is None else format_number(value)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if row.is_total or row.heading:
            for cell in cells:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    if doc.over_committed:
        paragraph = document.add_paragraph()
        paragraph.add_run(
            "Överintecknat: utrymmet efter nya ansökningar är negativt för "
            + ", ".join(doc.over_committed)
            + "."
        ).bold = True
    if doc.applications:
        document.add_heading("Ansökningar som räknas in", level=2)
        for name in doc.applications:
            document.add_paragraph(name, style="List Bullet")
    document.add_picture(io.BytesIO(chart_png(chart)), width=TEXT_WIDTH)
    _signature(document, doc.signature)
    return _to_bytes(document)


# --- Shared pieces --------------------------------------------------------------------------


def _new_document(letterhead: Letterhead, title: str, dated: dt.date) -> Document:
    """An A4 document in Swedish with Calibri 11, black headings and the letterhead on every page."""
    document = new_document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)

    normal = cast(ParagraphStyle, document.styles["Normal"])
    _set_font(normal, Pt(11))
    normal.paragraph_format.space_after = Pt(6)
    for level, size in ((1, 16), (2, 13), (3, 11)):
        heading = cast(ParagraphStyle, document.styles[f"Heading {level}"])
        _set_font(heading, Pt(size))
        heading.font.color.rgb = RGBColor(0, 0, 0)
        heading.paragraph_format.space_before = Pt(18 if level == 1 else 12)
        heading.paragraph_format.space_after = Pt(6)

    header = section.header.paragraphs[0]
    header.add_run(letterhead.name).bold = True
    contact = [
        letterhead.address,
        letterhead.postal_address,
        f"Org.nr {letterhead.org_number}" if letterhead.org_number else "",
        letterhead.email,
        letterhead.phone,
    ]
    footer = section.footer.paragraphs[0]
    footer.add_run(" | ".join(part for part in contact if part)).font.size = Pt(8)

    properties = document.core_properties
    properties.title = title[:255]  # the most a Word document's title holds
    properties.author = letterhead.name
    properties.last_modified_by = letterhead.name
    properties.comments = ""  # the template says "generated by python-docx"
    properties.language = LANGUAGE
    # Dated as the document is, rather than the template's 2013.
    properties.created = properties.modified = dt.datetime.combine(dated, dt.time(), dt.UTC)
    return document


def _set_font(style: ParagraphStyle, size: Length) -> None:
    """Give a style the body font and Swedish spelling; theme fonts would override the name."""
    style.font.name = FONT
    style.font.size = size
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is not None:
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


def _to_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _text(document: Document, text: str) -> None:
    """Free text as paragraphs, one per blank-line-separated block; single newlines stay breaks."""
    for block in re.split(r"\n\s*\n", text.strip()):
        if block.strip():
            document.add_paragraph(block.strip())


def _clauses(document: Document, clauses: Iterable[str]) -> None:
    """Each att-sats its own paragraph, "att" hanging in the margin so the clause text aligns."""
    for clause in clauses:
        text = clause.strip()
        if text.startswith("att "):
            text = "att\t" + text[4:].lstrip()
        paragraph = document.add_paragraph(text)
        paragraph.paragraph_format.left_indent = CLAUSE_INDENT
        paragraph.paragraph_format.first_line_indent = -CLAUSE_INDENT
        paragraph.paragraph_format.tab_stops.add_tab_stop(CLAUSE_INDENT)


def _labelled(document: Document, label: str, value: str) -> Paragraph:
    """A "Label: value" line with the label in bold."""
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(value)
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def _meeting_time(day: dt.date, start: dt.time | None, end: dt.time | None) -> str:
    """ "16 september 2021, kl. 13.00–15.00": Swedish writes clock times with a full stop."""
    when = format_date_long(day)
    if start is None:
        return when
    when += f", kl. {start:%H.%M}"
    return f"{when}–{end:%H.%M}" if end is not None else when


def _meeting_details(
    document: Document,
    day: dt.date,
    start: dt.time | None,
    end: dt.time | None,
    place: str,
) -> None:
    _labelled(document, "Tid", _meeting_time(day, start, end))
    if place:
        _labelled(document, "Plats", place)


def _minutes_header(document: Document, minutes: MinutesDocument) -> None:
    """The lines a protokoll and its extracts share: which body met, when and where."""
    _labelled(document, "Organ", minutes.body)
    _meeting_details(
        document, minutes.meeting_date, minutes.start_time, minutes.end_time, minutes.place
    )


def _key_value_table(document: Document, rows: Sequence[tuple[str, str]]) -> Table:
    """A borderless two-column block at the right margin, as the case header in the seed."""
    rows = [(key, value) for key, value in rows if value]
    table = document.add_table(rows=0, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.RIGHT
    for key, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = key, value
        cells[0].width, cells[1].width = Cm(1.6), Cm(5.4)
    return table


def _grid_table(document: Document, headings: Sequence[str], widths: Sequence[Length]) -> Table:
    """A ruled table whose bold heading row repeats on every page it runs over."""
    table = document.add_table(rows=1, cols=len(headings))
    table.style = document.styles["Table Grid"]
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, heading in zip(header.cells, headings, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(heading).bold = True
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width  # Word reads the cell widths, not the column's
    return table


def _people(document: Document, heading: str, people: Sequence[Attendee]) -> None:
    """A list of people with organisation and role, as a borderless table under a heading."""
    if not people:
        return
    document.add_heading(heading, level=2)
    table = document.add_table(rows=0, cols=3)
    for person in people:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = person.name, person.organisation, person.role
        for cell, width in zip(cells, (Cm(5.5), Cm(6.5), Cm(4)), strict=True):
            cell.width = width


def _signature(document: Document, signature: Signature) -> None:
    """Name and title on one line, as the seed signs: "Åsa Fichtel, Förbundschef"."""
    document.add_paragraph()
    document.add_paragraph(", ".join(part for part in (signature.name, signature.title) if part))


def _signature_line(document: Document, role: str, name: str) -> None:
    """Room to sign, the line, then role and printed name."""
    document.add_paragraph().paragraph_format.space_before = Pt(24)
    document.add_paragraph(SIGNATURE_LINE).paragraph_format.space_after = Pt(0)
    paragraph = document.add_paragraph()
    paragraph.add_run(role).bold = True
    if name:
        paragraph.add_run(f" {name}")


def _approval_status(document: Document, approved_on: dt.date | None) -> None:
    text = f"Justerat {format_date_iso(approved_on)}" if approved_on else "Ej justerat"
    document.add_paragraph().add_run(text).bold = True


def _section(document: Document, section: MinutesSection, body: str) -> None:
    """One §, the same in the minutes and in an extract."""
    document.add_heading(f"§ {section.paragraph} {section.title}", level=2)
    reference = [
        f"Dnr {section.case_number}" if section.case_number else "",
        section.attachment_label,
    ]
    if any(reference):
        document.add_paragraph(", ".join(part for part in reference if part))
    # Jäv is declared before the case is handled, so it stands first.
    for name in section.conflicts:
        document.add_paragraph(f"{name} anmäler jäv och deltar inte i handläggningen.")
    if section.background:
        document.add_heading("Ärendet", level=3)
        _text(document, section.background)
    if section.outcome_label or section.clauses:
        document.add_heading("Beslut", level=3)
    if section.outcome_label:
        document.add_paragraph().add_run(section.outcome_label).bold = True
    if section.clauses:
        document.add_paragraph(f"{body} beslutar")
        _clauses(document, section.clauses)
    if section.supersedes:
        document.add_paragraph().add_run(section.supersedes).italic = True
    if section.votes:
        _votes(document, section.votes, section.casting_vote)
    elif section.casting_vote:
        document.add_paragraph(_casting_vote_line(section.casting_vote))
    for reservation in section.reservations:
        document.add_paragraph(reservation)


def _votes(document: Document, votes: Sequence[Vote], casting_vote: str) -> None:
    """The roll-call as a table, the count, and on a tie the chair's casting vote."""
    document.add_heading("Omröstning", level=3)
    table = _grid_table(document, ["Namn", "Röst"], [Cm(8), Cm(3)])
    for vote in votes:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = vote.name, vote.choice
    counts = _count_votes(votes)
    tally = ", ".join(f"{count} {choice}" for choice, count in counts.items())
    document.add_paragraph(f"Omröstningsresultat: {tally}.")
    if counts.get("ja", 0) == counts.get("nej", 0):
        document.add_paragraph("Lika röstetal.")
    if casting_vote:
        document.add_paragraph(_casting_vote_line(casting_vote))


def _count_votes(votes: Sequence[Vote]) -> dict[str, int]:
    """Ja and nej always, avstår and any other choice only when someone made it."""
    counts = {"ja": 0, "nej": 0}
    for vote in votes:
        choice = vote.choice.strip().lower()
        counts[choice] = counts.get(choice, 0) + 1
    ordered = {choice: counts.pop(choice) for choice in VOTE_CHOICES if choice in counts}
    return ordered | counts


def _casting_vote_line(casting_vote: str) -> str:
    """A bare choice ("ja") becomes a sentence; anything longer is the secretary's own words."""
    if casting_vote.strip().lower() in VOTE_CHOICES:
        return f"Ordföranden använder sin utslagsröst och röstar {casting_vote.strip().lower()}."
    return casting_vote
