"""Demonstration reports and requisitions for the running insatser, relative to today.

Every quarter past its due date is reported and accepted, except that Knivsta's latest one
is sent back with a comment and Enköping's latest one is missing (late). Knivsta has a paid
requisition, one waiting for the office and one flagged as over the grant.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from applications.budget import BudgetBlock, BudgetLine, CostCategory
from portfolio.core.domain import InitiativeStatus
from portfolio.core.tables import Initiative, Organisation, User
from reports import queries
from reports.domain import (
    CostAmount,
    EarlierClaim,
    GoalResult,
    Outcomes,
    Participants,
    ReportContent,
    ReportKind,
    ReportStatus,
    RequisitionLine,
    RequisitionStatus,
    check_requisition,
)
from reports.schedule import Slot, report_schedule, slot_key
from reports.services import grant_facts
from reports.tables import Report, Requisition

# The insats whose owner logs in to the demo (Knivsta), and the one that is late (Enköping).
RETURNED_IN = "En väg in - steget vidare"
LATE_IN = "Jobbcentrum, din väg framåt"
NARRATIVES = (
    "Rekryteringen av deltagare har kommit igång via Arbetsförmedlingen och socialtjänsten.",
    "Flera deltagare har börjat praktik; samverkan med näringslivet har utvecklats.",
    "Under sommaren var färre aktiviteter igång; två deltagare gick till studier.",
    "Insatsen arbetar enligt plan; metodstödet från förbundet har varit värdefullt.",
)


def _encode(value: Any) -> str:
    return msgspec.json.encode(value).decode()


async def _granted_application(initiative: dict[str, Any], names: dict[int, str]) -> None:
    """The application the board granted, as decided: what the reports follow up."""
    from applications.domain import ApplicationContent, ApplicationKind, ApplicationStatus
    from applications.services import encode_content, with_budget_owners
    from applications.tables import Application, ApplicationVersion
    from portfolio.demo import seed
    from portfolio.demo.register import INITIATIVE_STATES, _shifted

    if await Application.exists().where(
        (Application.initiative == initiative["id"])
        & (Application.status == ApplicationStatus.DECIDED)
    ):
        return
    app = next(a for a in seed.seed_applications() if a["insats_name"] == initiative["name"])
    _, years = INITIATIVE_STATES[initiative["name"]]
    orgs = {name: org_id for org_id, name in names.items()}
    payload = _shifted(seed.content(app, orgs, anonymise=True), years)
    content = with_budget_owners(
        msgspec.convert(payload, ApplicationContent), initiative["lead_owner"], names
    )
    if not content.budget.lines:
        # The seed's budgets are tables the text extraction flattened; the demo's granted
        # application gets a plain one in the same template, summing to the grant.
        granted = sum((await queries.commitments_by_year(initiative["id"])).values())
        shares = {
            CostCategory.SALARY: 80,
            CostCategory.PREMISES_RENT: 10,
            CostCategory.PARTICIPANT_ACTIVITIES: 6,
        }
        amounts = {c: granted * p // 100 for c, p in shares.items()}
        amounts[CostCategory.OTHER] = granted - sum(amounts.values())
        lines = [
            BudgetLine(block=BudgetBlock.ASSOCIATION, category=c, amounts=[a])
            for c, a in amounts.items()
        ]
        content = msgspec.structs.replace(
            content, budget=msgspec.structs.replace(content.budget, lines=lines)
        )
    from applications.domain import applied_amount

    row = (
        await Application.insert(
            Application(
                initiative=initiative["id"],
                organisation=initiative["lead_owner"],
                kind=ApplicationKind.NEW,
                status=ApplicationStatus.DECIDED,
                title=content.insats_name,
                content=encode_content(content),
                applied_amount=applied_amount(content),
            )
        ).returning(Application.id)
    )[0]
    await ApplicationVersion.insert(
        ApplicationVersion(
            application=row["id"],
            number=1,
            content=encode_content(content),
            applied_amount=applied_amount(content),
        )
    )


def _quarter_content(
    number: int, slot: Slot, goals: list[tuple[int, int | None]], budget: dict[CostCategory, int]
) -> ReportContent:
    """A plausible quarter: participants carried on, results and costs in step with the plan."""
    at_start = 0 if number == 0 else 6 + 3 * number
    new_w, new_m, ended_w, ended_m = 4 + number % 2, 3, 1 + number % 2, 1
    work, studies = (1 + number % 2, 1) if number else (1, 0)
    ended = ended_w + ended_m
    quarters = 8  # the demo insatser run for two years
    return ReportContent(
        participants=Participants(
            start_women=at_start // 2 + at_start % 2,
            start_men=at_start // 2,
            new_women=new_w,
            new_men=new_m,
            ended_women=ended_w,
            ended_men=ended_m,
        ),
        outcomes=Outcomes(work=work, studies=studies, other_effort=0, other=ended - work - studies),
        goals=[
            GoalResult(goal=index, result=(target // 8 + number % 2) if target else None)
            for index, target in goals
        ],
        costs=[
            CostAmount(category=c, amount=amount // quarters - 1_000 * number)
            for c, amount in budget.items()
        ],
        year_forecast=None,
        deviations="" if number != 2 else "Projektledaren var föräldraledig i sex veckor.",
        narrative=NARRATIVES[number % len(NARRATIVES)],
    )


async def ensure_demo_reports(today: dt.date) -> None:
    if await Report.exists().where(Report.id.is_not_null()):
        return
    names = {
        r["id"]: r["name"] for r in await Organisation.select(Organisation.id, Organisation.name)
    }
    users = {r["organisation"]: r["id"] for r in await User.select(User.id, User.organisation)}
    office = await User.select(User.id).where(User.role == "office").first()
    days = await queries.due_days()
    running = await Initiative.select().where(Initiative.status == InitiativeStatus.RUNNING)
    for initiative in running:
        if initiative["period_start"] is None or initiative["period_end"] is None:
            continue
        await _granted_application(initiative, names)
        facts, goals = await grant_facts(initiative["id"])
        slots = [
            s
            for s in report_schedule(initiative["period_start"], initiative["period_end"], days)
            if s.kind is ReportKind.QUARTERLY and s.period_end < today
        ]
        past_due = [s for s in slots if s.due < today]
        last_due = past_due[-1] if past_due else None
        for number, slot in enumerate(slots):
            if initiative["name"] == LATE_IN and slot is last_due:
                continue  # never handed in: shows as late
            content = _quarter_content(
                number, slot, [(g.index, g.target) for g in goals], facts.category_budget
            )
            committed = facts.commitments.get(slot.period_end.year, 0)
            content.year_forecast = committed - 50_000 * (number + 1) if committed else None
            returned = initiative["name"] == RETURNED_IN and slot is last_due
            status = (
                ReportStatus.RETURNED
                if returned
                else ReportStatus.ACCEPTED
                if slot.due < today
                else ReportStatus.SUBMITTED
            )
            handed_in = dt.datetime.combine(slot.due - dt.timedelta(days=5), dt.time(9), dt.UTC)
            await Report.insert(
                Report(
                    initiative=initiative["id"],
                    organisation=initiative["lead_owner"],
                    kind=ReportKind.QUARTERLY,
                    year=slot.year,
                    quarter=slot.quarter,
                    slot_key=slot_key(initiative["id"], slot.kind, slot.year, slot.quarter),
                    period_start=slot.period_start,
                    period_end=slot.period_end,
                    due_on=slot.due,
                    status=status,
                    content=_encode(content),
                    accepted_content=_encode(content) if status is ReportStatus.ACCEPTED else None,
                    year_forecast=content.year_forecast,
                    review_comment="Ange hur många av de avslutade som gick till studier."
                    if returned
                    else "",
                    created_by=users.get(initiative["lead_owner"]),
                    submitted_at=handed_in,
                    reviewed_at=handed_in + dt.timedelta(days=3)
                    if status is not ReportStatus.SUBMITTED
                    else None,
                    reviewed_by=office["id"] if office else None,
                )
            )
        if initiative["name"] == RETURNED_IN and len(slots) >= 2:
            await _requisitions(initiative, slots, facts, users.get(initiative["lead_owner"]))


async def _requisitions(
    initiative: dict[str, Any], slots: list[Slot], facts: Any, owner: int | None
) -> None:
    """One paid, one waiting, one over the grant (flagged) for the first quarters."""
    year_slots = [s for s in slots if s.year == slots[0].year]
    committed = facts.commitments.get(slots[0].year or 0, 0)
    salary = max(committed // 4 - 20_000, 10_000)
    claims = [
        (year_slots[0], salary, RequisitionStatus.PAID),
        (year_slots[1], salary - 15_000, RequisitionStatus.SUBMITTED),
    ]
    if len(year_slots) > 2:
        claims.append((year_slots[2], committed, RequisitionStatus.SUBMITTED))
    earlier: list[EarlierClaim] = []
    for slot, amount, status in claims:
        lines = [RequisitionLine(category=CostCategory.SALARY, amount=amount)]
        flags = check_requisition(slot.period_start, slot.period_end, lines, facts, earlier)
        await Requisition.insert(
            Requisition(
                initiative=initiative["id"],
                organisation=initiative["lead_owner"],
                period_start=slot.period_start,
                period_end=slot.period_end,
                year=slot.period_start.year,
                amount=amount,
                lines=_encode(lines),
                flags=_encode(flags),
                status=status,
                paid_on=slot.due - dt.timedelta(days=10)
                if status is RequisitionStatus.PAID
                else None,
                decision_reason="",
                created_by=owner,
            )
        )
        if status is RequisitionStatus.PAID:
            earlier.append(
                EarlierClaim(
                    period_start=slot.period_start, period_end=slot.period_end, lines=lines
                )
            )
