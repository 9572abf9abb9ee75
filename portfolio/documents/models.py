"""What each board document says, as plain Structs: the renderers turn these into DOCX and PDF.

Dates are dates and money is integer kronor; the renderers format them the Swedish way with
portfolio.core.formatting (prose: "1 januari 2022", "1 965 000 kronor"; headers: 2022-01-01; tables: tkr).
"""

from __future__ import annotations

import datetime as dt

import msgspec


class Letterhead(msgspec.Struct, frozen=True, kw_only=True):
    """The association's name and address, at the top of every document."""

    name: str
    org_number: str = ""
    address: str = ""
    postal_address: str = ""
    email: str = ""
    phone: str = ""


class Signature(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    title: str = "Förbundschef"


class ProposalDocument(msgspec.Struct, frozen=True, kw_only=True):
    """A tjänsteskrivelse: the office's proposal for one case (see the four in seeds/002)."""

    letterhead: Letterhead
    document_date: dt.date
    case_number: str  # Dnr, "2021:13"
    au_date: dt.date | None = None
    fs_date: dt.date | None = None
    attachment_label: str = ""  # "bilaga nr. 6 - 6.1"
    title: str  # "Ansökan Ung framtid"
    proposer: str = "Arbetsutskottet föreslår förbundsstyrelsen besluta"
    clauses: list[str]  # att-satser, each starting with "att"
    application_text: str = ""  # Ärendet / Ansökan
    assessment_text: str = ""  # Ärendet / Bedömning
    signature: Signature


class AgendaEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One item of the föredragningslista."""

    number: int
    title: str
    case_number: str = ""
    attachment_label: str = ""
    kind_label: str = ""  # "Beslutsärende", "Informationsärende"
    presenter: str = ""


class Attendee(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    organisation: str = ""
    role: str = ""  # "ordförande", "ledamot", "ersättare", "förbundschef"


class NoticeDocument(msgspec.Struct, frozen=True, kw_only=True):
    """The kallelse with its föredragningslista."""

    letterhead: Letterhead
    body: str  # "Förbundsstyrelsen", "Arbetsutskottet"
    meeting_date: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place: str = ""
    invited: list[Attendee] = []
    agenda: list[AgendaEntry] = []
    note: str = ""  # e.g. "Förhinder anmäls till ..."
    signature: Signature


class Vote(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    choice: str  # "ja", "nej", "avstår"


class MinutesSection(msgspec.Struct, frozen=True, kw_only=True):
    """One § of the protokoll: a case, its decision as att-satser, votes, reservations and jäv."""

    paragraph: int  # the § number
    title: str
    case_number: str = ""
    attachment_label: str = ""
    background: str = ""  # a short "Ärendet" text
    outcome_label: str = ""  # "Bifall", "Delvis bifall", "Avslag", "Bordlagt"
    clauses: list[str] = []  # "Förbundsstyrelsen beslutar" + att-satser
    votes: list[Vote] = []
    casting_vote: str = ""  # the chair's casting vote on a tie, if used
    reservations: list[str] = []  # "Anna Ek (S) reserverar sig mot beslutet: ..."
    conflicts: list[str] = []  # names who declared jäv and took no part
    supersedes: str = ""  # "Beslutet ersätter beslut 2022-03-10 § 7" for an ändringsbeslut


class MinutesDocument(msgspec.Struct, frozen=True, kw_only=True):
    """The protokoll of one meeting, with its justering (approval) lines."""

    letterhead: Letterhead
    body: str
    meeting_date: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place: str = ""
    present: list[Attendee] = []
    absent: list[Attendee] = []
    others_present: list[Attendee] = []
    chair: str = ""
    secretary: str = ""
    checker: str = ""  # justerare
    approved_on: dt.date | None = None  # justerat datum; None while not yet approved
    sections: list[MinutesSection] = []


class ExtractDocument(msgspec.Struct, frozen=True, kw_only=True):
    """A protokollsutdrag: the minutes' header and one §, certified as a true extract."""

    minutes: MinutesDocument
    section: MinutesSection
    certified_by: str = ""  # "Rätt utdraget betygar"


class EconomyRow(msgspec.Struct, frozen=True, kw_only=True):
    """One row of the budget room table as the report shows it, each cell in whole tkr."""

    label: str
    tkr: list[int | None]
    is_total: bool = False
    owner: str = ""  # insats and application rows
    heading: bool = False  # a section title across the table ("Samverkansinsatser")


class EconomyReport(msgspec.Struct, frozen=True, kw_only=True):
    """ "Ekonomisk information": the budget room before and after the applications of a meeting."""

    letterhead: Letterhead
    report_date: dt.date
    meeting_label: str = ""  # "Förbundsstyrelsen 2026-12-17"; empty for the portfolio as a whole
    columns: list[str]  # "Budget 2026", "Prognos 2026", "Budget 2027", ...
    rows: list[EconomyRow]
    room_before: list[int]  # kronor per column: the chart's bars
    room_after: list[int]
    over_committed: list[str] = []  # columns whose room after is negative
    applications: list[str] = []  # the applications counted, "Ung framtid (Knivsta kommun)"
    signature: Signature
    # Set when years lack a budget: the report says so, naming them, instead of a table.
    missing: str = ""
