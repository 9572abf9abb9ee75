"""The requisitions API under /api/requisitions: list, check a claim, send it in, decide,
record the payment."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK

from portfolio.accounts.access import SIGNED_IN, access
from portfolio.accounts.guards import signed_in
from portfolio.core.web import me as _me
from reports import queries, services
from reports.controllers.common import OFFICE, READERS, WRITERS_ANY, AnyRequest
from reports.controllers.outputs import _requisition_out
from reports.domain import RequisitionStatus
from reports.schemas import (
    PaymentIn,
    RequisitionCheckOut,
    RequisitionCreate,
    RequisitionDecisionIn,
    RequisitionOut,
)


class RequisitionApi(Controller):
    path = "/api/requisitions"
    tags = ["Rekvisitioner"]
    guards = [signed_in]
    opt = READERS

    @get("/", opt=access(*SIGNED_IN))
    async def list_requisitions(
        self,
        request: AnyRequest,
        initiative_id: FromQuery[int | None] = None,
        status: FromQuery[RequisitionStatus | None] = None,
    ) -> list[RequisitionOut]:
        rows = await queries.requisition_rows(_me(request), initiative_id, status)
        return [
            await _requisition_out(
                {
                    **r,
                    "lines": services.decode_lines(r["lines"]),
                    "flags": services.decode_flags(r["flags"]),
                }
            )
            for r in rows
        ]

    @post("/check", status_code=HTTP_200_OK, opt=WRITERS_ANY)
    async def check(
        self, request: AnyRequest, data: JSONBody[RequisitionCreate]
    ) -> RequisitionCheckOut:
        """The flags a claim would carry, without sending it in."""
        flags = await services.check_claim(_me(request), data)
        return RequisitionCheckOut(amount=sum(line.amount for line in data.lines), flags=flags)

    @post("/", opt=WRITERS_ANY)
    async def create(
        self, request: AnyRequest, data: JSONBody[RequisitionCreate]
    ) -> RequisitionOut:
        """Send in a claim; every excess over the grant is flagged for the office."""
        return await _requisition_out(await services.create_requisition(_me(request), data))

    @get("/{requisition_id:int}")
    async def show(self, request: AnyRequest, requisition_id: FromPath[int]) -> RequisitionOut:
        return await _requisition_out(await services.get_requisition(_me(request), requisition_id))

    @post("/{requisition_id:int}/decision", status_code=HTTP_200_OK, opt=OFFICE)
    async def decide(
        self,
        request: AnyRequest,
        requisition_id: FromPath[int],
        data: JSONBody[RequisitionDecisionIn],
    ) -> RequisitionOut:
        """Approve (409 while a blocking flag stands) or reject with a reason."""
        return await _requisition_out(
            await services.decide_requisition(
                _me(request), requisition_id, data.version, data.approve, data.reason
            )
        )

    @post("/{requisition_id:int}/payment", status_code=HTTP_200_OK, opt=OFFICE)
    async def pay(
        self, request: AnyRequest, requisition_id: FromPath[int], data: JSONBody[PaymentIn]
    ) -> RequisitionOut:
        return await _requisition_out(
            await services.record_payment(_me(request), requisition_id, data.version, data.paid_on)
        )
