"""The board's documents as A4 PDF (reportlab), alone or together in one bookmarked board pack."""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Sequence
from typing import IO, Any, TypeVar
from xml.sax.saxutils import escape

import msgspec
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
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
    _texts,
)
from portfolio.documents.charts import BarChart, chart_drawing
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
from portfolio.formatting import format_date_iso, format_date_long, format_number

__all__ = [
    "OutlineEntry",
    "PackTemplate",
    "bookmark",
    "economy_story",
    "economy_title",
    "extract_story",
    "extract_title",
    "minutes_story",
    "minutes_title",
    "notice_story",
    "notice_title",
    "proposal_story",
    "render_economy_pdf",
    "render_extract_pdf",
    "render_minutes_pdf",
    "render_notice_pdf",
    "render_proposal_pdf",
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


# --- The tjänsteskrivelse --------------------------------------------------------------------


def _proposal_header(doc: ProposalDocument) -> Table:
    """Date, Dnr, AU and FS at the right margin as in the seed, the attachment on the FS line."""
    fs_line = " ".join(
        part for part in (format_date_iso(doc.fs_date), doc.attachment_label) if part
    )
    rows = [
        ("Datum", format_date_iso(doc.document_date)),
        ("Dnr", doc.case_number),
        ("AU", format_date_iso(doc.au_date)),
        ("FS" if doc.fs_date else "Bilaga", fs_line),
    ]
    data = [[_p(key, _CELL_BOLD), _p(value, _CELL)] for key, value in rows if value]
    table = Table(data, colWidths=[14 * mm, 56 * mm], style=_PLAIN_TABLE, hAlign="RIGHT")
    table.keepWithNext = 1  # a split header would lose its bookmark and its title
    return table


def proposal_story(doc: ProposalDocument, *, outline_level: int = 0) -> list[Flowable]:
    """A tjänsteskrivelse: case header, Förslag till beslut with its att-satser, Ärendet, signature.

    The outline entry is the case title and points at the case header, the top of the document.
    """
    story: list[Flowable] = [
        bookmark(_proposal_header(doc), doc.title, outline_level),
        Spacer(1, 6 * mm),
        _p(doc.title, _TITLE),
        _p("Förslag till beslut", _HEADING),
        _p(doc.proposer, _LEAD),
        *_clauses(doc.clauses),
    ]
    if doc.application_text or doc.assessment_text:
        story.append(_p("Ärendet", _HEADING))
        for heading, text in (
            ("Ansökan", doc.application_text),
            ("Bedömning", doc.assessment_text),
        ):
            if text.strip():
                story += [_p(heading, _SUBHEADING), *_texts(text, _BODY)]
    return [*story, *_signature(doc.signature)]


def render_proposal_pdf(doc: ProposalDocument) -> bytes:
    """The tjänsteskrivelse as an A4 PDF, its title in the file's metadata."""
    return _render(
        proposal_story(doc),
        title=doc.title,
        letterhead=doc.letterhead,
        running_title=f"Tjänsteskrivelse Dnr {doc.case_number}",
        subject="Tjänsteskrivelse",
    )


# --- The kallelse ----------------------------------------------------------------------------


def notice_title(doc: NoticeDocument) -> str:
    """ "Kallelse Förbundsstyrelsen 2021-09-16": the file's title and its outline entry."""
    return f"Kallelse {doc.body} {format_date_iso(doc.meeting_date)}"


def _agenda(doc: NoticeDocument) -> list[Flowable]:
    rows: list[list[Flowable]] = []
    for entry in doc.agenda:
        details = ", ".join(
            part
            for part in (
                entry.kind_label,
                f"Föredragande: {entry.presenter}" if entry.presenter else "",
            )
            if part
        )
        title = escape(entry.title)
        if details:
            title += f"<br/><i>{escape(details)}</i>"
        rows.append(
            [
                _p(str(entry.number), _CELL),
                Paragraph(title, _CELL),
                _p(entry.case_number, _CELL),
                _p(entry.attachment_label, _CELL),
            ]
        )
    widths = [12 * mm, CONTENT_WIDTH - 72 * mm, 25 * mm, 35 * mm]
    return [
        _p("Föredragningslista", _HEADING),
        _grid(["Nr", "Ärende", "Dnr", "Bilaga"], rows, widths),
    ]


def notice_story(doc: NoticeDocument, *, outline_level: int = 0) -> list[Flowable]:
    """A kallelse: who meets when and where, who is invited, the föredragningslista, signature."""
    story: list[Flowable] = [
        bookmark(_p("Kallelse", _TITLE), notice_title(doc), outline_level),
        _p(f"{doc.body} kallas till sammanträde.", _BODY),
        *_meeting_details(doc.meeting_date, doc.start_time, doc.end_time, doc.place),
        *_people("Kallade", doc.invited),
    ]
    if doc.agenda:
        story += _agenda(doc)
    if doc.note.strip():
        story += [Spacer(1, 3 * mm), *_texts(doc.note, _BODY)]
    return [*story, *_signature(doc.signature)]


def render_notice_pdf(doc: NoticeDocument) -> bytes:
    """The kallelse with its föredragningslista as an A4 PDF."""
    return _render(
        notice_story(doc), title=notice_title(doc), letterhead=doc.letterhead, subject="Kallelse"
    )


# --- The protokoll ---------------------------------------------------------------------------


def minutes_title(doc: MinutesDocument) -> str:
    """ "Protokoll Förbundsstyrelsen 2021-09-16": the file's title and its outline entry."""
    return f"Protokoll {doc.body} {format_date_iso(doc.meeting_date)}"


def _minutes_header(minutes: MinutesDocument) -> list[Flowable]:
    """The lines a protokoll and its extracts share: which body met, when and where."""
    return [
        _labelled("Organ", minutes.body),
        *_meeting_details(
            minutes.meeting_date, minutes.start_time, minutes.end_time, minutes.place
        ),
    ]


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
    choice = casting_vote.strip().lower()
    if choice in VOTE_CHOICES:
        return f"Ordföranden använder sin utslagsröst och röstar {choice}."
    return casting_vote


def _votes(votes: Sequence[Vote], casting_vote: str) -> list[Flowable]:
    """The roll-call as a table, the count, and on a tie the chair's casting vote."""
    rows: list[list[Flowable]] = [[_p(v.name, _CELL), _p(v.choice, _CELL)] for v in votes]
    counts = _count_votes(votes)
    tally = ", ".join(f"{count} {choice}" for choice, count in counts.items())
    flowables: list[Flowable] = [
        _p("Omröstning", _SUBHEADING),
        _grid(["Namn", "Röst"], rows, [80 * mm, 30 * mm]),
        Spacer(1, 2 * mm),
        _p(f"Omröstningsresultat: {tally}.", _LINE),
    ]
    if counts["ja"] == counts["nej"]:
        flowables.append(_p("Lika röstetal.", _LINE))
    if casting_vote:
        flowables.append(_p(_casting_vote_line(casting_vote), _LINE))
    return flowables


def _section(section: MinutesSection, body: str, outline_level: int) -> list[Flowable]:
    """One §, the same in the minutes and in an extract."""
    heading = f"§ {section.paragraph} {section.title}"
    flowables: list[Flowable] = [bookmark(_p(heading, _HEADING), heading, outline_level)]
    reference = [
        f"Dnr {section.case_number}" if section.case_number else "",
        section.attachment_label,
    ]
    if any(reference):
        flowables.append(_p(", ".join(part for part in reference if part), _BODY))
    # Jäv is declared before the case is handled, so it stands first.
    flowables += [
        _p(f"{name} anmäler jäv och deltar inte i handläggningen.", _BODY)
        for name in section.conflicts
    ]
    if section.background.strip():
        flowables += [_p("Ärendet", _SUBHEADING), *_texts(section.background, _BODY)]
    if section.outcome_label or section.clauses:
        flowables.append(_p("Beslut", _SUBHEADING))
    if section.outcome_label:
        flowables.append(Paragraph(f"<b>{escape(section.outcome_label)}</b>", _LEAD))
    if section.clauses:
        flowables += [_p(f"{body} beslutar", _LEAD), *_clauses(section.clauses)]
    if section.supersedes:
        flowables.append(Paragraph(f"<i>{escape(section.supersedes)}</i>", _BODY))
    if section.votes:
        flowables += _votes(section.votes, section.casting_vote)
    elif section.casting_vote:
        flowables.append(_p(_casting_vote_line(section.casting_vote), _BODY))
    if section.reservations:
        flowables.append(Spacer(1, 2 * mm))
        flowables += [_p(reservation, _BODY) for reservation in section.reservations]
    return flowables


def minutes_story(doc: MinutesDocument, *, outline_level: int = 0) -> list[Flowable]:
    """A protokoll: the meeting, who took part, one § per case, and the justering block.

    The protokoll is one outline entry, each § an entry under it.
    """
    story: list[Flowable] = [
        bookmark(_p("Protokoll", _TITLE), minutes_title(doc), outline_level),
        *_minutes_header(doc),
        *_people("Närvarande", doc.present),
        *_people("Frånvarande", doc.absent),
        *_people("Övriga närvarande", doc.others_present),
        Spacer(1, 3 * mm),
    ]
    for label, name in (
        ("Ordförande", doc.chair),
        ("Sekreterare", doc.secretary),
        ("Justerare", doc.checker),
    ):
        if name:
            story.append(_labelled(label, name))
    for section in doc.sections:
        story += _section(section, doc.body, outline_level + 1)
    # The justering is signed as one block, never split over a page break.
    justering = [
        _p("Justering", _HEADING),
        _approval_status(doc.approved_on),
        _signature_lines(
            [("Ordförande", doc.chair), ("Sekreterare", doc.secretary), ("Justerare", doc.checker)]
        ),
    ]
    return [*story, KeepTogether(justering)]


def render_minutes_pdf(doc: MinutesDocument) -> bytes:
    """The protokoll as an A4 PDF, bookmarked per §."""
    return _render(
        minutes_story(doc), title=minutes_title(doc), letterhead=doc.letterhead, subject="Protokoll"
    )


# --- The protokollsutdrag --------------------------------------------------------------------


def extract_title(doc: ExtractDocument) -> str:
    """ "Protokollsutdrag Förbundsstyrelsen 2021-09-16 § 6": the file's title and outline entry."""
    minutes = doc.minutes
    return (
        f"Protokollsutdrag {minutes.body} {format_date_iso(minutes.meeting_date)}"
        f" § {doc.section.paragraph}"
    )


def extract_story(doc: ExtractDocument, *, outline_level: int = 0) -> list[Flowable]:
    """A protokollsutdrag: the minutes' header, one § as in the minutes, and the certification."""
    minutes = doc.minutes
    certification = [
        Spacer(1, 4 * mm),
        _approval_status(minutes.approved_on),
        _signature_lines([("Rätt utdraget betygar", doc.certified_by)]),
    ]
    return [
        bookmark(_p("Protokollsutdrag", _TITLE), extract_title(doc), outline_level),
        *_minutes_header(minutes),
        *_section(doc.section, minutes.body, outline_level + 1),
        KeepTogether(certification),
    ]


def render_extract_pdf(doc: ExtractDocument) -> bytes:
    """The protokollsutdrag as an A4 PDF, to send to the insats's owner."""
    return _render(
        extract_story(doc),
        title=extract_title(doc),
        letterhead=doc.minutes.letterhead,
        subject="Protokollsutdrag",
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
    """The budget room in tkr before and after the meeting's applications, with its chart."""
    story: list[Flowable] = [
        bookmark(_p(economy_title(doc), _TITLE), "Ekonomisk information", outline_level, key),
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
