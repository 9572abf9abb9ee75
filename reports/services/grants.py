"""What was granted: the application behind the grant, its period, commitments, budget and
goals, and the budget room's forecast per insats from paid claims and the owners' forecasts."""

from __future__ import annotations

from applications.budget import CostCategory, compute_totals
from applications.domain import ApplicationContent, ApplicationStatus
from portfolio.core.errors import NotFound
from portfolio.core.tables import Initiative
from reports import queries
from reports.domain.progress import GoalTarget, year_forecast
from reports.domain.requisitions import GrantFacts


async def granted_content(initiative_id: int) -> ApplicationContent | None:
    """The application behind the grant: the last decided application's last sent-in version."""
    from applications.queries import application_rows_for_initiative, version_rows
    from applications.services import decode_content

    decided = [
        r
        for r in await application_rows_for_initiative(initiative_id)
        if r["status"] == ApplicationStatus.DECIDED
    ]
    for row in reversed(decided):
        versions = await version_rows(row["id"])
        if versions:
            return decode_content(versions[-1]["content"])
    return None


async def grant_facts(initiative_id: int) -> tuple[GrantFacts, list[GoalTarget]]:
    """The granted period, commitments per year and budget per category, and the goals."""
    initiative = await Initiative.select().where(Initiative.id == initiative_id).first()
    if initiative is None:
        raise NotFound("Insatsen finns inte.")
    content = await granted_content(initiative_id)
    budget: dict[CostCategory, int] = {}
    goals: list[GoalTarget] = []
    if content is not None:
        if content.budget.lines:
            totals = compute_totals(content.budget).association
            budget = {c: t.total for c, t in totals.categories.items() if t.total}
        goals = [
            GoalTarget(index=i, text=g.text, target=g.target, unit=g.unit)
            for i, g in enumerate(content.goals)
            if g.text.strip()
        ]
    facts = GrantFacts(
        period_start=initiative["period_start"],
        period_end=initiative["period_end"],
        commitments=await queries.commitments_by_year(initiative_id),
        category_budget=budget,
    )
    return facts, goals


async def insats_forecasts(year: int) -> dict[int, int]:
    """Per insats, the year's forecast from paid requisitions and the owners' forecasts, for
    the insatser where either is known (the others are forecast as committed)."""
    forecasts = {}
    for row in await queries.forecast_inputs(year):
        if not row["paid"] and row["owner_forecast"] is None:
            continue
        forecasts[row["initiative"]] = year_forecast(
            year=year,
            committed=row["committed"],
            paid=row["paid"],
            paid_through=row["paid_through"],
            owner_forecast=row["owner_forecast"],
            period_start=row["period_start"],
            period_end=row["period_end"],
        )
    return forecasts
