"""What waits for each role on the start page, item by item, on a fixed day (issue 19)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from applications.budget import CostCategory
from applications.domain import ApplicationContent, ApplicationKind, ApplicationStatus
from applications.tables import Application, ApplicationVersion
from portfolio.core.domain import Body, MeetingStatus
from portfolio.core.tables import AgendaItem, Case, Meeting, MeetingAttendee, YearBudget
from portfolio.mail.tables import OutgoingMail
from portfolio.overview.dashboard import dashboard
from reports import services as report_services
from reports.domain import RequisitionLine
from reports.domain.reports import ReportKind, ReportStatus
from reports.schedule import quarter_bounds, slot_key
from reports.schemas import RequisitionCreate
from reports.tables import Report
from tests import factories
from tests.report_factories import GRANT, granted_for_2026

DAY = dt.date(2026, 10, 15)  # Q3 has ended and is due 30 October; Q1 and Q2 are past due


async def _application(
    w: factories.World, title: str, status: ApplicationStatus, versions: int, owner: int
) -> int:
    encoded = msgspec.json.encode(ApplicationContent(insats_name=title)).decode()
    row = await Application.insert(
        Application(
            initiative=w.initiative_b["id"],
            organisation=owner,
            kind=ApplicationKind.NEW,
            status=status,
            title=title,
            content=encoded,
        )
    ).returning(Application.id)
    for number in range(1, versions + 1):
        await ApplicationVersion.insert(
            ApplicationVersion(application=row[0]["id"], number=number, content=encoded)
        )
    return int(row[0]["id"])


async def _report(initiative: int, owner: int, quarter: int, status: ReportStatus) -> int:
    start, end = quarter_bounds(2026, quarter)
    row = await Report.insert(
        Report(
            initiative=initiative,
            organisation=owner,
            kind=ReportKind.QUARTERLY,
            year=2026,
            quarter=quarter,
            slot_key=slot_key(initiative, ReportKind.QUARTERLY, 2026, quarter),
            period_start=start,
            period_end=end,
            status=status,
        )
    ).returning(Report.id)
    return int(row[0]["id"])


async def _claim(w: factories.World, initiative: int, month: int, amount: int) -> dict[str, Any]:
    return await report_services.create_requisition(
        w.owner_a,
        RequisitionCreate(
            initiative_id=initiative,
            period_start=dt.date(2026, month, 1),
            period_end=dt.date(2026, month, 28),
            lines=[RequisitionLine(category=CostCategory.SALARY, amount=amount)],
        ),
    )


def _texts(items: list[Any]) -> list[str]:
    return [item.text for item in items]


async def test_the_office_sees_each_thing_that_waits_with_a_link() -> None:
    """New applications, answered completions, reports to review and late, claims to decide,
    failed mails, and the coming meetings with what they lack."""
    w = await factories.world()
    initiative = await granted_for_2026(w)
    owner = w.kommun_a["id"]
    new = await _application(w, "Ny ansökan", ApplicationStatus.SUBMITTED, 1, owner)
    answered = await _application(w, "Kompletterad", ApplicationStatus.SUBMITTED, 2, owner)
    await _application(w, "Utkast", ApplicationStatus.DRAFT, 0, owner)
    q1 = await _report(initiative, owner, 1, ReportStatus.SUBMITTED)
    claim = await _claim(w, initiative, 7, 100_000)
    await OutgoingMail.insert(
        OutgoingMail(
            kind="notice", status="failed", recipient_email="x@test.example", subject="S", body="B"
        )
    )
    case = (await Case.select(Case.id).first() or {})["id"]
    meeting = (
        await Meeting.insert(
            Meeting(body=Body.BOARD, meeting_date=dt.date(2026, 11, 12))
        ).returning(Meeting.id)
    )[0]["id"]
    await AgendaItem.insert(AgendaItem(meeting=meeting, case=case, position=1))

    board = await dashboard(w.office, DAY)
    waiting = board["waiting"]
    assert [(i.text, i.href) for i in waiting["applications_new"]] == [
        ("Ny ansökan", f"/ansokningar/{new}")
    ]
    assert [(i.text, i.href) for i in waiting["completions_answered"]] == [
        ("Kompletterad", f"/ansokningar/{answered}")
    ]
    assert [(i.text, i.href) for i in waiting["reports_to_review"]] == [
        ("Alfa-insatsen: Kvartal 1 2026", f"/rapporter/{q1}")
    ]
    assert _texts(waiting["reports_late"]) == ["Alfa-insatsen: Kvartal 2 2026"]
    assert "dagar sen" in waiting["reports_late"][0].detail
    assert [i.href for i in waiting["requisitions_to_decide"]] == [f"/rekvisitioner/{claim['id']}"]
    assert board["mail_failed"] == 1
    [coming] = waiting["coming_meetings"]
    assert coming.meeting.id == meeting
    assert coming.lacks == [
        "förslag till beslut saknas i 1 ärende",
        "ekonomi: förbundets budget saknas för 2026, 2027, 2028, 2029",  # this year and three more
        "kallelsen är inte skickad",
    ]

    # Once the budgets are in and the kallelse sent, only the proposal is lacking.
    for year in (2026, 2027, 2028, 2029):
        await YearBudget.insert(YearBudget(year=year))
    await Meeting.update({Meeting.status: MeetingStatus.NOTICE_SENT}).where(Meeting.id == meeting)
    [coming] = (await dashboard(w.office, DAY))["waiting"]["coming_meetings"]
    assert coming.lacks == ["förslag till beslut saknas i 1 ärende"]


async def test_the_owner_sees_reports_due_and_late_returned_items_completions_and_money() -> None:
    """Alfa's owner: Q2 returned (and so still owed, late), Q3 due, a completion requested,
    and the grant against what has been claimed, approved and what remains."""
    w = await factories.world()
    initiative = await granted_for_2026(w)
    owner = w.kommun_a["id"]
    await _report(initiative, owner, 1, ReportStatus.ACCEPTED)
    q2 = await _report(initiative, owner, 2, ReportStatus.RETURNED)
    completion = await _application(
        w, "Komplettera mig", ApplicationStatus.COMPLETION_REQUESTED, 1, owner
    )
    # Beta's completion request is not Alfa's business.
    await _application(w, "Betas", ApplicationStatus.COMPLETION_REQUESTED, 1, w.kommun_b["id"])
    approved = await _claim(w, initiative, 1, 200_000)
    await report_services.decide_requisition(
        w.office, approved["id"], approved["version"], True, ""
    )
    await _claim(w, initiative, 4, 100_000)
    rejected = await _claim(w, initiative, 5, 50_000)
    await report_services.decide_requisition(
        w.office, rejected["id"], rejected["version"], False, "Fel period"
    )

    waiting = (await dashboard(w.owner_a, DAY))["waiting"]
    assert [(i.text, i.href) for i in waiting["reports_late"]] == [
        ("Alfa-insatsen: Kvartal 2 2026", f"/rapporter/{q2}")
    ]
    assert _texts(waiting["reports_due"]) == ["Alfa-insatsen: Kvartal 3 2026"]
    assert [(i.text, i.href) for i in waiting["returned"]] == [
        ("Alfa-insatsen: Kvartal 2 2026", f"/rapporter/{q2}")
    ]
    assert [(i.text, i.href) for i in waiting["completion_requests"]] == [
        ("Komplettera mig", f"/ansokningar/{completion}/redigera")
    ]
    [money] = waiting["money"]
    [year] = money.years
    assert (year.year, year.granted, year.submitted, year.approved, year.paid) == (
        2026,
        GRANT,
        100_000,
        200_000,
        0,
    )
    assert year.claimed == 300_000 and year.remaining == GRANT - 200_000
    assert money.total.remaining == GRANT - 200_000

    # Beta's owner sees none of it.
    beta = (await dashboard(w.owner_b, DAY))["waiting"]
    assert beta["reports_late"] == [] and beta["money"] == []
    assert _texts(beta["completion_requests"]) == ["Betas"]


async def test_the_board_member_sees_the_next_board_meeting_and_the_au_only_if_called() -> None:
    """An AU meeting comes first, but "Nästa styrelsemöte" is the board's; the AU's shows for a
    member called to it."""
    w = await factories.world()
    au = (
        await Meeting.insert(
            Meeting(body=Body.WORKING_COMMITTEE, meeting_date=dt.date(2026, 10, 20))
        ).returning(Meeting.id)
    )[0]["id"]
    await Meeting.insert(Meeting(body=Body.BOARD, meeting_date=dt.date(2026, 9, 1)))  # held
    fs = (
        await Meeting.insert(
            Meeting(body=Body.BOARD, meeting_date=dt.date(2026, 11, 12))
        ).returning(Meeting.id)
    )[0]["id"]
    waiting = (await dashboard(w.board, DAY))["waiting"]
    assert waiting["next_board_meeting"].id == fs
    assert waiting["next_au_meeting"] is None
    await MeetingAttendee.insert(
        MeetingAttendee(meeting=au, user=w.board.user_id, name="Bo Ledamot")
    )
    waiting = (await dashboard(w.board, DAY))["waiting"]
    assert waiting["next_board_meeting"].id == fs and waiting["next_au_meeting"].id == au
