"""The board pack as one PDF, reopened: contents with true page numbers, a bookmark per case and
per paper, "Sida X av Y" on every page, attachments laid in, and the economy report."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import msgspec
import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from portfolio.documents.models import AgendaEntry, ProposalDocument
from portfolio.documents.pack import (
    BoardPackDocument,
    PackAttachment,
    PackCase,
    part_keys,
    render_board_pack,
)
from portfolio.economy.budget_room import (
    Application,
    BudgetRoomInput,
    Commitment,
    YearFigures,
    compute_budget_room,
)
from portfolio.economy.report import economy_report_from_table
from tests.unit import board_documents
from tests.unit.board_documents import DIRECTOR, LETTERHEAD
from tests.unit.test_application_pdf import framsteget_document

NBSP = "\u00a0"


def _attachment(pages: int, text: str, size: tuple[float, float] = A4) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size)
    for page in range(1, pages + 1):
        canvas.drawString(72, size[1] - 100, f"{text} sida {page}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _encrypted() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_attachment(1, "Hemlig"))))
    writer.encrypt("lösenord")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _economy() -> tuple[Any, Any]:
    table = compute_budget_room(
        BudgetRoomInput(
            years=tuple(
                YearFigures(
                    year=y,
                    member_contributions=12_000_000,
                    elected_members=500_000,
                    administration=2_500_000,
                )
                for y in (2030, 2031, 2032)
            ),
            opening_balance=1_000_000,
            commitments=(
                Commitment(
                    name="Insats A", owner="Kommun X", amounts={2030: 9_000_000, 2031: 8_000_000}
                ),
            ),
            applications=(
                Application(
                    name="Ansökan E", owner="Kommun Y", amounts={2031: 4_500_500, 2032: 900_000}
                ),
            ),
        )
    )
    return economy_report_from_table(
        table,
        letterhead=LETTERHEAD,
        report_date=dt.date(2030, 10, 1),
        meeting_label="Förbundsstyrelsen 2030-10-15",
        director=DIRECTOR.name,
    )


def _case(number: int, proposal: ProposalDocument, **papers: Any) -> PackCase:
    return PackCase(
        entry=AgendaEntry(
            number=number,
            title=f"Ansökan nummer {number}",
            case_number=f"2030:{number}",
            attachment_label=f"bilaga nr. {number} - {number}.1",
            kind_label="Beslutsärende",
        ),
        proposal=proposal,
        **papers,
    )


@pytest.fixture(scope="module")
def pack() -> bytes:
    proposal, notice = board_documents.proposal_document(), board_documents.notice_document()
    report, chart = _economy()
    cases = [
        _case(
            1,
            proposal,
            application=framsteget_document(),
            attachments=[
                PackAttachment(filename="Protokoll LOKUS.pdf", data=_attachment(2, "LOKUS")),
                PackAttachment(filename="Budget.xlsx", is_pdf=False),
                PackAttachment(filename="Trasig.pdf", data=b"%PDF-1.4 not really"),
                PackAttachment(filename="Hemlig.pdf", data=_encrypted()),
                PackAttachment(
                    filename="Liggande.pdf", data=_attachment(1, "Liggande", landscape(A4))
                ),
            ],
        ),
        *[_case(n, proposal) for n in range(2, 31)],
    ]
    return render_board_pack(
        BoardPackDocument(
            letterhead=LETTERHEAD,
            body="Förbundsstyrelsen",
            meeting_date=dt.date(2030, 10, 15),
            place="Stadshuset",
            notice=notice,
            cases=cases,
            economy=report,
            economy_chart=chart,
        )
    )


@pytest.fixture(scope="module")
def reader(pack: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pack))


def _page(reader: PdfReader, entry: Any) -> int:
    number = reader.get_destination_page_number(entry)
    assert number is not None, entry.title
    return number + 1


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, page number) for every bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(entries: list[Any], level: int) -> None:
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, level + 1)
            else:
                found.append((level, entry.title, _page(reader, entry)))

    walk(reader.outline, 0)
    return found


def _text(reader: PdfReader, page: int) -> str:
    return reader.pages[page - 1].extract_text().replace(NBSP, " ")


def test_every_page_says_sida_x_av_y(reader: PdfReader) -> None:
    total = len(reader.pages)
    assert total > 60
    for number in range(1, total + 1):
        assert f"Sida {number} av {total}" in _text(reader, number)


def test_a_bookmark_per_case_and_per_paper(reader: PdfReader) -> None:
    outline = _outline(reader)
    top = [title for level, title, _ in outline if level == 0]
    assert top[0].startswith("Kallelse Förbundsstyrelsen")
    assert top[1:31] == [f"{n}. Ansökan nummer {n}" for n in range(1, 31)]
    assert top[-1] == "Ekonomisk information"
    first_case = [title for level, title, _ in outline[2:12] if level == 1]
    assert first_case[:3] == ["Tjänsteskrivelse", "Ansökan", "Bilaga: Protokoll LOKUS.pdf"]


def test_contents_list_the_page_every_bookmark_opens(reader: PdfReader) -> None:
    """Each line of the contents ends with the page number its bookmark points at."""
    contents = ""
    for number in range(1, 5):
        layout = reader.pages[number - 1].extract_text(extraction_mode="layout")
        contents += layout.replace(NBSP, " ") + "\n"
        if "Ekonomisk information" in layout:
            break
    lines: dict[str, list[int]] = {}
    for line in contents.splitlines():
        match = re.match(r"\s*(.+?)\s+\.{3,}\s+(\d+)\s*$", line)
        if match:
            lines.setdefault(match.group(1).strip(), []).append(int(match.group(2)))
    outline = _outline(reader)
    for level, title, page in outline:
        if level == 0:
            assert page in lines[title], title
    assert sum(len(pages) for pages in lines.values()) == len(outline)


def test_attachment_pages_are_laid_in_on_their_own_numbered_pages(reader: PdfReader) -> None:
    outline = _outline(reader)
    lokus = next(page for _, title, page in outline if title == "Bilaga: Protokoll LOKUS.pdf")
    total = len(reader.pages)
    assert "LOKUS sida 1" in _text(reader, lokus) and f"Sida {lokus} av {total}" in _text(
        reader, lokus
    )
    assert "LOKUS sida 2" in _text(reader, lokus + 1)
    landscape_page = next(page for _, title, page in outline if title == "Bilaga: Liggande.pdf")
    assert "Liggande sida 1" in _text(reader, landscape_page)


def test_unreadable_attachments_are_named_with_the_reason(reader: PdfReader) -> None:
    outline = _outline(reader)
    broken = next(page for _, title, page in outline if title == "Bilaga: Trasig.pdf")
    assert "kunde inte läsas som PDF" in _text(reader, broken)
    locked = next(page for _, title, page in outline if title == "Bilaga: Hemlig.pdf")
    assert "lösenordsskyddad" in _text(reader, locked)
    case = next(page for _, title, page in outline if title == "1. Ansökan nummer 1")
    assert "Övriga bilagor, att hämta i Finsam Portfolio: Budget.xlsx" in _text(reader, case)


def test_economy_report_shows_the_room_in_tkr_before_and_after(reader: PdfReader) -> None:
    page = next(p for _, t, p in _outline(reader) if t == "Ekonomisk information")
    text = " ".join(_text(reader, p) for p in range(page, len(reader.pages) + 1))
    assert "Ekonomisk information inför Förbundsstyrelsen 2030-10-15" in text
    # Ansökan E's 4 500 500 kr in 2031 takes that year's room below zero.
    assert "Ansökan E (Kommun Y)" in text
    assert "Överintecknat" in text and "Beslutsutrymme per år" in text


def test_the_pack_title_is_in_the_files_metadata(reader: PdfReader) -> None:
    assert reader.metadata is not None
    assert reader.metadata.title == "Handlingar Förbundsstyrelsen 2030-10-15"


def test_parts_laid_out_once_are_reused_and_a_changed_proposal_is_laid_out_again(
    pack: bytes,
) -> None:
    """The cache of parts: a second build renders nothing new and reads the same; an edited
    proposal gets a new key, so stale papers never reach the board."""
    proposal = board_documents.proposal_document()
    doc = BoardPackDocument(
        letterhead=LETTERHEAD,
        body="Förbundsstyrelsen",
        meeting_date=dt.date(2030, 10, 15),
        notice=board_documents.notice_document(),
        cases=[_case(1, proposal, application=framsteget_document()), _case(2, proposal)],
    )
    cache: dict[str, bytes] = {}
    first = render_board_pack(doc, cache)
    assert sorted(cache) == sorted(part_keys(doc)) and len(cache) == 3
    again = render_board_pack(doc, cache)
    assert len(cache) == 3
    texts = [[p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages] for pdf in (first, again)]
    assert texts[0] == texts[1]
    edited = msgspec.structs.replace(proposal, clauses=["att avslå ansökan."])
    changed = msgspec.structs.replace(doc, cases=[_case(1, edited), doc.cases[1]])
    render_board_pack(changed, cache)
    assert len(cache) == 4
    reader = PdfReader(io.BytesIO(render_board_pack(changed, cache)))
    assert "avslå ansökan" in _text(reader, 3) and "avslå ansökan" not in "".join(texts[0])
