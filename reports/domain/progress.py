"""The arithmetic over reports: goals and costs cumulated against the grant, the SMAIL round's
averages, and the year's forecast cost of an insats. Money is int kronor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import msgspec

from applications.budget import CATEGORY_LABELS, CostCategory
from reports.domain.reports import PROGRESSION_INDICATORS, ProgressionScore, ReportContent


class GoalTarget(msgspec.Struct, frozen=True, kw_only=True):
    """A goal of the granted application, with its numeric target where it has one."""

    index: int
    text: str
    target: int | None = None
    unit: str = ""


class GoalProgress(msgspec.Struct, frozen=True, kw_only=True):
    """One goal: the period's result, the result so far, and how far that is of the target."""

    index: int
    text: str
    target: int | None
    unit: str
    period: int
    cumulative: int
    percent: int | None  # of the target, whole percent, rounded down; None without a target
    reached: bool


def goal_progress(
    goals: Sequence[GoalTarget], earlier: Sequence[ReportContent], current: ReportContent
) -> list[GoalProgress]:
    """Each goal's result in this report and cumulated over the earlier reports and this one."""
    progress = []
    for goal in goals:
        period = current.result_of(goal.index)
        cumulative = sum(r.result_of(goal.index) for r in earlier) + period
        percent = cumulative * 100 // goal.target if goal.target else None
        progress.append(
            GoalProgress(
                index=goal.index,
                text=goal.text,
                target=goal.target,
                unit=goal.unit,
                period=period,
                cumulative=cumulative,
                percent=percent,
                reached=goal.target is not None and cumulative >= goal.target,
            )
        )
    return progress


class CostProgress(msgspec.Struct, frozen=True, kw_only=True):
    """One budget category: the period's costs, the costs so far, against the budget."""

    category: CostCategory
    label: str
    budget: int
    period: int
    cumulative: int
    remaining: int
    over: bool


def cost_progress(
    budget: dict[CostCategory, int],
    earlier: Sequence[ReportContent],
    current: ReportContent,
) -> list[CostProgress]:
    """Per category (those budgeted or reported), in the template's order."""
    rows = []
    for category in CostCategory:
        period = current.cost_of(category)
        cumulative = sum(r.cost_of(category) for r in earlier) + period
        budgeted = budget.get(category, 0)
        if not budgeted and not cumulative:
            continue
        rows.append(
            CostProgress(
                category=category,
                label=CATEGORY_LABELS[category],
                budget=budgeted,
                period=period,
                cumulative=cumulative,
                remaining=budgeted - cumulative,
                over=cumulative > budgeted,
            )
        )
    return rows


class ProgressionRound(msgspec.Struct, frozen=True, kw_only=True):
    """The average of each indicator over the participants measured in one report."""

    label: str
    measured: int
    averages: list[float]


def progression_round(label: str, scores: Sequence[ProgressionScore]) -> ProgressionRound | None:
    complete = [s for s in scores if len(s.scores) == len(PROGRESSION_INDICATORS)]
    if not complete:
        return None
    averages = [
        round(sum(s.scores[i] for s in complete) / len(complete), 1)
        for i in range(len(PROGRESSION_INDICATORS))
    ]
    return ProgressionRound(label=label, measured=len(complete), averages=averages)


def months_in_year(start: dt.date, end: dt.date, year: int) -> list[int]:
    """The months of `year` that the period touches (1-12)."""
    return [
        month
        for month in range(1, 13)
        if dt.date(year, month, 1) <= end
        and (dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)) > start
    ]


def year_forecast(
    *,
    year: int,
    committed: int,
    paid: int,
    paid_through: dt.date | None,
    owner_forecast: int | None,
    period_start: dt.date | None,
    period_end: dt.date | None,
) -> int:
    """The insats's forecast cost for the year: what has been paid, plus the rest of the year.

    The rest is the owner's own forecast for the year where a report gives one (never less
    than what is already paid), else the commitment for the months not yet paid for, pro rata.
    Never more than committed: the grant is a ceiling.
    """
    if owner_forecast is not None:
        return min(max(owner_forecast, paid), committed)
    start = period_start or dt.date(year, 1, 1)
    end = period_end or dt.date(year, 12, 31)
    months = months_in_year(start, end, year)
    if not months:
        return min(paid, committed)
    left = [m for m in months if paid_through is None or dt.date(year, m, 1) > paid_through]
    # Exact integer share, half up: committed * left / all.
    rest = (2 * committed * len(left) + len(months)) // (2 * len(months))
    return min(paid + rest, committed)
