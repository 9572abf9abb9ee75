"""Demonstration data: a fictional association with real-looking members and insatser.

The insatser and their texts come from the real board pack in shared/seeds/002 (kept in
seed002.json beside this file), moved forward in time so the association looks alive today.
People are invented; addresses use the reserved .example domain.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import msgspec

from portfolio import audit
from portfolio.contributions import key_from_populations
from portfolio.db import write_transaction
from portfolio.decisions import DecisionOutcome, split_commitments
from portfolio.demo import seed
from portfolio.domain import (
    ROLE_LABELS,
    AttendeeRole,
    Body,
    CaseKind,
    ConditionKind,
    InitiativeKind,
    InitiativeStatus,
    MeetingStatus,
    OrganisationKind,
    PartyRole,
    Principal,
    Role,
    format_case_number,
)
from portfolio.mail.demo import ensure_demo_mail
from portfolio.meetings import draft_proposal, next_case_number
from portfolio.passwords import hash_password
from portfolio.tables import (
    AgendaItem,
    Association,
    Case,
    Commitment,
    Condition,
    Contact,
    Decision,
    Initiative,
    InitiativeParty,
    Meeting,
    MeetingAttendee,
    Organisation,
    Proposal,
    User,
    YearBudget,
)

SEED = Path(__file__).with_name("seed002.json")


class DemoUser(msgspec.Struct, frozen=True):
    email: str
    password: str
    name: str
    role: Role
    organisation: str | None = None
    title: str = ""

    @property
    def role_label(self) -> str:
        label = ROLE_LABELS[self.role]
        return f"{label} ({self.organisation})" if self.organisation else label


DEMO_USERS = (
    DemoUser(
        "kansli@upplandsbygd.example",
        "kansli-demo-2026",
        "Eva Lindqvist",
        Role.OFFICE,
        title="Förbundschef",
    ),
    DemoUser(
        "agare@knivsta.example",
        "agare-demo-2026",
        "Johan Ek",
        Role.OWNER,
        "Knivsta kommun",
        "Enhetschef",
    ),
    DemoUser(
        "agare@tierp.example",
        "tierp-demo-2026",
        "Sara Holm",
        Role.OWNER,
        "Tierps kommun",
        "Verksamhetschef",
    ),
    DemoUser(
        "ledamot@upplandsbygd.example",
        "ledamot-demo-2026",
        "Anders Berg",
        Role.BOARD,
        title="Ordförande",
    ),
)

# Kommun populations on 1 November the year before, which set the kommun key (approximate).
KOMMUNER = {
    "Enköpings kommun": 46_400,
    "Heby kommun": 14_300,
    "Håbo kommun": 22_300,
    "Knivsta kommun": 20_300,
    "Tierps kommun": 21_300,
    "Uppsala kommun": 240_000,
    "Älvkarleby kommun": 9_600,
    "Östhammars kommun": 22_300,
}


# Each seed insats, its state in the demo, and how many years its dates move forward.
INITIATIVE_STATES = {
    "En väg in - steget vidare": (InitiativeStatus.RUNNING, 4),
    "Arbetslivsintro": (InitiativeStatus.GRANTED, 5),
    "Ung framtid": (InitiativeStatus.APPLIED, 5),
    "Framsteget 2.0": (InitiativeStatus.APPLIED, 5),
    "Jobbcentrum, din väg framåt": (InitiativeStatus.RUNNING, 4),
}


def _shift(day: str | None, years: int) -> dt.date | None:
    if not day:
        return None
    parsed = dt.date.fromisoformat(day)
    return parsed.replace(year=parsed.year + years)


def _org_name(name: str) -> str:
    return seed.org_name(name)


async def _organisation_ids() -> dict[str, int]:
    return {
        row["name"]: row["id"]
        for row in await Organisation.select(Organisation.id, Organisation.name)
    }


async def _ensure_organisations() -> dict[str, int]:
    kommun_key = {share.member: share.basis_points for share in key_from_populations(KOMMUNER)}
    wanted: list[dict[str, Any]] = [
        {"name": "Försäkringskassan", "kind": OrganisationKind.FK, "org_number": "202100-5521"},
        {"name": "Arbetsförmedlingen", "kind": OrganisationKind.AF, "org_number": "202100-2114"},
        {
            "name": "Region Uppsala",
            "kind": OrganisationKind.REGION,
            "org_number": "232100-0024",
            "contribution_share": 10_000,
        },
        *(
            {"name": name, "kind": OrganisationKind.KOMMUN, "contribution_share": kommun_key[name]}
            for name in KOMMUNER
        ),
        {
            "name": "Studieförbundet Vuxenskolan Uppland",
            "kind": OrganisationKind.OTHER,
            "is_member": False,
        },
    ]
    existing = await _organisation_ids()
    for org in wanted:
        if org["name"] not in existing:
            await Organisation.insert(Organisation(**org))
    return await _organisation_ids()


async def _ensure_users(orgs: dict[str, int]) -> None:
    for user in DEMO_USERS:
        if await User.exists().where(User.email == user.email):
            continue
        await User.insert(
            User(
                email=user.email,
                name=user.name,
                title=user.title,
                role=user.role,
                password_hash=hash_password(user.password),
                organisation=orgs[user.organisation] if user.organisation else None,
            )
        )


async def _ensure_initiatives(orgs: dict[str, int]) -> None:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    contacts_made: set[str] = set()
    for application in seed["applications"]:
        name = application["insats_name"]
        if await Initiative.exists().where(Initiative.name == name):
            continue
        status, years = INITIATIVE_STATES.get(name, (InitiativeStatus.APPLIED, 5))
        lead = _org_name(application["lead_owner"]["organisation"])
        initiative = (
            await Initiative.insert(
                Initiative(
                    name=name,
                    kind=InitiativeKind(application["initiative_kind"]),
                    status=status,
                    lead_owner=orgs[lead],
                    target_group=application.get("target_group") or "",
                    description=application.get("purpose") or "",
                    area=lead.replace(" kommun", "").replace("s kommun", ""),
                    period_start=_shift(application.get("period_start"), years),
                    period_end=_shift(application.get("period_end"), years),
                )
            ).returning(Initiative.id)
        )[0]["id"]
        if lead not in contacts_made:
            await Contact.insert(
                Contact(
                    organisation=orgs[lead],
                    name=f"Kontaktperson {lead}",
                    title="Enhetschef",
                    email=f"kontakt@{lead.split()[0].lower().replace('ö', 'o').replace('å', 'a')}.example",
                )
            )
            contacts_made.add(lead)
        if status is not InitiativeStatus.APPLIED:
            await _grant_conditions(initiative, application)
        seen = {lead}
        parties = [(p, PartyRole.CO_OWNER) for p in application.get("co_owners", [])]
        parties += [(p, PartyRole.PARTNER) for p in application.get("partners", [])]
        for party, role in parties:
            org_name = _org_name(party["organisation"])
            if org_name in seen or org_name not in orgs:
                continue
            seen.add(org_name)
            await InitiativeParty.insert(
                InitiativeParty(initiative=initiative, organisation=orgs[org_name], role=role)
            )
    if not await Initiative.exists().where(
        Initiative.name == "Gemensam kartläggning av målgrupper"
    ):
        await Initiative.insert(
            Initiative(
                name="Gemensam kartläggning av målgrupper",
                kind=InitiativeKind.STRUCTURAL,
                status=InitiativeStatus.ENDED,
                lead_owner=orgs["Region Uppsala"],
                target_group="Handläggare hos parterna som möter personer i behov av samordnat stöd.",
                description="En strukturinsats som kartlade målgrupperna och parternas arbetssätt i länet.",
                area="Hela länet",
                period_start=dt.date(2023, 1, 1),
                period_end=dt.date(2024, 6, 30),
            )
        )


def _shifted(payload: Any, years: int) -> Any:
    """Move every date (and budget year) in a content payload forward by `years`."""
    if isinstance(payload, dict):
        return {
            k: (v + years if k == "year" and isinstance(v, int) else _shifted(v, years))
            for k, v in payload.items()
        }
    if isinstance(payload, list):
        return [_shifted(v, years) for v in payload]
    if isinstance(payload, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", payload):
        return str(int(payload[:4]) + years) + payload[4:]
    return payload


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


async def _grant_conditions(initiative_id: int, app: dict[str, Any]) -> None:
    """The conditions the board set when it granted the insats, as written in the seed's proposal."""
    proposal = app.get("proposal") or {}
    for text in proposal.get("extension_requirements", []):
        await Condition.insert(
            Condition(
                initiative=initiative_id,
                kind=ConditionKind.EXTENSION_REQUIREMENT,
                text=text[:1].upper() + text[1:],
            )
        )
    for clause in proposal.get("att_clauses", []):
        if "under förutsättning" in clause:
            await Condition.insert(
                Condition(
                    initiative=initiative_id,
                    kind=ConditionKind.FUNDING_RESERVATION,
                    text=clause,
                    met=True,
                    met_note="Uppfyllt",
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


async def _ensure_meetings() -> None:
    """The coming AU and board meetings, with the sent-in applications as cases on both agendas."""
    from applications.domain import ApplicationStatus
    from applications.tables import Application

    if await Meeting.exists().where(Meeting.meeting_date >= dt.date.today()):
        return
    today = dt.date.today()
    au = (
        await Meeting.insert(
            Meeting(
                body=Body.WORKING_COMMITTEE,
                meeting_date=today + dt.timedelta(days=10),
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
                meeting_date=today + dt.timedelta(days=24),
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


async def _ensure_year_budgets() -> None:
    """This year's budget with its forecast and the next two years', so the budget room has figures."""
    this_year = dt.date.today().year
    figures = {
        this_year: (11_800_000, 520_000, 2_550_000, 3_100_000),
        this_year + 1: (12_100_000, 530_000, 2_620_000, 0),
        this_year + 2: (12_400_000, 540_000, 2_690_000, 0),
    }
    for year, (contributions, elected, administration, carried) in figures.items():
        if await YearBudget.exists().where(YearBudget.year == year):
            continue
        other = [{"name": "Gemensamma stödfunktioner (SUS, utvärdering)", "amount": 350_000}]
        forecast = (
            {"elected_members": 480_000, "administration": 2_500_000} if year == this_year else None
        )
        await YearBudget.insert(
            YearBudget(
                year=year,
                member_contributions=contributions,
                elected_members=elected,
                administration=administration,
                other_costs=json.dumps(other, ensure_ascii=False),
                carried_in=carried if year == this_year else None,
                forecast=json.dumps(forecast) if forecast else None,
            )
        )


async def load_demo() -> bool:
    """Load everything that is missing; True if the association itself was new."""
    async with write_transaction():
        new = not await Association.exists().where(Association.id.is_not_null())
        if new:
            await Association.insert(
                Association(
                    name="Samordningsförbundet Upplandsbygd",
                    org_number="222000-0000",
                    address="Stationsgatan 12",
                    postal_address="753 20 Uppsala",
                    email="kansli@upplandsbygd.example",
                    phone="018-00 00 00",
                    director_name="Eva Lindqvist",
                )
            )
        orgs = await _ensure_organisations()
        await _ensure_users(orgs)
        await _ensure_initiatives(orgs)
        await _ensure_applications(orgs)
        await _ensure_past_decisions(orgs)
        await _ensure_meetings()
        await _ensure_attendance()
        await _ensure_year_budgets()
        from reports.demo import ensure_demo_reports

        await ensure_demo_reports(dt.date.today())
        await ensure_demo_mail()
        if new:
            await audit.record(None, "create", "demo", None, summary="Demonstrationsdata inlästa")
    return new
