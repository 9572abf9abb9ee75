"""Plain helpers for the reports tests: an insats granted for a year, with goals and a budget."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from applications.budget import Budget, BudgetBlock, BudgetLine, CostCategory
from applications.domain import ApplicationContent, ApplicationKind, ApplicationStatus, Goal, Party
from applications.tables import Application, ApplicationVersion
from portfolio.core.domain import Body, CaseKind, InitiativeStatus
from portfolio.core.tables import Case, Commitment, Decision, Initiative, Meeting
from tests.factories import World

GRANT = 1_200_000
BUDGET = {
    CostCategory.SALARY: 1_000_000,
    CostCategory.PREMISES_RENT: 120_000,
    CostCategory.PARTICIPANT_ACTIVITIES: 80_000,
}
GOALS = [
    Goal(text="Minst 15 personer till arbete eller studier", target=15, unit="personer"),
    Goal(text="60 deltagare under året", target=60, unit="deltagare"),
]


async def granted_for_2026(world: World, initiative: dict[str, Any] | None = None) -> int:
    """Alfa-insatsen granted 1 200 000 kr for 2026, from an application with two numeric goals."""
    initiative = initiative or world.initiative_a
    owner = initiative["lead_owner"]
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    await Initiative.update(
        {
            Initiative.period_start: start,
            Initiative.period_end: end,
            Initiative.status: InitiativeStatus.RUNNING,
        }
    ).where(Initiative.id == initiative["id"])
    content = ApplicationContent(
        insats_name=initiative["name"],
        lead_owner=Party(organisation_id=owner),
        goals=GOALS,
        period_start=start,
        period_end=end,
        budget=Budget(
            owners=["Ägare"],
            lines=[
                BudgetLine(block=BudgetBlock.ASSOCIATION, category=c, amounts=[a])
                for c, a in BUDGET.items()
            ],
        ),
    )
    encoded = msgspec.json.encode(content).decode()
    application = (
        await Application.insert(
            Application(
                initiative=initiative["id"],
                organisation=owner,
                kind=ApplicationKind.NEW,
                status=ApplicationStatus.DECIDED,
                title=initiative["name"],
                content=encoded,
                applied_amount=GRANT,
            )
        ).returning(Application.id)
    )[0]["id"]
    await ApplicationVersion.insert(
        ApplicationVersion(application=application, number=1, content=encoded, applied_amount=GRANT)
    )
    meeting = (
        await Meeting.insert(
            Meeting(body=Body.BOARD, meeting_date=dt.date(2025, 12, 10))
        ).returning(Meeting.id)
    )[0]["id"]
    case = (
        await Case.insert(
            Case(
                year=2025,
                number=1,
                case_number="2025:1",
                title=f"Ansökan {initiative['name']}",
                kind=CaseKind.APPLICATION,
                initiative=initiative["id"],
                application=application,
            )
        ).returning(Case.id)
    )[0]["id"]
    decision = (
        await Decision.insert(
            Decision(
                case=case,
                meeting=meeting,
                paragraph=1,
                outcome="granted",
                amount=GRANT,
                period_start=start,
                period_end=end,
            )
        ).returning(Decision.id)
    )[0]["id"]
    await Commitment.insert(
        Commitment(decision=decision, initiative=initiative["id"], year=2026, amount=GRANT)
    )
    return int(initiative["id"])
