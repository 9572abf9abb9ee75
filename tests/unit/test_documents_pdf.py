"""The PDF board documents: built from the real Ung framtid case in seed 002, re-opened and read."""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Iterator
from typing import Any

from pypdf import PdfReader
from pypdf.generic import Destination
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph

from portfolio.documents.models import (
    Attendee,
    ExtractDocument,
    MinutesDocument,
    MinutesSection,
    NoticeDocument,
    ProposalDocument,
    Vote,
)
from portfolio.documents.pdf import PackTemplate, bookmark
from portfolio.documents.pdf_papers import (
    minutes_story,
    notice_story,
    proposal_story,
    render_extract_pdf,
    render_minutes_pdf,
    render_notice_pdf,
    render_proposal_pdf,
)
from tests.unit.board_documents import (
    APPROVED,
    BOARD,
    DIRECTOR,
    DOCUMENT_DATE,
    FS_DATE,
    LETTERHEAD,
    seed_proposal,
)


def _normalise(text: str) -> str:
    """Compare text as a reader sees it: no-break spaces and line ends read as plain spaces."""
    return " ".join(text.replace("\u00a0", " ").split())


def _open(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def _page_texts(reader: PdfReader) -> list[str]:
    return [_normalise(page.extract_text()) for page in reader.pages]


def _text(data: bytes) -> str:
    """Every page's text, in one normalised string."""
    return " ".join(_page_texts(_open(data)))


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """The bookmarks as (level, title, page number from 1), in reading order."""

    def walk(items: list[Any], level: int) -> Iterator[tuple[int, str, int]]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item, level + 1)
            elif isinstance(item, Destination):
                page = reader.get_destination_page_number(item)
                assert page is not None, f"bookmark {item.title!r} points at no page"
                yield level, str(item.title), page + 1

    return list(walk(reader.outline, 0))


def _titles(data: bytes) -> list[tuple[int, str]]:
    return [(level, title) for level, title, _ in _outline(_open(data))]


# --- Documents built from the seed -------------------------------------------------------


def _minutes(
    sections: list[MinutesSection], approved_on: dt.date | None = APPROVED
) -> MinutesDocument:
    return MinutesDocument(
        letterhead=LETTERHEAD,
        body="Förbundsstyrelsen",
        meeting_date=FS_DATE,
        start_time=dt.time(13, 0),
        end_time=dt.time(15, 0),
        place="Kommunhuset, Tierp",
        present=BOARD[:6],
        absent=BOARD[6:],
        others_present=[Attendee(name="Åsa Fichtel", role="förbundschef")],
        chair="Anna Ek",
        secretary="Åsa Fichtel",
        checker="Per Lind",
        approved_on=approved_on,
        sections=sections,
    )


AMENDMENT = MinutesSection(
    paragraph=7,
    title="Ändring av beslut om Arbetslivsintro",
    case_number="2021:11",
    clauses=["att förlänga insatsens sista intagsdatum till 30 juni 2022."],
    supersedes="Beslutet ersätter beslut 2021-06-10 § 5.",
)


# --- The tjänsteskrivelse ------------------------------------------------------------------


def test_proposal_header_carries_date_dnr_meetings_and_attachment(
    proposal: ProposalDocument,
) -> None:
    """The case header lists Datum, Dnr, AU and FS in ISO dates, the attachment on the FS line."""
    text = _text(render_proposal_pdf(proposal))
    assert text.startswith(
        "Datum 2021-09-09 Dnr 2021:13 AU 2021-08-19 FS 2021-09-16 bilaga nr. 6 - 6.1 "
        "Ansökan Ung framtid Förslag till beslut"
    )


def test_proposal_states_proposer_then_every_att_sats(proposal: ProposalDocument) -> None:
    """ "Arbetsutskottet föreslår förbundsstyrelsen besluta" is followed by the att-satser in order."""
    text = _text(render_proposal_pdf(proposal))
    clauses = " ".join(_normalise(clause) for clause in proposal.clauses)
    assert f"Arbetsutskottet föreslår förbundsstyrelsen besluta {clauses} Ärendet" in text


def test_proposal_grant_reads_in_swedish_amount_and_dates(proposal: ProposalDocument) -> None:
    """The grant reads "maximalt 2 803 333 kronor" for "1 januari 2022 fram till 31 december 2022"."""
    text = _text(render_proposal_pdf(proposal))
    assert "maximalt 2 803 333 kronor" in text
    assert "1 januari 2022 fram till 31 december 2022" in text


def test_proposal_case_texts_follow_their_headings(proposal: ProposalDocument) -> None:
    """Ärendet holds Ansökan then Bedömning, each with the kansli's text, then the signature."""
    text = _text(render_proposal_pdf(proposal))
    ansokan = _normalise(proposal.application_text)
    bedomning = _normalise(proposal.assessment_text)
    body = text[text.index("Ärendet") :]
    assert body.startswith(f"Ärendet Ansökan {ansokan[:60]}")
    assert f"Bedömning {bedomning[:60]}" in body
    assert body.index("Bedömning") < body.index("Åsa Fichtel, Förbundschef")


def test_proposal_pages_are_numbered_sida_x_av_y(proposal: ProposalDocument) -> None:
    """Every page says "Sida X av Y", from "Sida 1 av N" to "Sida N av N"."""
    pages = _page_texts(_open(render_proposal_pdf(proposal)))
    total = len(pages)
    assert total >= 2  # the seed's texts run over a page
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {total}" in page


def test_proposal_pages_carry_association_and_dnr(proposal: ProposalDocument) -> None:
    """The running header names the association and the Dnr, the footer the address."""
    for page in _page_texts(_open(render_proposal_pdf(proposal))):
        assert "Samordningsförbundet Uppsala län" in page
        assert "Tjänsteskrivelse Dnr 2021:13" in page
        assert "Box 1234 | 751 00 Uppsala | Org.nr 222000-2261" in page


def test_proposal_metadata_names_the_case(proposal: ProposalDocument) -> None:
    """The file's title is the case title and its author the association."""
    metadata = _open(render_proposal_pdf(proposal)).metadata
    assert metadata is not None
    assert metadata.title == "Ansökan Ung framtid"
    assert metadata.author == "Samordningsförbundet Uppsala län"


def test_proposal_has_one_bookmark_to_its_first_page(proposal: ProposalDocument) -> None:
    """The outline holds the case title, pointing at page 1."""
    assert _outline(_open(render_proposal_pdf(proposal))) == [(0, "Ansökan Ung framtid", 1)]


def test_proposal_text_with_markup_characters_is_printed_as_written() -> None:
    """&, < and > in titles, clauses and texts are escaped, not read as Paragraph markup."""
    doc = ProposalDocument(
        letterhead=LETTERHEAD,
        document_date=DOCUMENT_DATE,
        case_number="2021:18",
        title="Ansökan Jobb & hälsa <pilot>",
        clauses=["att bevilja medel till R&D om <5 % av budgeten."],
        application_text="Kostnader > 100 tkr & resor.",
        signature=DIRECTOR,
    )
    data = render_proposal_pdf(doc)
    text = _text(data)
    assert "Ansökan Jobb & hälsa <pilot>" in text
    assert "att bevilja medel till R&D om <5 % av budgeten." in text
    assert "Kostnader > 100 tkr & resor." in text
    assert _titles(data) == [(0, "Ansökan Jobb & hälsa <pilot>")]


def test_proposal_without_fs_date_puts_attachment_on_its_own_line() -> None:
    """Without an FS date the header shows the attachment as "Bilaga", and no empty AU line."""
    doc = ProposalDocument(
        letterhead=LETTERHEAD,
        document_date=DOCUMENT_DATE,
        case_number="2021:17",
        attachment_label="bilaga nr. 11",
        title="Preliminära medlemsavgifter 2022",
        clauses=["att lägga informationen till handlingarna"],
        signature=DIRECTOR,
    )
    text = _text(render_proposal_pdf(doc))
    assert text.startswith("Datum 2021-09-09 Dnr 2021:17 Bilaga bilaga nr. 11 Preliminära")
    assert "Ärendet" not in text


# --- The kallelse --------------------------------------------------------------------------


def test_notice_states_body_time_and_place(notice: NoticeDocument) -> None:
    """The kallelse says who meets, "Tid: 16 september 2021, kl. 13.00–15.00" and the place."""
    text = _text(render_notice_pdf(notice))
    assert text.startswith(
        "Kallelse Förbundsstyrelsen kallas till sammanträde. "
        "Tid: 16 september 2021, kl. 13.00–15.00 Plats: Kommunhuset, Tierp"
    )


def test_notice_lists_the_invited_with_roles(notice: NoticeDocument) -> None:
    """The invited are listed under "Kallade" with organisation and role."""
    text = _text(render_notice_pdf(notice))
    assert "Kallade Anna Ek Tierps kommun ordförande Per Lind Region Uppsala" in text


def test_notice_agenda_is_a_numbered_table_with_dnr_and_attachment(
    notice: NoticeDocument,
) -> None:
    """The föredragningslista has Nr, Ärende, Dnr and Bilaga; each case its kind and presenter."""
    text = _text(render_notice_pdf(notice))
    agenda = text[text.index("Föredragningslista") :]
    assert agenda.startswith("Föredragningslista Nr Ärende Dnr Bilaga 1 Mötets öppnande 2 Val av")
    assert (
        "5 Ansökan Ung framtid Beslutsärende, Föredragande: Åsa Fichtel "
        "2021:13 bilaga nr. 6 - 6.1" in agenda
    )
    assert (
        "6 Preliminära medlemsavgifter 2022 Beslutsärende, Föredragande: Åsa Fichtel "
        "2021:17 bilaga nr. 11" in agenda
    )


def test_notice_ends_with_note_and_signature(notice: NoticeDocument) -> None:
    """The note about förhinder comes before the director's signature."""
    text = _text(render_notice_pdf(notice))
    assert (
        "Förhinder anmäls till kansliet senast 14 september 2021. Åsa Fichtel, Förbundschef" in text
    )


def test_notice_metadata_and_bookmark_name_the_meeting(notice: NoticeDocument) -> None:
    """Title and bookmark read "Kallelse Förbundsstyrelsen 2021-09-16"; the page is numbered."""
    data = render_notice_pdf(notice)
    reader = _open(data)
    assert reader.metadata is not None
    assert reader.metadata.title == "Kallelse Förbundsstyrelsen 2021-09-16"
    assert _outline(reader) == [(0, "Kallelse Förbundsstyrelsen 2021-09-16", 1)]
    assert "Sida 1 av 1" in _text(data)


# --- The protokoll -------------------------------------------------------------------------


def test_minutes_header_names_body_time_place_people_and_officers(
    ung_framtid_section: MinutesSection,
) -> None:
    """Organ, Tid, Plats; Närvarande, Frånvarande, Övriga with roles; Ordförande, Sekreterare, Justerare."""
    text = _text(render_minutes_pdf(_minutes([ung_framtid_section, AMENDMENT])))
    assert text.startswith(
        "Protokoll Organ: Förbundsstyrelsen Tid: 16 september 2021, kl. 13.00–15.00 "
        "Plats: Kommunhuset, Tierp Närvarande Anna Ek Tierps kommun ordförande"
    )
    assert "Frånvarande Maria Falk Heby kommun ledamot" in text
    assert "Övriga närvarande Åsa Fichtel förbundschef" in text
    assert "Ordförande: Anna Ek Sekreterare: Åsa Fichtel Justerare: Per Lind § 6" in text


def test_minutes_section_has_dnr_jav_background_and_decision(
    ung_framtid_section: MinutesSection,
) -> None:
    """ "§ 6 Title", its Dnr, the jäv, Ärendet, then the outcome and "<body> beslutar" + att-satser."""
    text = _text(render_minutes_pdf(_minutes([ung_framtid_section, AMENDMENT])))
    clauses = " ".join(_normalise(clause) for clause in ung_framtid_section.clauses)
    assert (
        "§ 6 Ansökan Ung framtid Dnr 2021:13, bilaga nr. 6 - 6.1 "
        "Maria Falk anmäler jäv och deltar inte i handläggningen. "
        "Ärendet Tierps kommun ansöker om finansiering för insatsen Ung framtid. "
        f"Beslut Bifall Förbundsstyrelsen beslutar {clauses}"
    ) in text
    assert "maximalt 2 803 333 kronor" in text


def test_minutes_tied_vote_is_tabled_and_settled_by_casting_vote(
    ung_framtid_section: MinutesSection,
) -> None:
    """A 3–3 roll-call is a Namn/Röst table, a tie, the chair's casting vote, then the reservation."""
    text = _text(render_minutes_pdf(_minutes([ung_framtid_section, AMENDMENT])))
    roll_call = " ".join(f"{vote.name} {vote.choice}" for vote in ung_framtid_section.votes)
    assert (
        f"Omröstning Namn Röst {roll_call} "
        "Omröstningsresultat: 3 ja, 3 nej. Lika röstetal. "
        "Ordföranden använder sin utslagsröst och röstar ja. "
        "Omar Haddad reserverar sig mot beslutet till förmån för avslag."
    ) in text


def test_minutes_amendment_says_what_it_supersedes(ung_framtid_section: MinutesSection) -> None:
    """An ändringsbeslut carries the line naming the decision it replaces."""
    text = _text(render_minutes_pdf(_minutes([ung_framtid_section, AMENDMENT])))
    assert (
        "att förlänga insatsens sista intagsdatum till 30 juni 2022. "
        "Beslutet ersätter beslut 2021-06-10 § 5." in text
    )


def test_approved_minutes_say_justerat_with_date_and_signature_lines(
    ung_framtid_section: MinutesSection,
) -> None:
    """Approved minutes end with "Justerat 2021-09-23" and a signing line per role."""
    text = _text(render_minutes_pdf(_minutes([ung_framtid_section, AMENDMENT])))
    justering = text[text.index("Justering Justerat") :]
    assert justering.startswith(
        "Justering Justerat 2021-09-23 Ordförande Anna Ek Sekreterare Åsa Fichtel "
        "Justerare Per Lind"
    )
    assert "Ej justerat" not in text


def test_unapproved_minutes_say_ej_justerat(ung_framtid_section: MinutesSection) -> None:
    """Minutes not yet approved say "Ej justerat" and still leave the signing lines."""
    text = _text(render_minutes_pdf(_minutes([ung_framtid_section, AMENDMENT], None)))
    assert "Justering Ej justerat Ordförande Anna Ek" in text
    assert "Justerat 2" not in text


def test_minutes_outline_has_the_meeting_and_each_paragraph(
    ung_framtid_section: MinutesSection,
) -> None:
    """The protokoll is a top-level bookmark, each § a bookmark under it; metadata names it."""
    data = render_minutes_pdf(_minutes([ung_framtid_section, AMENDMENT]))
    assert _titles(data) == [
        (0, "Protokoll Förbundsstyrelsen 2021-09-16"),
        (1, "§ 6 Ansökan Ung framtid"),
        (1, "§ 7 Ändring av beslut om Arbetslivsintro"),
    ]
    metadata = _open(data).metadata
    assert metadata is not None
    assert metadata.title == "Protokoll Förbundsstyrelsen 2021-09-16"


def _long_minutes(count: int) -> MinutesDocument:
    """A meeting of `count` cases, each with background, att-satser and a roll-call."""
    seed = seed_proposal("Ung framtid")
    sections = [
        MinutesSection(
            paragraph=number,
            title=f"Ansökan Insats {number}",
            case_number=f"2021:{number:02d}",
            attachment_label=f"bilaga nr. {number}",
            background=seed["bedomning_text"],
            outcome_label="Bifall",
            clauses=seed["att_clauses"],
            votes=[Vote(name=p.name, choice="ja") for p in BOARD[:6]],
        )
        for number in range(1, count + 1)
    ]
    return _minutes(sections)


def test_thirty_paragraph_minutes_bookmark_each_paragraph_on_its_page() -> None:
    """With 30 §§ over many pages each bookmark opens the page its heading is on, quickly."""
    started = time.perf_counter()
    data = render_minutes_pdf(_long_minutes(30))
    elapsed = time.perf_counter() - started
    reader = _open(data)
    pages = _page_texts(reader)
    outline = _outline(reader)
    assert len(outline) == 31
    for level, title, page in outline[1:]:
        assert level == 1
        assert title in pages[page - 1]
    assert len({page for _, _, page in outline}) > 10  # the bookmarks really spread out
    assert f"Sida {len(pages)} av {len(pages)}" in pages[-1]
    assert elapsed < 10


# --- The protokollsutdrag ------------------------------------------------------------------


def test_extract_holds_header_one_section_and_certification(
    ung_framtid_section: MinutesSection,
) -> None:
    """The utdrag has the minutes' header, only § 6, the justering and "Rätt utdraget betygar"."""
    extract = ExtractDocument(
        minutes=_minutes([ung_framtid_section, AMENDMENT]),
        section=ung_framtid_section,
        certified_by="Åsa Fichtel",
    )
    data = render_extract_pdf(extract)
    text = _text(data)
    assert text.startswith(
        "Protokollsutdrag Organ: Förbundsstyrelsen Tid: 16 september 2021, kl. 13.00–15.00 "
        "Plats: Kommunhuset, Tierp § 6 Ansökan Ung framtid Dnr 2021:13"
    )
    assert "Arbetslivsintro" not in text
    assert "Omar Haddad reserverar sig" in text
    assert "Justerat 2021-09-23 Rätt utdraget betygar Åsa Fichtel" in text


def test_extract_metadata_and_bookmarks_name_meeting_and_paragraph(
    ung_framtid_section: MinutesSection,
) -> None:
    """Its title is "Protokollsutdrag Förbundsstyrelsen 2021-09-16 § 6", the § bookmarked under it."""
    extract = ExtractDocument(minutes=_minutes([ung_framtid_section]), section=ung_framtid_section)
    data = render_extract_pdf(extract)
    metadata = _open(data).metadata
    assert metadata is not None
    assert metadata.title == "Protokollsutdrag Förbundsstyrelsen 2021-09-16 § 6"
    assert _titles(data) == [
        (0, "Protokollsutdrag Förbundsstyrelsen 2021-09-16 § 6"),
        (1, "§ 6 Ansökan Ung framtid"),
    ]


# --- Several documents in one pack ---------------------------------------------------------


def test_a_pack_of_stories_is_one_numbered_pdf_with_a_bookmark_per_document(
    notice: NoticeDocument,
    proposal: ProposalDocument,
    ung_framtid_section: MinutesSection,
) -> None:
    """Notice, a case and the minutes in one PDF: one page count, each on the page it starts."""
    story = [
        *notice_story(notice),
        PageBreak(),
        *proposal_story(proposal),
        PageBreak(),
        *minutes_story(_minutes([ung_framtid_section])),
    ]
    buffer = io.BytesIO()
    PackTemplate(
        buffer,
        title="Handlingar Förbundsstyrelsen 2021-09-16",
        letterhead=LETTERHEAD,
    ).build(story)
    reader = _open(buffer.getvalue())
    pages = _page_texts(reader)
    outline = _outline(reader)
    assert [(level, title) for level, title, _ in outline] == [
        (0, "Kallelse Förbundsstyrelsen 2021-09-16"),
        (0, "Ansökan Ung framtid"),
        (0, "Protokoll Förbundsstyrelsen 2021-09-16"),
        (1, "§ 6 Ansökan Ung framtid"),
    ]
    proposal_pages = len(_open(render_proposal_pdf(proposal)).pages)
    minutes_page = 2 + proposal_pages
    assert [page for _, _, page in outline] == [1, 2, minutes_page, minutes_page]
    assert pages[1].startswith("Datum 2021-09-09 Dnr 2021:13")
    assert pages[minutes_page - 1].startswith("Protokoll Organ: Förbundsstyrelsen")
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in page
        assert "Handlingar Förbundsstyrelsen 2021-09-16" in page
    assert reader.metadata is not None
    assert reader.metadata.title == "Handlingar Förbundsstyrelsen 2021-09-16"


def test_a_pack_can_nest_cases_under_a_heading_of_its_own(proposal: ProposalDocument) -> None:
    """Stories take an outline level, so a pack can file its cases under "Ärenden"."""
    heading = bookmark(Paragraph("Ärenden", getSampleStyleSheet()["Heading1"]), "Ärenden")
    buffer = io.BytesIO()
    PackTemplate(buffer, title="Handlingar", letterhead=LETTERHEAD).build(
        [heading, *proposal_story(proposal, outline_level=1)]
    )
    assert _titles(buffer.getvalue()) == [(0, "Ärenden"), (1, "Ansökan Ung framtid")]


def test_an_outline_never_skips_a_level(proposal: ProposalDocument) -> None:
    """A story nested one level too deep for what precedes it is lifted to a valid level."""
    buffer = io.BytesIO()
    PackTemplate(buffer, title="Handlingar", letterhead=LETTERHEAD).build(
        proposal_story(proposal, outline_level=2)
    )
    assert _titles(buffer.getvalue()) == [(0, "Ansökan Ung framtid")]
