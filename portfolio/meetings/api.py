"""The JSON API of meetings, cases, agendas, proposals and decisions, and their documents."""

from __future__ import annotations

from litestar import Controller, Response, get, patch, post, put
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK

from portfolio.accounts.access import SIGNED_IN, Who, access
from portfolio.accounts.guards import office_only, portfolio_readers, signed_in
from portfolio.core.errors import NotFound
from portfolio.core.web import DOCX, AnyRequest, download, me
from portfolio.documents.docx import (
    render_extract_docx,
    render_minutes_docx,
    render_notice_docx,
    render_proposal_docx,
)
from portfolio.documents.pdf_papers import (
    render_extract_pdf,
    render_minutes_pdf,
    render_notice_pdf,
    render_proposal_pdf,
)
from portfolio.meetings import decision_services as meetings_decision_services
from portfolio.meetings import papers as meetings_papers
from portfolio.meetings import proposals as meetings_proposals
from portfolio.meetings import queries
from portfolio.meetings import services as meetings_services
from portfolio.meetings.dossier import dossier
from portfolio.meetings.schemas import (
    AgendaAdd,
    AgendaItemOut,
    AttendanceIn,
    AttendeeOut,
    CaseCreate,
    CaseOut,
    DecisionIn,
    DecisionOut,
    MeetingCreate,
    MeetingOut,
    MeetingUpdate,
    NoteIO,
    ProposalOut,
    ProposalUpdate,
    agenda_out,
    attendee_out,
    case_out,
    decision_out,
    meeting_out,
    proposal_out,
)


class MeetingApi(Controller):
    path = "/api/meetings"
    tags = ["Möten"]
    guards = [portfolio_readers]

    @get("/")
    async def list_meetings(self) -> list[MeetingOut]:
        return [meeting_out(r) for r in await queries.meeting_rows()]

    @post("/", guards=[office_only])
    async def create(self, request: AnyRequest, data: JSONBody[MeetingCreate]) -> MeetingOut:
        return meeting_out(await meetings_services.create_meeting(me(request), data))

    @get("/{meeting_id:int}")
    async def show(self, meeting_id: FromPath[int]) -> MeetingOut:
        return meeting_out(await queries.get_meeting(meeting_id))

    @patch("/{meeting_id:int}", guards=[office_only])
    async def update(
        self, request: AnyRequest, meeting_id: FromPath[int], data: JSONBody[MeetingUpdate]
    ) -> MeetingOut:
        """Edit the meeting or move its status one step (planerat, kallelse skickad, genomfört, justerat)."""
        return meeting_out(await meetings_services.update_meeting(me(request), meeting_id, data))

    @get("/{meeting_id:int}/kallelse.docx", media_type=DOCX)
    async def notice_docx(self, meeting_id: FromPath[int]) -> Response[bytes]:
        """The kallelse with its föredragningslista, to edit further in Word."""
        document = await meetings_papers.notice_document(meeting_id)
        return download(
            render_notice_docx(document), f"Kallelse {document.meeting_date.isoformat()}.docx", DOCX
        )

    @get("/{meeting_id:int}/protokoll.docx", media_type=DOCX)
    async def minutes_docx(self, meeting_id: FromPath[int]) -> Response[bytes]:
        """The protokoll: one § per decision, votes, reservations, jäv and the justering lines."""
        document = await meetings_papers.minutes_document(meeting_id)
        return download(
            render_minutes_docx(document),
            f"Protokoll {document.meeting_date.isoformat()}.docx",
            DOCX,
        )

    @get("/{meeting_id:int}/decisions")
    async def decisions(self, meeting_id: FromPath[int]) -> list[DecisionOut]:
        return [decision_out(d) for d in await queries.meeting_decisions(meeting_id)]

    @post("/{meeting_id:int}/decisions", guards=[office_only])
    async def record_decision(
        self, request: AnyRequest, meeting_id: FromPath[int], data: JSONBody[DecisionIn]
    ) -> DecisionOut:
        """Record a decision; it cannot be edited afterwards, only superseded (`supersedes_id`)."""
        return decision_out(
            await meetings_decision_services.record_decision(me(request), meeting_id, data)
        )

    @get("/{meeting_id:int}/kallelse.pdf", media_type="application/pdf")
    async def notice_pdf(self, meeting_id: FromPath[int]) -> Response[bytes]:
        document = await meetings_papers.notice_document(meeting_id)
        return download(
            render_notice_pdf(document),
            f"Kallelse {document.meeting_date.isoformat()}.pdf",
            "application/pdf",
        )

    @get("/{meeting_id:int}/protokoll.pdf", media_type="application/pdf")
    async def minutes_pdf(self, meeting_id: FromPath[int]) -> Response[bytes]:
        document = await meetings_papers.minutes_document(meeting_id)
        return download(
            render_minutes_pdf(document),
            f"Protokoll {document.meeting_date.isoformat()}.pdf",
            "application/pdf",
        )

    @get("/{meeting_id:int}/attendees")
    async def attendees(self, meeting_id: FromPath[int]) -> list[AttendeeOut]:
        """Who is called (members, substitutes, officials) and, once taken, who came."""
        return [attendee_out(r) for r in await queries.attendees(meeting_id)]

    @put("/{meeting_id:int}/attendees", guards=[office_only])
    async def save_attendance(
        self, request: AnyRequest, meeting_id: FromPath[int], data: JSONBody[AttendanceIn]
    ) -> list[AttendeeOut]:
        """Replace the list with the meeting's version; refused once the minutes are justerat."""
        rows = await meetings_services.save_attendance(me(request), meeting_id, data)
        return [attendee_out(r) for r in rows]

    @get("/{meeting_id:int}/agenda")
    async def agenda(self, meeting_id: FromPath[int]) -> list[AgendaItemOut]:
        await queries.get_meeting(meeting_id)
        return [agenda_out(r) for r in await queries.agenda_rows(meeting_id)]

    @post("/{meeting_id:int}/agenda", guards=[office_only])
    async def add_to_agenda(
        self, request: AnyRequest, meeting_id: FromPath[int], data: JSONBody[AgendaAdd]
    ) -> list[AgendaItemOut]:
        rows = await meetings_services.add_to_agenda(
            me(request), meeting_id, data.case_id, data.attachments
        )
        return [agenda_out(r) for r in rows]

    @post(
        "/{meeting_id:int}/agenda/{item_id:int}/move", guards=[office_only], status_code=HTTP_200_OK
    )
    async def move(
        self,
        request: AnyRequest,
        meeting_id: FromPath[int],
        item_id: FromPath[int],
        steps: FromQuery[int],
    ) -> list[AgendaItemOut]:
        rows = await meetings_services.move_agenda_item(me(request), meeting_id, item_id, steps)
        return [agenda_out(r) for r in rows]


class CaseApi(Controller):
    path = "/api/cases"
    tags = ["Möten"]
    guards = [portfolio_readers]

    @get("/")
    async def list_cases(self, year: FromQuery[int | None] = None) -> list[CaseOut]:
        return [case_out(r) for r in await queries.case_rows(year)]

    @post("/", guards=[office_only])
    async def create(self, request: AnyRequest, data: JSONBody[CaseCreate]) -> CaseOut:
        """Register a case; its Dnr is the next number of the year, unique and without gaps."""
        return case_out(await meetings_services.create_case(me(request), data))

    @get("/{case_id:int}")
    async def show(self, case_id: FromPath[int]) -> CaseOut:
        return case_out(await queries.get_case(case_id))

    @get("/{case_id:int}/proposal")
    async def proposal(self, case_id: FromPath[int]) -> ProposalOut:
        row = await queries.get_proposal(case_id)
        if row is None:
            raise NotFound("Ärendet har inget förslag ännu.")
        return proposal_out(row)

    @post("/{case_id:int}/proposal", guards=[office_only], status_code=HTTP_200_OK)
    async def draft_proposal(self, request: AnyRequest, case_id: FromPath[int]) -> ProposalOut:
        """Draft the tjänsteskrivelse from the case's application with the standard att-satser."""
        return proposal_out(await meetings_proposals.draft_proposal(me(request), case_id))

    @patch("/{case_id:int}/proposal", guards=[office_only])
    async def update_proposal(
        self, request: AnyRequest, case_id: FromPath[int], data: JSONBody[ProposalUpdate]
    ) -> ProposalOut:
        """Edit, remove or add att-satser and the texts of Ärendet."""
        return proposal_out(await meetings_proposals.update_proposal(me(request), case_id, data))

    @get("/{case_id:int}/note")
    async def note(self, request: AnyRequest, case_id: FromPath[int]) -> NoteIO:
        """Your own private note on the case; nobody else sees it."""
        return NoteIO(text=await meetings_services.case_note(me(request), case_id))

    @put("/{case_id:int}/note")
    async def save_note(
        self, request: AnyRequest, case_id: FromPath[int], data: JSONBody[NoteIO]
    ) -> NoteIO:
        return NoteIO(text=await meetings_services.save_case_note(me(request), case_id, data.text))

    @get("/{case_id:int}/tjansteskrivelse.pdf", media_type="application/pdf")
    async def proposal_pdf(self, case_id: FromPath[int]) -> Response[bytes]:
        document = await meetings_papers.proposal_document(case_id)
        return download(
            render_proposal_pdf(document),
            f"Tjänsteskrivelse {document.case_number.replace(':', '-')}.pdf",
            "application/pdf",
        )

    @get("/{case_id:int}/tjansteskrivelse.docx", media_type=DOCX)
    async def proposal_docx(self, case_id: FromPath[int]) -> Response[bytes]:
        document = await meetings_papers.proposal_document(case_id)
        return download(
            render_proposal_docx(document),
            f"Tjänsteskrivelse {document.case_number.replace(':', '-')}.docx",
            DOCX,
        )


class DecisionApi(Controller):
    path = "/api/decisions"
    tags = ["Möten"]
    guards = [signed_in]
    opt = access(Who.OFFICE, Who.BOARD, Who.OWN)

    @get("/{decision_id:int}/protokollsutdrag.docx", media_type=DOCX)
    async def extract_docx(
        self, request: AnyRequest, decision_id: FromPath[int]
    ) -> Response[bytes]:
        """The extract of the minutes for one decision, as sent to the insatsägare."""
        document = await meetings_papers.extract_document(me(request), decision_id)
        name = f"Protokollsutdrag {document.minutes.meeting_date.isoformat()} § {document.section.paragraph}.docx"
        return download(render_extract_docx(document), name, DOCX)

    @get("/{decision_id:int}/protokollsutdrag.pdf", media_type="application/pdf")
    async def extract_pdf(self, request: AnyRequest, decision_id: FromPath[int]) -> Response[bytes]:
        document = await meetings_papers.extract_document(me(request), decision_id)
        name = f"Protokollsutdrag {document.minutes.meeting_date.isoformat()} § {document.section.paragraph}.pdf"
        return download(render_extract_pdf(document), name, "application/pdf")


class DossierApi(Controller):
    """An insats's dossier; it lives with the meetings because it holds their papers."""

    path = "/api/initiatives"
    tags = ["Insatser"]
    guards = [signed_in]
    opt = access(*SIGNED_IN)

    @get(
        "/{initiative_id:int}/dossier.zip",
        guards=[portfolio_readers],
        media_type="application/zip",
    )
    async def dossier_zip(
        self, request: AnyRequest, initiative_id: FromPath[int]
    ) -> Response[bytes]:
        """Everything the insats has on record in one zip, for auditors: application versions
        (PDF and data) with attachments, tjänsteskrivelser, protokollsutdrag, conditions, log."""
        data, name = await dossier(me(request), initiative_id)
        return download(data, name, "application/zip")
