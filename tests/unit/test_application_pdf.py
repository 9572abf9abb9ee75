"""The application PDF: rendered from the real "Framsteget 2.0" application and read back."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import msgspec
import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from applications.budget import (
    BLOCK_LABELS,
    Budget,
    BudgetBlock,
    BudgetLine,
    BudgetYear,
    CostCategory,
    CostGroup,
    StatedBlock,
    StatedRow,
    StatedTotals,
    TotalsSource,
    WarningCode,
    check_budget,
)
from applications.documents import ApplicationDocument, render_application_pdf
from applications.domain import (
    AGREEMENT_TEXT,
    GOAL_KIND_LABELS,
    SECTIONS,
    ApplicationContent,
    ApplicationKind,
    Approval,
    Goal,
    GoalKind,
    Party,
)

SEED = Path(__file__).parents[2] / "portfolio" / "demo" / "seed002.json"
ASSOCIATION = "Samordningsförbundet Upplandsbygd"
SUBMITTED = dt.date(2021, 6, 15)
MARGIN = 20 * mm  # the page's side margins; nothing is drawn in them

# The seed's notes read the detailed budget table ("Budget – detaljerad") as stating these sums
# for all owners; its owner columns (and every other table) add up to 9 357 500 instead.
FRAMSTEGET_DETAILED = StatedTotals(
    source=TotalsSource.DETAILED,
    association=StatedBlock(
        groups={
            CostGroup.SALARIES: StatedRow(total=8_190_000),
            CostGroup.PREMISES: StatedRow(total=637_500),
            CostGroup.OTHER: StatedRow(total=180_000),
        },
        total=StatedRow(total=9_007_500),
        fte_percent=455,
    ),
    grand=StatedRow(total=9_007_500),
)


# --- building a document from the seed ---------------------------------------------------------


def _seed_application(name: str) -> dict[str, Any]:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    return next(a for a in seed["applications"] if a["insats_name"] == name)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _seed_budget(raw: dict[str, Any]) -> Budget:
    """The seed's budget: its lines and years as they are, its summary as stated sums."""
    lines = msgspec.json.decode(json.dumps(raw["lines"]), type=list[BudgetLine])
    years = msgspec.json.decode(json.dumps(raw["years"]), type=list[BudgetYear])
    totals = raw["stated_totals"]
    summary = StatedTotals(
        source=TotalsSource.SUMMARY,
        association=StatedBlock(
            total=StatedRow(amounts=totals["per_owner"], total=totals["association_total"])
        ),
        cofunding=StatedBlock(total=StatedRow(total=totals["cofunding_total"])),
    )
    return Budget(owners=raw["owners"], lines=lines, years=years, stated=[summary])


def framsteget_document() -> ApplicationDocument:
    """The "Framsteget 2.0" application as submitted, with invented organisation ids."""
    raw = _seed_application("Framsteget 2.0")
    parties = [raw["lead_owner"], *raw["co_owners"], *raw["partners"]]
    ids = {party["organisation"]: index for index, party in enumerate(parties, start=1)}

    def party(entry: dict[str, Any]) -> Party:
        return Party(
            organisation_id=ids[entry["organisation"]],
            contact_name=entry["contact_name"] or "",
            contact_email=entry["email"] or "",
        )

    budget = _seed_budget(raw["budget"])
    budget = msgspec.structs.replace(budget, stated=[*budget.stated, FRAMSTEGET_DETAILED])
    content = ApplicationContent(
        insats_name=raw["insats_name"],
        initiative_kind=raw["initiative_kind"],
        lead_owner=party(raw["lead_owner"]),
        co_owners=[party(p) for p in raw["co_owners"]],
        partners=[party(p) for p in raw["partners"]],
        purpose=raw["purpose"] or "",
        goals=[
            Goal(kind=GoalKind(g["kind"]), text=g["text"], target=g["target"], unit=g["unit"] or "")
            for g in raw["goals"]
        ],
        background=raw["background"] or "",
        changes_summary=raw["changes_summary"] or "",
        period_start=_date(raw["period_start"]),
        period_end=_date(raw["period_end"]),
        last_intake=_date(raw["last_intake"]),
        target_group=raw["target_group"] or "",
        expected_participants=raw["expected_participants"],
        method=raw["method"] or "",
        follow_up=raw["follow_up"] or "",
        implementation=raw["implementation"] or "",
        anchoring=raw["anchoring"] or "",
        budget=budget,
        agreement_accepted=True,
        approvals=[
            Approval(
                organisation_id=ids[raw["lead_owner"]["organisation"]],
                name=raw["lead_owner"]["contact_name"],
                title="Enhetschef",
                approved_on=SUBMITTED,
            )
        ],
    )
    return ApplicationDocument(
        association_name=ASSOCIATION,
        kind=ApplicationKind(raw["application_kind"]),
        version=1,
        submitted_on=SUBMITTED,
        content=content,
        organisation_names={index: name for name, index in ids.items()},
    )


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text, with no-break spaces and line breaks read as plain spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    return [
        re.sub(r"\s+", " ", page.extract_text().replace("\u00a0", " ")) for page in reader.pages
    ]


def pdf_title(pdf: bytes) -> str | None:
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    return metadata.title if metadata else None


def text_extents(pdf: bytes) -> list[tuple[float, float]]:
    """Where each run of text starts and ends on its page, in points from the left edge."""
    extents: list[tuple[float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        text = text.strip()
        if text and font:
            left = cm[4] + tm[4]
            extents.append((left, left + stringWidth(text, font["/BaseFont"][1:], size)))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return extents


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


@pytest.fixture(scope="module")
def framsteget_pdf() -> bytes:
    return render_application_pdf(framsteget_document())


@pytest.fixture(scope="module")
def framsteget_text(framsteget_pdf: bytes) -> str:
    return " ".join(page_texts(framsteget_pdf))


# --- the Framsteget 2.0 application -------------------------------------------------------------


def test_pdf_runs_over_several_pages_each_numbered_sida_x_av_y(framsteget_pdf: bytes) -> None:
    """Every page carries "Sida X av Y" with the true page count, and the insats name."""
    pages = page_texts(framsteget_pdf)
    total = len(pages)
    assert total > 1
    for number, text in enumerate(pages, start=1):
        assert f"Sida {number} av {total}" in text
        assert "Framsteget 2.0" in text
    assert f"Sida 1 av {total}" in pages[0]
    assert f"Sida {total} av {total}" in pages[-1]


def test_pdf_title_metadata_names_the_insats(framsteget_pdf: bytes) -> None:
    """Readers and the board pack's bookmarks see "Ansökan <insats>" as the document title."""
    assert pdf_title(framsteget_pdf) == "Ansökan Framsteget 2.0"


def test_first_page_opens_with_association_kind_title_and_version(framsteget_pdf: bytes) -> None:
    """The header names the association and the kind; the title is the insats; then the version."""
    first = page_texts(framsteget_pdf)[0]
    assert ASSOCIATION in first
    assert "Ansökan om finansiering — Ny ansökan" in first
    assert "Framsteget 2.0" in first
    assert "Version 1, inskickad 15 juni 2021" in first


def test_every_form_section_heading_appears_in_the_form_order(framsteget_text: str) -> None:
    """The board reads the sections in the order the owner filled them in."""
    position = 0
    for _, label in SECTIONS:
        found = framsteget_text.find(label, position)
        assert found != -1, f"{label!r} missing or out of order"
        position = found + len(label)


def test_parties_are_listed_with_contact_person_and_email(framsteget_text: str) -> None:
    """Each owner shows with its role, contact person and e-mail."""
    assert (
        "Huvudinsatsägare Håbo kommun Maria Bertilsson maria.bertilsson@habo.se" in framsteget_text
    )
    assert "Delinsatsägare 3 Region Uppsala Birgitta Rosberg" in framsteget_text


def test_goals_are_grouped_by_kind_with_target_and_unit(framsteget_text: str) -> None:
    """Goal texts sit under Övergripande mål, Effektmål and Insatsmål with their numbers."""
    for label in GOAL_KIND_LABELS.values():
        assert label in framsteget_text
    assert "Minst 50 unga per år får stöd i ungdomssatsningen 50 unga per år" in framsteget_text
    overall = framsteget_text.index(GOAL_KIND_LABELS[GoalKind.OVERALL])
    outcome = framsteget_text.index(GOAL_KIND_LABELS[GoalKind.OUTCOME])
    assert overall < framsteget_text.index("Korta tiden i utanförskap") < outcome


def test_dates_in_prose_read_1_januari_2022(framsteget_text: str) -> None:
    """Planned start, end and last intake are written out the Swedish way."""
    assert "Planerad start 1 januari 2022" in framsteget_text
    assert "Planerat slut 31 december 2024" in framsteget_text
    assert "Sista intag 30 september 2024" in framsteget_text


def test_applied_amount_is_stated_in_kronor(framsteget_text: str) -> None:
    """The total asked of the association reads "Sökt belopp: 9 357 500 kronor"."""
    assert "Sökt belopp: 9 357 500 kronor" in framsteget_text


def test_budget_tables_show_tkr_per_block_with_totals_rounded_from_exact_sums(
    framsteget_text: str,
) -> None:
    """Lines and sums in tkr; 9 357 500 kronor is 9 358 tkr, not the sum of rounded rows."""
    assert BLOCK_LABELS[BudgetBlock.ASSOCIATION] in framsteget_text
    assert BLOCK_LABELS[BudgetBlock.COFUNDING] in framsteget_text
    assert "Insatsansvarig/rehabcoach 100 % tjänst, 2022-01-01–2024-12-31 2 400" in framsteget_text
    assert "Summa lönekostnader, 455 % tjänst 8 190 350 0 0 8 540" in framsteget_text
    assert "Totalt från Samordningsförbundet 9 008 350 0 0 9 358" in framsteget_text
    assert "Total kostnad för insatsen 9 008 350 0 0 9 358" in framsteget_text


def test_per_year_summary_is_shown(framsteget_text: str) -> None:
    """ÅR 1 to ÅR 3 with their years, and their total."""
    assert "ÅR 1 (2022)" in framsteget_text
    assert "ÅR 3 (2024)" in framsteget_text
    assert "Summa 3 598 2 938 2 823 9 358" in framsteget_text


def test_budget_warnings_are_listed_for_the_board(framsteget_text: str) -> None:
    """The detailed table's 9 007 500 against lines summing to 9 357 500 is pointed out."""
    warnings = check_budget(framsteget_document().content.budget)
    assert WarningCode.BLOCK_TOTAL_MISMATCH in {w.code for w in warnings}
    assert "Att observera i budgeten" in framsteget_text
    for warning in warnings:
        assert normalised(warning.message) in framsteget_text


def test_agreement_text_and_approvals_close_the_application(framsteget_text: str) -> None:
    """The fixed agreement and who approved it, when, end the form."""
    assert normalised(AGREEMENT_TEXT) in framsteget_text
    assert "Håbo kommun Maria Bertilsson Enhetschef 15 juni 2021" in framsteget_text


def test_long_texts_flow_across_pages_intact(framsteget_text: str) -> None:
    """The long method text is there in full, from its first to its last paragraph."""
    method = _seed_application("Framsteget 2.0")["method"]
    first, last = method.split("\n\n")[0], method.split("\n\n")[-1]
    assert normalised(first) in framsteget_text
    assert normalised(last) in framsteget_text


# --- other shapes -------------------------------------------------------------------------------


def test_nearly_empty_draft_renders_with_dashes() -> None:
    """A draft with only a name renders; empty sections show a dash, not an error."""
    doc = ApplicationDocument(
        association_name=ASSOCIATION,
        kind=ApplicationKind.NEW,
        version=1,
        submitted_on=None,
        content=ApplicationContent(insats_name="Utkast"),
    )
    pages = page_texts(render_application_pdf(doc))
    text = " ".join(pages)
    assert "Version 1, ej inskickad" in text
    assert f"Sida {len(pages)} av {len(pages)}" in pages[-1]
    assert "Syfte –" in text
    assert "Budget –" in text


def test_entirely_empty_content_renders() -> None:
    """Even a draft with nothing typed gives a PDF."""
    doc = ApplicationDocument(
        association_name="",
        kind=ApplicationKind.SUPPLEMENTARY,
        version=3,
        submitted_on=None,
        content=ApplicationContent(),
    )
    pdf = render_application_pdf(doc)
    assert pdf_title(pdf) == "Ansökan"
    assert "Namnlös insats" in page_texts(pdf)[0]


def test_extension_shows_each_requirement_with_its_answer() -> None:
    """Answered requirements show their answers; an unanswered one says so."""
    doc = msgspec.structs.replace(
        framsteget_document(),
        kind=ApplicationKind.EXTENSION,
        version=2,
        requirements=[
            ("parternas egenfinansiering i insatsen", "Håbo kommun bidrar med en ungdomscoach."),
            ("ett förtydligande kring hur ordinarie verksamheter kompletterar insatsen", ""),
        ],
    )
    text = " ".join(page_texts(render_application_pdf(doc)))
    assert "Ansökan om finansiering — Ansökan om förlängning" in text
    assert (
        "Krav 1: parternas egenfinansiering i insatsen "
        "Håbo kommun bidrar med en ungdomscoach." in text
    )
    assert "kompletterar insatsen Ej besvarat." in text


def test_markup_characters_in_texts_are_printed_as_typed() -> None:
    """Text such as "<b>" and "&" is the owner's words, not markup."""
    content = ApplicationContent(insats_name="A & B", purpose="Mål <b>fler</b> i arbete & studier")
    doc = ApplicationDocument(
        association_name=ASSOCIATION,
        kind=ApplicationKind.NEW,
        version=1,
        submitted_on=None,
        content=content,
    )
    pdf = render_application_pdf(doc)
    text = " ".join(page_texts(pdf))
    assert "Mål <b>fler</b> i arbete & studier" in text
    assert pdf_title(pdf) == "Ansökan A & B"


def test_budget_with_only_its_stated_summary_shows_the_stated_sums() -> None:
    """ "Ung framtid" came with a summary and no lines: its stated sums are shown as stated."""
    raw = _seed_application("Ung framtid")
    content = ApplicationContent(insats_name=raw["insats_name"], budget=_seed_budget(raw["budget"]))
    doc = ApplicationDocument(
        association_name=ASSOCIATION,
        kind=ApplicationKind.NEW,
        version=1,
        submitted_on=None,
        content=content,
    )
    text = " ".join(page_texts(render_application_pdf(doc)))
    assert "Sökt belopp enligt budgetsammanställningen: 8 410 000 kronor" in text
    assert "Att rekvirera från Samordningsförbundet 8 010 160 240 0 8 410" in text


def test_budget_with_five_owners_keeps_every_column_on_the_page() -> None:
    """The template's widest budget (lead owner and four co-owners) fits a portrait page."""
    owners = ["Håbo kommun", "Arbetsförmedlingen", "Försäkringskassan", "Region Uppsala"]
    owners.append("Enköpings kommun")
    line = BudgetLine(
        block=BudgetBlock.ASSOCIATION,
        category=CostCategory.PURCHASED_SERVICES,
        label="Kartläggning",
        amounts=[1_234_567, 2_345_678, 3_456_789, 4_567_890, 5_678_901],
    )
    content = ApplicationContent(
        insats_name="Bred budget", budget=Budget(owners=owners, lines=[line])
    )
    doc = ApplicationDocument(
        association_name=ASSOCIATION,
        kind=ApplicationKind.NEW,
        version=1,
        submitted_on=None,
        content=content,
    )
    pdf = render_application_pdf(doc)
    text = " ".join(page_texts(pdf))
    for owner in owners:
        assert owner in text  # whole, not cut into two lines
    assert "Kartläggning 1 235 2 346 3 457 4 568 5 679 17 284" in text
    page_width = float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width)
    for left, right in text_extents(pdf):
        assert left >= MARGIN and right <= page_width - MARGIN
