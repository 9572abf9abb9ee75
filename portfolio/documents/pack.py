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
import hashlib
import io
from typing import Any, NamedTuple

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
    StreamObject,
)
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    PageBreakIfNotEmpty,
    Spacer,
)

from applications.documents import (
    BOLD,
    FONT,
    ApplicationDocument,
    a4_document,
    application_story,
)
from portfolio.core.formatting import format_date_iso, format_date_long
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
)
from portfolio.documents.pdf_economy import economy_story
from portfolio.documents.pdf_papers import notice_story, notice_title, proposal_story

__all__ = [
    "BoardPackDocument",
    "PackAttachment",
    "PackCase",
    "pack_key",
    "part_keys",
    "render_board_pack",
]

# Bump when the look of a part changes, so cached parts are laid out again.
PART_RENDERER_VERSION = 1
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


class _Laid(NamedTuple):
    """A document whose pages are laid onto reserved pages of the pack."""

    reader: PdfReader
    whole_page: bool  # our own part, laid as it is; else an attachment, scaled into the frame


class ReservedPage(Flowable):
    """A whole page kept free for a page of another document, laid on it after the build."""

    def __init__(self, source: int, page: int) -> None:
        super().__init__()
        self.source = source
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


def _case_heading(case: PackCase) -> list[Flowable]:
    entry = case.entry
    facts = [
        f"Dnr {entry.case_number}" if entry.case_number else "",
        entry.kind_label,
        entry.attachment_label.capitalize() if entry.attachment_label else "",
    ]
    story: list[Flowable] = [
        _p(f"{entry.number}. {entry.title}", _TITLE),
        _p(" · ".join(p for p in facts if p), _BODY),
    ]
    listed = [a.filename for a in case.attachments if not a.is_pdf]
    if listed:
        story.append(
            _p("Övriga bilagor, att hämta i Finsam Portfolio: " + ", ".join(listed), _BODY)
        )
    if case.proposal is None and case.application is None and not case.attachments:
        story.append(_p("Inga handlingar till ärendet.", _BODY))
    return story


class _Part(msgspec.Struct, frozen=True):
    """A piece of the pack laid out on its own, and so cacheable: what it shows decides its key."""

    kind: str  # "case" (heading and proposal, or heading and application) or "application"
    case: PackCase

    def key(self) -> str:
        case = self.case
        shown: dict[str, Any] = {"kind": self.kind, "renderer": PART_RENDERER_VERSION}
        if self.kind == "case":
            shown |= {
                "entry": case.entry,
                "listed": [a.filename for a in case.attachments if not a.is_pdf],
                "has_attachments": bool(case.attachments),
                "proposal": case.proposal,
                "application": None if case.proposal else case.application,
            }
        else:
            shown["application"] = case.application
        return hashlib.sha256(msgspec.json.encode(shown)).hexdigest()

    def story(self) -> list[Flowable]:
        case = self.case
        if self.kind == "application":
            assert case.application is not None
            return application_story(case.application)
        story = _case_heading(case)
        if case.proposal is not None:
            story += [Spacer(1, 4 * mm), *proposal_story(case.proposal, outline_level=1)]
        elif case.application is not None:
            story += [Spacer(1, 4 * mm), *application_story(case.application)]
        return story


def _parts(doc: BoardPackDocument) -> list[list[_Part]]:
    """Per case, its parts in order: the case with its proposal, then the application."""
    parts = []
    for case in doc.cases:
        own = [_Part("case", case)]
        if case.proposal is not None and case.application is not None:
            own.append(_Part("application", case))
        parts.append(own)
    return parts


def pack_key(doc: BoardPackDocument) -> str:
    """The key of the whole pack: the hash of everything it shows, attachments' bytes included,
    so an unchanged pack can be served again as it was built."""
    digest = hashlib.sha256(msgspec.msgpack.encode([PART_RENDERER_VERSION, doc])).hexdigest()
    return f"pack-{digest[:59]}"


def part_keys(doc: BoardPackDocument) -> list[str]:
    """The cache keys of every part this pack is made of, to fetch them in one query."""
    return [part.key() for own in _parts(doc) for part in own]


def _render_part(story: list[Flowable]) -> bytes:
    """A part on pages of the pack's geometry, without furniture: the pack adds its own."""
    buffer = io.BytesIO()
    a4_document(buffer).build(story)
    return buffer.getvalue()


def _story(
    doc: BoardPackDocument,
    readers: dict[tuple[int, int], PdfReader | str],
    parts: list[list[tuple[_Part, PdfReader]]],
) -> tuple[list[Flowable], list[_Laid]]:
    """The pack's flowables and, in order, the document each reserved page takes its page from."""
    contents = _Contents()
    body: list[Flowable] = []
    laid: list[_Laid] = []

    def reserve(reader: PdfReader, whole_page: bool, marks: list[tuple[str, int]]) -> None:
        laid.append(_Laid(reader, whole_page))
        for page in range(len(reader.pages)):
            placeholder = ReservedPage(len(laid) - 1, page)
            if page == 0:
                for title, level in marks:
                    contents.mark(placeholder, title, level)
            body.extend([PageBreakIfNotEmpty(), placeholder])

    body += notice_story(doc.notice)
    # notice_story bookmarks its own title; give it a key the contents can point at.
    body[0] = contents.mark(body[0], notice_title(doc.notice), 0)
    for c, case in enumerate(doc.cases):
        for part, reader in parts[c]:
            if part.kind == "case":
                marks = [(f"{case.entry.number}. {case.entry.title}", 0)]
                if case.proposal is not None:
                    marks.append(("Tjänsteskrivelse", 1))
                elif case.application is not None:
                    marks.append(("Ansökan", 1))
            else:
                marks = [("Ansökan", 1)]
            reserve(reader, True, marks)
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
            else:
                reserve(opened, False, [(title, 1)])
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
    return front + body, laid


def _form_xobject(writer: PdfWriter, source: PageObject) -> IndirectObject:
    """The page as a Form XObject in the writer: its content stream and resources, unparsed.

    A single content stream is copied still encoded, with its filters: decoding reportlab's
    ASCII85 in Python would cost more than the rest of laying the page.
    """
    box = source.cropbox
    raw = source.get("/Contents")
    stream = raw.get_object() if raw is not None else None
    form: StreamObject
    if isinstance(stream, StreamObject):
        form = StreamObject()
        form._data = stream._data  # still encoded; the filters are copied below
        for name in ("/Filter", "/DecodeParms"):
            if name in stream:
                form[NameObject(name)] = stream[name].clone(writer)
    else:  # several streams, or none: joined and compressed afresh
        contents = source.get_contents()
        decoded = DecodedStreamObject()
        decoded.set_data(contents.get_data() if contents is not None else b"")
        form = decoded.flate_encode()
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
    return writer._add_object(form)


def _lay(pdf: bytes, placed: list[tuple[int, ReservedPage]], laid: list[_Laid]) -> bytes:
    """Lay every reserved page's source page onto it: a part of our own as it is (it has the
    pack's geometry), an attachment scaled to fit the frame and centred.

    Each page goes in as a Form XObject drawn by one added content stream: pypdf's own
    merge_transformed_page parses and rewrites both pages' content, three times slower.
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for number, (page_number, placeholder) in enumerate(placed):
        source_doc = laid[placeholder.source]
        source = source_doc.reader.pages[placeholder.page]
        if source.rotation:  # a landscape page stored turned: turn its content instead
            source = PdfWriter().add_page(source)
            source.transfer_rotation_to_content()
        if source_doc.whole_page:
            scale, dx, dy = 1.0, 0.0, 0.0
        else:
            box = source.cropbox
            width, height = float(box.width), float(box.height)
            x, y, room_w, room_h = placeholder.rect
            scale = min(room_w / width, room_h / height)
            dx = x + (room_w - width * scale) / 2 - float(box.left) * scale
            dy = y + (room_h - height * scale) / 2 - float(box.bottom) * scale
        target = writer.pages[page_number - 1]
        name = NameObject(f"/FinsamPart{number}")
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


def render_board_pack(doc: BoardPackDocument, cache: dict[str, bytes] | None = None) -> bytes:
    """The whole pack as one A4 PDF.

    `cache` maps part keys (part_keys) to parts laid out before; parts missing from it are laid
    out now and added to it, for the caller to keep. A part shows frozen or rarely changed
    papers (a submitted application, a proposal), so a pack built again costs little.
    """
    cache = {} if cache is None else cache
    parts: list[list[tuple[_Part, PdfReader]]] = []
    for own in _parts(doc):
        with_readers = []
        for part in own:
            key = part.key()
            if key not in cache:
                cache[key] = _render_part(part.story())
            with_readers.append((part, PdfReader(io.BytesIO(cache[key]))))
        parts.append(with_readers)
    readers = _readable_pdfs(doc)
    story, laid = _story(doc, readers, parts)
    buffer = io.BytesIO()
    template = _BoardPackTemplate(
        buffer, title=pack_title(doc), letterhead=doc.letterhead, subject="Handlingar"
    )
    template.build(story)
    return _lay(buffer.getvalue(), template.reserved, laid)
