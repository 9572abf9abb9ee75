"""The yearly figures the national follow-up (Uppföljning Finsam) asks of every association.

For the association: the funds allocated by the members, the equity carried in, and the
administration's budget and outcome. For each insats: its budget (commitments in force) and
outcome (paid requisitions), the participants it budgeted for, its target group, and the
participants it had, women and men, from the quarterly reports handed in for the year.
"""

from __future__ import annotations

from typing import Any

import msgspec

from applications.services import decode_content
from applications.tables import ApplicationVersion
from portfolio.core.domain import InitiativeKind
from portfolio.core.spreadsheets import to_csv, to_xlsx
from portfolio.core.tables import Initiative, YearBudget
from portfolio.economy import services as economy
from reports import queries, services
from reports.domain import ReportKind, ReportStatus
from reports.tables import Report

ASSOCIATION_HEADER = ("Uppgift", "Belopp (kr)")
INITIATIVE_HEADER = (
    "Insats",
    "Huvudinsatsägare",
    "Inriktning",
    "Närmare inriktning",
    "Uppföljningsmetod",
    "ESF-medfinansierad",
    "Total projektkostnad (kr)",
    "Övrig finansiering (kr)",
    "Övriga finansiärer",
    "Budget (kr)",
    "Utfall (kr)",
    "Budgeterade deltagare",
    "Målgrupp",
    "Deltagare kvinnor",
    "Deltagare män",
    "Deltagare totalt",
)


# Uppföljning Finsam's words for an insats's inriktning.
ORIENTATION_LABELS = {InitiativeKind.INDIVIDUAL: "Individ", InitiativeKind.STRUCTURAL: "Struktur"}


class NationalFigures(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    association: list[tuple[str, int | None]]
    initiatives: list[list[Any]]


async def _budgeted_participants() -> dict[int, int]:
    """Per insats, the participants its last submitted application planned for."""
    rows = await ApplicationVersion.select(
        ApplicationVersion.application.initiative.as_alias("initiative"),
        ApplicationVersion.content,
    ).order_by(ApplicationVersion.submitted_at)
    planned: dict[int, int] = {}
    for row in rows:
        count = decode_content(row["content"]).expected_participants
        if count is not None:
            planned[row["initiative"]] = count  # a later version overrides an earlier one
    return planned


async def _participants(year: int) -> dict[int, tuple[int, int]]:
    """Per insats, (women, men) taking part in the year: those there when its first reported
    quarter began, and everyone new in the quarters after."""
    rows = (
        await Report.select(
            Report.initiative, Report.quarter, Report.content, Report.accepted_content
        )
        .where(
            (Report.kind == ReportKind.QUARTERLY)
            & (Report.year == year)
            & Report.status.is_in([ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
        )
        .order_by(Report.quarter)
    )
    counted: dict[int, tuple[int, int]] = {}
    for row in rows:
        people = services.decode_report(row["accepted_content"] or row["content"]).participants
        women, men = counted.get(row["initiative"], (people.start_women, people.start_men))
        counted[row["initiative"]] = (women + people.new_women, men + people.new_men)
    return counted


async def national_figures(year: int) -> NationalFigures:
    budget = await YearBudget.select().where(YearBudget.year == year).first()
    forecast = economy.year_budget_out(budget).forecast if budget else None
    carry = await economy.carried_into(year, budget)
    equity = carry.amount if carry.typed or carry.chained_from is not None else None
    association: list[tuple[str, int | None]] = [
        (
            "Tilldelade medel från medlemmarna",
            (budget["member_contributions"] + budget["extra_contribution"]) if budget else None,
        ),
        ("Eget kapital vid årets början", equity),
        ("Förvaltning, budget", budget["administration"] if budget else None),
        (
            "Förvaltning, utfall/prognos",
            (forecast.administration if forecast and forecast.administration is not None else None)
            if budget
            else None,
        ),
        ("Förtroendevalda, budget", budget["elected_members"] if budget else None),
    ]
    committed = {
        r["initiative"]: r["amount"] for r in await queries.committed_by_year() if r["year"] == year
    }
    paid = {r["initiative"]: r["amount"] for r in await queries.paid_by_year() if r["year"] == year}
    planned = await _budgeted_participants()
    people = await _participants(year)
    ids = sorted(set(committed) | set(paid))
    names = {
        r["id"]: r
        for r in await Initiative.select(
            Initiative.id,
            Initiative.name,
            Initiative.target_group,
            Initiative.kind,
            Initiative.orientation,
            Initiative.follow_up_method,
            Initiative.esf_cofunded,
            Initiative.total_cost,
            Initiative.co_financiers,
            Initiative.lead_owner.name.as_alias("owner"),
        ).where(Initiative.id.is_in(ids or [0]))
    }
    rows: list[list[Any]] = []
    for initiative_id in sorted(ids, key=lambda i: names[i]["name"]):
        women, men = people.get(initiative_id, (0, 0))
        insats = names[initiative_id]
        raw = insats["co_financiers"]
        financiers = (msgspec.json.decode(raw or "[]") if isinstance(raw, str) else raw) or []
        rows.append(
            [
                insats["name"],
                insats["owner"],
                ORIENTATION_LABELS.get(insats["kind"], insats["kind"]),
                insats["orientation"],
                insats["follow_up_method"],
                "Ja" if insats["esf_cofunded"] else "Nej",
                insats["total_cost"],
                sum(int(c["amount"]) for c in financiers) if insats["total_cost"] else None,
                "; ".join(f"{c['name']} {c['amount']} kr" for c in financiers),
                committed.get(initiative_id, 0),
                paid.get(initiative_id, 0),
                planned.get(initiative_id),
                insats["target_group"],
                women,
                men,
                women + men,
            ]
        )
    return NationalFigures(year=year, association=association, initiatives=rows)


def national_xlsx(figures: NationalFigures) -> bytes:
    return to_xlsx(
        [
            (f"Förbundet {figures.year}", ASSOCIATION_HEADER, figures.association),
            (f"Insatser {figures.year}", INITIATIVE_HEADER, figures.initiatives),
        ]
    )


def national_csv(figures: NationalFigures) -> bytes:
    """The association's own figures, an empty line, then the insatser's rows, in one CSV;
    each row starts with the part it belongs to ("Förbundet" or "Insats")."""
    rows: list[list[Any]] = [["Förbundet", label, value] for label, value in figures.association]
    rows.append([])
    rows.append(["Del", *INITIATIVE_HEADER])
    rows += [["Insats", *row] for row in figures.initiatives]
    return to_csv(("Del", *ASSOCIATION_HEADER), rows)


class NationalFiguresOut(msgspec.Struct, frozen=True, kw_only=True):
    """Uppföljning Finsam's figures as JSON: each association row a pair [label, kronor or
    null], each insats row the columns of `national.INITIATIVE_HEADER`. Lists rather than
    tuples, since a tuple's schema (`prefixItems`) is misread by some OpenAPI tools as the
    older `items: [...]`; the JSON is the same."""

    year: int
    association: list[list[str | int | None]]
    initiatives: list[list[Any]]


def national_out(figures: NationalFigures) -> NationalFiguresOut:
    return NationalFiguresOut(
        year=figures.year,
        association=[list(row) for row in figures.association],
        initiatives=figures.initiatives,
    )
