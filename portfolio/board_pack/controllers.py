"""The board pack's route: one bookmarked PDF of everything the board reads for a meeting."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.params import FromPath

from portfolio.accounts.guards import portfolio_readers
from portfolio.board_pack import services as board_pack_services
from portfolio.core.web import AnyRequest, download, me


class BoardPackApi(Controller):
    path = "/api/meetings"
    tags = ["Möten"]
    guards = [portfolio_readers]

    @get("/{meeting_id:int}/handlingar.pdf", media_type="application/pdf")
    async def board_pack(self, request: AnyRequest, meeting_id: FromPath[int]) -> Response[bytes]:
        """The board pack: notice, agenda, every case's papers and the economy report in one
        bookmarked PDF with a table of contents."""
        document = await board_pack_services.board_pack_document(me(request), meeting_id)
        pdf = await board_pack_services.render_pack(meeting_id, document)
        name = f"Handlingar {document.body} {document.meeting_date.isoformat()}.pdf"
        return download(pdf, name, "application/pdf")
