"""The meeting's papers as PDF: tjänsteskrivelse, kallelse, protokoll and protokollsutdrag."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from applications.documents import (
    _PLAIN_TABLE,
    CONTENT_WIDTH,
    _p,
    _texts,
)
from portfolio.core.formatting import format_date_iso
from portfolio.documents.models import (
    ExtractDocument,
    MinutesDocument,
    MinutesSection,
    NoticeDocument,
    ProposalDocument,
    Vote,
)
from portfolio.documents.pdf import (
    _BODY,
    _CELL,
    _CELL_BOLD,
    _HEADING,
    _LEAD,
    _LINE,
    _SUBHEADING,
    _TITLE,
    VOTE_CHOICES,
    _approval_status,
    _clauses,
    _grid,
    _labelled,
    _meeting_details,
    _people,
    _render,
    _signature,
    _signature_lines,
    bookmark,
)

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
