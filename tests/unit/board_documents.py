"""Board documents built from the real Ung framtid case of seed 002, shared by the DOCX and PDF tests."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from portfolio.core.formatting import format_date_long, format_kronor
from portfolio.documents.models import (
    AgendaEntry,
    Attendee,
    Letterhead,
    MinutesSection,
    NoticeDocument,
    ProposalDocument,
    Signature,
    Vote,
)

SEED = Path(__file__).parents[2] / "portfolio" / "demo" / "seed002.json"
LETTERHEAD = Letterhead(
    name="Samordningsförbundet Uppsala län",
    org_number="222000-2261",
    address="Box 1234",
    postal_address="751 00 Uppsala",
    email="kansli@example.se",
)
DIRECTOR = Signature(name="Åsa Fichtel", title="Förbundschef")
DOCUMENT_DATE = dt.date(2021, 9, 9)
AU_DATE = dt.date(2021, 8, 19)
FS_DATE = dt.date(2021, 9, 16)
APPROVED = dt.date(2021, 9, 23)


def seed_proposal(insats: str) -> dict[str, Any]:
    applications = json.loads(SEED.read_text(encoding="utf-8"))["applications"]
    return next(a["proposal"] for a in applications if a["insats_name"] == insats)


def proposal_document() -> ProposalDocument:
    """The Ung framtid tjänsteskrivelse, its first att-sats written from the decided figures."""
    seed = seed_proposal("Ung framtid")
    start = dt.date.fromisoformat(seed["proposed_period_start"])
    end = dt.date.fromisoformat(seed["proposed_period_end"])
    grant = (
        "att bevilja finansiellt stöd för insatsen Ung framtid för perioden "
        f"{format_date_long(start)} fram till {format_date_long(end)}, "
        f"maximalt {format_kronor(seed['proposed_amount'])}, 1 år med eventuell option på förlängning."
    )
    return ProposalDocument(
        letterhead=LETTERHEAD,
        document_date=dt.date.fromisoformat(seed["document_date"]),
        case_number=seed["dnr"],
        au_date=AU_DATE,
        fs_date=FS_DATE,
        attachment_label=seed["attachment"],
        title=seed["title"],
        clauses=[grant, *seed["att_clauses"][1:]],
        application_text=seed["ansokan_text"],
        assessment_text=seed["bedomning_text"],
        signature=DIRECTOR,
    )


BOARD = [
    Attendee(name="Anna Ek", organisation="Tierps kommun", role="ordförande"),
    Attendee(name="Per Lind", organisation="Region Uppsala", role="vice ordförande"),
    Attendee(name="Karin Berg", organisation="Försäkringskassan", role="ledamot"),
    Attendee(name="Omar Haddad", organisation="Knivsta kommun", role="ledamot"),
    Attendee(name="Lena Sjö", organisation="Enköpings kommun", role="ledamot"),
    Attendee(name="Jonas Holm", organisation="Östhammars kommun", role="ledamot"),
    Attendee(name="Maria Falk", organisation="Heby kommun", role="ledamot"),
]
CASES = [
    ("Ansökan En väg in - steget vidare", "", "bilaga nr. 4 - 4.1"),
    ("Ansökan Arbetslivsintro", "", "bilaga nr. 5 - 5.1"),
    ("Ansökan Ung framtid", "2021:13", "bilaga nr. 6 - 6.1"),
    ("Preliminära medlemsavgifter 2022", "2021:17", "bilaga nr. 11"),
]


def notice_document() -> NoticeDocument:
    """The kallelse to the board meeting of 16 September 2021 with the seed's cases."""
    opening = [
        AgendaEntry(number=1, title="Mötets öppnande"),
        AgendaEntry(number=2, title="Val av justerare"),
    ]
    cases = [
        AgendaEntry(
            number=3 + i,
            title=title,
            case_number=dnr,
            attachment_label=label,
            kind_label="Beslutsärende",
            presenter="Åsa Fichtel",
        )
        for i, (title, dnr, label) in enumerate(CASES)
    ]
    return NoticeDocument(
        letterhead=LETTERHEAD,
        body="Förbundsstyrelsen",
        meeting_date=FS_DATE,
        start_time=dt.time(13, 0),
        end_time=dt.time(15, 0),
        place="Kommunhuset, Tierp",
        invited=BOARD[:3],
        agenda=[*opening, *cases],
        note="Förhinder anmäls till kansliet senast 14 september 2021.",
        signature=DIRECTOR,
    )


def ung_framtid_section(proposal: ProposalDocument) -> MinutesSection:
    """§ 6: Ung framtid granted after a tied vote, with a reservation and a declared jäv."""
    votes = [Vote(name=p.name, choice="ja") for p in BOARD[:3]]
    votes += [Vote(name=p.name, choice="nej") for p in BOARD[3:6]]
    return MinutesSection(
        paragraph=6,
        title="Ansökan Ung framtid",
        case_number="2021:13",
        attachment_label="bilaga nr. 6 - 6.1",
        background="Tierps kommun ansöker om finansiering för insatsen Ung framtid.",
        outcome_label="Bifall",
        clauses=proposal.clauses,
        votes=votes,
        casting_vote="ja",
        reservations=["Omar Haddad reserverar sig mot beslutet till förmån för avslag."],
        conflicts=["Maria Falk"],
    )
