"""The board pack: one PDF of a meeting's papers, the way a board member reads them.

The notice with its agenda, then every case with its tjänsteskrivelse, the application as submitted
and its PDF attachments, then the economy report; a table of contents with page numbers, a
bookmark per case and per paper, and "Sida X av Y" on every page, attachments included.

Everything of our own is laid out in one reportlab build, so page numbers and bookmarks are exact
and the pack costs one layout pass. The uploaded PDF attachments are the one thing reportlab cannot
draw: the build reserves a numbered page for each of their pages, and pypdf then lays each
attachment page, scaled to fit, onto its reserved page.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import msgspec
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
)
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreakIfNotEmpty, Paragraph, Spacer

from applications.documents import BOLD, FONT, ApplicationDocument, application_story
from portfolio.documents.charts import BarChart
from portfolio.documents.models import (
    AgendaEntry,
    EconomyReport,
    Letterhead,
    NoticeDocument,
    ProposalDocument,
)
from portfolio.documents.pdf import (
    _BODY,
    _HEADING,
    _TITLE,
    OutlineEntry,
    PackTemplate,
    _p,
    bookmark,
    economy_story,
    notice_story,
    notice_title,
    proposal_story,
)
from portfolio.formatting import format_date_iso, format_date_long

__all__ = [
    "BoardPackDocument",
    "PackAttachment",
    "PackCase",
    "render_board_pack",
]

TOC_LEADING = 15.0
# Not kept with the next flowable: the contents may start under it and run onto the next page.
_CONTENTS_HEADING = ParagraphStyle("pack-contents", parent=_HEADING, keepWithNext=0)
TOC_NUMBER_WIDTH = 12 * mm


class PackAttachment(msgspec.Struct, frozen=True, kw_only=True):
    """A file attached to a case's application; PDFs go into the pack, others are listed."""

    filename: str
    data: bytes = b""  # the PDF's bytes; empty for files that are only listed
    is_pdf: bool = True


class PackCase(msgspec.Struct, frozen=True, kw_only=True):
    """One item of the agenda with its papers."""

    entry: AgendaEntry
    proposal: ProposalDocument | None = None
    application: ApplicationDocument | None = None
    attachments: list[PackAttachment] = []


class BoardPackDocument(msgspec.Struct, frozen=True, kw_only=True):
    letterhead: Letterhead
    body: str  # "Förbundsstyrelsen"
    meeting_date: dt.date
    place: str = ""
    notice: NoticeDocument
    cases: list[PackCase] = []
    economy: EconomyReport | None = None
    economy_chart: BarChart | None = None


def pack_title(doc: BoardPackDocument) -> str:
    return f"Handlingar {doc.body} {format_date_iso(doc.meeting_date)}"


# --- Flowables of the pack -------------------------------------------------------------------


class TableOfContents(Flowable):
    """The pack's contents: a line per outline entry, its page number written once known.

    The numbers are drawn by the canvas at the very end of the build (see _PackCanvas), when the
    page of every destination is known, so one layout pass suffices.
    """

    def __init__(self, entries: list[OutlineEntry]) -> None:
        super().__init__()
        self.entries = entries
        self._origin = (0.0, 0.0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = len(self.entries) * TOC_LEADING
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        fits = int(availHeight // TOC_LEADING)
        if fits <= 0 or fits >= len(self.entries):
            return [] if fits <= 0 else [self]
        return [TableOfContents(self.entries[:fits]), TableOfContents(self.entries[fits:])]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        self._origin = (x, y)
        super().drawOn(canvas, x, y, _sW)

    def draw(self) -> None:
        canvas = self.canv
        right = self.width
        for index, entry in enumerate(self.entries):
            baseline = self.height - (index + 1) * TOC_LEADING + 4
            indent = entry.level * 8 * mm
            font = BOLD if entry.level == 0 else FONT
            canvas.setFont(font, 10)
            title = entry.title
            room = right - indent - TOC_NUMBER_WIDTH - 4 * mm
            while title and canvas.stringWidth(title, font, 10) > room:
                title = title[:-2] + "…"
            canvas.drawString(indent, baseline, title)
            start = indent + canvas.stringWidth(title, font, 10) + 2 * mm
            canvas.setFont(FONT, 10)
            dots = "." * max(int((right - TOC_NUMBER_WIDTH - start) / canvas.stringWidth(".")), 0)
            canvas.drawString(start, baseline, dots)
            late = getattr(canvas, "late_page_number", None)
            if late is not None:
                late(self._origin[0] + right, self._origin[1] + baseline, entry.key)
            canvas.linkRect("", entry.key, (indent, baseline - 3, right, baseline + 10), relative=1)


class ReservedPage(Flowable):
    """A whole page kept free for one page of a PDF attachment, laid on it after the build."""

    def __init__(self, attachment: int, page: int) -> None:
        super().__init__()
        self.attachment = attachment
        self.page = page
        self.rect = (0.0, 0.0, 0.0, 0.0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = availWidth, availHeight - 1
        return self.width, self.height

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        self.rect = (x, y, self.width, self.height)

    def draw(self) -> None:  # the attachment's page is laid on afterwards
        return None


class _BoardPackTemplate(PackTemplate):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reserved: list[tuple[int, ReservedPage]] = []

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, ReservedPage):
            self.reserved.append((self.canv.getPageNumber(), flowable))
        super().afterFlowable(flowable)


# --- Assembly --------------------------------------------------------------------------------


class _Contents:
    """Hands out destination keys and remembers the entries for the table of contents."""

    def __init__(self) -> None:
        self.entries: list[OutlineEntry] = []

    def mark(self, flowable: Flowable, title: str, level: int) -> Flowable:
        key = f"pack-{len(self.entries)}"
        self.entries.append(OutlineEntry(title, level, key))
        return bookmark(flowable, title, level, key)


def _readable_pdfs(doc: BoardPackDocument) -> dict[tuple[int, int], PdfReader | str]:
    """Each PDF attachment opened once: its reader, or why it cannot go into the pack."""
    opened: dict[tuple[int, int], PdfReader | str] = {}
    for c, case in enumerate(doc.cases):
        for a, attachment in enumerate(case.attachments):
            if not attachment.is_pdf:
                continue
            try:
                reader = PdfReader(io.BytesIO(attachment.data))
                if reader.is_encrypted and not reader.decrypt(""):
                    opened[c, a] = "Bilagan är lösenordsskyddad och kan inte visas i handlingarna."
                    continue
                if len(reader.pages) == 0:
                    opened[c, a] = "Bilagan har inga sidor."
                    continue
                opened[c, a] = reader
            except (PyPdfError, ValueError, KeyError, OSError):
                opened[c, a] = "Bilagan kunde inte läsas som PDF."
    return opened


def _case_heading(case: PackCase) -> Paragraph:
    entry = case.entry
    return _p(f"{entry.number}. {entry.title}", _TITLE)


def _case_facts(case: PackCase) -> Paragraph:
    entry = case.entry
    parts = [
        f"Dnr {entry.case_number}" if entry.case_number else "",
        entry.kind_label,
        entry.attachment_label.capitalize() if entry.attachment_label else "",
    ]
    return _p(" · ".join(p for p in parts if p), _BODY)


def _story(
    doc: BoardPackDocument, readers: dict[tuple[int, int], PdfReader | str]
) -> tuple[list[Flowable], list[tuple[int, int]]]:
    """The pack's flowables and, in order, which attachment each reserved page holds."""
    contents = _Contents()
    body: list[Flowable] = []
    reserved: list[tuple[int, int]] = []
    body += notice_story(doc.notice)
    # notice_story bookmarks its own title; give it a key the contents can point at.
    body[0] = contents.mark(body[0], notice_title(doc.notice), 0)
    for c, case in enumerate(doc.cases):
        body.append(PageBreakIfNotEmpty())
        body.append(
            contents.mark(_case_heading(case), f"{case.entry.number}. {case.entry.title}", 0)
        )
        body.append(_case_facts(case))
        if case.proposal is None and case.application is None and not case.attachments:
            body.append(_p("Inga handlingar till ärendet.", _BODY))
        if case.proposal is not None:
            story = proposal_story(case.proposal, outline_level=1)
            story[0] = contents.mark(story[0], "Tjänsteskrivelse", 1)
            body += [Spacer(1, 4 * mm), *story]
        if case.application is not None:
            story = application_story(case.application)
            story[0] = contents.mark(story[0], "Ansökan", 1)
            # After a proposal the application starts a page of its own; alone it follows the heading.
            body += [PageBreakIfNotEmpty() if case.proposal else Spacer(1, 4 * mm), *story]
        listed = [a for a in case.attachments if not a.is_pdf]
        if listed:
            body.append(_p("Övriga bilagor (finns i Finsam Portfolio)", _HEADING))
            body += [_p(f"• {a.filename}", _BODY) for a in listed]
        for a, attachment in enumerate(case.attachments):
            if not attachment.is_pdf:
                continue
            opened = readers[c, a]
            title = f"Bilaga: {attachment.filename}"
            if isinstance(opened, str):
                body += [
                    PageBreakIfNotEmpty(),
                    contents.mark(_p(title, _HEADING), title, 1),
                    _p(opened, _BODY),
                ]
                continue
            for page in range(len(opened.pages)):
                placeholder = ReservedPage(len(reserved), page)
                reserved.append((c, a))
                if page == 0:
                    contents.mark(placeholder, title, 1)
                body += [PageBreakIfNotEmpty(), placeholder]
    if doc.economy is not None and doc.economy_chart is not None:
        story = economy_story(doc.economy, doc.economy_chart)
        story[0] = contents.mark(story[0], "Ekonomisk information", 0)
        body += [PageBreakIfNotEmpty(), *story]
    front: list[Flowable] = [
        _p(pack_title(doc), _TITLE),
        _p(
            ", ".join(p for p in (format_date_long(doc.meeting_date), doc.place) if p),
            _BODY,
        ),
        Spacer(1, 6 * mm),
        _p("Innehåll", _CONTENTS_HEADING),
        TableOfContents(contents.entries),
        PageBreakIfNotEmpty(),
    ]
    return front + body, reserved


def _form_xobject(writer: PdfWriter, source: PageObject) -> IndirectObject:
    """The page as a Form XObject in the writer: its content stream and resources, unparsed."""
    box = source.cropbox
    contents = source.get_contents()
    form = DecodedStreamObject()
    form.set_data(contents.get_data() if contents is not None else b"")
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                [FloatObject(v) for v in (box.left, box.bottom, box.right, box.top)]
            ),
        }
    )
    resources = source.get("/Resources")
    if resources is not None:
        form[NameObject("/Resources")] = resources.get_object().clone(writer)
    return writer._add_object(form.flate_encode())


def _lay_attachments(
    pdf: bytes,
    placed: list[tuple[int, ReservedPage]],
    sources: list[tuple[int, int]],
    readers: dict[tuple[int, int], PdfReader | str],
) -> bytes:
    """Lay every attachment page onto its reserved page, scaled to fit and centred.

    Each page goes in as a Form XObject drawn by one added content stream: pypdf's own
    merge_transformed_page parses and rewrites both pages' content, three times slower.
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for number, (page_number, placeholder) in enumerate(placed):
        reader = readers[sources[placeholder.attachment]]
        assert isinstance(reader, PdfReader)
        source = reader.pages[placeholder.page]
        if source.rotation:  # a landscape page stored turned: turn its content instead
            source = PdfWriter().add_page(source)
            source.transfer_rotation_to_content()
        box = source.cropbox
        width, height = float(box.width), float(box.height)
        x, y, room_w, room_h = placeholder.rect
        scale = min(room_w / width, room_h / height)
        dx = x + (room_w - width * scale) / 2 - float(box.left) * scale
        dy = y + (room_h - height * scale) / 2 - float(box.bottom) * scale
        target = writer.pages[page_number - 1]
        name = NameObject(f"/FinsamAttachment{number}")
        resources = target.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
        xobjects = resources.setdefault(NameObject("/XObject"), DictionaryObject()).get_object()
        xobjects[name] = _form_xobject(writer, source)
        draw = DecodedStreamObject()
        draw.set_data(f"q {scale:.5f} 0 0 {scale:.5f} {dx:.3f} {dy:.3f} cm {name} Do Q".encode())
        existing = target["/Contents"]
        resolved = existing.get_object()
        streams = list(resolved) if isinstance(resolved, ArrayObject) else [existing]
        target[NameObject("/Contents")] = ArrayObject([*streams, writer._add_object(draw)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_board_pack(doc: BoardPackDocument) -> bytes:
    """The whole pack as one A4 PDF."""
    readers = _readable_pdfs(doc)
    story, sources = _story(doc, readers)
    buffer = io.BytesIO()
    template = _BoardPackTemplate(
        buffer,
        title=pack_title(doc),
        letterhead=doc.letterhead,
        subject="Handlingar",
    )
    template.build(story)
    pdf = buffer.getvalue()
    if template.reserved:
        pdf = _lay_attachments(pdf, template.reserved, sources, readers)
    return pdf
