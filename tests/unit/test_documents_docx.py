"""The DOCX board documents: built from the real Ung framtid case in seed 002, re-opened and read."""

from __future__ import annotations

import datetime as dt
import io

import docx
from docx.document import Document
from docx.table import Table

from portfolio.documents.docx import (
    render_extract_docx,
    render_minutes_docx,
    render_notice_docx,
    render_proposal_docx,
)
from portfolio.documents.models import (
    Attendee,
    ExtractDocument,
    MinutesDocument,
    MinutesSection,
    NoticeDocument,
    ProposalDocument,
)
from tests.unit.board_documents import (
    APPROVED,
    BOARD,
    DIRECTOR,
    FS_DATE,
    LETTERHEAD,
    seed_proposal,
)


def _normalise(text: str) -> str:
    """Compare text as a reader sees it: no-break spaces and tabs read as plain spaces."""
    return " ".join(text.replace("\u00a0", " ").split())


def _open(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def _texts(document: Document) -> list[str]:
    return [_normalise(p.text) for p in document.paragraphs]


def _all_text(document: Document) -> str:
    """Body paragraphs and table cells, in one normalised string."""
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return _normalise("\n".join(parts))


def _headings(document: Document) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith("Heading")
    ]


def _rows(table: Table) -> list[list[str]]:
    return [[_normalise(cell.text) for cell in row.cells] for row in table.rows]


def _table_with_heading(document: Document, first: str) -> Table:
    return next(t for t in document.tables if t.rows and t.rows[0].cells[0].text == first)


# --- Documents built from the seed -------------------------------------------------------


def _minutes(section: MinutesSection, approved_on: dt.date | None) -> MinutesDocument:
    amendment = MinutesSection(
        paragraph=7,
        title="Ändring av beslut om Arbetslivsintro",
        case_number="2021:11",
        clauses=["att förlänga insatsens sista intagsdatum till 30 juni 2022."],
        supersedes="Beslutet ersätter beslut 2021-06-10 § 5.",
    )
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
        sections=[section, amendment],
    )


# --- The tjänsteskrivelse ------------------------------------------------------------------


def test_the_seed_grant_clause_is_what_the_formatting_writes(proposal: ProposalDocument) -> None:
    """The att-sats built with format_kronor and format_date_long reads as the seed's own."""
    seed = seed_proposal("Ung framtid")
    assert _normalise(proposal.clauses[0]) == _normalise(seed["att_clauses"][0])


def test_proposal_header_carries_date_dnr_meetings_and_attachment(
    proposal: ProposalDocument,
) -> None:
    """The case header lists Datum, Dnr, AU and FS in ISO dates, the attachment on the FS line."""
    document = _open(render_proposal_docx(proposal))
    assert _rows(document.tables[0]) == [
        ["Datum", "2021-09-09"],
        ["Dnr", "2021:13"],
        ["AU", "2021-08-19"],
        ["FS", "2021-09-16 bilaga nr. 6 - 6.1"],
    ]


def test_proposal_letterhead_is_on_every_page(proposal: ProposalDocument) -> None:
    """The association's name is in the page header, its address in the footer."""
    section = _open(render_proposal_docx(proposal)).sections[0]
    assert section.header.paragraphs[0].text == "Samordningsförbundet Uppsala län"
    assert "Org.nr 222000-2261" in section.footer.paragraphs[0].text


def test_proposal_uses_word_heading_styles(proposal: ProposalDocument) -> None:
    """Title, Förslag till beslut, Ärendet, Ansökan and Bedömning are real Word headings."""
    document = _open(render_proposal_docx(proposal))
    assert _headings(document) == [
        ("Heading 1", "Ansökan Ung framtid"),
        ("Heading 2", "Förslag till beslut"),
        ("Heading 2", "Ärendet"),
        ("Heading 3", "Ansökan"),
        ("Heading 3", "Bedömning"),
    ]


def test_proposal_att_satser_are_separate_paragraphs_with_hanging_indent(
    proposal: ProposalDocument,
) -> None:
    """Each att-sats is its own paragraph: "att", a tab to the hanging indent, then the clause."""
    document = _open(render_proposal_docx(proposal))
    clauses = [p for p in document.paragraphs if p.text.startswith("att")]
    assert all(p.text.startswith("att\t") for p in clauses)
    assert [_normalise(p.text) for p in clauses] == [_normalise(c) for c in proposal.clauses]
    for paragraph in clauses:
        indent = paragraph.paragraph_format
        assert indent.left_indent is not None and indent.first_line_indent is not None
        assert indent.left_indent > 0
        assert indent.first_line_indent == -indent.left_indent


def test_proposal_proposer_sentence_precedes_the_clauses(proposal: ProposalDocument) -> None:
    """ "Arbetsutskottet föreslår förbundsstyrelsen besluta" comes right before the first att."""
    texts = _texts(_open(render_proposal_docx(proposal)))
    proposer = texts.index("Arbetsutskottet föreslår förbundsstyrelsen besluta")
    assert texts[proposer + 1].startswith("att bevilja finansiellt stöd")


def test_proposal_amounts_and_dates_are_swedish(proposal: ProposalDocument) -> None:
    """The grant reads "2 803 333 kronor" from "1 januari 2022", digit groups unbreakable."""
    document = _open(render_proposal_docx(proposal))
    grant = next(p.text for p in document.paragraphs if p.text.startswith("att\tbevilja"))
    assert "2\u00a0803\u00a0333 kronor" in grant
    assert "1 januari 2022 fram till 31 december 2022" in _normalise(grant)


def test_proposal_case_texts_are_split_into_paragraphs(proposal: ProposalDocument) -> None:
    """Ansökan and Bedömning keep their blank-line paragraphs, in order, under their headings."""
    texts = _texts(_open(render_proposal_docx(proposal)))
    ansokan = [_normalise(b) for b in proposal.application_text.split("\n\n")]
    bedomning = [_normalise(b) for b in proposal.assessment_text.split("\n\n")]
    start = texts.index("Ansökan") + 1
    assert texts[start : start + len(ansokan)] == ansokan
    start = texts.index("Bedömning") + 1
    assert texts[start : start + len(bedomning)] == bedomning


def test_proposal_is_signed_by_the_director(proposal: ProposalDocument) -> None:
    """The last line is the signature as the seed writes it: name, title."""
    assert _texts(_open(render_proposal_docx(proposal)))[-1] == "Åsa Fichtel, Förbundschef"


def test_proposal_body_font_is_calibri_11(proposal: ProposalDocument) -> None:
    """The Normal style is Calibri 11 pt, so the kansli's edits look like the rest."""
    normal = _open(render_proposal_docx(proposal)).styles["Normal"]
    assert normal.font.name == "Calibri"
    assert normal.font.size is not None and normal.font.size.pt == 11


def test_proposal_core_properties_name_title_and_association(proposal: ProposalDocument) -> None:
    """File properties: the title is the case title, the author the association."""
    properties = _open(render_proposal_docx(proposal)).core_properties
    assert properties.title == "Ansökan Ung framtid"
    assert properties.author == "Samordningsförbundet Uppsala län"
    assert properties.language == "sv-SE"


def test_proposal_without_case_texts_has_no_arendet(proposal: ProposalDocument) -> None:
    """A proposal with neither Ansökan nor Bedömning text gets no empty Ärendet heading."""
    bare = ProposalDocument(
        letterhead=LETTERHEAD,
        document_date=dt.date(2021, 9, 9),
        case_number="2021:17",
        title="Preliminära medlemsavgifter 2022",
        clauses=["att lägga informationen till handlingarna."],
        signature=DIRECTOR,
    )
    document = _open(render_proposal_docx(bare))
    assert [text for _, text in _headings(document)] == [
        "Preliminära medlemsavgifter 2022",
        "Förslag till beslut",
    ]
    assert _rows(document.tables[0]) == [["Datum", "2021-09-09"], ["Dnr", "2021:17"]]


# --- The kallelse --------------------------------------------------------------------------


def test_notice_states_body_time_and_place(notice: NoticeDocument) -> None:
    """The kallelse says who meets, "Tid: 16 september 2021, kl. 13.00–15.00" and the place."""
    document = _open(render_notice_docx(notice))
    texts = _texts(document)
    assert ("Heading 1", "Kallelse") in _headings(document)
    assert "Förbundsstyrelsen kallas till sammanträde." in texts
    assert "Tid: 16 september 2021, kl. 13.00–15.00" in texts
    assert "Plats: Kommunhuset, Tierp" in texts


def test_notice_agenda_is_a_numbered_table(notice: NoticeDocument) -> None:
    """The föredragningslista is a table of Nr, Ärende, Dnr and Bilaga, in agenda order."""
    document = _open(render_notice_docx(notice))
    assert ("Heading 2", "Föredragningslista") in _headings(document)
    rows = _rows(_table_with_heading(document, "Nr"))
    assert rows[0] == ["Nr", "Ärende", "Dnr", "Bilaga"]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4", "5", "6"]
    ung_framtid = rows[5]
    assert ung_framtid[1].startswith("Ansökan Ung framtid")
    assert "Beslutsärende, Föredragande: Åsa Fichtel" in ung_framtid[1]
    assert ung_framtid[2:] == ["2021:13", "bilaga nr. 6 - 6.1"]


def test_notice_agenda_heading_row_repeats_across_pages(notice: NoticeDocument) -> None:
    """A long agenda repeats its heading row on every page."""
    table = _table_with_heading(_open(render_notice_docx(notice)), "Nr")
    assert table.rows[0]._tr.trPr is not None
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")


def test_notice_lists_the_invited_with_roles(notice: NoticeDocument) -> None:
    """The invited are listed with organisation and role under "Kallade"."""
    document = _open(render_notice_docx(notice))
    assert ("Heading 2", "Kallade") in _headings(document)
    assert ["Anna Ek", "Tierps kommun", "ordförande"] in _rows(document.tables[0])


def test_notice_ends_with_note_and_signature(notice: NoticeDocument) -> None:
    """The note about förhinder comes before the director's signature."""
    texts = _texts(_open(render_notice_docx(notice)))
    assert texts[-1] == "Åsa Fichtel, Förbundschef"
    assert "Förhinder anmäls till kansliet senast 14 september 2021." in texts


# --- The protokoll -------------------------------------------------------------------------


def test_minutes_header_names_body_time_place_and_officers(
    ung_framtid_section: MinutesSection,
) -> None:
    """The protokoll opens with Organ, Tid, Plats, then Ordförande, Sekreterare and Justerare."""
    texts = _texts(_open(render_minutes_docx(_minutes(ung_framtid_section, APPROVED))))
    for line in (
        "Organ: Förbundsstyrelsen",
        "Tid: 16 september 2021, kl. 13.00–15.00",
        "Plats: Kommunhuset, Tierp",
        "Ordförande: Anna Ek",
        "Sekreterare: Åsa Fichtel",
        "Justerare: Per Lind",
    ):
        assert line in texts


def test_minutes_list_present_absent_and_others_with_roles(
    ung_framtid_section: MinutesSection,
) -> None:
    """Närvarande, Frånvarande and Övriga närvarande each list people with their roles."""
    document = _open(render_minutes_docx(_minutes(ung_framtid_section, APPROVED)))
    headings = [text for _, text in _headings(document)]
    assert headings[:4] == ["Protokoll", "Närvarande", "Frånvarande", "Övriga närvarande"]
    present, absent, others = document.tables[:3]
    assert ["Anna Ek", "Tierps kommun", "ordförande"] in _rows(present)
    assert _rows(absent) == [["Maria Falk", "Heby kommun", "ledamot"]]
    assert _rows(others) == [["Åsa Fichtel", "", "förbundschef"]]


def test_minutes_sections_are_paragraph_headings_with_dnr(
    ung_framtid_section: MinutesSection,
) -> None:
    """Each § is a Heading 2 "§ N Title", followed by its Dnr and attachment."""
    document = _open(render_minutes_docx(_minutes(ung_framtid_section, APPROVED)))
    assert ("Heading 2", "§ 6 Ansökan Ung framtid") in _headings(document)
    assert ("Heading 2", "§ 7 Ändring av beslut om Arbetslivsintro") in _headings(document)
    texts = _texts(document)
    heading = texts.index("§ 6 Ansökan Ung framtid")
    assert texts[heading + 1] == "Dnr 2021:13, bilaga nr. 6 - 6.1"


def test_minutes_decision_names_the_body_before_its_att_satser(
    ung_framtid_section: MinutesSection,
) -> None:
    """After the outcome, "Förbundsstyrelsen beslutar" is followed by each att-sats."""
    texts = _texts(_open(render_minutes_docx(_minutes(ung_framtid_section, APPROVED))))
    start = texts.index("Förbundsstyrelsen beslutar")
    assert texts[start - 1] == "Bifall"
    clauses = texts[start + 1 : start + 1 + len(ung_framtid_section.clauses)]
    assert clauses == [_normalise(c) for c in ung_framtid_section.clauses]
    assert "maximalt 2 803 333 kronor" in clauses[0]


def test_minutes_tied_vote_is_tabled_and_settled_by_casting_vote(
    ung_framtid_section: MinutesSection,
) -> None:
    """A 3–3 roll-call is a Namn/Röst table, a tie, and the chair's casting vote."""
    document = _open(render_minutes_docx(_minutes(ung_framtid_section, APPROVED)))
    rows = _rows(_table_with_heading(document, "Namn"))
    assert rows[0] == ["Namn", "Röst"]
    assert rows[1:] == [[v.name, v.choice] for v in ung_framtid_section.votes]
    texts = _texts(document)
    result = texts.index("Omröstningsresultat: 3 ja, 3 nej.")
    assert texts[result + 1 : result + 3] == [
        "Lika röstetal.",
        "Ordföranden använder sin utslagsröst och röstar ja.",
    ]


def test_minutes_record_reservation_and_jav(ung_framtid_section: MinutesSection) -> None:
    """The reservation stands as written and a jäv reads as a sentence before the handling."""
    texts = _texts(_open(render_minutes_docx(_minutes(ung_framtid_section, APPROVED))))
    assert "Omar Haddad reserverar sig mot beslutet till förmån för avslag." in texts
    jav = texts.index("Maria Falk anmäler jäv och deltar inte i handläggningen.")
    assert jav < texts.index("Förbundsstyrelsen beslutar")


def test_minutes_amendment_says_what_it_supersedes(ung_framtid_section: MinutesSection) -> None:
    """An ändringsbeslut carries the line naming the decision it replaces."""
    texts = _texts(_open(render_minutes_docx(_minutes(ung_framtid_section, APPROVED))))
    assert "Beslutet ersätter beslut 2021-06-10 § 5." in texts


def test_approved_minutes_say_justerat_with_the_date(ung_framtid_section: MinutesSection) -> None:
    """Approved minutes end with "Justerat 2021-09-23" and a signature line per role."""
    document = _open(render_minutes_docx(_minutes(ung_framtid_section, APPROVED)))
    texts = _texts(document)
    justering = texts.index("Justering")
    block = texts[justering:]
    assert "Justerat 2021-09-23" in block
    assert "Ej justerat" not in texts
    for line in ("Ordförande Anna Ek", "Sekreterare Åsa Fichtel", "Justerare Per Lind"):
        assert line in block
    assert block.count("_" * 36) == 3


def test_unapproved_minutes_say_ej_justerat(ung_framtid_section: MinutesSection) -> None:
    """Minutes not yet approved say "Ej justerat" and keep empty signature lines."""
    texts = _texts(_open(render_minutes_docx(_minutes(ung_framtid_section, None))))
    block = texts[texts.index("Justering") :]
    assert "Ej justerat" in block
    assert not any(line.startswith("Justerat") for line in texts)
    assert "Ordförande Anna Ek" in block


def test_minutes_file_properties_name_meeting(ung_framtid_section: MinutesSection) -> None:
    """The protokoll's title names the body and the meeting date; its author the association."""
    properties = _open(render_minutes_docx(_minutes(ung_framtid_section, None))).core_properties
    assert properties.title == "Protokoll Förbundsstyrelsen 2021-09-16"
    assert properties.author == "Samordningsförbundet Uppsala län"


# --- The protokollsutdrag ------------------------------------------------------------------


def test_extract_holds_the_minutes_header_and_one_section(
    ung_framtid_section: MinutesSection,
) -> None:
    """The utdrag has the minutes' header and exactly the one §, rendered as in the minutes."""
    minutes = _minutes(ung_framtid_section, APPROVED)
    extract = ExtractDocument(
        minutes=minutes, section=ung_framtid_section, certified_by="Åsa Fichtel"
    )
    document = _open(render_extract_docx(extract))
    texts = _texts(document)
    assert _headings(document)[0] == ("Heading 1", "Protokollsutdrag")
    assert "Organ: Förbundsstyrelsen" in texts
    assert "Tid: 16 september 2021, kl. 13.00–15.00" in texts
    assert "Plats: Kommunhuset, Tierp" in texts
    sections = [text for _, text in _headings(document) if text.startswith("§")]
    assert sections == ["§ 6 Ansökan Ung framtid"]
    assert "Arbetslivsintro" not in _all_text(document)
    minutes_texts = _texts(_open(render_minutes_docx(minutes)))
    start = minutes_texts.index("§ 6 Ansökan Ung framtid")
    end = minutes_texts.index("§ 7 Ändring av beslut om Arbetslivsintro")
    ours = texts.index("§ 6 Ansökan Ung framtid")
    assert texts[ours : ours + end - start] == minutes_texts[start:end]


def test_extract_is_certified(ung_framtid_section: MinutesSection) -> None:
    """It closes with "Rätt utdraget betygar" and the certifier's name, after the justering."""
    minutes = _minutes(ung_framtid_section, APPROVED)
    extract = ExtractDocument(
        minutes=minutes, section=ung_framtid_section, certified_by="Åsa Fichtel"
    )
    document = _open(render_extract_docx(extract))
    texts = _texts(document)
    assert texts[-1] == "Rätt utdraget betygar Åsa Fichtel"
    assert "Justerat 2021-09-23" in texts
    assert document.core_properties.title == "Protokollsutdrag Förbundsstyrelsen 2021-09-16 § 6"
