"""Benchmark: a board pack of 30 cases (about 150 pages) built as one PDF, against LibreOffice.

    .venv/bin/python benchmarks/board_pack.py            # reportlab, then LibreOffice if installed
    .venv/bin/python benchmarks/board_pack.py --runs 3   # fewer runs (the CI's short mode)

The 30 cases cycle through the five real applications of seed 002 with their proposals; every
third case carries a two-page PDF attachment, and the economy report closes the pack. It prints
the median build time, the pages, the peak memory of the process, and then the time LibreOffice
takes to turn the same content, written as one Word file, into PDF (how it is done by hand
today): `apt-get install -y libreoffice-writer-nogui` to include that comparison.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import msgspec
from docx import Document
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from applications.documents import ApplicationDocument
from applications.domain import ApplicationContent, ApplicationKind
from portfolio.demo import seed
from portfolio.documents.models import (
    AgendaEntry,
    Letterhead,
    NoticeDocument,
    ProposalDocument,
    Signature,
)
from portfolio.documents.pack import (
    BoardPackDocument,
    PackAttachment,
    PackCase,
    pack_key,
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

CASES = 30
LETTERHEAD = Letterhead(name="Samordningsförbundet Upplandsbygd", address="Stationsgatan 12")
DIRECTOR = Signature(name="Eva Lindqvist")
MEETING = dt.date(2026, 12, 17)


def _attachment() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for page in (1, 2):
        canvas.drawString(72, 760, f"Protokoll från styrgruppen, sida {page}")
        for line in range(40):
            canvas.drawString(72, 720 - line * 15, "Styrgruppen följde upp insatsens mål. " * 2)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _documents() -> tuple[list[tuple[ApplicationDocument, ProposalDocument]], dict[str, Any]]:
    names = sorted(seed.all_organisations())
    org_ids = {name: index for index, name in enumerate(names, start=1)}
    papers = []
    for app in seed.seed_applications():
        content = msgspec.convert(seed.content(app, org_ids, anonymise=True), ApplicationContent)
        application = ApplicationDocument(
            association_name=LETTERHEAD.name,
            kind=ApplicationKind(app["application_kind"]),
            version=1,
            submitted_on=MEETING - dt.timedelta(days=40),
            content=content,
            organisation_names={i: n for n, i in org_ids.items()},
        )
        raw = app.get("proposal") or {}
        proposal = ProposalDocument(
            letterhead=LETTERHEAD,
            document_date=MEETING - dt.timedelta(days=7),
            case_number="2026:1",
            title=f"Ansökan {app['insats_name']}",
            clauses=raw.get("att_clauses") or ["att lägga informationen till handlingarna."],
            application_text=raw.get("ansokan_text") or content.purpose,
            assessment_text=raw.get("bedomning_text") or "",
            signature=DIRECTOR,
        )
        papers.append((application, proposal))
    return papers, org_ids


def build_pack_document() -> BoardPackDocument:
    papers, _ = _documents()
    attachment = _attachment()
    cases = []
    for number in range(1, CASES + 1):
        application, proposal = papers[(number - 1) % len(papers)]
        cases.append(
            PackCase(
                entry=AgendaEntry(
                    number=number,
                    title=proposal.title,
                    case_number=f"2026:{number}",
                    attachment_label=f"bilaga nr. {number} - {number}.1",
                    kind_label="Beslutsärende",
                ),
                proposal=msgspec.structs.replace(proposal, case_number=f"2026:{number}"),
                application=application,
                attachments=[PackAttachment(filename="Protokoll styrgrupp.pdf", data=attachment)]
                if number % 3 == 0
                else [],
            )
        )
    years = tuple(
        YearFigures(
            year=y,
            member_contributions=12_000_000,
            elected_members=500_000,
            administration=2_600_000,
        )
        for y in (2026, 2027, 2028)
    )
    table = compute_budget_room(
        BudgetRoomInput(
            years=years,
            opening_balance=2_500_000,
            commitments=tuple(
                Commitment(
                    name=f"Insats {i}", owner="Kommun", amounts={2026: 300_000, 2027: 200_000}
                )
                for i in range(20)
            ),
            applications=(Application(name="Ny ansökan", owner="Kommun", amounts={2027: 900_000}),),
        )
    )
    report, chart = economy_report_from_table(
        table,
        letterhead=LETTERHEAD,
        report_date=MEETING,
        meeting_label="Förbundsstyrelsen",
        director="Eva Lindqvist",
    )
    notice = NoticeDocument(
        letterhead=LETTERHEAD,
        body="Förbundsstyrelsen",
        meeting_date=MEETING,
        agenda=[c.entry for c in cases],
        signature=DIRECTOR,
    )
    return BoardPackDocument(
        letterhead=LETTERHEAD,
        body="Förbundsstyrelsen",
        meeting_date=MEETING,
        notice=notice,
        cases=cases,
        economy=report,
        economy_chart=chart,
    )


def same_content_as_docx(pack: BoardPackDocument) -> bytes:
    """The pack's text and tables as one Word file, the way the office assembles it by hand."""
    document = Document()
    document.add_heading(f"Handlingar {pack.body} {pack.meeting_date.isoformat()}", level=0)
    for case in pack.cases:
        document.add_page_break()
        document.add_heading(f"{case.entry.number}. {case.entry.title}", level=1)
        if case.proposal is not None:
            document.add_heading("Förslag till beslut", level=2)
            for clause in case.proposal.clauses:
                document.add_paragraph(clause)
            document.add_paragraph(case.proposal.application_text)
            document.add_paragraph(case.proposal.assessment_text)
        if case.application is not None:
            content = case.application.content
            document.add_page_break()
            for field in ("purpose", "background", "target_group", "method", "follow_up"):
                document.add_heading(field, level=2)
                document.add_paragraph(getattr(content, field))
            table = document.add_table(rows=1, cols=4)
            table.style = "Table Grid"
            for goal in content.goals:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = goal.kind, goal.text
                cells[2].text, cells[3].text = str(goal.target or ""), goal.unit
            lines = document.add_table(rows=1, cols=4)
            lines.style = "Table Grid"
            for line in content.budget.lines:
                cells = lines.add_row().cells
                cells[0].text = f"{line.category} {line.label}"
                for cell, amount in zip(cells[1:], line.amounts, strict=False):
                    cell.text = f"{amount:,}".replace(",", " ")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _libreoffice(docx: bytes) -> tuple[float, float, int] | None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "pack.docx"
        source.write_bytes(docx)
        profile = f"-env:UserInstallation=file://{folder}/profile"
        timings = []
        for _ in range(2):  # the first run also creates LibreOffice's profile
            start = time.perf_counter()
            subprocess.run(
                [
                    office,
                    profile,
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    folder,
                    str(source),
                ],
                check=True,
                capture_output=True,
            )
            timings.append(time.perf_counter() - start)
        pages = len(PdfReader(Path(folder) / "pack.pdf").pages)
    return timings[0], timings[1], pages


def _median_time(
    pack: BoardPackDocument, runs: int, cache: dict[str, bytes] | None
) -> tuple[float, bytes]:
    timings, pdf = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        pdf = render_board_pack(pack, None if cache is None else dict(cache))
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), pdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-libreoffice", action="store_true")
    args = parser.parse_args()

    pack = build_pack_document()
    cache: dict[str, bytes] = {}
    render_board_pack(pack, cache)  # warm up imports and fonts; fills the cache of parts
    cold, pdf = _median_time(pack, args.runs, None)
    warm, _ = _median_time(pack, args.runs, cache)
    start = time.perf_counter()
    for _ in range(args.runs):
        pack_key(pack)
    keyed = (time.perf_counter() - start) / args.runs
    tracemalloc.start()
    render_board_pack(pack)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(
        f"board pack: {CASES} cases, {pages} pages, {len(pdf) / 1e6:.1f} MB (medians of {args.runs} runs)"
    )
    print(
        f"  cold, every part laid out:           {cold:.2f} s ({cold / pages * 1000:.1f} ms per page)"
    )
    print(f"  warm, proposals and applications laid out before (the usual case): {warm:.2f} s")
    print(
        f"  unchanged, served as kept: {keyed * 1000:.1f} ms to hash its content, then one keyed read"
    )
    print("  target: under 1.5 s for about 150 pages")
    print(
        f"  peak memory: process {peak_rss:.0f} MB (target under 200 MB), Python heap {traced_peak / 1e6:.0f} MB"
    )
    if args.no_libreoffice:
        return
    office = _libreoffice(same_content_as_docx(pack))
    if office is None:
        print(
            "  LibreOffice: not installed (apt-get install -y libreoffice-writer-nogui) - no comparison"
        )
        return
    first, converted, office_pages = office
    print(
        f"  LibreOffice DOCX -> PDF of the same content: {converted:.2f} s ({office_pages} pages; first run {first:.2f} s)"
    )
    print(
        f"  ratio: cold {converted / cold:.1f}x, warm {converted / warm:.1f}x faster than LibreOffice (target at least 10x)"
    )


if __name__ == "__main__":
    main()
