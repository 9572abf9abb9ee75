"""Follow-up use cases: per insats and for the portfolio, from handed-in reports and payments;
and the summary of accepted reports that the office puts on a meeting's agenda."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from portfolio.accounts.permissions import can_manage, can_read_portfolio, require
from portfolio.core import queries as core_queries
from portfolio.core.db import write_transaction
from portfolio.core.domain import CaseKind, OrganisationKind, Principal
from portfolio.core.spreadsheets import to_csv
from portfolio.core.tables import Initiative, InitiativeParty, Meeting, Organisation
from portfolio.meetings import services as meetings
from portfolio.meetings.schemas import CaseCreate
from portfolio.register.services import get_initiative
from reports import queries, services
from reports.documents import SummaryDocument, SummaryEntry
from reports.domain import ReportContent, ReportKind, ReportStatus, goal_progress, progression_round
from reports.schemas import (
    FollowUpOut,
    ParticipantPoint,
    PortfolioFollowUpOut,
    PortfolioKommunOut,
    PortfolioYearOut,
    YearSpending,
)
from reports.tables import Report


def participant_point(label: str, content: ReportContent) -> ParticipantPoint:
    p = content.participants
    return ParticipantPoint(
        label=label,
        at_start=p.at_start,
        new=p.new,
        ended=p.ended,
        at_end=p.at_end,
        women_at_end=p.women_at_end,
        men_at_end=p.men_at_end,
    )


async def initiative_followup(actor: Principal, initiative_id: int) -> FollowUpOut:
    """Goals against targets, participants per quarter and spending per year for one insats."""
    initiative = await get_initiative(actor, initiative_id)
    facts, goals = await services.grant_facts(initiative_id)
    quarters = await services.reports_in_quarters(initiative_id)
    contents = [q["content"] for q in quarters]
    paid = {r["year"]: r["amount"] for r in await queries.paid_by_year(initiative_id)}
    years = sorted(set(facts.commitments) | set(paid))
    rounds = [
        r
        for r in (progression_round(q["label"], q["content"].progression) for q in quarters)
        if r is not None
    ]
    return FollowUpOut(
        initiative_id=initiative_id,
        initiative_name=initiative["name"],
        organisation_name=initiative["lead_owner_name"],
        period_start=initiative["period_start"],
        period_end=initiative["period_end"],
        goals=goal_progress(goals, contents, ReportContent()),
        participants=[participant_point(q["label"], q["content"]) for q in quarters],
        spending=[
            YearSpending(year=y, granted=facts.commitments.get(y, 0), paid=paid.get(y, 0))
            for y in years
        ],
        granted_total=facts.total,
        paid_total=sum(paid.values()),
        progression=rounds,
    )


async def _kommun_of() -> dict[int, str]:
    """Each insats's kommun: its lead owner if a kommun, else the kommun taking part."""
    kommuner = {
        r["id"]: r["name"]
        for r in await Organisation.select(Organisation.id, Organisation.name).where(
            Organisation.kind == OrganisationKind.KOMMUN
        )
    }
    found: dict[int, str] = {}
    for row in await Initiative.select(Initiative.id, Initiative.lead_owner):
        if row["lead_owner"] in kommuner:
            found[row["id"]] = kommuner[row["lead_owner"]]
    parties: dict[int, set[str]] = defaultdict(set)
    for row in await InitiativeParty.select(
        InitiativeParty.initiative, InitiativeParty.organisation
    ):
        if row["organisation"] in kommuner:
            parties[row["initiative"]].add(kommuner[row["organisation"]])
    for initiative_id, names in parties.items():
        if initiative_id not in found:
            found[initiative_id] = names.pop() if len(names) == 1 else "Flera kommuner"
    return found


async def _participants_by_year() -> dict[tuple[int, int], tuple[int, int]]:
    """(insats, year) -> (new participants, ended to work or studies), from handed-in quarters."""
    rows = await Report.select(
        Report.initiative, Report.year, Report.content, Report.accepted_content
    ).where(
        (Report.kind == ReportKind.QUARTERLY)
        & Report.status.is_in([ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
    )
    sums: dict[tuple[int, int], tuple[int, int]] = {}
    for row in rows:
        content = services.decode_report(row["accepted_content"] or row["content"])
        new, out = sums.get((row["initiative"], row["year"]), (0, 0))
        sums[(row["initiative"], row["year"])] = (
            new + content.participants.new,
            out + content.outcomes.work + content.outcomes.studies,
        )
    return sums


async def portfolio_rows(actor: Principal) -> list[dict[str, Any]]:
    """One row per insats and year: granted, paid, participants; the portfolio's raw figures."""
    require(can_read_portfolio(actor))
    names = {
        r["id"]: (r["name"], r["lead_owner_name"])
        for r in await Initiative.select(
            Initiative.id, Initiative.name, Initiative.lead_owner.name.as_alias("lead_owner_name")
        )
    }
    kommun = await _kommun_of()
    people = await _participants_by_year()
    figures: dict[tuple[int, int], dict[str, int]] = defaultdict(
        lambda: {"granted": 0, "paid": 0, "new": 0, "to_work_or_studies": 0}
    )
    for row in await queries.committed_by_year():
        figures[(row["initiative"], row["year"])]["granted"] += row["amount"]
    for row in await queries.paid_by_year():
        figures[(row["initiative"], row["year"])]["paid"] += row["amount"]
    for key, (new, out) in people.items():
        figures[key]["new"] += new
        figures[key]["to_work_or_studies"] += out
    return [
        {
            "initiative": initiative_id,
            "name": names.get(initiative_id, ("", ""))[0],
            "owner": names.get(initiative_id, ("", ""))[1],
            "kommun": kommun.get(initiative_id, "Ingen kommun"),
            "year": year,
            **values,
        }
        for (initiative_id, year), values in sorted(
            figures.items(), key=lambda item: (item[0][1], names.get(item[0][0], ("", ""))[0])
        )
    ]


async def portfolio_followup(actor: Principal) -> PortfolioFollowUpOut:
    """The portfolio's totals per year, and per kommun and year."""
    rows = await portfolio_rows(actor)
    years: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    kommuner: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        y = years[row["year"]]
        y[0] += row["granted"]
        y[1] += row["paid"]
        y[2] += row["new"]
        y[3] += row["to_work_or_studies"]
        k = kommuner[(row["kommun"], row["year"])]
        k[0] += row["granted"]
        k[1] += row["paid"]
        k[2] += row["new"]
    return PortfolioFollowUpOut(
        years=[
            PortfolioYearOut(
                year=year,
                granted=v[0],
                paid=v[1],
                new_participants=v[2],
                ended_to_work_or_studies=v[3],
            )
            for year, v in sorted(years.items())
        ],
        kommuner=[
            PortfolioKommunOut(kommun=k, year=year, granted=v[0], paid=v[1], new_participants=v[2])
            for (k, year), v in sorted(kommuner.items(), key=lambda i: (i[0][1], i[0][0]))
        ],
    )


PORTFOLIO_COLUMNS = (
    "Insats",
    "Huvudinsatsägare",
    "Kommun",
    "År",
    "Beviljat (kr)",
    "Utbetalt (kr)",
    "Nya deltagare",
    "Avslutade till arbete eller studier",
)


async def portfolio_csv(actor: Principal) -> bytes:
    return to_csv(
        PORTFOLIO_COLUMNS,
        (
            (
                r["name"],
                r["owner"],
                r["kommun"],
                r["year"],
                r["granted"],
                r["paid"],
                r["new"],
                r["to_work_or_studies"],
            )
            for r in await portfolio_rows(actor)
        ),
    )


async def initiative_csv(actor: Principal, initiative_id: int) -> bytes:
    """An insats's quarters: participants, outcomes and costs per handed-in quarterly report."""
    await get_initiative(actor, initiative_id)
    quarters = await services.reports_in_quarters(initiative_id)
    header = (
        "Kvartal",
        "Status",
        "Deltagare vid start",
        "Nya kvinnor",
        "Nya män",
        "Avslutade",
        "Till arbete",
        "Till studier",
        "Till annan insats",
        "Övrigt",
        "Kostnader (kr)",
        "Prognos för året (kr)",
    )
    return to_csv(
        header,
        (
            (
                q["label"],
                q["status"],
                q["content"].participants.at_start,
                q["content"].participants.new_women,
                q["content"].participants.new_men,
                q["content"].participants.ended,
                q["content"].outcomes.work,
                q["content"].outcomes.studies,
                q["content"].outcomes.other_effort,
                q["content"].outcomes.other,
                q["content"].cost_total,
                q["content"].year_forecast,
            )
            for q in quarters
        ),
    )


# -- the summary for a meeting ------------------------------------------------------------------

# The information case put on an agenda; the board pack lays in its paper when the pack is read.
SUMMARY_TITLE = "Rapporter från insatserna"


async def _previous_meeting_date(meeting: dict[str, Any]) -> dt.date | None:
    row = (
        await Meeting.select(Meeting.meeting_date)
        .where((Meeting.body == meeting["body"]) & (Meeting.meeting_date < meeting["meeting_date"]))
        .order_by(Meeting.meeting_date, ascending=False)
        .first()
    )
    return row["meeting_date"] if row else None


async def summary_document(actor: Principal, meeting_id: int) -> SummaryDocument:
    """The reports accepted since the body's previous meeting, up to this one."""
    require(can_read_portfolio(actor))
    meeting = await meetings.get_meeting(meeting_id)
    since = await _previous_meeting_date(meeting)
    until = meeting["meeting_date"]
    rows = await Report.select(
        *Report._meta.columns,
        Report.initiative.name.as_alias("initiative_name"),
        Report.organisation.name.as_alias("organisation_name"),
    ).where(Report.status == ReportStatus.ACCEPTED)
    entries = []
    for row in sorted(rows, key=lambda r: (r["initiative_name"], r["period_end"] or until)):
        reviewed = row["reviewed_at"].date() if row["reviewed_at"] else None
        if reviewed is None or reviewed > until or (since and reviewed <= since):
            continue
        content = services.decode_report(row["accepted_content"])
        _, goals = await services.grant_facts(row["initiative"])
        earlier = await services.earlier_quarters(row)
        entries.append(
            SummaryEntry(
                initiative_name=row["initiative_name"],
                organisation_name=row["organisation_name"],
                label=services.report_label(row),
                new_participants=content.participants.new,
                ended_to_work_or_studies=content.outcomes.work + content.outcomes.studies,
                costs=content.cost_total,
                year_forecast=content.year_forecast,
                goals=goal_progress(goals, earlier, content),
                deviations=content.deviations,
                narrative=content.narrative,
            )
        )
    association = await core_queries.required_association()
    return SummaryDocument(
        association_name=association["name"],
        title=SUMMARY_TITLE,
        since=since,
        until=until,
        entries=entries,
    )


async def put_summary_on_agenda(actor: Principal, meeting_id: int) -> dict[str, Any]:
    """An information case "Rapporter från insatserna" last on the meeting's agenda; its
    paper is the summary PDF, generated when read so it shows the reports accepted by then."""
    require(can_manage(actor))
    meeting = await meetings.get_meeting(meeting_id)
    async with write_transaction():
        case = await meetings.create_case(
            actor,
            CaseCreate(
                title=SUMMARY_TITLE, kind=CaseKind.INFORMATION, year=meeting["meeting_date"].year
            ),
        )
        await meetings.add_to_agenda(actor, meeting_id, case["id"])
    return case
