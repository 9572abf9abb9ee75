"""Economy use cases: the association's year budgets and the budget room before a meeting.

The arithmetic is the pure `budget_room` module; this module only gathers its inputs, with the
sums done by the database (commitments per insats and year in one GROUP BY).
"""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec
from piccolo.columns import Column

from portfolio.accounts.permissions import can_manage, require
from portfolio.core import audit
from portfolio.core.db import write_transaction
from portfolio.core.domain import FieldProblem, OrganisationKind, Principal
from portfolio.core.errors import NotFound, StaleVersion, ValidationFailed
from portfolio.core.tables import Commitment as CommitmentRow
from portfolio.core.tables import (
    Organisation,
    YearBudget,
)
from portfolio.economy.budget_room import (
    DEFAULT_YEARS,
    Application,
    BudgetRoomInput,
    BudgetRoomTable,
    Commitment,
    NamedAmount,
    Reservation,
    RowKind,
    YearFigures,
    YearForecast,
    compute_budget_room,
    display_rows_tkr,
    horizon,
    over_committed_columns,
)
from portfolio.economy.contributions import ContributionSplit, split_contribution
from portfolio.economy.kept import keep_room, kept_room
from portfolio.economy.pending import pending_applications
from portfolio.economy.reservations import reservations
from portfolio.economy.schemas import (
    FIRST_BUDGET_YEAR,
    LAST_BUDGET_YEAR,
    BudgetRoomOut,
    ForecastIn,
    NamedAmountIn,
    PendingApplicationIn,
    YearBudgetIn,
    YearBudgetOut,
)
from portfolio.meetings import queries as meetings_queries
from portfolio.register.keys import ContributionKey, InvalidKeyError, KeyShare


def _decode(value: Any) -> Any:
    return value if not isinstance(value, str) else msgspec.json.decode(value or "null")


def year_budget_out(row: dict[str, Any]) -> YearBudgetOut:
    forecast = _decode(row["forecast"])
    return YearBudgetOut(
        year=row["year"],
        member_contributions=row["member_contributions"],
        elected_members=row["elected_members"],
        administration=row["administration"],
        other_costs=msgspec.convert(_decode(row["other_costs"]) or [], list[NamedAmountIn]),
        carried_in=row["carried_in"],
        forecast=msgspec.convert(forecast, ForecastIn) if forecast else None,
        version=row["version"],
        extra_contribution=row["extra_contribution"],
        extra_contribution_note=row["extra_contribution_note"],
    )


async def year_budgets() -> list[YearBudgetOut]:
    return [year_budget_out(r) for r in await YearBudget.select().order_by(YearBudget.year)]


_NOT_NEGATIVE = {
    "member_contributions": "Medlemsavgifter",
    "elected_members": "Förtroendevalda",
    "administration": "Förvaltning",
    "extra_contribution": "Extra medlemsbidrag",
}


def year_budget_problems(year: int, data: YearBudgetIn) -> list[FieldProblem]:
    """Every bound a year budget breaks, each named by its field in Swedish. The carry may be
    negative (a deficit carried in); what the members pay and what is spent may not."""
    problems: list[FieldProblem] = []
    if not FIRST_BUDGET_YEAR <= year <= LAST_BUDGET_YEAR:
        problems.append(
            FieldProblem(
                "year",
                f"År: ange ett år mellan {FIRST_BUDGET_YEAR} och {LAST_BUDGET_YEAR} (inte {year}).",
            )
        )
    for field, label in _NOT_NEGATIVE.items():
        if getattr(data, field) < 0:
            problems.append(FieldProblem(field, f"{label} kan inte vara negativt."))
    for index, line in enumerate(data.other_costs):
        if line.amount < 0:
            problems.append(
                FieldProblem(
                    f"other_costs.{index}.amount",
                    f"Övrig samverkanskostnad ”{line.name}” kan inte vara negativ.",
                )
            )
    if data.forecast is not None:
        for field in ("member_contributions", "elected_members", "administration"):
            value = getattr(data.forecast, field)
            if value is not None and value < 0:
                problems.append(
                    FieldProblem(
                        f"forecast.{field}",
                        f"Prognos, {_NOT_NEGATIVE[field]} kan inte vara negativt.",
                    )
                )
    return problems


async def save_year_budget(actor: Principal, year: int, data: YearBudgetIn) -> YearBudgetOut:
    """Create or replace a year's budget; replacing names the version it was read at."""
    require(can_manage(actor))
    problems = year_budget_problems(year, data)
    if problems:
        raise ValidationFailed(problems)
    values: dict[Column, Any] = {
        YearBudget.member_contributions: data.member_contributions,
        YearBudget.elected_members: data.elected_members,
        YearBudget.administration: data.administration,
        YearBudget.other_costs: msgspec.json.encode(data.other_costs).decode(),
        YearBudget.carried_in: data.carried_in,
        YearBudget.forecast: msgspec.json.encode(data.forecast).decode() if data.forecast else None,
        YearBudget.extra_contribution: data.extra_contribution,
        YearBudget.extra_contribution_note: data.extra_contribution_note.strip(),
    }
    async with write_transaction():
        before = await YearBudget.select().where(YearBudget.year == year).first()
        if before is None:
            created = (
                await YearBudget.insert(YearBudget(_data={YearBudget.year: year, **values}))
                .on_conflict(action="DO NOTHING")
                .returning(YearBudget.id)
            )
            if not created:  # someone else created the year a moment ago
                raise StaleVersion("Årets budget")
        else:
            if data.version != before["version"]:
                raise StaleVersion("Årets budget")
            changes: dict[Column | str, Any] = {YearBudget.version: YearBudget.version + 1}
            for column, value in values.items():
                changes[column] = value
            saved = (
                await YearBudget.update(changes)
                .where((YearBudget.year == year) & (YearBudget.version == before["version"]))
                .returning(YearBudget.id)
            )
            if not saved:  # another save got in between the read and this update
                raise StaleVersion("Årets budget")
        after = await YearBudget.select().where(YearBudget.year == year).first()
        await audit.record(
            actor,
            "update" if before else "create",
            "year_budget",
            after["id"] if after else None,
            before,
            after,
            str(year),
        )
    assert after is not None
    return year_budget_out(after)


async def _commitments(years: list[int], forecasts: dict[int, int]) -> list[Commitment]:
    """Decided amounts per insats and year, summed and pivoted by the database (one row per
    insats, one column per year), names joined in; superseded decisions are left out.

    Raw SQL because the pivot is what makes it fast: 1 000 rows back instead of 10 000.
    """
    if not years:
        return []
    # The years are ints we made ourselves, so writing them into the SQL is safe.
    columns = ", ".join(
        f"SUM(CASE WHEN c.year = {int(year)} THEN c.amount ELSE 0 END) AS y{int(year)}"
        for year in years
    )
    rows = await CommitmentRow.raw(
        f"SELECT c.initiative AS initiative, i.name AS name, o.name AS owner, {columns} "
        "FROM commitment c JOIN initiative i ON i.id = c.initiative "
        "JOIN organisation o ON o.id = i.lead_owner "
        "WHERE c.year >= {} AND c.year <= {} "
        "AND c.decision NOT IN (SELECT supersedes FROM decision WHERE supersedes IS NOT NULL) "
        "GROUP BY c.initiative, i.name, o.name ORDER BY i.name",
        min(years),
        max(years),
    )
    return [
        Commitment(
            name=row["name"],
            owner=row["owner"],
            amounts={year: int(row[f"y{year}"]) for year in years if row[f"y{year}"]},
            forecast=forecasts.get(row["initiative"]),
        )
        for row in rows
    ]


class MissingYearBudget(ValidationFailed):
    """Years of the horizon that have no budget: the room cannot be computed without them."""

    def __init__(self, missing: list[int], span: list[int]) -> None:
        super().__init__(
            [
                FieldProblem(
                    "years",
                    f"Förbundets budget saknas för {', '.join(map(str, missing))}. "
                    "Lägg in budgeten för "
                    + ("året" if len(missing) == 1 else "åren")
                    + " under Ekonomi för att se beslutsutrymmet.",
                )
            ]
        )
        self.missing = missing
        self.span = span


async def commitments_reach() -> int | None:
    """The last year any decision in force commits money to, or None when nothing is committed."""
    rows = await CommitmentRow.raw(
        "SELECT MAX(c.year) AS last FROM commitment c WHERE c.amount <> 0 "
        "AND c.decision NOT IN (SELECT supersedes FROM decision WHERE supersedes IS NOT NULL)"
    )
    last = rows[0]["last"] if rows else None
    return int(last) if last is not None else None


async def budget_room(
    from_year: int,
    years: int = DEFAULT_YEARS,
    meeting_id: int | None = None,
    chosen: list[PendingApplicationIn] | None = None,
) -> BudgetRoomTable:
    """The budget room from `from_year` (its forecast as Prognos) over at least `years` years,
    longer when a pending application or a commitment reaches further.

    `chosen` is the what-if: which pending applications to count, with which amounts; None
    counts every pending application of the meeting as proposed. A year of the horizon
    without a budget is a MissingYearBudget naming it.

    The answer is kept in the database under the economy's change counter (kept.py): asked
    again before any input changes, it is one query.
    """
    what_if = "" if chosen is None else msgspec.json.encode(chosen).decode()
    key = f"{from_year}:{years}:{meeting_id}:" + hashlib.sha256(what_if.encode()).hexdigest()
    version, kept = await kept_room(key)
    if kept is not None:
        return kept
    table = await _compute_budget_room(from_year, years, meeting_id, chosen)
    await keep_room(key, version, table)
    return table


async def _compute_budget_room(
    from_year: int,
    years: int,
    meeting_id: int | None,
    chosen: list[PendingApplicationIn] | None,
) -> BudgetRoomTable:
    applications: list[Application] = []
    reaches: list[int] = []
    if meeting_id is not None:
        await meetings_queries.get_meeting(meeting_id)
        pending = {p["case_id"]: p for p in await pending_applications(meeting_id)}
        if chosen is None:
            selected = [(p, p["amounts"]) for p in pending.values()]
        else:
            unknown = [c.case_id for c in chosen if c.case_id not in pending]
            if unknown:
                raise NotFound("Ärendet står inte som obeslutad ansökan på mötets dagordning.")
            selected = [(pending[c.case_id], dict(c.amounts)) for c in chosen]
        applications = [
            Application(name=p["name"], owner=p["owner"], amounts=amounts)
            for p, amounts in selected
        ]
        # Every pending application keeps its years, counted in the what-if or not.
        reaches += [year for p in pending.values() for year in p["amounts"]]
        reaches += [year for _, amounts in selected for year in amounts if amounts[year]]
    reach = await commitments_reach()
    if reach is not None:
        reaches.append(reach)
    span = horizon(from_year, years, reaches)
    budgets = {r["year"]: r for r in await YearBudget.select().where(YearBudget.year.is_in(span))}
    missing = [y for y in span if y not in budgets]
    if missing:
        raise MissingYearBudget(missing, span)
    carry = await carried_into(from_year, budgets[from_year])
    data = await _room_input(span, budgets, carry.amount, applications)
    return msgspec.structs.replace(compute_budget_room(data), carry_note=carry.note)


class Carry(msgspec.Struct, frozen=True):
    """What is carried into a year, and where it comes from, for the page to say."""

    amount: int
    typed: bool
    note: str
    chained_from: int | None = None  # the year the chain starts from, when not typed


async def carried_into(year: int, budget: dict[str, Any] | None = None) -> Carry:
    """The surplus (or deficit) carried into `year`: as typed on its budget, else the chain
    from the latest earlier year whose carry is typed (that year's Prognos, then each Budget
    after it), else from the first year with a budget, starting at 0."""
    if budget is None:
        budget = await YearBudget.select().where(YearBudget.year == year).first()
    if budget is not None and budget["carried_in"] is not None:
        return Carry(budget["carried_in"], True, f"Överfört till {year} är inskrivet.")
    earlier = {
        r["year"]: r
        for r in await YearBudget.select()
        .where(YearBudget.year < year)
        .order_by(YearBudget.year, ascending=False)
    }
    start = year
    while start - 1 in earlier:
        start -= 1
        if earlier[start]["carried_in"] is not None:
            break
    if start == year:
        return Carry(
            0, False, f"Inget är inskrivet som överfört till {year} och inget år före har budget."
        )
    span = list(range(start, year))
    data = await _room_input(span, earlier, earlier[start]["carried_in"] or 0, [])
    table = compute_budget_room(data)
    amount = table.row(RowKind.ROOM_AFTER).cells[-1] or 0
    origin = (
        f"{start} års prognos"
        if start == year - 1
        else f"{start} års prognos och budgeten för {', '.join(map(str, span[1:]))}"
    )
    return Carry(amount, False, f"Överfört till {year} är räknat från {origin}.", start)


async def _room_input(
    span: list[int],
    budgets: dict[int, dict[str, Any]],
    opening_balance: int,
    applications: list[Application],
) -> BudgetRoomInput:
    """The pure budget room's input for these years (each with a budget), span[0] current."""
    figures = tuple(
        YearFigures(
            year=y,
            member_contributions=budgets[y]["member_contributions"],
            elected_members=budgets[y]["elected_members"],
            administration=budgets[y]["administration"],
            other_costs=tuple(
                NamedAmount(o["name"], o["amount"])
                for o in _decode(budgets[y]["other_costs"]) or []
            ),
            extra_contribution=budgets[y]["extra_contribution"],
        )
        for y in span
    )
    from_year = span[0]
    first = budgets[from_year]
    raw_forecast = _decode(first["forecast"])
    forecast = msgspec.convert(raw_forecast, ForecastIn) if raw_forecast else None
    current_forecast = (
        YearForecast(
            member_contributions=forecast.member_contributions,
            elected_members=forecast.elected_members,
            administration=forecast.administration,
            other_costs=tuple(NamedAmount(o.name, o.amount) for o in forecast.other_costs),
        )
        if forecast
        else None
    )
    # Each insats's Prognos: its paid requisitions and its owner's forecast for the rest of the
    # year (reports), unless the office has typed a forecast for it, which wins.
    from reports.services import insats_forecasts

    insats_forecast = await insats_forecasts(from_year)
    if forecast:
        insats_forecast.update({f.initiative_id: f.amount for f in forecast.initiatives})
    commitments = await _commitments(span, insats_forecast)
    return BudgetRoomInput(
        years=figures,
        opening_balance=opening_balance,
        current_forecast=current_forecast,
        commitments=tuple(commitments),
        applications=tuple(applications),
        reservations=tuple(
            Reservation(purpose=r.purpose, year=r.year, amount=r.amount, drawn=r.drawn)
            for r in await reservations(span)
        ),
    )


# -- reserved funds ----------------------------------------------------------------------------


def budget_room_out(table: BudgetRoomTable) -> BudgetRoomOut:
    display = display_rows_tkr(table)
    return BudgetRoomOut(
        columns=[c.label for c in table.columns],
        rows=[
            {
                "kind": row.kind.value,
                "label": row.label,
                "owner": row.owner,
                "kronor": list(row.cells),
                "tkr": list(shown.tkr),
                "is_total": shown.is_total,
            }
            for row, shown in zip(table.rows, display, strict=True)
        ],
        over_committed=[c.label for c in over_committed_columns(table)],
        carry_note=table.carry_note,
    )


async def contribution_split(total: int) -> ContributionSplit:
    """The year's member contributions (or a one-off extra) per member: half the state's,
    a quarter the regions', a quarter the kommuner's by the association's key; exact to the krona."""
    members = await Organisation.select(
        Organisation.name, Organisation.kind, Organisation.contribution_share
    ).where(
        (Organisation.is_member == True) & (Organisation.active == True)  # noqa: E712 - Piccolo's column comparison
    )
    state = next(
        (m["name"] for m in members if m["kind"] == OrganisationKind.FK), "Försäkringskassan"
    )
    key = ContributionKey(
        regions=tuple(
            KeyShare(m["name"], m["contribution_share"] or 0)
            for m in members
            if m["kind"] == OrganisationKind.REGION
        ),
        municipalities=tuple(
            KeyShare(m["name"], m["contribution_share"] or 0)
            for m in members
            if m["kind"] == OrganisationKind.KOMMUN
        ),
        state_member=state,
    )
    try:
        return split_contribution(total, key)
    except InvalidKeyError as exc:
        raise ValidationFailed([FieldProblem("key", exc.problem.message_sv)]) from exc


# -- exports -----------------------------------------------------------------------------------
