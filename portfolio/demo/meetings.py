"""Demo data: applications, past decisions with their conditions, the coming meetings and attendance."""

from __future__ import annotations

import datetime as dt
import json
import re

import msgspec

from portfolio.core.domain import (
    AttendeeRole,
    Body,
    CaseKind,
    InitiativeStatus,
    MeetingStatus,
    Principal,
    Role,
    format_case_number,
)
from portfolio.core.tables import (
    AgendaItem,
    Case,
    Commitment,
    Decision,
    Initiative,
    Meeting,
    MeetingAttendee,
    Proposal,
    User,
)
from portfolio.demo import seed
from portfolio.demo.register import DEMO_USERS, INITIATIVE_STATES, _org_name, _shift, _shifted
from portfolio.meetings.decisions import DecisionOutcome, split_commitments
from portfolio.meetings.proposals import draft_proposal
from portfolio.meetings.services import next_case_number


async def _ensure_applications(orgs: dict[str, int]) -> None:
    """Applications in the states the office meets: sent in (new) and a draft extension."""
    from applications.domain import (
        ApplicationContent,
        ApplicationKind,
        ApplicationStatus,
        applied_amount,
    )
    from applications.services import encode_content, with_budget_owners
    from applications.tables import Application, ApplicationVersion

    names = {org_id: name for name, org_id in orgs.items()}
    owners = {u.organisation: u.email for u in DEMO_USERS if u.organisation}
    user_ids = {r["email"]: r["id"] for r in await User.select(User.id, User.email)}
    for app in seed.seed_applications():
        status, years = INITIATIVE_STATES.get(app["insats_name"], (InitiativeStatus.APPLIED, 5))
        lead = _org_name(app["lead_owner"]["organisation"])
        if status is InitiativeStatus.APPLIED:
            kind, app_status = ApplicationKind.NEW, ApplicationStatus.SUBMITTED
        elif lead in owners:
            kind, app_status = ApplicationKind.EXTENSION, ApplicationStatus.DRAFT
        else:
            continue
        initiative = (
            await Initiative.select(Initiative.id)
            .where(Initiative.name == app["insats_name"])
            .first()
        )
        if initiative is None or await Application.exists().where(
            Application.initiative == initiative["id"]
        ):
            continue
        payload = _shifted(seed.content(app, orgs, anonymise=True), years)
        content = with_budget_owners(
            msgspec.convert(payload, ApplicationContent), orgs[lead], names
        )
        if kind is ApplicationKind.EXTENSION:
            content = msgspec.structs.replace(content, changes_summary="", agreement_accepted=False)
        row = (
            await Application.insert(
                Application(
                    initiative=initiative["id"],
                    organisation=orgs[lead],
                    kind=kind,
                    status=app_status,
                    title=content.insats_name,
                    content=encode_content(content),
                    applied_amount=applied_amount(content),
                    created_by=user_ids.get(owners.get(lead, "")),
                    submitted_at=dt.datetime.now(dt.UTC)
                    if app_status is ApplicationStatus.SUBMITTED
                    else None,
                )
            ).returning(Application.id)
        )[0]
        if app_status is ApplicationStatus.SUBMITTED:
            await ApplicationVersion.insert(
                ApplicationVersion(
                    application=row["id"],
                    number=1,
                    content=encode_content(content),
                    applied_amount=applied_amount(content),
                )
            )


def _shift_years_in_text(text: str, years: int) -> str:
    return re.sub(r"\b(20\d\d)\b", lambda m: str(int(m.group(1)) + years), text)


async def _ensure_past_decisions(orgs: dict[str, int]) -> None:
    """The board meetings that granted the running insatser, with cases, proposals, decisions and
    yearly commitments, as the seed's proposals worded them (moved forward in time)."""
    if await Decision.exists().where(Decision.id.is_not_null()):
        return
    for app in seed.seed_applications():
        status, years = INITIATIVE_STATES.get(app["insats_name"], (InitiativeStatus.APPLIED, 5))
        proposal = app.get("proposal") or {}
        if status is InitiativeStatus.APPLIED or not proposal.get("proposed_amount"):
            continue
        initiative = (
            await Initiative.select(Initiative.id)
            .where(Initiative.name == app["insats_name"])
            .first()
        )
        if initiative is None:
            continue
        meeting_date = _shift("2021-09-16", years)
        assert meeting_date is not None
        meeting = (
            await Meeting.select(Meeting.id)
            .where((Meeting.body == Body.BOARD) & (Meeting.meeting_date == meeting_date))
            .first()
        )
        if meeting is None:
            meeting = (
                await Meeting.insert(
                    Meeting(
                        body=Body.BOARD,
                        meeting_date=meeting_date,
                        start_time="13.00",
                        end_time="15.30",
                        place="Stadshuset, sal Fyris",
                        status=MeetingStatus.APPROVED,
                        approved_on=meeting_date + dt.timedelta(days=7),
                        chair="Anders Berg",
                        secretary="Eva Lindqvist",
                        checker="Maria Sund",
                    )
                ).returning(Meeting.id)
            )[0]
        number = await next_case_number(meeting_date.year)
        clauses = [_shift_years_in_text(c, years) for c in proposal.get("att_clauses", [])]
        case = (
            await Case.insert(
                Case(
                    year=meeting_date.year,
                    number=number,
                    case_number=format_case_number(meeting_date.year, number),
                    title=f"Ansökan {app['insats_name']}",
                    kind=CaseKind.APPLICATION,
                    initiative=initiative["id"],
                )
            ).returning(Case.id)
        )[0]["id"]
        position = await AgendaItem.count().where(AgendaItem.meeting == meeting["id"]) + 1
        await AgendaItem.insert(
            AgendaItem(meeting=meeting["id"], case=case, position=position, attachments=2)
        )
        await Proposal.insert(
            Proposal(
                case=case,
                document_date=meeting_date - dt.timedelta(days=7),
                clauses=json.dumps(clauses, ensure_ascii=False),
                application_text=_shift_years_in_text(proposal.get("ansokan_text") or "", years),
                assessment_text=_shift_years_in_text(proposal.get("bedomning_text") or "", years),
                amount=proposal["proposed_amount"],
                period_start=_shift(proposal["proposed_period_start"], years),
                period_end=_shift(proposal["proposed_period_end"], years),
            )
        )
        start, end = (
            _shift(proposal["proposed_period_start"], years),
            _shift(proposal["proposed_period_end"], years),
        )
        assert start is not None and end is not None
        decision = (
            await Decision.insert(
                Decision(
                    case=case,
                    meeting=meeting["id"],
                    paragraph=position,
                    outcome=DecisionOutcome.GRANTED,
                    clauses=json.dumps(clauses, ensure_ascii=False),
                    amount=proposal["proposed_amount"],
                    period_start=start,
                    period_end=end,
                )
            ).returning(Decision.id)
        )[0]["id"]
        for year, amount in split_commitments(proposal["proposed_amount"], start, end).items():
            await Commitment.insert(
                Commitment(decision=decision, initiative=initiative["id"], year=year, amount=amount)
            )


def working_day(day: dt.date, not_before: dt.date | None = None) -> dt.date:
    """A day an association meets on: Monday to Friday, outside the Christmas and New Year break
    (21 December to 6 January); a day in the break moves to the last working day before it
    when that is still allowed, else to the first one after it."""
    lowest = not_before or day

    def in_break(d: dt.date) -> bool:
        return (d.month == 12 and d.day >= 21) or (d.month == 1 and d.day <= 6)

    if in_break(day):
        before = dt.date(day.year if day.month == 12 else day.year - 1, 12, 20)
        while before.weekday() >= 5:
            before -= dt.timedelta(days=1)
        if before >= lowest:
            return before
        day = dt.date(day.year + 1 if day.month == 12 else day.year, 1, 7)
    while day.weekday() >= 5 or in_break(day):
        day += dt.timedelta(days=1)
    return day


async def _ensure_meetings() -> None:
    """The coming AU and board meetings, with the sent-in applications as cases on both agendas."""
    from applications.domain import ApplicationStatus
    from applications.tables import Application

    if await Meeting.exists().where(Meeting.meeting_date >= dt.date.today()):
        return
    today = dt.date.today()
    au_day = working_day(today + dt.timedelta(days=10))
    # The board meets a week or two after the AU has prepared its cases.
    fs_day = working_day(today + dt.timedelta(days=24), not_before=au_day + dt.timedelta(days=3))
    au = (
        await Meeting.insert(
            Meeting(
                body=Body.WORKING_COMMITTEE,
                meeting_date=au_day,
                start_time="09.00",
                end_time="11.00",
                place="Kansliet, Stationsgatan 12",
                chair="Anders Berg",
                secretary="Eva Lindqvist",
                checker="Maria Sund",
            )
        ).returning(Meeting.id)
    )[0]["id"]
    fs = (
        await Meeting.insert(
            Meeting(
                body=Body.BOARD,
                meeting_date=fs_day,
                start_time="13.00",
                end_time="15.30",
                place="Stadshuset, sal Fyris",
                chair="Anders Berg",
                secretary="Eva Lindqvist",
                checker="Maria Sund",
            )
        ).returning(Meeting.id)
    )[0]["id"]
    submitted = await Application.select(
        Application.id, Application.title, Application.initiative
    ).where(Application.status == ApplicationStatus.SUBMITTED)
    cases: list[int] = []
    for position, application in enumerate(submitted, start=1):
        number = await next_case_number(today.year)
        case = (
            await Case.insert(
                Case(
                    year=today.year,
                    number=number,
                    case_number=format_case_number(today.year, number),
                    title=f"Ansökan {application['title']}",
                    kind=CaseKind.APPLICATION,
                    initiative=application["initiative"],
                    application=application["id"],
                )
            ).returning(Case.id)
        )[0]["id"]
        for meeting in (au, fs):
            await AgendaItem.insert(
                AgendaItem(meeting=meeting, case=case, position=position, attachments=2)
            )
        cases.append(case)
    # The office has drafted its proposals, so the board pack reads as it will on the day.
    office = await User.select().where(User.role == Role.OFFICE).first()
    if office is not None:
        actor = Principal(
            user_id=office["id"], email=office["email"], name=office["name"], role=Role.OFFICE
        )
        for case in cases:
            await draft_proposal(actor, case)


# The board as the demo's minutes list it: the chair is the demo board user, the rest invented.
DEMO_BOARD = (
    ("Anders Berg", "Tierps kommun", AttendeeRole.CHAIR),
    ("Maria Sund", "Region Uppsala", AttendeeRole.VICE_CHAIR),
    ("Karin Berg", "Försäkringskassan", AttendeeRole.MEMBER),
    ("Omar Haddad", "Arbetsförmedlingen", AttendeeRole.MEMBER),
    ("Lena Sjö", "Knivsta kommun", AttendeeRole.MEMBER),
    ("Jonas Holm", "Enköpings kommun", AttendeeRole.SUBSTITUTE),
    ("Eva Lindqvist", "", AttendeeRole.DIRECTOR),
)


async def _ensure_attendance() -> None:
    """Every meeting gets its callees; the past ones also who came (one member was away)."""
    board_user = await User.select(User.id).where(User.role == Role.BOARD).first()
    for meeting in await Meeting.select(Meeting.id, Meeting.status):
        if await MeetingAttendee.exists().where(MeetingAttendee.meeting == meeting["id"]):
            continue
        held = meeting["status"] == MeetingStatus.APPROVED
        await MeetingAttendee.insert(
            *[
                MeetingAttendee(
                    meeting=meeting["id"],
                    user=board_user["id"] if board_user and index == 0 else None,
                    name=name,
                    organisation=organisation,
                    role=role,
                    invited=role is not AttendeeRole.DIRECTOR,
                    present=(name != "Lena Sjö") if held else None,
                    position=index,
                )
                for index, (name, organisation, role) in enumerate(DEMO_BOARD)
            ]
        )
