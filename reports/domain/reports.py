"""Reports: their kinds and states, the content a report holds, and the hand-in checks.

A report is one document (ReportContent) kept as JSON so a draft saves whatever its state;
figures are per period (the quarter). Stdlib and msgspec only.
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

from applications.budget import CostCategory
from portfolio.core.domain import FieldProblem


class ReportKind(enum.StrEnum):
    QUARTERLY = "quarterly"
    DEVIATION = "deviation"
    FINAL = "final"


REPORT_KIND_LABELS = {
    ReportKind.QUARTERLY: "Kvartalsrapport",
    ReportKind.DEVIATION: "Avvikelserapport",
    ReportKind.FINAL: "Slutrapport",
}


class ReportStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"


REPORT_STATUS_LABELS = {
    ReportStatus.DRAFT: "Utkast",
    ReportStatus.SUBMITTED: "Inlämnad",
    ReportStatus.RETURNED: "Återsänd",
    ReportStatus.ACCEPTED: "Godkänd",
}

REPORT_TRANSITIONS: dict[ReportStatus, frozenset[ReportStatus]] = {
    ReportStatus.DRAFT: frozenset({ReportStatus.SUBMITTED}),
    ReportStatus.SUBMITTED: frozenset({ReportStatus.RETURNED, ReportStatus.ACCEPTED}),
    ReportStatus.RETURNED: frozenset({ReportStatus.SUBMITTED}),
    ReportStatus.ACCEPTED: frozenset(),  # frozen: the record
}

# The owner writes while the report is in their hands.
EDITABLE_REPORT_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})


def can_move_report(current: ReportStatus, target: ReportStatus) -> bool:
    return target in REPORT_TRANSITIONS[current]


class Participants(msgspec.Struct, kw_only=True):
    """Participants in the period, by sex: at its start, new during it, ended during it."""

    start_women: int = 0
    start_men: int = 0
    new_women: int = 0
    new_men: int = 0
    ended_women: int = 0
    ended_men: int = 0

    @property
    def at_start(self) -> int:
        return self.start_women + self.start_men

    @property
    def new(self) -> int:
        return self.new_women + self.new_men

    @property
    def ended(self) -> int:
        return self.ended_women + self.ended_men

    @property
    def at_end(self) -> int:
        return self.at_start + self.new - self.ended

    @property
    def women_at_end(self) -> int:
        return self.start_women + self.new_women - self.ended_women

    @property
    def men_at_end(self) -> int:
        return self.start_men + self.new_men - self.ended_men


class Outcomes(msgspec.Struct, kw_only=True):
    """Where the participants who ended went."""

    work: int = 0
    studies: int = 0
    other_effort: int = 0
    other: int = 0

    @property
    def total(self) -> int:
        return self.work + self.studies + self.other_effort + self.other


OUTCOME_LABELS = {
    "work": "Till arbete",
    "studies": "Till studier",
    "other_effort": "Till annan insats",
    "other": "Övrigt",
}


class GoalResult(msgspec.Struct, kw_only=True):
    """The period's result on one goal of the granted application (by its position there)."""

    goal: int
    result: int | None = None
    comment: str = ""


class CostAmount(msgspec.Struct, kw_only=True):
    """Costs of one budget category in the period, in kronor."""

    category: CostCategory
    amount: int = 0


PROGRESSION_INDICATORS = (
    "Arbetsförmåga",
    "Jobbsökning",
    "Hälsa",
    "Sociala färdigheter",
    "Personliga färdigheter",
    "Vardagsfärdigheter",
    "Motivation",
)
PROGRESSION_SCALE = (1, 5)
PROGRESSION_WEEKS = 13


class ProgressionScore(msgspec.Struct, kw_only=True):
    """One SMAIL measurement of a participant (pseudonymised code): seven indicators scored."""

    participant: str
    measured_on: dt.date | None = None
    scores: list[int] = []


class ReportContent(msgspec.Struct, kw_only=True):
    """Everything a report says; all optional so a draft can be saved at any point."""

    participants: Participants = msgspec.field(default_factory=Participants)
    outcomes: Outcomes = msgspec.field(default_factory=Outcomes)
    goals: list[GoalResult] = []
    costs: list[CostAmount] = []
    year_forecast: int | None = None  # the owner's forecast of the year's costs, kronor
    deviations: str = ""
    narrative: str = ""
    uses_progression: bool = False
    progression: list[ProgressionScore] = []

    def cost_of(self, category: CostCategory) -> int:
        return sum(c.amount for c in self.costs if c.category is category)

    @property
    def cost_total(self) -> int:
        return sum(c.amount for c in self.costs)

    def result_of(self, goal: int) -> int:
        return sum(g.result or 0 for g in self.goals if g.goal == goal)


def report_problems(
    kind: ReportKind, content: ReportContent, goal_count: int = 0
) -> list[FieldProblem]:
    """Everything that stops a report being handed in, each naming its field."""
    problems: list[FieldProblem] = []
    numbers = {
        **{f"participants.{k}": v for k, v in msgspec.structs.asdict(content.participants).items()},
        **{f"outcomes.{k}": v for k, v in msgspec.structs.asdict(content.outcomes).items()},
    }
    for field, value in numbers.items():
        if value < 0:
            problems.append(FieldProblem(field, "Antal kan inte vara negativt."))
    for cost in content.costs:
        if cost.amount < 0:
            problems.append(
                FieldProblem(f"costs.{cost.category.value}", "En kostnad kan inte vara negativ.")
            )
    for result in content.goals:
        if result.result is not None and result.result < 0:
            problems.append(
                FieldProblem(f"goals.{result.goal}", "Ett resultat kan inte vara negativt.")
            )
        if not 0 <= result.goal < max(goal_count, 1) and goal_count:
            problems.append(FieldProblem(f"goals.{result.goal}", "Målet finns inte i ansökan."))
    if content.outcomes.total != content.participants.ended:
        problems.append(
            FieldProblem(
                "outcomes",
                f"Avslutade deltagare per utfall ({content.outcomes.total}) ska vara lika många "
                f"som avslutade deltagare ({content.participants.ended}).",
            )
        )
    if content.participants.women_at_end < 0 or content.participants.men_at_end < 0:
        problems.append(
            FieldProblem(
                "participants", "Fler deltagare har avslutats än som fanns under perioden."
            )
        )
    if kind is ReportKind.QUARTERLY and content.year_forecast is None:
        problems.append(FieldProblem("year_forecast", "Ange prognosen för årets kostnader."))
    if content.year_forecast is not None and content.year_forecast < 0:
        problems.append(FieldProblem("year_forecast", "Prognosen kan inte vara negativ."))
    if kind is ReportKind.DEVIATION and not content.deviations.strip():
        problems.append(FieldProblem("deviations", "Beskriv avvikelsen."))
    if not content.narrative.strip():
        problems.append(FieldProblem("narrative", "Skriv en kort beskrivning av perioden."))
    low, high = PROGRESSION_SCALE
    for index, score in enumerate(content.progression):
        if not score.participant.strip():
            problems.append(
                FieldProblem(f"progression.{index}", "Ange deltagarens kod för mätningen.")
            )
        if len(score.scores) != len(PROGRESSION_INDICATORS) or any(
            not low <= s <= high for s in score.scores
        ):
            problems.append(
                FieldProblem(
                    f"progression.{index}",
                    f"Ange alla sju indikatorer med ett värde från {low} till {high}.",
                )
            )
    return problems


def participants_notice(previous: Participants | None, current: Participants) -> str | None:
    """A quarter should start where the last one ended; a mismatch is shown, not refused."""
    if previous is None or previous.at_end == current.at_start:
        return None
    return (
        f"Förra kvartalet slutade med {previous.at_end} deltagare men detta kvartal börjar "
        f"med {current.at_start}."
    )
