"""The pure domain of reports and requisitions: content, states, checks and the arithmetic.

A report is one document (ReportContent) kept as JSON so a draft saves whatever its state;
figures are per period (the quarter) and the cumulative views are computed here. A requisition
claims actual costs per budget category and is checked against the grant, naming every excess
as a flag the office sees. Money is int kronor. Stdlib and msgspec only (plus the budget's
category names from the applications domain).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence

import msgspec

from applications.budget import CATEGORY_LABELS, CostCategory
from portfolio.core.domain import FieldProblem
from portfolio.core.formatting import format_kronor

# -- reports ----------------------------------------------------------------------------------


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


# -- requisitions ------------------------------------------------------------------------------


class RequisitionStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"


REQUISITION_STATUS_LABELS = {
    RequisitionStatus.SUBMITTED: "Inlämnad",
    RequisitionStatus.APPROVED: "Godkänd",
    RequisitionStatus.REJECTED: "Avslagen",
    RequisitionStatus.PAID: "Utbetald",
}

REQUISITION_TRANSITIONS: dict[RequisitionStatus, frozenset[RequisitionStatus]] = {
    RequisitionStatus.SUBMITTED: frozenset(
        {RequisitionStatus.APPROVED, RequisitionStatus.REJECTED}
    ),
    RequisitionStatus.APPROVED: frozenset({RequisitionStatus.PAID}),
    RequisitionStatus.REJECTED: frozenset(),
    RequisitionStatus.PAID: frozenset(),
}

# Money the association has said yes to: what a new claim is measured against.
COMMITTED_STATUSES = frozenset({RequisitionStatus.APPROVED, RequisitionStatus.PAID})


class RequisitionLine(msgspec.Struct, frozen=True, kw_only=True):
    category: CostCategory
    amount: int


class FlagCode(enum.StrEnum):
    """What a requisition flag is about; stable, for pages and API to key on."""

    YEAR_EXCEEDED = "year_exceeded"
    TOTAL_EXCEEDED = "total_exceeded"
    CATEGORY_EXCEEDED = "category_exceeded"
    OUTSIDE_GRANT_PERIOD = "outside_grant_period"
    OVERLAPS_EARLIER = "overlaps_earlier"


class RequisitionFlag(msgspec.Struct, frozen=True, kw_only=True):
    """One thing in a claim the office must see. A blocking flag stops approval."""

    code: FlagCode
    message: str
    blocking: bool
    limit: int | None = None
    claimed: int | None = None
    excess: int | None = None
    category: CostCategory | None = None


class GrantFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What was granted: the period, the commitment per year, the budget per category."""

    period_start: dt.date | None
    period_end: dt.date | None
    commitments: dict[int, int]
    category_budget: dict[CostCategory, int] = {}

    @property
    def total(self) -> int:
        return sum(self.commitments.values())


class EarlierClaim(msgspec.Struct, frozen=True, kw_only=True):
    """A requisition already approved or paid."""

    period_start: dt.date
    period_end: dt.date
    lines: list[RequisitionLine]

    @property
    def amount(self) -> int:
        return sum(line.amount for line in self.lines)


def requisition_problems(
    period_start: dt.date, period_end: dt.date, lines: Sequence[RequisitionLine]
) -> list[FieldProblem]:
    """What makes a claim unreadable (refused at once, unlike the flags the office weighs)."""
    problems: list[FieldProblem] = []
    if period_end < period_start:
        problems.append(FieldProblem("period_end", "Slutdatum kan inte vara före startdatum."))
    elif period_start.year != period_end.year:
        problems.append(
            FieldProblem("period_end", "En rekvisition gäller en period inom ett och samma år.")
        )
    for line in lines:
        if line.amount < 0:
            problems.append(
                FieldProblem(f"lines.{line.category.value}", "Ett belopp kan inte vara negativt.")
            )
    if sum(line.amount for line in lines) <= 0:
        problems.append(FieldProblem("lines", "Ange kostnaderna som rekvireras."))
    return problems


def check_requisition(
    period_start: dt.date,
    period_end: dt.date,
    lines: Sequence[RequisitionLine],
    grant: GrantFacts,
    earlier: Sequence[EarlierClaim],
) -> list[RequisitionFlag]:
    """The claim against the grant for its year and in total, against what was already
    approved or paid, and per category against the budget; each excess named with its figures."""
    flags: list[RequisitionFlag] = []
    claimed = sum(line.amount for line in lines)
    year = period_start.year
    if (grant.period_start and period_start < grant.period_start) or (
        grant.period_end and period_end > grant.period_end
    ):
        flags.append(
            RequisitionFlag(
                code=FlagCode.OUTSIDE_GRANT_PERIOD,
                message="Perioden ligger utanför den beviljade perioden.",
                blocking=True,
            )
        )
    overlapping = [
        e for e in earlier if e.period_start <= period_end and period_start <= e.period_end
    ]
    if overlapping:
        flags.append(
            RequisitionFlag(
                code=FlagCode.OVERLAPS_EARLIER,
                message="Perioden överlappar en redan godkänd eller utbetald rekvisition.",
                blocking=True,
            )
        )
    year_limit = grant.commitments.get(year, 0)
    year_before = sum(e.amount for e in earlier if e.period_start.year == year)
    if year_before + claimed > year_limit:
        excess = year_before + claimed - year_limit
        flags.append(
            RequisitionFlag(
                code=FlagCode.YEAR_EXCEEDED,
                message=(
                    f"Rekvisitionen överskrider det beviljade beloppet för {year} "
                    f"({format_kronor(year_limit)}; redan godkänt {format_kronor(year_before)}) "
                    f"med {format_kronor(excess)}."
                ),
                blocking=True,
                limit=year_limit,
                claimed=year_before + claimed,
                excess=excess,
            )
        )
    total_before = sum(e.amount for e in earlier)
    if total_before + claimed > grant.total:
        excess = total_before + claimed - grant.total
        flags.append(
            RequisitionFlag(
                code=FlagCode.TOTAL_EXCEEDED,
                message=(
                    f"Rekvisitionen överskrider insatsens beviljade totalbelopp "
                    f"({format_kronor(grant.total)}; redan godkänt {format_kronor(total_before)}) "
                    f"med {format_kronor(excess)}."
                ),
                blocking=True,
                limit=grant.total,
                claimed=total_before + claimed,
                excess=excess,
            )
        )
    for category in CostCategory:
        now = sum(line.amount for line in lines if line.category is category)
        # Without a budget per category (a summary-only budget) there is nothing to compare.
        if not now or not grant.category_budget:
            continue
        before = sum(line.amount for e in earlier for line in e.lines if line.category is category)
        budget = grant.category_budget.get(category, 0)
        if before + now > budget:
            excess = before + now - budget
            flags.append(
                RequisitionFlag(
                    code=FlagCode.CATEGORY_EXCEEDED,
                    message=(
                        f"{CATEGORY_LABELS[category]}: rekvirerat hittills "
                        f"{format_kronor(before + now)} mot budgeterat "
                        f"{format_kronor(budget)}, {format_kronor(excess)} över."
                    ),
                    # The board grants the total; a category over its budget is for the
                    # office to weigh, not a ceiling.
                    blocking=False,
                    limit=budget,
                    claimed=before + now,
                    excess=excess,
                    category=category,
                )
            )
    return flags


def blocking(flags: Sequence[RequisitionFlag]) -> list[RequisitionFlag]:
    return [f for f in flags if f.blocking]


# -- the forecast ------------------------------------------------------------------------------


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
