"""The economy page: year budgets, the budget room with its what-if, contributions."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.params import FromPath, QueryParameter
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from portfolio.accounts.guards import office_only, portfolio_readers
from portfolio.accounts.permissions import (
    can_manage,
)
from portfolio.core.domain import (
    Body,
    Principal,
)
from portfolio.core.errors import DomainError
from portfolio.core.web import AnyRequest, Form, choice, me, this_year
from portfolio.documents.charts import chart_svg
from portfolio.economy import report as board_pack
from portfolio.economy import reservations
from portfolio.economy import services as economy
from portfolio.economy.budget_room import RowKind
from portfolio.economy.contributions import ContributionSplit
from portfolio.economy.schemas import (
    NamedAmountIn,
    PendingApplicationIn,
    ReservationIn,
    YearBudgetIn,
)
from portfolio.meetings import queries
from portfolio.meetings.pages import _lines


class EconomyPages(Controller):
    """Beslutsutrymme: the budget room before and after a meeting's applications, with a what-if."""

    path = "/ekonomi"
    include_in_schema = False
    guards = [portfolio_readers]

    @get("/")
    async def overview(
        self,
        request: AnyRequest,
        from_text: Annotated[str | None, QueryParameter(name="from")] = None,
        meeting_text: Annotated[str | None, QueryParameter(name="meeting")] = None,
    ) -> Template:
        from_year = choice(int, from_text, "from") or this_year()
        meeting_id = choice(int, meeting_text, "meeting")
        return Template(
            "economy.html",
            context=await _economy_context(me(request), from_year, meeting_id, None),
        )

    @post("/berakna")
    async def what_if(self, request: AnyRequest, data: Form) -> Template:
        """The table again for the ticked applications and typed amounts (htmx); nothing is saved."""
        from_year = choice(int, str(data.get("from", "")), "from") or this_year()
        meeting_id = choice(int, str(data.get("meeting", "")), "meeting")
        chosen = []
        for key in data:
            if key.startswith("include-"):
                case_id = int(key.removeprefix("include-"))
                amounts = {
                    int(k.rsplit("-", 1)[1]): _amount(data[k])
                    for k in data
                    if k.startswith(f"amount-{case_id}-") and str(data[k]).strip()
                }
                chosen.append(PendingApplicationIn(case_id=case_id, amounts=amounts))
        context = await _economy_context(me(request), from_year, meeting_id, chosen)
        return Template("_budget_room.html", context=context)

    @post("/ar/{year:int}", guards=[office_only])
    async def save_year(self, request: AnyRequest, year: FromPath[int], data: Form) -> Redirect:
        try:
            fields = {
                k: _amount(v)
                if k
                in (
                    "member_contributions",
                    "elected_members",
                    "administration",
                    "extra_contribution",
                )
                else v
                for k, v in data.items()
            }
            other = [
                NamedAmountIn(name=n, amount=_amount(a))
                for n, a in zip(
                    _lines(data.get("other_names")), _lines(data.get("other_amounts")), strict=False
                )
            ]
            existing = {y.year: y for y in await economy.year_budgets()}.get(year)
            body = YearBudgetIn(
                member_contributions=int(fields.get("member_contributions") or 0),
                elected_members=int(fields.get("elected_members") or 0),
                administration=int(fields.get("administration") or 0),
                other_costs=other,
                # Typed, the carry is kept as typed; left empty, it follows the chain.
                carried_in=_amount(data["carried_in"])
                if str(data.get("carried_in") or "").strip()
                else None,
                forecast=existing.forecast if existing else None,
                version=existing.version if existing else None,
                extra_contribution=int(fields.get("extra_contribution") or 0),
                extra_contribution_note=str(data.get("extra_contribution_note") or ""),
            )
            await economy.save_year_budget(me(request), year, body)
            flash(request, f"Budgeten för {year} är sparad.", category="success")
        except (DomainError, ValueError) as exc:
            flash(
                request,
                exc.message if isinstance(exc, DomainError) else "Ange belopp i hela kronor.",
                category="error",
            )
        return Redirect(f"/ekonomi?from={year}")

    @post("/reservationer", guards=[office_only])
    async def add_reservation(self, request: AnyRequest, data: Form) -> Redirect:
        """Set funds aside in a year for a purpose; they lower that year's room."""
        year = choice(int, str(data.get("year", "")), "year") or this_year()
        try:
            await reservations.save_reservation(
                me(request),
                ReservationIn(
                    purpose=str(data.get("purpose") or "").strip() or " ",
                    year=year,
                    amount=_amount(data.get("amount", "")),
                ),
            )
            flash(request, f"Medlen för {year} är reserverade.", category="success")
        except (DomainError, ValueError) as exc:
            flash(
                request,
                exc.message if isinstance(exc, DomainError) else "Ange belopp i hela kronor.",
                category="error",
            )
        back = choice(int, str(data.get("from", "")), "from") or year
        return Redirect(f"/ekonomi?from={back}")


async def _split_or_none(total: int | None) -> ContributionSplit | None:
    if not total:
        return None
    try:
        return await economy.contribution_split(total)
    except DomainError:
        return None  # a key that does not sum to 100 % is shown on the settings page


def _amount(value: Any) -> int:
    """A typed amount in kronor: "1 200 000" or "1200000 kr"."""
    from applications.forms import parse_amount

    return parse_amount(str(value)) if str(value).strip() else 0


async def _economy_context(
    user: Principal,
    from_year: int,
    meeting_id: int | None,
    chosen: list[PendingApplicationIn] | None,
) -> dict[str, Any]:
    board_meetings = [m for m in await queries.meeting_rows() if m["body"] == Body.BOARD]
    table, error = None, None
    span = list(range(from_year, from_year + economy.DEFAULT_YEARS))
    try:
        computed = await economy.budget_room(from_year, economy.DEFAULT_YEARS, meeting_id, chosen)
        table = economy.budget_room_out(computed)
        span = sorted({c.year for c in computed.columns})
    except economy.MissingYearBudget as exc:
        error, span = exc.message, exc.span
    except DomainError as exc:
        error = exc.message
    pending = await economy.pending_applications(meeting_id) if meeting_id else []
    chosen_ids = (
        {c.case_id for c in chosen} if chosen is not None else {p["case_id"] for p in pending}
    )
    shown = [y for y in await economy.year_budgets() if y.year in span]
    chart = None
    if table is not None:
        kronor = {row["kind"]: [v or 0 for v in row["kronor"]] for row in table.rows}
        chart = chart_svg(
            board_pack.room_chart(
                table.columns, kronor[RowKind.ROOM_BEFORE], kronor[RowKind.ROOM_AFTER]
            )
        )
    return {
        "chart": chart,
        "from_year": from_year,
        "meeting_id": meeting_id,
        "meetings": board_meetings,
        "table": table,
        "error": error,
        "pending": pending,
        "chosen": chosen_ids,
        "years": shown,
        "split": await _split_or_none(
            next((y.member_contributions for y in shown if y.year == from_year), None)
        ),
        "span": span,
        "reservations": await reservations.reservations(span),
        "extra_splits": {
            y.year: await _split_or_none(y.extra_contribution)
            for y in shown
            if y.extra_contribution
        },
        "can_manage": bool(can_manage(user)),
    }
