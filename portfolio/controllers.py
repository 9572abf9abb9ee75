"""Every route of the portfolio: the JSON API under /api and the Swedish web pages.

Handlers stay thin: parse, call one service, shape the answer. Rules live in the services
and the pure domain; who may do what lives in permissions.py and the guards.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.datastructures import Cookie
from litestar.middleware.csrf import generate_csrf_token
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from applications.domain import (
    APPLICATION_KIND_LABELS,
    APPLICATION_STATUS_LABELS,
)
from applications.services import applications_of_initiative
from portfolio import (
    board_pack,
    dossier,
    economy,
    meetings,
    queries,
    ratelimit,
    services,
    two_factor,
)
from portfolio.access import SIGNED_IN, Who, access
from portfolio.budget_room import RowKind
from portfolio.contributions import ContributionSplit
from portfolio.dashboard import dashboard
from portfolio.decisions import OUTCOME_LABELS, parse_vote_lines
from portfolio.documents.charts import chart_svg
from portfolio.documents.docx import (
    render_economy_docx,
    render_extract_docx,
    render_minutes_docx,
    render_notice_docx,
    render_proposal_docx,
)
from portfolio.documents.pdf import (
    render_economy_pdf,
    render_extract_pdf,
    render_minutes_pdf,
    render_notice_pdf,
    render_proposal_pdf,
)
from portfolio.domain import (
    MEETING_TRANSITIONS,
    AttendeeRole,
    Body,
    FieldProblem,
    InitiativeStatus,
    MeetingStatus,
    OrganisationKind,
    Principal,
    Role,
)
from portfolio.errors import DomainError, NotFound, ValidationFailed
from portfolio.exports import (
    commitments_table,
    giving360,
    giving360_csv,
    initiatives_csv,
    to_csv,
    to_xlsx,
)
from portfolio.guards import json_only, office_only, portfolio_readers, principal, signed_in
from portfolio.permissions import (
    can_manage,
    can_read_portfolio,
    can_view_organisation_contacts,
)
from portfolio.schemas import (
    AgendaAdd,
    AgendaItemOut,
    AssociationOut,
    AssociationUpdate,
    AttendanceIn,
    AttendeeOut,
    AuditEntryOut,
    BudgetRoomOut,
    CaseCreate,
    CaseOut,
    ConditionCreate,
    ConditionOut,
    ConditionUpdate,
    ContactCreate,
    ContactOut,
    ContactUpdate,
    ContributionKeyIn,
    ContributionKeyOut,
    DecisionIn,
    DecisionOut,
    InitiativeCreate,
    InitiativeOut,
    InitiativeUpdate,
    LoginIn,
    MeetingCreate,
    MeetingOut,
    MeetingUpdate,
    MeOut,
    NamedAmountIn,
    NoteIO,
    OrganisationCreate,
    OrganisationOut,
    OrganisationUpdate,
    PartyIn,
    PendingApplicationIn,
    ProposalOut,
    ProposalUpdate,
    ShareIn,
    TwoFactorStep,
    UserCreate,
    UserOut,
    UserUpdate,
    WhatIfIn,
    YearBudgetIn,
    YearBudgetOut,
    agenda_out,
    association_out,
    attendee_out,
    audit_out,
    case_out,
    condition_out,
    contact_out,
    decision_out,
    initiative_out,
    meeting_out,
    organisation_out,
    proposal_out,
    user_out,
)
from portfolio.sessions import rotate_session, signed_in_session
from portfolio.settings import get_settings
from portfolio.web import CSRF_COOKIE, download, form_to_struct, problems_by_field

Form = URLEncodedBody[dict[str, Any]]
AnyRequest = Request[Any, Any, Any]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
T = TypeVar("T")


def _me(request: AnyRequest) -> Principal:
    return principal(request)


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the log-in form cannot be used to redirect elsewhere.

    Browsers read a backslash as a slash and drop tabs and newlines inside a URL, so a path
    holding any of them could lead off-site too ("/" + backslash + "evil.example"): refused."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not any(c == "\\" or c.isspace() or ord(c) < 32 for c in target)
    ):
        return target
    return "/"


async def _log_in(request: AnyRequest, email: str, password: str) -> dict[str, Any] | None:
    """Check the rate limit, then the password; failures are counted per account and address."""
    address = request.client.host if request.client else "unknown"
    attempt = await ratelimit.attempt(email, address)
    row = await services.authenticate(email, password)
    if row is None:
        await ratelimit.failed(attempt)
        return None
    await ratelimit.succeeded(email)
    if await two_factor.is_enabled(row["id"]):
        # Half logged in: the session knows who, but nothing is authorised until the code.
        request.set_session({"pending_user_id": row["id"], "pending_since": _now_seconds()})
        rotate_session(request)
        return {**row, "two_factor": True}
    request.set_session(signed_in_session(row["id"]))
    rotate_session(request)  # a session id known before log-in must not be the logged-in one
    return row


def stay_signed_in(request: AnyRequest, user_id: int) -> None:
    """A new password or a reset second factor ends the account's sessions; the person who
    changed their own account keeps this one."""
    if user_id == _me(request).user_id:
        request.set_session(signed_in_session(user_id))


def _now_seconds() -> int:
    return int(dt.datetime.now(dt.UTC).timestamp())


# == API ====================================================================================


class AuthApi(Controller):
    path = "/api/auth"
    tags = ["Inloggning"]
    opt = access(*SIGNED_IN)

    @post("/login", exclude_from_auth=True, status_code=HTTP_200_OK, guards=[json_only])
    async def login(
        self, request: AnyRequest, data: JSONBody[LoginIn]
    ) -> Response[MeOut | TwoFactorStep]:
        """Log in with e-mail and password.

        The answer sets the session cookie and a CSRF cookie; send the CSRF cookie's value
        back in the `x-csrftoken` header with every request that changes something. An account
        with two-factor log-in answers 202 `{"two_factor_required": true}`: then send the code
        to `/api/auth/login/code`.
        """
        row = await _log_in(request, data.email, data.password)
        if row is None:
            raise DomainError("Fel e-postadress eller lösenord.", field="password")
        if row.get("two_factor"):
            return Response(TwoFactorStep(), status_code=202)
        return await logged_in_response(request, row)

    @post("/logout", guards=[signed_in], status_code=HTTP_204_NO_CONTENT)
    async def logout(self, request: AnyRequest) -> None:
        request.clear_session()

    @get("/me", guards=[signed_in])
    async def me(self, request: AnyRequest) -> MeOut:
        return await _me_out(_me(request))


async def logged_in_response(request: AnyRequest, row: dict[str, Any]) -> Response[Any]:
    """The person, with the CSRF cookie and header an API client sends back on writes."""
    token = request.cookies.get(CSRF_COOKIE) or generate_csrf_token(get_settings().secret_key)
    settings = get_settings()
    return Response(
        await _me_out(services.principal_from_row(row)),
        cookies=[
            Cookie(key=CSRF_COOKIE, value=token, secure=settings.secure_cookies, samesite="lax")
        ],
        headers={"x-csrftoken": token},
    )


async def _me_out(user: Principal) -> MeOut:
    org = await queries.organisation_row(user.organisation_id) if user.organisation_id else None
    return MeOut(
        id=user.user_id,
        email=user.email,
        name=user.name,
        role=user.role,
        organisation_id=user.organisation_id,
        organisation_name=org["name"] if org else None,
    )


class AssociationApi(Controller):
    path = "/api/association"
    tags = ["Förbundet"]
    guards = [signed_in]
    opt = access(*SIGNED_IN)

    @get("/")
    async def show(self) -> AssociationOut:
        return association_out(await services.get_association())

    @patch("/", guards=[office_only])
    async def update(
        self, request: AnyRequest, data: JSONBody[AssociationUpdate]
    ) -> AssociationOut:
        return association_out(await services.update_association(_me(request), data))


class OrganisationApi(Controller):
    path = "/api/organisations"
    tags = ["Organisationer"]
    guards = [signed_in]
    opt = access(*SIGNED_IN)

    @get("/")
    async def list_organisations(
        self, kind: FromQuery[OrganisationKind | None] = None
    ) -> list[OrganisationOut]:
        return [organisation_out(row) for row in await queries.organisation_rows(kind)]

    @post("/", guards=[office_only])
    async def create(
        self, request: AnyRequest, data: JSONBody[OrganisationCreate]
    ) -> OrganisationOut:
        return organisation_out(await services.create_organisation(_me(request), data))

    @get("/{organisation_id:int}")
    async def show(self, organisation_id: FromPath[int]) -> OrganisationOut:
        return organisation_out(await services.get_organisation(organisation_id))

    @patch("/{organisation_id:int}", guards=[office_only])
    async def update(
        self,
        request: AnyRequest,
        organisation_id: FromPath[int],
        data: JSONBody[OrganisationUpdate],
    ) -> OrganisationOut:
        return organisation_out(
            await services.update_organisation(_me(request), organisation_id, data)
        )

    @get("/{organisation_id:int}/contacts", opt=access(Who.OFFICE, Who.BOARD, Who.OWN))
    async def contacts(
        self, request: AnyRequest, organisation_id: FromPath[int]
    ) -> list[ContactOut]:
        decision = can_view_organisation_contacts(_me(request), organisation_id)
        if not decision:
            raise NotFound("Organisationen finns inte.")
        return [contact_out(row) for row in await queries.contact_rows(organisation_id)]

    @post("/{organisation_id:int}/contacts", opt=access(Who.OFFICE, Who.OWN))
    async def add_contact(
        self, request: AnyRequest, organisation_id: FromPath[int], data: JSONBody[ContactCreate]
    ) -> ContactOut:
        return contact_out(await services.create_contact(_me(request), organisation_id, data))


class ContactApi(Controller):
    path = "/api/contacts"
    tags = ["Organisationer"]
    guards = [signed_in]
    opt = access(Who.OFFICE, Who.OWN)  # an owner keeps their own organisation's contacts

    @patch("/{contact_id:int}")
    async def update(
        self, request: AnyRequest, contact_id: FromPath[int], data: JSONBody[ContactUpdate]
    ) -> ContactOut:
        return contact_out(await services.update_contact(_me(request), contact_id, data))

    @delete("/{contact_id:int}")
    async def remove(self, request: AnyRequest, contact_id: FromPath[int]) -> None:
        await services.delete_contact(_me(request), contact_id)


class ContributionKeyApi(Controller):
    path = "/api/contribution-keys"
    tags = ["Förbundet"]
    guards = [signed_in]
    opt = access(*SIGNED_IN)

    @get("/{kind:str}")
    async def show(self, kind: FromPath[OrganisationKind]) -> ContributionKeyOut:
        return _key_out(kind, await services.contribution_key(kind))

    @put("/{kind:str}", guards=[office_only])
    async def replace(
        self, request: AnyRequest, kind: FromPath[OrganisationKind], data: JSONBody[list[ShareIn]]
    ) -> ContributionKeyOut:
        rows = await services.set_contribution_key(
            _me(request), ContributionKeyIn(kind=kind, shares=data)
        )
        return _key_out(kind, rows)


def _key_out(kind: OrganisationKind, rows: list[dict[str, Any]]) -> ContributionKeyOut:
    shares = [
        ShareIn(
            organisation_id=row["id"], share=row["contribution_share"] or 0, version=row["version"]
        )
        for row in rows
    ]
    return ContributionKeyOut(kind=kind, shares=shares, total=sum(s.share for s in shares))


class UserApi(Controller):
    path = "/api/users"
    tags = ["Användare"]
    guards = [office_only]

    @get("/")
    async def list_users(self) -> list[UserOut]:
        return [user_out(row) for row in await queries.user_rows()]

    @post("/")
    async def create(self, request: AnyRequest, data: JSONBody[UserCreate]) -> UserOut:
        return user_out(await services.create_user(_me(request), data))

    @get("/{user_id:int}")
    async def show(self, user_id: FromPath[int]) -> UserOut:
        return user_out(await services.get_user(user_id))

    @patch("/{user_id:int}")
    async def update(
        self, request: AnyRequest, user_id: FromPath[int], data: JSONBody[UserUpdate]
    ) -> UserOut:
        saved = await services.update_user(_me(request), user_id, data)
        stay_signed_in(request, user_id)
        return user_out(saved)


class InitiativeApi(Controller):
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
        data, name = await dossier.dossier(_me(request), initiative_id)
        return download(data, name, "application/zip")

    @get("/")
    async def list_initiatives(
        self,
        request: AnyRequest,
        status: FromQuery[InitiativeStatus | None] = None,
        owner_id: Annotated[int | None, QueryParameter(name="owner")] = None,
        kommun_id: Annotated[int | None, QueryParameter(name="kommun")] = None,
        year: Annotated[int | None, QueryParameter(ge=1900, le=2200)] = None,
    ) -> list[InitiativeOut]:
        """The insatser you may see, filtered by status, lead owner, kommun (owner or party) and year."""
        rows = await queries.initiative_rows(_me(request), status, owner_id, kommun_id, year)
        return [initiative_out(row) for row in rows]

    @get("/export.csv", media_type="text/csv")
    async def export_csv(
        self,
        request: AnyRequest,
        status: FromQuery[InitiativeStatus | None] = None,
        owner_id: Annotated[int | None, QueryParameter(name="owner")] = None,
        kommun_id: Annotated[int | None, QueryParameter(name="kommun")] = None,
        year: Annotated[int | None, QueryParameter(ge=1900, le=2200)] = None,
    ) -> Response[bytes]:
        """The same list as CSV for Excel (semicolon separated, UTF-8 with BOM)."""
        rows = await queries.initiative_rows(_me(request), status, owner_id, kommun_id, year)
        return _csv(initiatives_csv(rows), "insatser.csv")

    @post("/", guards=[office_only])
    async def create(self, request: AnyRequest, data: JSONBody[InitiativeCreate]) -> InitiativeOut:
        return initiative_out(await services.create_initiative(_me(request), data))

    @get("/{initiative_id:int}", opt=access(Who.OFFICE, Who.BOARD, Who.OWN))
    async def show(self, request: AnyRequest, initiative_id: FromPath[int]) -> InitiativeOut:
        return initiative_out(await services.get_initiative(_me(request), initiative_id))

    @patch(
        "/{initiative_id:int}",
        opt=access(Who.OFFICE, refusal="Ändringar av insatsen görs genom en ansökan."),
    )
    async def update(
        self, request: AnyRequest, initiative_id: FromPath[int], data: JSONBody[InitiativeUpdate]
    ) -> InitiativeOut:
        return initiative_out(await services.update_initiative(_me(request), initiative_id, data))

    @post("/{initiative_id:int}/parties", guards=[office_only])
    async def add_party(
        self, request: AnyRequest, initiative_id: FromPath[int], data: JSONBody[PartyIn]
    ) -> InitiativeOut:
        return initiative_out(await services.add_party(_me(request), initiative_id, data))

    @delete(
        "/{initiative_id:int}/parties/{party_id:int}", guards=[office_only], status_code=HTTP_200_OK
    )
    async def remove_party(
        self, request: AnyRequest, initiative_id: FromPath[int], party_id: FromPath[int]
    ) -> InitiativeOut:
        return initiative_out(await services.remove_party(_me(request), initiative_id, party_id))


class ConditionApi(Controller):
    path = "/api"
    tags = ["Insatser"]
    guards = [signed_in]
    opt = access(Who.OFFICE, Who.BOARD, Who.OWN)

    @get("/initiatives/{initiative_id:int}/conditions")
    async def list_conditions(
        self, request: AnyRequest, initiative_id: FromPath[int]
    ) -> list[ConditionOut]:
        """The insats's conditions: extension requirements, funding reservations, free text."""
        return [condition_out(r) for r in await services.conditions(_me(request), initiative_id)]

    @post("/initiatives/{initiative_id:int}/conditions", guards=[office_only])
    async def add_condition(
        self, request: AnyRequest, initiative_id: FromPath[int], data: JSONBody[ConditionCreate]
    ) -> ConditionOut:
        return condition_out(await services.add_condition(_me(request), initiative_id, data))

    @patch("/conditions/{condition_id:int}", guards=[office_only])
    async def update_condition(
        self, request: AnyRequest, condition_id: FromPath[int], data: JSONBody[ConditionUpdate]
    ) -> ConditionOut:
        """Edit a condition or record that it is met (with a note on how)."""
        return condition_out(await services.update_condition(_me(request), condition_id, data))


class MeetingApi(Controller):
    path = "/api/meetings"
    tags = ["Möten"]
    guards = [portfolio_readers]

    @get("/")
    async def list_meetings(self) -> list[MeetingOut]:
        return [meeting_out(r) for r in await queries.meeting_rows()]

    @post("/", guards=[office_only])
    async def create(self, request: AnyRequest, data: JSONBody[MeetingCreate]) -> MeetingOut:
        return meeting_out(await meetings.create_meeting(_me(request), data))

    @get("/{meeting_id:int}")
    async def show(self, meeting_id: FromPath[int]) -> MeetingOut:
        return meeting_out(await meetings.get_meeting(meeting_id))

    @patch("/{meeting_id:int}", guards=[office_only])
    async def update(
        self, request: AnyRequest, meeting_id: FromPath[int], data: JSONBody[MeetingUpdate]
    ) -> MeetingOut:
        """Edit the meeting or move its status one step (planerat, kallelse skickad, genomfört, justerat)."""
        return meeting_out(await meetings.update_meeting(_me(request), meeting_id, data))

    @get("/{meeting_id:int}/kallelse.docx", media_type=DOCX)
    async def notice_docx(self, meeting_id: FromPath[int]) -> Response[bytes]:
        """The kallelse with its föredragningslista, to edit further in Word."""
        document = await meetings.notice_document(meeting_id)
        return download(
            render_notice_docx(document), f"Kallelse {document.meeting_date.isoformat()}.docx", DOCX
        )

    @get("/{meeting_id:int}/protokoll.docx", media_type=DOCX)
    async def minutes_docx(self, meeting_id: FromPath[int]) -> Response[bytes]:
        """The protokoll: one § per decision, votes, reservations, jäv and the justering lines."""
        document = await meetings.minutes_document(meeting_id)
        return download(
            render_minutes_docx(document),
            f"Protokoll {document.meeting_date.isoformat()}.docx",
            DOCX,
        )

    @get("/{meeting_id:int}/decisions")
    async def decisions(self, meeting_id: FromPath[int]) -> list[DecisionOut]:
        return [decision_out(d) for d in await meetings.meeting_decisions(meeting_id)]

    @post("/{meeting_id:int}/decisions", guards=[office_only])
    async def record_decision(
        self, request: AnyRequest, meeting_id: FromPath[int], data: JSONBody[DecisionIn]
    ) -> DecisionOut:
        """Record a decision; it cannot be edited afterwards, only superseded (`supersedes_id`)."""
        return decision_out(await meetings.record_decision(_me(request), meeting_id, data))

    @get("/{meeting_id:int}/kallelse.pdf", media_type="application/pdf")
    async def notice_pdf(self, meeting_id: FromPath[int]) -> Response[bytes]:
        document = await meetings.notice_document(meeting_id)
        return download(
            render_notice_pdf(document),
            f"Kallelse {document.meeting_date.isoformat()}.pdf",
            "application/pdf",
        )

    @get("/{meeting_id:int}/protokoll.pdf", media_type="application/pdf")
    async def minutes_pdf(self, meeting_id: FromPath[int]) -> Response[bytes]:
        document = await meetings.minutes_document(meeting_id)
        return download(
            render_minutes_pdf(document),
            f"Protokoll {document.meeting_date.isoformat()}.pdf",
            "application/pdf",
        )

    @get("/{meeting_id:int}/handlingar.pdf", media_type="application/pdf")
    async def board_pack(self, request: AnyRequest, meeting_id: FromPath[int]) -> Response[bytes]:
        """The board pack: notice, agenda, every case's papers and the economy report in one
        bookmarked PDF with a table of contents."""
        document = await board_pack.board_pack_document(_me(request), meeting_id)
        pdf = await board_pack.render_pack(meeting_id, document)
        name = f"Handlingar {document.body} {document.meeting_date.isoformat()}.pdf"
        return download(pdf, name, "application/pdf")

    @get("/{meeting_id:int}/ekonomi.pdf", media_type="application/pdf")
    async def economy_pdf(self, meeting_id: FromPath[int]) -> Response[bytes]:
        """ "Ekonomisk information": the budget room before and after the meeting's applications."""
        report, chart = await board_pack.economy_report(meeting_id)
        name = f"Ekonomisk information {report.meeting_label}.pdf"
        return download(render_economy_pdf(report, chart), name, "application/pdf")

    @get("/{meeting_id:int}/ekonomi.docx", media_type=DOCX)
    async def economy_docx(self, meeting_id: FromPath[int]) -> Response[bytes]:
        report, chart = await board_pack.economy_report(meeting_id)
        name = f"Ekonomisk information {report.meeting_label}.docx"
        return download(render_economy_docx(report, chart), name, DOCX)

    @get("/{meeting_id:int}/attendees")
    async def attendees(self, meeting_id: FromPath[int]) -> list[AttendeeOut]:
        """Who is called (members, substitutes, officials) and, once taken, who came."""
        return [attendee_out(r) for r in await meetings.attendees(meeting_id)]

    @put("/{meeting_id:int}/attendees", guards=[office_only])
    async def save_attendance(
        self, request: AnyRequest, meeting_id: FromPath[int], data: JSONBody[AttendanceIn]
    ) -> list[AttendeeOut]:
        """Replace the list with the meeting's version; refused once the minutes are justerat."""
        rows = await meetings.save_attendance(_me(request), meeting_id, data)
        return [attendee_out(r) for r in rows]

    @get("/{meeting_id:int}/agenda")
    async def agenda(self, meeting_id: FromPath[int]) -> list[AgendaItemOut]:
        await meetings.get_meeting(meeting_id)
        return [agenda_out(r) for r in await queries.agenda_rows(meeting_id)]

    @post("/{meeting_id:int}/agenda", guards=[office_only])
    async def add_to_agenda(
        self, request: AnyRequest, meeting_id: FromPath[int], data: JSONBody[AgendaAdd]
    ) -> list[AgendaItemOut]:
        rows = await meetings.add_to_agenda(
            _me(request), meeting_id, data.case_id, data.attachments
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
        rows = await meetings.move_agenda_item(_me(request), meeting_id, item_id, steps)
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
        return case_out(await meetings.create_case(_me(request), data))

    @get("/{case_id:int}")
    async def show(self, case_id: FromPath[int]) -> CaseOut:
        return case_out(await meetings.get_case(case_id))

    @get("/{case_id:int}/proposal")
    async def proposal(self, case_id: FromPath[int]) -> ProposalOut:
        row = await meetings.get_proposal(case_id)
        if row is None:
            raise NotFound("Ärendet har inget förslag ännu.")
        return proposal_out(row)

    @post("/{case_id:int}/proposal", guards=[office_only], status_code=HTTP_200_OK)
    async def draft_proposal(self, request: AnyRequest, case_id: FromPath[int]) -> ProposalOut:
        """Draft the tjänsteskrivelse from the case's application with the standard att-satser."""
        return proposal_out(await meetings.draft_proposal(_me(request), case_id))

    @patch("/{case_id:int}/proposal", guards=[office_only])
    async def update_proposal(
        self, request: AnyRequest, case_id: FromPath[int], data: JSONBody[ProposalUpdate]
    ) -> ProposalOut:
        """Edit, remove or add att-satser and the texts of Ärendet."""
        return proposal_out(await meetings.update_proposal(_me(request), case_id, data))

    @get("/{case_id:int}/note")
    async def note(self, request: AnyRequest, case_id: FromPath[int]) -> NoteIO:
        """Your own private note on the case; nobody else sees it."""
        return NoteIO(text=await meetings.case_note(_me(request), case_id))

    @put("/{case_id:int}/note")
    async def save_note(
        self, request: AnyRequest, case_id: FromPath[int], data: JSONBody[NoteIO]
    ) -> NoteIO:
        return NoteIO(text=await meetings.save_case_note(_me(request), case_id, data.text))

    @get("/{case_id:int}/tjansteskrivelse.pdf", media_type="application/pdf")
    async def proposal_pdf(self, case_id: FromPath[int]) -> Response[bytes]:
        document = await meetings.proposal_document(case_id)
        return download(
            render_proposal_pdf(document),
            f"Tjänsteskrivelse {document.case_number.replace(':', '-')}.pdf",
            "application/pdf",
        )

    @get("/{case_id:int}/tjansteskrivelse.docx", media_type=DOCX)
    async def proposal_docx(self, case_id: FromPath[int]) -> Response[bytes]:
        document = await meetings.proposal_document(case_id)
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
        document = await meetings.extract_document(_me(request), decision_id)
        name = f"Protokollsutdrag {document.minutes.meeting_date.isoformat()} § {document.section.paragraph}.docx"
        return download(render_extract_docx(document), name, DOCX)

    @get("/{decision_id:int}/protokollsutdrag.pdf", media_type="application/pdf")
    async def extract_pdf(self, request: AnyRequest, decision_id: FromPath[int]) -> Response[bytes]:
        document = await meetings.extract_document(_me(request), decision_id)
        name = f"Protokollsutdrag {document.minutes.meeting_date.isoformat()} § {document.section.paragraph}.pdf"
        return download(render_extract_pdf(document), name, "application/pdf")


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
        return await economy.save_year_budget(_me(request), year, data)

    @get("/budget-room")
    async def budget_room(
        self,
        from_year: Annotated[int, QueryParameter(name="from", ge=1900, le=2200)],
        years: Annotated[int, QueryParameter(ge=1, le=20)] = 3,
        meeting_id: Annotated[int | None, QueryParameter(name="meeting")] = None,
    ) -> BudgetRoomOut:
        """The budget room per year, before and after the pending applications of a meeting."""
        return economy.budget_room_out(await economy.budget_room(from_year, years, meeting_id))

    @get("/commitments.csv", media_type="text/csv; charset=utf-8")
    async def commitments_csv(self) -> Response[bytes]:
        """Decided amounts in force per insats and year, exact kronor, with sums per year."""
        header, rows = commitments_table(await economy.commitment_lines())
        return download(to_csv(header, rows), "Beslutade medel per insats och år.csv", CSV_TYPE)

    @get("/commitments.xlsx", media_type=XLSX)
    async def commitments_xlsx(self) -> Response[bytes]:
        header, rows = commitments_table(await economy.commitment_lines())
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
    association = await queries.association_row() or {}
    return giving360(
        await economy.grants(), association.get("name", ""), association.get("org_number", "")
    )


class AuditApi(Controller):
    path = "/api/audit"
    tags = ["Logg"]
    guards = [office_only]

    @get("/")
    async def list_entries(
        self,
        entity: FromQuery[str | None] = None,
        entity_id: FromQuery[int | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 200,
        offset: Annotated[int, QueryParameter(ge=0, le=1_000_000_000)] = 0,
    ) -> list[AuditEntryOut]:
        return [
            audit_out(row) for row in await queries.audit_rows(entity, entity_id, limit, offset)
        ]


class DashboardApi(Controller):
    path = "/api/dashboard"
    tags = ["Start"]
    guards = [signed_in]
    opt = access(*SIGNED_IN)

    @get("/")
    async def show(self, request: AnyRequest) -> dict[str, Any]:
        """What the start page shows the signed-in person, by role."""
        return await dashboard(_me(request))


# == pages ==================================================================================


class AuthPages(Controller):
    include_in_schema = False

    @get("/login", exclude_from_auth=True)
    async def login_form(
        self,
        request: AnyRequest,
        next_path: Annotated[str | None, QueryParameter(name="next")] = None,
    ) -> Template:
        return Template(
            "login.html", context={"next": _safe_next(next_path), "email": "", "error": None}
        )

    @post("/login", exclude_from_auth=True, status_code=HTTP_200_OK)
    async def login(self, request: AnyRequest, data: Form) -> Template | Redirect:
        email, password = str(data.get("email", "")), str(data.get("password", ""))
        next_path = _safe_next(str(data.get("next", "")))
        try:
            row = await _log_in(request, email, password)
        except ratelimit.TooManyAttempts as exc:
            return Template(
                "login.html",
                context={"next": next_path, "email": email, "error": exc.message},
                status_code=429,
            )
        if row is None:
            return Template(
                "login.html",
                context={
                    "next": next_path,
                    "email": email,
                    "error": "Fel e-postadress eller lösenord.",
                },
                status_code=400,
            )
        if row.get("two_factor"):
            return Redirect(f"/login/kod?next={quote(next_path)}")
        return Redirect(next_path)

    @post("/logout", guards=[signed_in], opt=access(*SIGNED_IN))
    async def logout(self, request: AnyRequest) -> Redirect:
        request.clear_session()
        return Redirect("/login")


class HomePages(Controller):
    include_in_schema = False
    guards = [signed_in]
    opt = access(*SIGNED_IN)

    @get("/")
    async def start(self, request: AnyRequest) -> Template:
        user = _me(request)
        context = await dashboard(user)
        context.update(KIND_LABELS=APPLICATION_KIND_LABELS, STATUS_LABELS=APPLICATION_STATUS_LABELS)
        context["counts"] = context.pop("initiative_counts")
        if user.role is Role.OFFICE:
            context["recent"] = [audit_out(row) for row in await queries.audit_rows(limit=10)]
        return Template(f"start_{user.role.value}.html", context=context)


class AssociationPages(Controller):
    path = "/installningar"
    include_in_schema = False
    guards = [office_only]

    @get("/")
    async def form(self) -> Template:
        return Template("association.html", context=await _association_context())

    @post("/")
    async def save(self, request: AnyRequest, data: Form) -> Template | Redirect:
        try:
            update = form_to_struct(data, AssociationUpdate)
            await services.update_association(_me(request), update)
        except DomainError as exc:
            context = await _association_context()
            context.update(values=data, errors=problems_by_field(exc), error=exc.message)
            return Template("association.html", context=context, status_code=exc.status_code)
        flash(request, "Förbundets uppgifter är sparade.", category="success")
        return Redirect("/installningar")

    @post("/nyckel/{kind:str}")
    async def save_key(
        self, request: AnyRequest, kind: FromPath[OrganisationKind], data: Form
    ) -> Template | Redirect:
        try:
            shares = []
            for key, value in data.items():
                if key.startswith("share_"):
                    org_id = key.removeprefix("share_")
                    version = str(data.get(f"version_{org_id}", ""))
                    shares.append(
                        ShareIn(
                            organisation_id=int(org_id),
                            share=_percent_to_bp(value),
                            version=int(version) if version.isdigit() else None,
                        )
                    )
            await services.set_contribution_key(
                _me(request), ContributionKeyIn(kind=kind, shares=shares)
            )
        except (DomainError, ValueError) as exc:
            message = (
                exc.message
                if isinstance(exc, DomainError)
                else "Ange andelar som tal, till exempel 12,5."
            )
            context = await _association_context()
            context.update(key_values=data, key_error=message)
            status = exc.status_code if isinstance(exc, DomainError) else 422
            return Template("association.html", context=context, status_code=status)
        flash(request, "Fördelningsnyckeln är sparad.", category="success")
        return Redirect("/installningar")


def _percent_to_bp(value: Any) -> int:
    """ "12,5" or "12.5" percent to 1250 hundredths of a percent, exactly (no floats)."""
    text = str(value).strip().replace(",", ".").replace("%", "").strip() or "0"
    whole, _, frac = text.partition(".")
    if not whole.lstrip("-").isdigit() or (frac and not frac.isdigit()) or len(frac) > 2:
        raise ValueError(text)
    return int(whole) * 100 + int((frac + "00")[:2])


async def _association_context() -> dict[str, Any]:
    return {
        "association": await services.get_association(),
        "kommuner": await services.contribution_key(OrganisationKind.KOMMUN),
        "regions": await services.contribution_key(OrganisationKind.REGION),
        "values": None,
        "errors": {},
        "error": None,
        "key_values": None,
        "key_error": None,
    }


class OrganisationPages(Controller):
    path = "/organisationer"
    include_in_schema = False
    guards = [signed_in]
    opt = access(*SIGNED_IN)

    @get("/")
    async def list_page(self, request: AnyRequest) -> Template:
        rows = await queries.organisation_rows()
        return Template(
            "organisations.html",
            context={"organisations": rows, "can_manage": bool(can_manage(_me(request)))},
        )

    @post("/", guards=[office_only])
    async def create(self, request: AnyRequest, data: Form) -> Template | Redirect:
        try:
            row = await services.create_organisation(
                _me(request), form_to_struct(data, OrganisationCreate)
            )
        except DomainError as exc:
            rows = await queries.organisation_rows()
            return Template(
                "organisations.html",
                context={
                    "organisations": rows,
                    "can_manage": True,
                    "values": data,
                    "errors": problems_by_field(exc),
                    "error": exc.message,
                },
                status_code=exc.status_code,
            )
        flash(request, f"{row['name']} är tillagd.", category="success")
        return Redirect(f"/organisationer/{row['id']}")

    @get("/{organisation_id:int}")
    async def detail(self, request: AnyRequest, organisation_id: FromPath[int]) -> Template:
        return Template(
            "organisation.html", context=await _organisation_context(_me(request), organisation_id)
        )

    @post("/{organisation_id:int}", guards=[office_only])
    async def update(
        self, request: AnyRequest, organisation_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        try:
            await services.update_organisation(
                _me(request), organisation_id, form_to_struct(data, OrganisationUpdate)
            )
        except DomainError as exc:
            context = await _organisation_context(_me(request), organisation_id)
            context.update(values=data, errors=problems_by_field(exc), error=exc.message)
            return Template("organisation.html", context=context, status_code=exc.status_code)
        flash(request, "Organisationen är sparad.", category="success")
        return Redirect(f"/organisationer/{organisation_id}")

    @post("/{organisation_id:int}/kontakter", opt=access(Who.OFFICE, Who.OWN))
    async def add_contact(
        self, request: AnyRequest, organisation_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        try:
            await services.create_contact(
                _me(request), organisation_id, form_to_struct(data, ContactCreate)
            )
        except DomainError as exc:
            context = await _organisation_context(_me(request), organisation_id)
            context.update(contact_values=data, contact_error=exc.message)
            return Template("organisation.html", context=context, status_code=exc.status_code)
        flash(request, "Kontaktpersonen är tillagd.", category="success")
        return Redirect(f"/organisationer/{organisation_id}")

    @post(
        "/{organisation_id:int}/kontakter/{contact_id:int}/ta-bort", opt=access(Who.OFFICE, Who.OWN)
    )
    async def remove_contact(
        self, request: AnyRequest, organisation_id: FromPath[int], contact_id: FromPath[int]
    ) -> Redirect:
        await services.delete_contact(_me(request), contact_id)
        flash(request, "Kontaktpersonen är borttagen.", category="success")
        return Redirect(f"/organisationer/{organisation_id}")


async def _organisation_context(user: Principal, organisation_id: FromPath[int]) -> dict[str, Any]:
    organisation = await services.get_organisation(organisation_id)
    show_contacts = bool(can_view_organisation_contacts(user, organisation_id))
    return {
        "organisation": organisation,
        "contacts": await queries.contact_rows(organisation_id) if show_contacts else [],
        "show_contacts": show_contacts,
        "can_manage": bool(can_manage(user)),
        "can_edit_contacts": user.is_office
        or (user.role is Role.OWNER and user.organisation_id == organisation_id),
        "values": None,
        "errors": {},
        "error": None,
        "contact_values": None,
        "contact_error": None,
    }


class UserPages(Controller):
    path = "/anvandare"
    include_in_schema = False
    guards = [office_only]

    @get("/")
    async def list_page(self) -> Template:
        return Template("users.html", context=await _users_context())

    @post("/")
    async def create(self, request: AnyRequest, data: Form) -> Template | Redirect:
        try:
            row = await services.create_user(_me(request), form_to_struct(data, UserCreate))
        except DomainError as exc:
            context = await _users_context()
            context.update(
                values={k: v for k, v in data.items() if k != "password"},
                errors=problems_by_field(exc),
                error=exc.message,
            )
            return Template("users.html", context=context, status_code=exc.status_code)
        flash(request, f"Kontot för {row['email']} är skapat.", category="success")
        return Redirect("/anvandare")

    @post("/{user_id:int}")
    async def update(
        self, request: AnyRequest, user_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        fields = {k: v for k, v in data.items() if not (k == "password" and not v)}
        try:
            await services.update_user(_me(request), user_id, form_to_struct(fields, UserUpdate))
        except DomainError as exc:
            context = await _users_context()
            context.update(edit_id=user_id, edit_error=exc.message)
            return Template("users.html", context=context, status_code=exc.status_code)
        stay_signed_in(request, user_id)
        flash(request, "Kontot är sparat.", category="success")
        return Redirect("/anvandare")


async def _users_context() -> dict[str, Any]:
    return {
        "users": await queries.user_rows(),
        "two_factor_users": await two_factor.enabled_user_ids(),
        "organisations": await queries.organisation_rows(),
        "values": None,
        "errors": {},
        "error": None,
        "edit_id": None,
        "edit_error": None,
    }


class InitiativePages(Controller):
    path = "/insatser"
    include_in_schema = False
    guards = [signed_in]
    opt = access(*SIGNED_IN)

    @get("/")
    async def list_page(
        self,
        request: AnyRequest,
        status_text: Annotated[str | None, QueryParameter(name="status")] = None,
        owner_text: Annotated[str | None, QueryParameter(name="owner")] = None,
        kommun_text: Annotated[str | None, QueryParameter(name="kommun")] = None,
        year_text: Annotated[str | None, QueryParameter(name="year")] = None,
    ) -> Template:
        # A plain GET form sends "status=&owner=" for "Alla": empty means no filter.
        user = _me(request)
        status = _choice(InitiativeStatus, status_text, "status")
        owner_id = _choice(int, owner_text, "owner")
        kommun_id = _choice(int, kommun_text, "kommun")
        year = _choice(int, year_text, "year")
        if year is not None and not 1900 <= year <= 2200:
            raise ValidationFailed([FieldProblem("year", "Okänt värde i urvalet.")])
        rows = await queries.initiative_rows(user, status, owner_id, kommun_id, year)
        organisations = await queries.organisation_rows()
        return Template(
            "initiatives.html",
            context={
                "initiatives": rows,
                "status": status,
                "owner_id": owner_id,
                "kommun_id": kommun_id,
                "year": year,
                "years": range(_this_year() - 6, _this_year() + 5),
                "owners": [o for o in organisations if o["is_member"]],
                "kommuner": [o for o in organisations if o["kind"] == OrganisationKind.KOMMUN],
                "query": str(request.url.query or ""),
                "can_manage": bool(can_manage(user)),
            },
        )

    @get("/ny", guards=[office_only])
    async def new_form(self) -> Template:
        return Template("initiative_form.html", context=await _initiative_form_context(None))

    @post("/", guards=[office_only])
    async def create(self, request: AnyRequest, data: Form) -> Template | Redirect:
        try:
            row = await services.create_initiative(
                _me(request), form_to_struct(data, InitiativeCreate)
            )
        except DomainError as exc:
            context = await _initiative_form_context(None)
            context.update(values=data, errors=problems_by_field(exc), error=exc.message)
            return Template("initiative_form.html", context=context, status_code=exc.status_code)
        flash(request, "Insatsen är registrerad.", category="success")
        return Redirect(f"/insatser/{row['id']}")

    @get("/{initiative_id:int}", opt=access(Who.OFFICE, Who.BOARD, Who.OWN))
    async def detail(self, request: AnyRequest, initiative_id: FromPath[int]) -> Template:
        user = _me(request)
        initiative = await services.get_initiative(user, initiative_id)
        return Template(
            "initiative.html",
            context={
                "initiative": initiative,
                "conditions": await queries.condition_rows(initiative_id),
                "applications": await applications_of_initiative(user, initiative_id),
                "KIND_LABELS": APPLICATION_KIND_LABELS,
                "STATUS_LABELS": APPLICATION_STATUS_LABELS,
                "can_manage": bool(can_manage(user)),
                "is_reader": bool(can_read_portfolio(user)),
                "organisations": await queries.organisation_rows() if user.is_office else [],
                "history": [
                    audit_out(r) for r in await queries.audit_rows("initiative", initiative_id, 50)
                ]
                if user.is_office
                else [],
            },
        )

    @get("/{initiative_id:int}/redigera", guards=[office_only])
    async def edit_form(self, request: AnyRequest, initiative_id: FromPath[int]) -> Template:
        initiative = await services.get_initiative(_me(request), initiative_id)
        return Template("initiative_form.html", context=await _initiative_form_context(initiative))

    @post("/{initiative_id:int}", guards=[office_only])
    async def update(
        self, request: AnyRequest, initiative_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        user = _me(request)
        try:
            await services.update_initiative(
                user, initiative_id, form_to_struct(data, InitiativeUpdate)
            )
        except DomainError as exc:
            initiative = await services.get_initiative(user, initiative_id)
            context = await _initiative_form_context(initiative)
            context.update(values=data, errors=problems_by_field(exc), error=exc.message)
            return Template("initiative_form.html", context=context, status_code=exc.status_code)
        flash(request, "Insatsen är sparad.", category="success")
        return Redirect(f"/insatser/{initiative_id}")

    @post("/{initiative_id:int}/villkor", guards=[office_only])
    async def add_condition(
        self, request: AnyRequest, initiative_id: FromPath[int], data: Form
    ) -> Redirect:
        try:
            await services.add_condition(
                _me(request), initiative_id, form_to_struct(data, ConditionCreate)
            )
            flash(request, "Villkoret är tillagt.", category="success")
        except DomainError as exc:
            flash(request, exc.message, category="error")
        return Redirect(f"/insatser/{initiative_id}")

    @post("/{initiative_id:int}/villkor/{condition_id:int}", guards=[office_only])
    async def update_condition(
        self,
        request: AnyRequest,
        initiative_id: FromPath[int],
        condition_id: FromPath[int],
        data: Form,
    ) -> Redirect:
        try:
            await services.update_condition(
                _me(request), condition_id, form_to_struct(data, ConditionUpdate)
            )
            flash(request, "Villkoret är sparat.", category="success")
        except DomainError as exc:
            flash(request, exc.message, category="error")
        return Redirect(f"/insatser/{initiative_id}")

    @post("/{initiative_id:int}/parter", guards=[office_only])
    async def add_party(
        self, request: AnyRequest, initiative_id: FromPath[int], data: Form
    ) -> Redirect:
        try:
            await services.add_party(_me(request), initiative_id, form_to_struct(data, PartyIn))
            flash(request, "Parten är tillagd.", category="success")
        except DomainError as exc:
            flash(request, exc.message, category="error")
        return Redirect(f"/insatser/{initiative_id}")

    @post("/{initiative_id:int}/parter/{party_id:int}/ta-bort", guards=[office_only])
    async def remove_party(
        self, request: AnyRequest, initiative_id: FromPath[int], party_id: FromPath[int]
    ) -> Redirect:
        await services.remove_party(_me(request), initiative_id, party_id)
        flash(request, "Parten är borttagen.", category="success")
        return Redirect(f"/insatser/{initiative_id}")


def _this_year() -> int:
    return dt.date.today().year


def _csv(data: bytes, filename: str) -> Response[bytes]:
    return download(data, filename, "text/csv; charset=utf-8")


def _choice(kind: Callable[[str], T], text: str | None, field: str) -> T | None:
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        raise ValidationFailed([FieldProblem(field, "Okänt värde i urvalet.")]) from None


async def _initiative_form_context(initiative: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "initiative": initiative,
        "owners": [o for o in await queries.organisation_rows() if o["is_member"]],
        "values": None,
        "errors": {},
        "error": None,
    }


class AuditPages(Controller):
    path = "/logg"
    include_in_schema = False
    guards = [office_only]

    @get("/")
    async def list_page(
        self, entity: FromQuery[str | None] = None, page: Annotated[int, QueryParameter(ge=1)] = 1
    ) -> Template:
        rows = await queries.audit_rows(entity, None, limit=100, offset=(page - 1) * 100)
        return Template(
            "audit.html",
            context={"entries": [audit_out(r) for r in rows], "entity": entity, "page": page},
        )


class MeetingPages(Controller):
    path = "/moten"
    include_in_schema = False
    guards = [portfolio_readers]

    @get("/")
    async def list_page(self, request: AnyRequest) -> Template:
        return Template(
            "meetings.html",
            context={
                "meetings": await queries.meeting_rows(),
                "can_manage": bool(can_manage(_me(request))),
                "values": {},
                "error": None,
            },
        )

    @post("/", guards=[office_only])
    async def create(self, request: AnyRequest, data: Form) -> Template | Redirect:
        try:
            row = await meetings.create_meeting(_me(request), form_to_struct(data, MeetingCreate))
        except DomainError as exc:
            context = {
                "meetings": await queries.meeting_rows(),
                "can_manage": True,
                "values": data,
                "error": exc.message,
            }
            return Template("meetings.html", context=context, status_code=exc.status_code)
        flash(request, "Mötet är planerat.", category="success")
        return Redirect(f"/moten/{row['id']}")

    @get("/{meeting_id:int}")
    async def detail(self, request: AnyRequest, meeting_id: FromPath[int]) -> Template:
        return Template("meeting.html", context=await _meeting_context(_me(request), meeting_id))

    @post("/{meeting_id:int}", guards=[office_only])
    async def update(
        self, request: AnyRequest, meeting_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        try:
            await meetings.update_meeting(
                _me(request), meeting_id, form_to_struct(data, MeetingUpdate)
            )
        except DomainError as exc:
            context = await _meeting_context(_me(request), meeting_id)
            context.update(error=exc.message)
            return Template("meeting.html", context=context, status_code=exc.status_code)
        flash(request, "Mötet är sparat.", category="success")
        return Redirect(f"/moten/{meeting_id}")

    @post("/{meeting_id:int}/narvaro", guards=[office_only])
    async def attendance(
        self, request: AnyRequest, meeting_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        """The attendance form: a row per person, and an empty row to call one more."""
        try:
            await meetings.save_attendance(_me(request), meeting_id, _attendance_from_form(data))
        except DomainError as exc:
            context = await _meeting_context(_me(request), meeting_id)
            context.update(error=exc.message)
            return Template("meeting.html", context=context, status_code=exc.status_code)
        flash(request, "Närvaron är sparad.", category="success")
        return Redirect(f"/moten/{meeting_id}#narvaro")

    @post("/{meeting_id:int}/dagordning", guards=[office_only])
    async def add_case(
        self, request: AnyRequest, meeting_id: FromPath[int], data: Form
    ) -> Redirect:
        """Add an existing case, or register a new one (with its Dnr) straight onto the agenda."""
        user = _me(request)
        try:
            case_id = _choice(int, str(data.get("case_id", "")), "case_id")
            if case_id is None:
                case = await meetings.create_case(user, form_to_struct(data, CaseCreate))
                case_id = case["id"]
            await meetings.add_to_agenda(
                user,
                meeting_id,
                case_id,
                _choice(int, str(data.get("attachments", "1")), "attachments") or 0,
            )
            flash(request, "Ärendet är tillagt på dagordningen.", category="success")
        except DomainError as exc:
            flash(request, exc.message, category="error")
        return Redirect(f"/moten/{meeting_id}")

    @post("/{meeting_id:int}/dagordning/{item_id:int}/flytta", guards=[office_only])
    async def move(
        self, request: AnyRequest, meeting_id: FromPath[int], item_id: FromPath[int], data: Form
    ) -> Redirect:
        await meetings.move_agenda_item(
            _me(request), meeting_id, item_id, -1 if data.get("direction") == "up" else 1
        )
        return Redirect(f"/moten/{meeting_id}")


def _attendance_from_form(data: dict[str, Any]) -> AttendanceIn:
    """Rows `name-N`, `organisation-N`, `role-N`, `present-N` (a checkbox); empty names are
    dropped, so clearing a name takes the person off the list."""
    rows = sorted({int(k.split("-")[1]) for k in data if re.fullmatch(r"name-\d+", k)})
    attendees = [
        {
            "name": str(data.get(f"name-{n}", "")).strip(),
            "organisation": str(data.get(f"organisation-{n}", "")).strip(),
            "role": data.get(f"role-{n}") or AttendeeRole.MEMBER,
            "present": f"present-{n}" in data,
            "user_id": int(data[f"user-{n}"]) if str(data.get(f"user-{n}", "")).isdigit() else None,
        }
        for n in rows
        if str(data.get(f"name-{n}", "")).strip()
    ]
    return form_to_struct({"version": data.get("version"), "attendees": attendees}, AttendanceIn)


async def _meeting_context(user: Principal, meeting_id: int) -> dict[str, Any]:
    meeting = await meetings.get_meeting(meeting_id)
    agenda = await queries.agenda_rows(meeting_id)
    on_agenda = {item["case"] for item in agenda}
    return {
        "meeting": meeting,
        "agenda": agenda,
        "cases": [c for c in await queries.case_rows() if c["id"] not in on_agenda],
        "initiatives": await queries.initiative_rows(user) if user.is_office else [],
        "next_status": sorted(MEETING_TRANSITIONS[MeetingStatus(meeting["status"])]),
        "attendees": await meetings.attendees(meeting_id),
        "can_manage": bool(can_manage(user)),
        "error": None,
    }


class CasePages(Controller):
    """A case: its proposal (tjänsteskrivelse) to draft and edit, and its decisions to record."""

    path = "/arenden"
    include_in_schema = False
    guards = [portfolio_readers]

    @get("/{case_id:int}")
    async def detail(self, request: AnyRequest, case_id: FromPath[int]) -> Template:
        return Template("case.html", context=await _case_context(_me(request), case_id))

    @post("/{case_id:int}/anteckning")
    async def save_note(self, request: AnyRequest, case_id: FromPath[int], data: Form) -> Redirect:
        await meetings.save_case_note(_me(request), case_id, str(data.get("text", ""))[:20_000])
        flash(request, "Din anteckning är sparad. Bara du ser den.", category="success")
        return Redirect(f"/arenden/{case_id}")

    @post("/{case_id:int}/forslag", guards=[office_only])
    async def save_proposal(
        self, request: AnyRequest, case_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        user = _me(request)
        try:
            if await meetings.get_proposal(case_id) is None:
                await meetings.draft_proposal(user, case_id)
                flash(
                    request,
                    "Förslaget är utkastat med standardformuleringarna.",
                    category="success",
                )
                return Redirect(f"/arenden/{case_id}")
            fields = {**data, "clauses": _lines(data.get("clauses"))}
            await meetings.update_proposal(user, case_id, form_to_struct(fields, ProposalUpdate))
        except DomainError as exc:
            context = await _case_context(user, case_id)
            context.update(error=exc.message, proposal_values=data)
            return Template("case.html", context=context, status_code=exc.status_code)
        flash(request, "Förslaget är sparat.", category="success")
        return Redirect(f"/arenden/{case_id}")

    @post("/{case_id:int}/beslut", guards=[office_only])
    async def record_decision(
        self, request: AnyRequest, case_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        user = _me(request)
        try:
            meeting_id = _choice(int, str(data.get("meeting_id", "")), "meeting_id")
            if meeting_id is None:
                raise ValidationFailed(
                    [FieldProblem("meeting_id", "Välj mötet där beslutet fattades.")]
                )
            votes, unreadable = parse_vote_lines(str(data.get("votes", "")))
            if unreadable:
                raise ValidationFailed([FieldProblem("votes", " ".join(unreadable))])
            fields = {
                **data,
                "votes": [msgspec.structs.asdict(v) for v in votes],
                "case_id": str(case_id),
                "clauses": _lines(data.get("clauses")),
                "reservations": _lines(data.get("reservations")),
                "amount": str(data.get("amount", "0")).replace(" ", "").replace("\u00a0", "")
                or "0",
            }
            await meetings.record_decision(
                user, meeting_id, form_to_struct(fields, DecisionIn, checkboxes=False)
            )
        except DomainError as exc:
            context = await _case_context(user, case_id)
            context.update(error=exc.message, decision_values=data)
            return Template("case.html", context=context, status_code=exc.status_code)
        flash(request, "Beslutet är infört.", category="success")
        return Redirect(f"/arenden/{case_id}")


def _lines(value: Any) -> list[str]:
    """One att-sats (or reservation) per line of a text area; blank lines dropped."""
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


async def _case_context(user: Principal, case_id: int) -> dict[str, Any]:
    case = await meetings.get_case(case_id)
    proposal = await meetings.get_proposal(case_id)
    decisions = await meetings.case_decisions(case_id)
    on_agendas = await meetings.case_agenda_meetings(case_id)
    return {
        "case": case,
        "proposal": proposal_out(proposal) if proposal else None,
        "decisions": decisions,
        "current": next((d for d in reversed(decisions) if d["superseded_by"] is None), None),
        "meetings": on_agendas,
        "board_meetings": [
            m
            for m in on_agendas
            if m["body"] == Body.BOARD and m["status"] != MeetingStatus.APPROVED
        ],
        "can_manage": bool(can_manage(user)),
        "note": await meetings.case_note(user, case_id),
        "application_id": case["application"],
        "outcomes": OUTCOME_LABELS,
        "error": None,
        "proposal_values": None,
        "decision_values": None,
    }


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
        from_year = _choice(int, from_text, "from") or _this_year()
        meeting_id = _choice(int, meeting_text, "meeting")
        return Template(
            "economy.html",
            context=await _economy_context(_me(request), from_year, meeting_id, None),
        )

    @post("/berakna")
    async def what_if(self, request: AnyRequest, data: Form) -> Template:
        """The table again for the ticked applications and typed amounts (htmx); nothing is saved."""
        from_year = _choice(int, str(data.get("from", "")), "from") or _this_year()
        meeting_id = _choice(int, str(data.get("meeting", "")), "meeting")
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
        context = await _economy_context(_me(request), from_year, meeting_id, chosen)
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
                carried_in=existing.carried_in if existing else None,
                forecast=existing.forecast if existing else None,
                version=existing.version if existing else None,
                extra_contribution=int(fields.get("extra_contribution") or 0),
                extra_contribution_note=str(data.get("extra_contribution_note") or ""),
            )
            await economy.save_year_budget(_me(request), year, body)
            flash(request, f"Budgeten för {year} är sparad.", category="success")
        except (DomainError, ValueError) as exc:
            flash(
                request,
                exc.message if isinstance(exc, DomainError) else "Ange belopp i hela kronor.",
                category="error",
            )
        return Redirect(f"/ekonomi?from={year}")


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
    try:
        table = economy.budget_room_out(await economy.budget_room(from_year, 3, meeting_id, chosen))
    except DomainError as exc:
        error = exc.message
    pending = await economy.pending_applications(meeting_id) if meeting_id else []
    chosen_ids = (
        {c.case_id for c in chosen} if chosen is not None else {p["case_id"] for p in pending}
    )
    shown = [y for y in await economy.year_budgets() if from_year <= y.year < from_year + 3]
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
        "span": list(range(from_year, from_year + 3)),
        "extra_splits": {
            y.year: await _split_or_none(y.extra_contribution)
            for y in shown
            if y.extra_contribution
        },
        "can_manage": bool(can_manage(user)),
    }


class ReaderPages(Controller):
    """The portfolio overview for the board (and the office), read only."""

    path = "/portfolj"
    include_in_schema = False
    guards = [portfolio_readers]

    @get("/")
    async def overview(self) -> Redirect:
        return Redirect("/insatser")


ROUTE_HANDLERS = [
    AuthApi,
    AssociationApi,
    OrganisationApi,
    ContactApi,
    ContributionKeyApi,
    UserApi,
    InitiativeApi,
    ConditionApi,
    MeetingApi,
    CaseApi,
    DecisionApi,
    EconomyApi,
    AuditApi,
    DashboardApi,
    AuthPages,
    HomePages,
    AssociationPages,
    OrganisationPages,
    UserPages,
    InitiativePages,
    AuditPages,
    MeetingPages,
    CasePages,
    EconomyPages,
]
