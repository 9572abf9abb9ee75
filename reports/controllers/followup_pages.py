"""The follow-up pages under /uppfoljning: the portfolio and each insats, with their charts."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portfolio.accounts.access import SIGNED_IN, access
from portfolio.accounts.guards import signed_in
from portfolio.core.domain import Role
from portfolio.core.web import me as _me
from reports import charts, followup
from reports.controllers.common import READERS, AnyRequest, _labels


class FollowUpPages(Controller):
    path = "/uppfoljning"
    include_in_schema = False
    guards = [signed_in]
    opt = READERS

    @get("/", opt=access(*SIGNED_IN))
    async def portfolio(self, request: AnyRequest) -> Template | Redirect:
        user = _me(request)
        if user.role is Role.OWNER:
            return Redirect("/rapporter")
        data = await followup.portfolio_followup(user)
        years = [str(y.year) for y in data.years]
        chart = charts.bar_chart(
            "portfolj",
            "Beviljat och utbetalt per år",
            "Stapeldiagram över beviljade och utbetalda belopp i kronor per år; "
            "samma siffror står i tabellen under.",
            years,
            [
                ("Beviljat", [y.granted for y in data.years]),
                ("Utbetalt", [y.paid for y in data.years]),
            ],
        )
        return Template(
            "followup_portfolio.html", context={"data": data, "chart": chart, **_labels()}
        )

    @get("/{initiative_id:int}")
    async def initiative(self, request: AnyRequest, initiative_id: FromPath[int]) -> Template:
        data = await followup.initiative_followup(_me(request), initiative_id)
        goals_chart = charts.progress_bars(
            "mal",
            "Mål: resultat hittills mot målvärde",
            "Liggande staplar per mål; siffrorna står i tabellen bredvid.",
            [(g.text, g.cumulative, g.target) for g in data.goals],
        )
        participants_chart = charts.bar_chart(
            "deltagare",
            "Deltagare per kvartal",
            "Stapeldiagram över nya och avslutade deltagare och deltagare vid kvartalets slut.",
            [p.label.replace("Kvartal ", "K") for p in data.participants],
            [
                ("Vid kvartalets slut", [p.at_end for p in data.participants]),
                ("Nya", [p.new for p in data.participants]),
                ("Avslutade", [p.ended for p in data.participants]),
            ],
        )
        spending_chart = charts.bar_chart(
            "ekonomi",
            "Beviljat och utbetalt per år",
            "Stapeldiagram över beviljat och utbetalt i kronor per år.",
            [str(s.year) for s in data.spending],
            [
                ("Beviljat", [s.granted for s in data.spending]),
                ("Utbetalt", [s.paid for s in data.spending]),
            ],
        )
        return Template(
            "followup_initiative.html",
            context={
                "data": data,
                "goals_chart": goals_chart,
                "participants_chart": participants_chart,
                "spending_chart": spending_chart,
                **_labels(),
            },
        )
