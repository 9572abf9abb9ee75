"""The economy's JSON API: year budgets, the budget room, contributions and exports."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Response, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from portfolio.accounts.guards import office_only, portfolio_readers, signed_in
from portfolio.core import queries as core_queries
from portfolio.core.spreadsheets import to_csv, to_xlsx
from portfolio.core.web import CSV_TYPE, DOCX, XLSX, AnyRequest, download, me
from portfolio.documents.docx import render_economy_docx
from portfolio.documents.pdf_economy import render_economy_pdf
from portfolio.economy import export_rows, national, reservations
from portfolio.economy import services as economy
from portfolio.economy.contributions import ContributionSplit
from portfolio.economy.exports import commitments_table, giving360, giving360_csv
from portfolio.economy.national import NationalFiguresOut, national_out
from portfolio.economy.report import economy_report
from portfolio.economy.schemas import (
    BudgetRoomOut,
    ReservationIn,
    ReservationOut,
    WhatIfIn,
    YearBudgetIn,
    YearBudgetOut,
)
from reports.controllers.common import READERS


class EconomyApi(Controller):
    path = "/api/economy"
    tags = ["Ekonomi"]
    guards = [portfolio_readers]

    @get("/years")
    async def years(self) -> list[YearBudgetOut]:
        return await economy.year_budgets()

    @put("/years/{year:int}", guards=[office_only])
    async def save_year(
        self, request: AnyRequest, year: FromPath[int], data: JSONBody[YearBudgetIn]
    ) -> YearBudgetOut:
        """The association's budget for a year (and the current year's forecast); money in kronor."""
        return await economy.save_year_budget(me(request), year, data)

    @get("/reservations")
    async def reservations(self) -> list[ReservationOut]:
        """Funds set aside per year, with what grants drawing on each have taken of it."""
        return await reservations.reservations()

    @post("/reservations", guards=[office_only])
    async def create_reservation(
        self, request: AnyRequest, data: JSONBody[ReservationIn]
    ) -> ReservationOut:
        """Set funds aside in a year for a purpose (e.g. extensions): they lower the room."""
        return await reservations.save_reservation(me(request), data)

    @put("/reservations/{reservation_id:int}", guards=[office_only])
    async def update_reservation(
        self, request: AnyRequest, reservation_id: FromPath[int], data: JSONBody[ReservationIn]
    ) -> ReservationOut:
        return await reservations.save_reservation(me(request), data, reservation_id)

    @delete("/reservations/{reservation_id:int}", guards=[office_only])
    async def delete_reservation(self, request: AnyRequest, reservation_id: FromPath[int]) -> None:
        await reservations.delete_reservation(me(request), reservation_id)

    @get("/budget-room")
    async def budget_room(
        self,
        from_year: Annotated[int, QueryParameter(name="from", ge=1900, le=2200)],
        years: Annotated[int, QueryParameter(ge=1, le=20)] = economy.DEFAULT_YEARS,
        meeting_id: Annotated[int | None, QueryParameter(name="meeting")] = None,
    ) -> BudgetRoomOut:
        """The budget room per year, before and after the pending applications of a meeting."""
        return economy.budget_room_out(await economy.budget_room(from_year, years, meeting_id))

    @get("/commitments.csv", media_type="text/csv; charset=utf-8")
    async def commitments_csv(self) -> Response[bytes]:
        """Decided amounts in force per insats and year, exact kronor, with sums per year."""
        await core_queries.required_association()
        header, rows = commitments_table(await export_rows.commitment_lines())
        return download(to_csv(header, rows), "Beslutade medel per insats och år.csv", CSV_TYPE)

    @get("/commitments.xlsx", media_type=XLSX)
    async def commitments_xlsx(self) -> Response[bytes]:
        await core_queries.required_association()
        header, rows = commitments_table(await export_rows.commitment_lines())
        data = to_xlsx([("Beslutade medel", header, rows)])
        return download(data, "Beslutade medel per insats och år.xlsx", XLSX)

    @get("/360giving.json")
    async def giving360_json(self) -> dict[str, Any]:
        """Every grant that stands, in the 360Giving standard (currency SEK)."""
        return await _giving360()

    @get("/360giving.csv", media_type="text/csv; charset=utf-8")
    async def giving360_csv(self) -> Response[bytes]:
        return download(giving360_csv(await _giving360()), "360Giving.csv", CSV_TYPE)

    @get("/contributions")
    async def contributions(
        self, total: Annotated[int, QueryParameter(ge=0, le=1_000_000_000)]
    ) -> ContributionSplit:
        """A total (the year's contributions or a one-off extra) split per member, summing exactly."""
        return await economy.contribution_split(total)

    @post("/budget-room/what-if", status_code=HTTP_200_OK)
    async def what_if(self, data: JSONBody[WhatIfIn]) -> BudgetRoomOut:
        """The same table counting only the chosen applications with the amounts given; nothing is saved."""
        table = await economy.budget_room(
            data.from_year, data.years, data.meeting_id, data.applications
        )
        return economy.budget_room_out(table)


async def _giving360() -> dict[str, Any]:
    association = await core_queries.required_association()
    return giving360(
        await export_rows.grants(), association.get("name", ""), association.get("org_number", "")
    )


class MeetingEconomyApi(Controller):
    """ "Ekonomisk information" of a meeting, under the meeting's own address."""

    path = "/api/meetings"
    tags = ["Möten"]
    guards = [portfolio_readers]

    @get("/{meeting_id:int}/ekonomi.pdf", media_type="application/pdf")
    async def economy_pdf(self, meeting_id: FromPath[int]) -> Response[bytes]:
        """ "Ekonomisk information": the budget room before and after the meeting's applications."""
        report, chart = await economy_report(meeting_id)
        name = f"Ekonomisk information {report.meeting_label}.pdf"
        return download(render_economy_pdf(report, chart), name, "application/pdf")

    @get("/{meeting_id:int}/ekonomi.docx", media_type=DOCX)
    async def economy_docx(self, meeting_id: FromPath[int]) -> Response[bytes]:
        report, chart = await economy_report(meeting_id)
        name = f"Ekonomisk information {report.meeting_label}.docx"
        return download(render_economy_docx(report, chart), name, DOCX)


class NationalApi(Controller):
    """The year's figures for Uppföljning Finsam, under the follow-up's address."""

    path = "/api/followup"
    tags = ["Uppföljning"]
    guards = [signed_in]
    opt = READERS

    @get("/national", guards=[portfolio_readers])
    async def national(self, year: FromQuery[int]) -> NationalFiguresOut:
        """The year's figures for Uppföljning Finsam: the association's and each insats's."""
        return national_out(await national.national_figures(year))

    @get("/national.xlsx", guards=[portfolio_readers], media_type=XLSX)
    async def national_xlsx(self, year: FromQuery[int]) -> Response[bytes]:
        figures = await national.national_figures(year)
        return download(national.national_xlsx(figures), f"Uppföljning Finsam {year}.xlsx", XLSX)

    @get("/national.csv", guards=[portfolio_readers], media_type=CSV_TYPE)
    async def national_csv(self, year: FromQuery[int]) -> Response[bytes]:
        figures = await national.national_figures(year)
        return download(national.national_csv(figures), f"Uppföljning Finsam {year}.csv", CSV_TYPE)
