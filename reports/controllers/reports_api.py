"""The reports API under /api/reports: list, schedule, late, draft, hand in, return, accept,
the PDF, and the meeting summary of accepted reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Response, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK

from portfolio.accounts.access import SIGNED_IN, access
from portfolio.accounts.guards import office_only, signed_in
from portfolio.core.web import download
from portfolio.core.web import me as _me
from reports import followup, queries, services
from reports.controllers.common import (
    OFFICE,
    PORTFOLIO,
    READERS,
    WRITERS,
    WRITERS_ANY,
    AnyRequest,
    _today,
)
from reports.controllers.outputs import _report_out, _report_pdf, _summary
from reports.documents import summary_pdf
from reports.domain import ReportKind, ReportStatus
from reports.schemas import (
    AgendaSummaryIn,
    ReportCreate,
    ReportDraftIn,
    ReportOut,
    ReportSummary,
    ReturnIn,
    SlotOut,
    VersionIn,
)


class ReportApi(Controller):
    path = "/api/reports"
    tags = ["Rapporter"]
    guards = [signed_in]
    opt = READERS

    @get("/", opt=access(*SIGNED_IN))
    async def list_reports(
        self,
        request: AnyRequest,
        initiative_id: FromQuery[int | None] = None,
        status: FromQuery[ReportStatus | None] = None,
        kind: FromQuery[ReportKind | None] = None,
    ) -> list[ReportSummary]:
        rows = await queries.report_rows(_me(request), initiative_id, status, kind)
        return [_summary(r) for r in rows]

    @get("/schedule", opt=access(*SIGNED_IN))
    async def schedule(
        self,
        request: AnyRequest,
        initiative_id: FromQuery[int | None] = None,
        on: FromQuery[dt.date | None] = None,
    ) -> list[SlotOut]:
        """Every scheduled report of the insatser you may see, and where it stands today
        (or on the day `on`)."""
        return await services.schedule_slots(_me(request), on or _today(), initiative_id)

    @get("/late", opt=access(*SIGNED_IN))
    async def late(
        self, request: AnyRequest, on: FromQuery[dt.date | None] = None
    ) -> list[SlotOut]:
        """Reports past their due date and not handed in (an owner: their own), today or on `on`."""
        return await services.late_reports(_me(request), on or _today())

    @post("/", opt=WRITERS_ANY)
    async def create(self, request: AnyRequest, data: JSONBody[ReportCreate]) -> ReportOut:
        """Start a quarterly report, the final report or a deviation report as a draft."""
        return await _report_out(await services.create_report(_me(request), data))

    @get("/{report_id:int}")
    async def show(self, request: AnyRequest, report_id: FromPath[int]) -> ReportOut:
        return await _report_out(await services.get_report(_me(request), report_id))

    @put("/{report_id:int}/draft", opt=WRITERS)
    async def save_draft(
        self, request: AnyRequest, report_id: FromPath[int], data: JSONBody[ReportDraftIn]
    ) -> ReportOut:
        """Save the draft as it is, complete or not; only `version` must be current."""
        return await _report_out(
            await services.save_report_draft(_me(request), report_id, data.version, data.content)
        )

    @post("/{report_id:int}/submit", status_code=HTTP_200_OK, opt=WRITERS)
    async def submit(
        self, request: AnyRequest, report_id: FromPath[int], data: JSONBody[VersionIn]
    ) -> ReportOut:
        """Hand the report in; 422 lists every problem and the draft stays saved."""
        return await _report_out(
            await services.submit_report(_me(request), report_id, data.version)
        )

    @post("/{report_id:int}/return", status_code=HTTP_200_OK, opt=OFFICE)
    async def return_report(
        self, request: AnyRequest, report_id: FromPath[int], data: JSONBody[ReturnIn]
    ) -> ReportOut:
        return await _report_out(
            await services.return_report(_me(request), report_id, data.version, data.comment)
        )

    @post("/{report_id:int}/accept", status_code=HTTP_200_OK, opt=OFFICE)
    async def accept(
        self, request: AnyRequest, report_id: FromPath[int], data: JSONBody[VersionIn]
    ) -> ReportOut:
        """Accept the report; from then on it is frozen."""
        return await _report_out(
            await services.accept_report(_me(request), report_id, data.version)
        )

    @get("/{report_id:int}/pdf", media_type="application/pdf")
    async def pdf(self, request: AnyRequest, report_id: FromPath[int]) -> Response[bytes]:
        data, filename = await _report_pdf(_me(request), report_id)
        return download(data, filename, "application/pdf")

    @get("/summary/{meeting_id:int}/pdf", media_type="application/pdf", opt=PORTFOLIO)
    async def summary(self, request: AnyRequest, meeting_id: FromPath[int]) -> Response[bytes]:
        """The reports accepted since the body's previous meeting, for this meeting."""
        document = await followup.summary_document(_me(request), meeting_id)
        return download(summary_pdf(document), "Rapporter från insatserna.pdf", "application/pdf")

    @post("/summary", guards=[office_only], status_code=HTTP_200_OK)
    async def summary_to_agenda(
        self, request: AnyRequest, data: JSONBody[AgendaSummaryIn]
    ) -> dict[str, Any]:
        """Put "Rapporter från insatserna" on a meeting's agenda as an information case."""
        case = await followup.put_summary_on_agenda(_me(request), data.meeting_id)
        return {"case_id": case["id"], "case_number": case["case_number"]}
