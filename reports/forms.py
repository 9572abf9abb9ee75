"""The report page form's fields to ReportContent and back (pure; the API takes the Struct)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from applications.budget import CostCategory
from portfolio.core.domain import FieldProblem
from portfolio.core.schemas import input_problems
from reports.domain import (
    PROGRESSION_INDICATORS,
    CostAmount,
    GoalResult,
    Outcomes,
    Participants,
    ProgressionScore,
    ReportContent,
)

PARTICIPANT_FIELDS = tuple(Participants.__struct_fields__)
OUTCOME_FIELDS = tuple(Outcomes.__struct_fields__)
# Spare rows the form offers for new progression measurements.
SPARE_PROGRESSION_ROWS = 2


def parse_amount(text: Any) -> int | None:
    """ "650 000", "650000" or "" (None); a non-number raises ValueError."""
    cleaned = str(text or "").replace("\u00a0", "").replace(" ", "").replace("kr", "").strip()
    if not cleaned:
        return None
    return int(cleaned)


def _number(
    form: Mapping[str, Any], name: str, problems: list[FieldProblem], field: str
) -> int | None:
    try:
        return parse_amount(form.get(name, ""))
    except ValueError:
        problems.append(FieldProblem(field, "Ange ett heltal."))
        return None


def progression_rows(form: Mapping[str, Any]) -> int:
    count = 0
    while f"prog-{count}-participant" in form:
        count += 1
    return count


def parse_report_form(
    form: Mapping[str, Any], goals: Sequence[int], categories: Sequence[CostCategory]
) -> tuple[ReportContent, list[FieldProblem]]:
    """The typed form as content; unreadable numbers are named and left out, nothing else lost."""
    problems: list[FieldProblem] = []
    participants = Participants(
        **{
            name: _number(form, name, problems, f"participants.{name}") or 0
            for name in PARTICIPANT_FIELDS
        }
    )
    outcomes = Outcomes(
        **{name: _number(form, name, problems, f"outcomes.{name}") or 0 for name in OUTCOME_FIELDS}
    )
    goal_results = [
        GoalResult(
            goal=index,
            result=_number(form, f"goal-{index}-result", problems, f"goals.{index}"),
            comment=str(form.get(f"goal-{index}-comment", "")).strip(),
        )
        for index in goals
    ]
    costs = [
        CostAmount(
            category=category,
            amount=_number(form, f"cost-{category.value}", problems, f"costs.{category.value}")
            or 0,
        )
        for category in categories
    ]
    progression = []
    for row in range(progression_rows(form)):
        participant = str(form.get(f"prog-{row}-participant", "")).strip()
        scores = [
            _number(form, f"prog-{row}-s{k}", problems, f"progression.{row}")
            for k in range(len(PROGRESSION_INDICATORS))
        ]
        if not participant and all(s is None for s in scores):
            continue  # an unused spare row
        day = str(form.get(f"prog-{row}-date", "")).strip()
        try:
            measured_on = dt.date.fromisoformat(day) if day else None
        except ValueError:
            problems.append(FieldProblem(f"progression.{row}", "Ange datum som ÅÅÅÅ-MM-DD."))
            measured_on = None
        progression.append(
            ProgressionScore(
                participant=participant,
                measured_on=measured_on,
                scores=[s for s in scores if s is not None],
            )
        )
    content = ReportContent(
        participants=participants,
        outcomes=outcomes,
        goals=goal_results,
        costs=costs,
        year_forecast=_number(form, "year_forecast", problems, "year_forecast"),
        deviations=str(form.get("deviations", "")).strip(),
        narrative=str(form.get("narrative", "")).strip(),
        uses_progression=str(form.get("uses_progression", "")) in ("on", "true", "1"),
        progression=progression,
    )
    return content, problems + input_problems(content)  # as the API's: control characters, …


def to_form(content: ReportContent) -> dict[str, Any]:
    """Content as the form's field values (numbers as typed text)."""
    values: dict[str, Any] = {
        **{name: getattr(content.participants, name) for name in PARTICIPANT_FIELDS},
        **{name: getattr(content.outcomes, name) for name in OUTCOME_FIELDS},
        "year_forecast": "" if content.year_forecast is None else content.year_forecast,
        "deviations": content.deviations,
        "narrative": content.narrative,
        "uses_progression": "on" if content.uses_progression else "",
    }
    for goal in content.goals:
        values[f"goal-{goal.goal}-result"] = "" if goal.result is None else goal.result
        values[f"goal-{goal.goal}-comment"] = goal.comment
    for cost in content.costs:
        values[f"cost-{cost.category.value}"] = cost.amount
    rows = [*content.progression, *([None] * SPARE_PROGRESSION_ROWS)]
    for index, score in enumerate(rows):
        values[f"prog-{index}-participant"] = score.participant if score else ""
        values[f"prog-{index}-date"] = (
            score.measured_on.isoformat() if score and score.measured_on else ""
        )
        for k in range(len(PROGRESSION_INDICATORS)):
            values[f"prog-{index}-s{k}"] = (
                score.scores[k] if score and k < len(score.scores) else ""
            )
    return values
