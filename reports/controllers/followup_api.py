"""The follow-up API under /api/followup: the portfolio, each insats, and the national
figures for Uppföljning Finsam, as JSON, CSV and Excel."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.params import FromPath, FromQuery

from portfolio.guards import portfolio_readers, signed_in
from portfolio.web import download
from reports import followup, national
from reports.controllers.common import CSV, READERS, XLSX, AnyRequest, _me
from reports.national import NationalFigures
from reports.schemas import FollowUpOut, PortfolioFollowUpOut


class FollowUpApi(Controller):
    path = "/api/followup"
    tags = ["Uppföljning"]
    guards = [signed_in]
    opt = READERS

    @get("/", guards=[portfolio_readers])
    async def portfolio(self, request: AnyRequest) -> PortfolioFollowUpOut:
        """The portfolio's totals per year and per kommun."""
        return await followup.portfolio_followup(_me(request))

    @get("/export.csv", guards=[portfolio_readers], media_type=CSV)
    async def portfolio_export(self, request: AnyRequest) -> Response[bytes]:
        return download(await followup.portfolio_csv(_me(request)), "uppfoljning.csv", CSV)

    @get("/national", guards=[portfolio_readers])
    async def national(self, year: FromQuery[int]) -> NationalFigures:
        """The year's figures for Uppföljning Finsam: the association's and each insats's."""
        return await national.national_figures(year)

    @get("/national.xlsx", guards=[portfolio_readers], media_type=XLSX)
    async def national_xlsx(self, year: FromQuery[int]) -> Response[bytes]:
        figures = await national.national_figures(year)
        return download(national.national_xlsx(figures), f"Uppföljning Finsam {year}.xlsx", XLSX)

    @get("/national.csv", guards=[portfolio_readers], media_type=CSV)
    async def national_csv(self, year: FromQuery[int]) -> Response[bytes]:
        figures = await national.national_figures(year)
        return download(national.national_csv(figures), f"Uppföljning Finsam {year}.csv", CSV)

    @get("/{initiative_id:int}")
    async def initiative(self, request: AnyRequest, initiative_id: FromPath[int]) -> FollowUpOut:
        return await followup.initiative_followup(_me(request), initiative_id)

    @get("/{initiative_id:int}/export.csv", media_type=CSV)
    async def initiative_export(
        self, request: AnyRequest, initiative_id: FromPath[int]
    ) -> Response[bytes]:
        data = await followup.initiative_csv(_me(request), initiative_id)
        return download(data, f"uppfoljning-{initiative_id}.csv", CSV)
