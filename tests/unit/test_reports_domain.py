"""The reports' pure rules: the schedule, late reports, content checks, cumulative progress,
requisition checks against the grant, the year's forecast, the charts and the PDFs."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET

from pypdf import PdfReader

from applications.budget import CostCategory
from reports.charts import bar_chart, progress_bars
from reports.documents import (
    ReportDocument,
    SummaryDocument,
    SummaryEntry,
    render_report_pdf,
    summary_pdf,
)
from reports.domain import (
    CostAmount,
    EarlierClaim,
    FlagCode,
    GoalResult,
    GoalTarget,
    GrantFacts,
    Outcomes,
    Participants,
    ProgressionScore,
    ReportContent,
    ReportKind,
    ReportStatus,
    RequisitionLine,
    blocking,
    can_move_report,
    check_requisition,
    cost_progress,
    goal_progress,
    participants_notice,
    progression_round,
    report_problems,
    requisition_problems,
    year_forecast,
)
from reports.forms import parse_report_form, to_form
from reports.schedule import SlotState, quarters, report_schedule, slot_state

D = dt.date


# -- the schedule ------------------------------------------------------------------------------


def test_a_granted_period_gives_a_report_per_quarter_it_touches_and_a_final_report() -> None:
    """July 2027 – February 2028: Q3, Q4, Q1 (clipped to February), then the final report."""
    slots = report_schedule(D(2027, 7, 1), D(2028, 2, 29), due_days=30)
    assert [(s.label, s.period_start, s.period_end, s.due) for s in slots] == [
        ("Kvartal 3 2027", D(2027, 7, 1), D(2027, 9, 30), D(2027, 10, 30)),
        ("Kvartal 4 2027", D(2027, 10, 1), D(2027, 12, 31), D(2028, 1, 30)),
        ("Kvartal 1 2028", D(2028, 1, 1), D(2028, 2, 29), D(2028, 4, 30)),
        ("Slutrapport", D(2027, 7, 1), D(2028, 2, 29), D(2028, 3, 30)),
    ]


def test_a_quarter_report_is_due_from_the_quarters_end_even_when_the_period_starts_late() -> None:
    """A start in mid-February still reports Q1 by the end of April."""
    first = report_schedule(D(2026, 2, 15), D(2026, 12, 31), due_days=30)[0]
    assert (first.period_start, first.due) == (D(2026, 2, 15), D(2026, 4, 30))


def test_quarters_of_a_single_day_and_a_reversed_period() -> None:
    assert quarters(D(2026, 5, 5), D(2026, 5, 5)) == [(2026, 2, D(2026, 5, 5), D(2026, 5, 5))]
    assert report_schedule(D(2026, 5, 5), D(2026, 1, 1)) == []


def test_a_report_is_late_the_day_after_its_due_date_unless_handed_in() -> None:
    slot = report_schedule(D(2026, 1, 1), D(2026, 12, 31), due_days=30)[0]  # Q1, due 30 April
    assert slot_state(slot, None, D(2026, 3, 31)) is SlotState.UPCOMING
    assert slot_state(slot, None, D(2026, 4, 1)) is SlotState.DUE
    assert slot_state(slot, None, D(2026, 4, 30)) is SlotState.DUE
    assert slot_state(slot, None, D(2026, 5, 1)) is SlotState.LATE
    assert slot_state(slot, ReportStatus.DRAFT, D(2026, 5, 1)) is SlotState.LATE
    assert slot_state(slot, ReportStatus.RETURNED, D(2026, 5, 1)) is SlotState.LATE
    assert slot_state(slot, ReportStatus.SUBMITTED, D(2026, 5, 1)) is SlotState.HANDED_IN
    assert slot_state(slot, ReportStatus.ACCEPTED, D(2026, 5, 1)) is SlotState.ACCEPTED


# -- report content ----------------------------------------------------------------------------


def _quarter(new: int, ended: int, work: int, goal0: int, salary: int) -> ReportContent:
    return ReportContent(
        participants=Participants(new_women=new, ended_women=ended),
        outcomes=Outcomes(work=work, other=ended - work),
        goals=[GoalResult(goal=0, result=goal0)],
        costs=[CostAmount(category=CostCategory.SALARY, amount=salary)],
        year_forecast=1_000_000,
        narrative="Enligt plan.",
    )


def test_an_accepted_report_moves_nowhere() -> None:
    assert can_move_report(ReportStatus.SUBMITTED, ReportStatus.RETURNED)
    assert can_move_report(ReportStatus.RETURNED, ReportStatus.SUBMITTED)
    assert not can_move_report(ReportStatus.ACCEPTED, ReportStatus.RETURNED)
    assert not can_move_report(ReportStatus.DRAFT, ReportStatus.ACCEPTED)


def test_ended_participants_must_be_accounted_for_by_outcome() -> None:
    content = _quarter(new=5, ended=3, work=1, goal0=1, salary=1)
    content.outcomes = Outcomes(work=1)
    problems = report_problems(ReportKind.QUARTERLY, content, goal_count=1)
    assert [p.field for p in problems] == ["outcomes"]
    assert "(1)" in problems[0].message and "(3)" in problems[0].message


def test_a_complete_quarter_has_no_problems_and_a_deviation_needs_its_description() -> None:
    assert report_problems(ReportKind.QUARTERLY, _quarter(5, 3, 1, 1, 1), goal_count=1) == []
    empty = ReportContent(narrative="Se nedan.")
    assert [p.field for p in report_problems(ReportKind.DEVIATION, empty)] == ["deviations"]
    assert [p.field for p in report_problems(ReportKind.QUARTERLY, empty)] == ["year_forecast"]


def test_more_ended_than_there_were_is_refused_and_scores_must_be_seven_within_the_scale() -> None:
    content = _quarter(new=0, ended=2, work=2, goal0=0, salary=0)
    content.progression = [ProgressionScore(participant="A1", scores=[3] * 6)]
    fields = [p.field for p in report_problems(ReportKind.QUARTERLY, content)]
    assert fields == ["participants", "progression.0"]


def test_a_quarter_should_start_where_the_last_ended() -> None:
    previous = Participants(start_women=2, new_women=3, ended_women=1)  # 4 at end
    assert participants_notice(previous, Participants(start_women=4)) is None
    notice = participants_notice(previous, Participants(start_women=3))
    assert notice is not None and "4" in notice and "3" in notice


def test_goal_progress_is_cumulative_over_the_earlier_reports() -> None:
    goals = [
        GoalTarget(index=0, text="15 till arbete", target=15),
        GoalTarget(index=1, text="Utan mål"),
    ]
    earlier = [_quarter(5, 3, 3, 3, 1), _quarter(5, 3, 3, 4, 1)]
    progress = goal_progress(goals, earlier, _quarter(5, 3, 3, 8, 1))
    assert [(p.period, p.cumulative, p.percent, p.reached) for p in progress] == [
        (8, 15, 100, True),
        (0, 0, None, False),
    ]


def test_costs_so_far_against_the_budget_flag_an_overrun() -> None:
    budget = {CostCategory.SALARY: 500_000, CostCategory.TRAVEL: 10_000}
    rows = cost_progress(budget, [_quarter(0, 0, 0, 0, 300_000)], _quarter(0, 0, 0, 0, 250_000))
    salary, travel = rows
    assert (salary.cumulative, salary.remaining, salary.over) == (550_000, -50_000, True)
    assert (travel.cumulative, travel.remaining, travel.over) == (0, 10_000, False)


def test_progression_averages_per_indicator() -> None:
    scores = [
        ProgressionScore(participant="A", scores=[1, 2, 3, 4, 5, 1, 2]),
        ProgressionScore(participant="B", scores=[2, 2, 4, 4, 4, 2, 2]),
    ]
    result = progression_round("Kvartal 1 2026", scores)
    assert result is not None and result.measured == 2
    assert result.averages == [1.5, 2.0, 3.5, 4.0, 4.5, 1.5, 2.0]
    assert progression_round("tom", []) is None


def test_the_page_form_round_trips_and_names_an_unreadable_number() -> None:
    content = _quarter(5, 3, 1, 2, 240_000)
    values = to_form(content)
    parsed, problems = parse_report_form(values, [0], [CostCategory.SALARY])
    assert problems == [] and parsed.cost_of(CostCategory.SALARY) == 240_000
    assert parsed.participants == content.participants
    values["goal-0-result"] = "två"
    values["cost-salary"] = "240\u00a0000"
    parsed, problems = parse_report_form(values, [0], [CostCategory.SALARY])
    assert [p.field for p in problems] == ["goals.0"]
    assert parsed.cost_of(CostCategory.SALARY) == 240_000


# -- requisitions ------------------------------------------------------------------------------

GRANT = GrantFacts(
    period_start=D(2026, 7, 1),
    period_end=D(2027, 12, 31),
    commitments={2026: 600_000, 2027: 1_200_000},
    category_budget={CostCategory.SALARY: 1_800_000, CostCategory.TRAVEL: 20_000},
)


def _claim(start: dt.date, end: dt.date, **amounts: int) -> EarlierClaim:
    lines = [RequisitionLine(category=CostCategory(c), amount=a) for c, a in amounts.items()]
    return EarlierClaim(period_start=start, period_end=end, lines=lines)


def test_a_claim_within_the_years_grant_has_no_flags() -> None:
    lines = [RequisitionLine(category=CostCategory.SALARY, amount=290_000)]
    earlier = [_claim(D(2026, 7, 1), D(2026, 9, 30), salary=300_000)]
    assert check_requisition(D(2026, 10, 1), D(2026, 12, 31), lines, GRANT, earlier) == []


def test_a_claim_over_what_is_left_of_the_years_grant_is_flagged_with_the_excess() -> None:
    lines = [RequisitionLine(category=CostCategory.SALARY, amount=350_000)]
    earlier = [_claim(D(2026, 7, 1), D(2026, 9, 30), salary=300_000)]
    flags = check_requisition(D(2026, 10, 1), D(2026, 12, 31), lines, GRANT, earlier)
    assert [(f.code, f.excess, f.blocking) for f in flags] == [
        (FlagCode.YEAR_EXCEEDED, 50_000, True)
    ]
    assert "50 000 kronor" in flags[0].message.replace("\u00a0", " ")


def test_a_claim_over_the_total_and_the_category_is_flagged_on_each() -> None:
    earlier = [
        _claim(D(2026, 7, 1), D(2026, 12, 31), salary=600_000),
        _claim(D(2027, 1, 1), D(2027, 9, 30), salary=900_000, travel=15_000),
    ]
    lines = [
        RequisitionLine(category=CostCategory.SALARY, amount=280_000),
        RequisitionLine(category=CostCategory.TRAVEL, amount=10_000),
    ]
    flags = check_requisition(D(2027, 10, 1), D(2027, 12, 31), lines, GRANT, earlier)
    by_code = {(f.code, f.category): f for f in flags}
    assert by_code[(FlagCode.TOTAL_EXCEEDED, None)].excess == 5_000
    assert by_code[(FlagCode.YEAR_EXCEEDED, None)].excess == 5_000
    assert by_code[(FlagCode.CATEGORY_EXCEEDED, CostCategory.TRAVEL)].excess == 5_000
    assert by_code[(FlagCode.CATEGORY_EXCEEDED, CostCategory.TRAVEL)].blocking is False
    assert (FlagCode.CATEGORY_EXCEEDED, CostCategory.SALARY) not in by_code
    assert len(blocking(flags)) == 2


def test_a_claim_outside_the_grant_or_over_a_paid_period_is_flagged() -> None:
    lines = [RequisitionLine(category=CostCategory.SALARY, amount=1)]
    earlier = [_claim(D(2026, 7, 1), D(2026, 9, 30), salary=1)]
    codes = [
        f.code for f in check_requisition(D(2026, 6, 1), D(2026, 8, 31), lines, GRANT, earlier)
    ]
    assert codes == [FlagCode.OUTSIDE_GRANT_PERIOD, FlagCode.OVERLAPS_EARLIER]


def test_an_unreadable_claim_is_refused_outright() -> None:
    lines = [RequisitionLine(category=CostCategory.SALARY, amount=-5)]
    fields = [p.field for p in requisition_problems(D(2026, 12, 1), D(2027, 1, 31), lines)]
    assert fields == ["period_end", "lines.salary", "lines"]


# -- the forecast ------------------------------------------------------------------------------


YEAR_START, YEAR_END = D(2026, 1, 1), D(2026, 12, 31)


def _forecast(
    paid: int,
    paid_through: dt.date | None,
    owner_forecast: int | None,
    committed: int = 1_200_000,
    start: dt.date = YEAR_START,
    end: dt.date = YEAR_END,
) -> int:
    return year_forecast(
        year=2026,
        committed=committed,
        paid=paid,
        paid_through=paid_through,
        owner_forecast=owner_forecast,
        period_start=start,
        period_end=end,
    )


def test_without_payments_or_owner_forecast_the_year_is_forecast_as_committed() -> None:
    assert _forecast(0, None, None) == 1_200_000


def test_paid_costs_replace_the_commitment_for_the_months_they_cover() -> None:
    assert _forecast(200_000, D(2026, 3, 31), None) == 1_100_000
    # Overspending the months paid for cannot forecast more than the ceiling.
    assert _forecast(700_000, D(2026, 3, 31), None) == 1_200_000


def test_a_part_year_grant_spreads_over_its_own_months() -> None:
    """Granted July–December: 90 000 paid for July–September leaves 3 of 6 months."""
    assert (
        _forecast(90_000, D(2026, 9, 30), None, 600_000, D(2026, 7, 1), D(2027, 6, 30)) == 390_000
    )


def test_the_owners_forecast_is_used_but_never_below_what_is_paid() -> None:
    assert _forecast(300_000, D(2026, 3, 31), 900_000) == 900_000
    assert _forecast(950_000, D(2026, 9, 30), 900_000) == 950_000


# -- charts and documents ----------------------------------------------------------------------


def test_charts_are_accessible_svg_with_title_and_description() -> None:
    svg = bar_chart(
        "x",
        "Beviljat & utbetalt",
        "Per år",
        ["2026", "2027"],
        [("Beviljat", [5, 9]), ("Utbetalt", [3, 0])],
    )
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    assert root.find(f"{ns}title").text == "Beviljat & utbetalt"  # type: ignore[union-attr]
    assert len(root.findall(f"{ns}rect")) >= 4
    bars = ET.fromstring(progress_bars("g", "Mål", "Mot målvärde", [("15 till arbete", 12, 15)]))
    assert "12 / 15" in "".join(bars.itertext())


def test_the_report_pdf_and_the_meeting_summary_read_back() -> None:
    content = _quarter(5, 3, 1, 2, 240_000)
    goals = goal_progress([GoalTarget(index=0, text="15 till arbete", target=15)], [], content)
    document = ReportDocument(
        association_name="Samordningsförbundet Test",
        initiative_name="Alfa-insatsen",
        organisation_name="Alfa kommun",
        kind=ReportKind.QUARTERLY,
        label="Kvartal 1 2026",
        status=ReportStatus.ACCEPTED,
        period_start=D(2026, 1, 1),
        period_end=D(2026, 3, 31),
        due_on=D(2026, 4, 30),
        submitted_on=D(2026, 4, 20),
        content=content,
        goals=goals,
        costs=cost_progress({CostCategory.SALARY: 1_000_000}, [], content),
    )
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render_report_pdf(document))).pages
    )
    text = text.replace("\u00a0", " ")
    for expected in (
        "Kvartalsrapport – Alfa-insatsen",
        "20 april 2026",
        "Godkänd",
        "15 till arbete",
        "1 000 000",
    ):
        assert expected in text, expected
    summary = SummaryDocument(
        association_name="Samordningsförbundet Test",
        title="Rapporter från insatserna",
        since=D(2026, 9, 1),
        until=D(2026, 12, 10),
        entries=[
            SummaryEntry(
                initiative_name="Alfa-insatsen",
                organisation_name="Alfa kommun",
                label="Kvartal 3 2026",
                new_participants=10,
                ended_to_work_or_studies=3,
                costs=270_000,
                year_forecast=1_150_000,
                goals=goals,
                narrative="Arbetet går enligt plan.",
            )
        ],
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(summary_pdf(summary))).pages)
    text = text.replace("\u00a0", " ")
    for expected in (
        "Rapporter från insatserna",
        "från 1 september 2026 till 10 december 2026",
        "Alfa-insatsen – Kvartal 3 2026",
        "270 000 kronor",
        "Arbetet går enligt plan.",
    ):
        assert expected in text, expected
