"""The follow-up API under /api/followup: the portfolio and each insats, as JSON and CSV (the
national figures for Uppföljning Finsam are the economy's: `portfolio/economy/api.py`)."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.params import FromPath

from portfolio.accounts.guards import portfolio_readers, signed_in
from portfolio.core.web import CSV_TYPE as CSV
from portfolio.core.web import download
from portfolio.core.web import me as _me
from reports import followup
from reports.controllers.common import READERS, AnyRequest
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

    @get("/{initiative_id:int}")
    async def initiative(self, request: AnyRequest, initiative_id: FromPath[int]) -> FollowUpOut:
        return await followup.initiative_followup(_me(request), initiative_id)

    @get("/{initiative_id:int}/export.csv", media_type=CSV)
    async def initiative_export(
        self, request: AnyRequest, initiative_id: FromPath[int]
    ) -> Response[bytes]:
        data = await followup.initiative_csv(_me(request), initiative_id)
        return download(data, f"uppfoljning-{initiative_id}.csv", CSV)
