"""Meetings, cases and agendas against the database: Dnr allocation above all."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from portfolio.core.domain import Body, CaseKind, MeetingStatus
from portfolio.core.errors import Conflict, ValidationFailed
from portfolio.core.tables import Case
from portfolio.meetings import decision_services as meetings_decision_services
from portfolio.meetings import queries
from portfolio.meetings import services as meetings_services
from portfolio.meetings.schemas import CaseCreate, MeetingCreate, MeetingUpdate
from tests import factories


async def test_case_numbers_run_in_sequence_per_year() -> None:
    """Each year starts at 1; the Dnr reads year:number."""
    w = await factories.world()
    first = await meetings_services.create_case(
        w.office, CaseCreate(title="A", kind=CaseKind.APPLICATION, year=2021)
    )
    second = await meetings_services.create_case(
        w.office, CaseCreate(title="B", kind=CaseKind.OTHER, year=2021)
    )
    other_year = await meetings_services.create_case(
        w.office, CaseCreate(title="C", kind=CaseKind.OTHER, year=2022)
    )
    assert [first["case_number"], second["case_number"], other_year["case_number"]] == [
        "2021:1",
        "2021:2",
        "2022:1",
    ]


async def test_concurrent_case_numbers_are_unique_and_without_gaps() -> None:
    """Twenty cases registered at once get exactly 1..20, and a failed one leaves no hole."""
    w = await factories.world()
    results = await asyncio.gather(
        *(
            meetings_services.create_case(
                w.office, CaseCreate(title=f"Ärende {n}", kind=CaseKind.OTHER, year=2030)
            )
            for n in range(20)
        )
    )
    assert sorted(r["number"] for r in results) == list(range(1, 21))
    with pytest.raises(Exception):  # noqa: B017 - the insats does not exist, so the whole case is refused
        await meetings_services.create_case(
            w.office, CaseCreate(title="Fel", kind=CaseKind.OTHER, year=2030, initiative_id=999_999)
        )
    after = await meetings_services.create_case(
        w.office, CaseCreate(title="Nästa", kind=CaseKind.OTHER, year=2030)
    )
    assert after["case_number"] == "2030:21"
    assert await Case.count().where(Case.year == 2030) == 21


async def test_agenda_numbers_attachments_and_reorders() -> None:
    """Items are numbered in order with their attachment labels; moving one renumbers the rest."""
    w = await factories.world()
    meeting = await meetings_services.create_meeting(
        w.office, MeetingCreate(body=Body.BOARD, meeting_date=dt.date(2026, 12, 10))
    )
    cases = [
        await meetings_services.create_case(
            w.office, CaseCreate(title=t, kind=CaseKind.APPLICATION)
        )
        for t in ("Ett", "Två", "Tre")
    ]
    for case, attachments in zip(cases, (1, 2, 0), strict=True):
        await meetings_services.add_to_agenda(w.office, meeting["id"], case["id"], attachments)
    agenda = await queries.agenda_rows(meeting["id"])
    assert [(i["position"], i["title"], i["attachment_label"]) for i in agenda][:2] == [
        (1, "Ett", "bilaga nr. 1"),
        (2, "Två", "bilaga nr. 2 - 2.1"),
    ]
    moved = await meetings_services.move_agenda_item(w.office, meeting["id"], agenda[2]["id"], -2)
    assert [i["title"] for i in moved] == ["Tre", "Ett", "Två"] and [
        i["position"] for i in moved
    ] == [1, 2, 3]
    with pytest.raises(Conflict):
        await meetings_services.add_to_agenda(w.office, meeting["id"], cases[0]["id"])


async def test_a_case_passes_from_the_au_agenda_to_the_fs_agenda() -> None:
    w = await factories.world()
    au = await meetings_services.create_meeting(
        w.office, MeetingCreate(body=Body.WORKING_COMMITTEE, meeting_date=dt.date(2026, 11, 19))
    )
    fs = await meetings_services.create_meeting(
        w.office, MeetingCreate(body=Body.BOARD, meeting_date=dt.date(2026, 12, 10))
    )
    case = await meetings_services.create_case(
        w.office, CaseCreate(title="Ansökan Alfa", kind=CaseKind.APPLICATION)
    )
    await meetings_services.add_to_agenda(w.office, au["id"], case["id"])
    await meetings_services.add_to_agenda(w.office, fs["id"], case["id"])
    assert [i["case_number"] for i in await queries.agenda_rows(fs["id"])] == [case["case_number"]]


async def test_meeting_status_moves_one_step_at_a_time_and_approved_minutes_are_final() -> None:
    w = await factories.world()
    meeting = await meetings_services.create_meeting(
        w.office, MeetingCreate(body=Body.BOARD, meeting_date=dt.date(2026, 11, 26))
    )
    with pytest.raises(ValidationFailed):
        await meetings_services.update_meeting(
            w.office, meeting["id"], MeetingUpdate(version=1, status=MeetingStatus.HELD)
        )
    version = 1
    for status in (MeetingStatus.NOTICE_SENT, MeetingStatus.HELD, MeetingStatus.APPROVED):
        version = (
            await meetings_services.update_meeting(
                w.office,
                meeting["id"],
                MeetingUpdate(version=version, status=status, checker="Ada Ägare"),
            )
        )["version"]
    with pytest.raises(Conflict):
        await meetings_services.update_meeting(
            w.office, meeting["id"], MeetingUpdate(version=version, place="Annan plats")
        )


async def test_decisions_recorded_at_once_get_one_per_case_and_distinct_paragraphs() -> None:
    """A double click on "record decision", beside a decision on another case: the case gets one
    decision and one set of commitments, the other is refused, and the § numbers stay 1 and 2."""
    from portfolio.core.tables import Commitment, Decision
    from portfolio.meetings.decisions import DecisionOutcome
    from portfolio.meetings.schemas import DecisionIn

    w = await factories.world()
    meeting = await meetings_services.create_meeting(
        w.office, MeetingCreate(body=Body.BOARD, meeting_date=dt.date(2030, 3, 1))
    )
    cases = [
        await meetings_services.create_case(
            w.office,
            CaseCreate(
                title=title,
                kind=CaseKind.APPLICATION,
                initiative_id=w.initiative_a["id"],
                year=2030,
            ),
        )
        for title in ("Ansökan A", "Ansökan B")
    ]
    for case in cases:
        await meetings_services.add_to_agenda(w.office, meeting["id"], case["id"])

    def grant(case_id: int) -> DecisionIn:
        return DecisionIn(
            case_id=case_id,
            outcome=DecisionOutcome.GRANTED,
            clauses=["att bevilja 120 000 kronor."],
            amount=120_000,
            period_start=dt.date(2030, 4, 1),
            period_end=dt.date(2031, 3, 31),
        )

    results = await asyncio.gather(
        *(
            meetings_decision_services.record_decision(w.office, meeting["id"], grant(case["id"]))
            for case in (cases[0], cases[0], cases[1])
        ),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(refused) == 1 and isinstance(refused[0], Conflict), results
    rows = await Decision.select(Decision.case, Decision.paragraph).where(
        Decision.meeting == meeting["id"]
    )
    assert sorted(r["paragraph"] for r in rows) == [1, 2]
    assert sorted(r["case"] for r in rows) == sorted(c["id"] for c in cases)
    committed = await Commitment.select(Commitment.amount).where(
        Commitment.initiative == w.initiative_a["id"]
    )
    assert sum(r["amount"] for r in committed) == 2 * 120_000


async def test_a_past_case_keeps_its_dnr_and_new_numbers_continue_after_the_highest() -> None:
    """Registering 2025:14 afterwards keeps that Dnr; 2025:14 twice is refused; the next new
    case of 2025 is 2025:15, and a lower past number (2025:3) does not pull the counter back."""
    from portfolio.core.domain import CaseKind
    from portfolio.core.errors import Conflict, ValidationFailed
    from portfolio.meetings import services as meetings_services
    from portfolio.meetings.schemas import CaseCreate
    from tests import factories

    w = await factories.world()

    async def case(number: int | None, year: int | None = 2025) -> str:
        row = await meetings_services.create_case(
            w.office, CaseCreate(title="Ärende", kind=CaseKind.OTHER, year=year, number=number)
        )
        return str(row["case_number"])

    assert await case(14) == "2025:14"
    with pytest.raises(Conflict):
        await case(14)
    assert await case(3) == "2025:3"
    assert await case(None) == "2025:15"
    assert await case(None, 2026) == "2026:1"
    with pytest.raises(ValidationFailed):
        await case(5, None)
