"""The Swedish pages of meetings and cases, and the board member's reading view."""

from __future__ import annotations

import re
from typing import Any

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from portfolio.accounts.guards import office_only, portfolio_readers
from portfolio.accounts.permissions import (
    can_manage,
)
from portfolio.core.domain import (
    MEETING_TRANSITIONS,
    AttendeeRole,
    Body,
    FieldProblem,
    MeetingStatus,
    Principal,
)
from portfolio.core.errors import DomainError, ValidationFailed
from portfolio.core.web import AnyRequest, Form, choice, form_to_struct, me
from portfolio.meetings import decision_services as meetings_decision_services
from portfolio.meetings import papers as meetings_papers
from portfolio.meetings import proposals as meetings_proposals
from portfolio.meetings import queries
from portfolio.meetings import queries as meetings_queries
from portfolio.meetings import services as meetings_services
from portfolio.meetings.decisions import OUTCOME_LABELS, DecisionOutcome, suggested_outcome
from portfolio.meetings.schemas import (
    AttendanceIn,
    CaseCreate,
    DecisionIn,
    MeetingCreate,
    MeetingUpdate,
    ProposalUpdate,
    proposal_out,
)
from portfolio.meetings.votes import parse_vote_lines
from portfolio.register import queries as register_queries


class MeetingPages(Controller):
    path = "/moten"
    include_in_schema = False
    guards = [portfolio_readers]

    @get("/")
    async def list_page(self, request: AnyRequest) -> Template:
        return Template(
            "meetings.html",
            context={
                "meetings": await meetings_queries.meeting_rows(),
                "can_manage": bool(can_manage(me(request))),
                "values": {},
                "error": None,
            },
        )

    @post("/", guards=[office_only])
    async def create(self, request: AnyRequest, data: Form) -> Template | Redirect:
        try:
            row = await meetings_services.create_meeting(
                me(request), form_to_struct(data, MeetingCreate)
            )
        except DomainError as exc:
            context = {
                "meetings": await meetings_queries.meeting_rows(),
                "can_manage": True,
                "values": data,
                "error": exc.message,
            }
            return Template("meetings.html", context=context, status_code=exc.status_code)
        flash(request, "Mötet är planerat.", category="success")
        return Redirect(f"/moten/{row['id']}")

    @get("/{meeting_id:int}")
    async def detail(self, request: AnyRequest, meeting_id: FromPath[int]) -> Template:
        return Template("meeting.html", context=await _meeting_context(me(request), meeting_id))

    @post("/{meeting_id:int}", guards=[office_only])
    async def update(
        self, request: AnyRequest, meeting_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        try:
            await meetings_services.update_meeting(
                me(request), meeting_id, form_to_struct(data, MeetingUpdate)
            )
        except DomainError as exc:
            context = await _meeting_context(me(request), meeting_id)
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
            await meetings_services.save_attendance(
                me(request), meeting_id, _attendance_from_form(data)
            )
        except DomainError as exc:
            context = await _meeting_context(me(request), meeting_id)
            context.update(error=exc.message)
            return Template("meeting.html", context=context, status_code=exc.status_code)
        flash(request, "Närvaron är sparad.", category="success")
        return Redirect(f"/moten/{meeting_id}#narvaro")

    @post("/{meeting_id:int}/dagordning", guards=[office_only])
    async def add_case(
        self, request: AnyRequest, meeting_id: FromPath[int], data: Form
    ) -> Redirect:
        """Add an existing case, or register a new one (with its Dnr) straight onto the agenda."""
        user = me(request)
        try:
            case_id = choice(int, str(data.get("case_id", "")), "case_id")
            if case_id is None:
                case = await meetings_services.create_case(user, form_to_struct(data, CaseCreate))
                case_id = case["id"]
            await meetings_services.add_to_agenda(
                user,
                meeting_id,
                case_id,
                choice(int, str(data.get("attachments", "1")), "attachments") or 0,
            )
            flash(request, "Ärendet är tillagt på dagordningen.", category="success")
        except DomainError as exc:
            flash(request, exc.message, category="error")
        return Redirect(f"/moten/{meeting_id}")

    @post("/{meeting_id:int}/dagordning/{item_id:int}/flytta", guards=[office_only])
    async def move(
        self, request: AnyRequest, meeting_id: FromPath[int], item_id: FromPath[int], data: Form
    ) -> Redirect:
        await meetings_services.move_agenda_item(
            me(request), meeting_id, item_id, -1 if data.get("direction") == "up" else 1
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
            "person_id": int(data[f"person-{n}"])
            if str(data.get(f"person-{n}", "")).isdigit()
            else None,
        }
        for n in rows
        if str(data.get(f"name-{n}", "")).strip()
    ]
    return form_to_struct({"version": data.get("version"), "attendees": attendees}, AttendanceIn)


async def _meeting_context(user: Principal, meeting_id: int) -> dict[str, Any]:
    meeting = await queries.get_meeting(meeting_id)
    agenda = await meetings_queries.agenda_rows(meeting_id)
    on_agenda = {item["case"] for item in agenda}
    return {
        "meeting": meeting,
        "agenda": agenda,
        "cases": [c for c in await meetings_queries.case_rows() if c["id"] not in on_agenda],
        "initiatives": await register_queries.initiative_rows(user) if user.is_office else [],
        "next_status": sorted(MEETING_TRANSITIONS[MeetingStatus(meeting["status"])]),
        "attendees": await queries.attendees(meeting_id),
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
        return Template("case.html", context=await _case_context(me(request), case_id))

    @post("/{case_id:int}/anteckning")
    async def save_note(self, request: AnyRequest, case_id: FromPath[int], data: Form) -> Redirect:
        await meetings_services.save_case_note(
            me(request), case_id, str(data.get("text", ""))[:20_000]
        )
        flash(request, "Din anteckning är sparad. Bara du ser den.", category="success")
        return Redirect(f"/arenden/{case_id}")

    @post("/{case_id:int}/forslag", guards=[office_only])
    async def save_proposal(
        self, request: AnyRequest, case_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        user = me(request)
        try:
            if await queries.get_proposal(case_id) is None:
                await meetings_proposals.draft_proposal(user, case_id)
                flash(
                    request,
                    "Förslaget är utkastat med standardformuleringarna.",
                    category="success",
                )
                return Redirect(f"/arenden/{case_id}")
            await meetings_proposals.update_proposal(
                user, case_id, await _proposal_update(case_id, data)
            )
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
        user = me(request)
        try:
            meeting_id = choice(int, str(data.get("meeting_id", "")), "meeting_id")
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
                "clauses": _clause_lines(data.get("clauses")),
                "reservations": _lines(data.get("reservations")),
                "amount": str(data.get("amount", "0")).replace(" ", "").replace("\u00a0", "")
                or "0",
            }
            await meetings_decision_services.record_decision(
                user, meeting_id, form_to_struct(fields, DecisionIn, checkboxes=False)
            )
        except DomainError as exc:
            context = await _case_context(user, case_id)
            context.update(error=exc.message, decision_values=data)
            return Template("case.html", context=context, status_code=exc.status_code)
        flash(request, "Beslutet är infört.", category="success")
        return Redirect(f"/arenden/{case_id}")


async def _proposal_update(case_id: int, data: dict[str, Any]) -> ProposalUpdate:
    """The proposal form as an update of what changed: fields changed with the clauses left as
    they were write the grant att-sats anew; a clause edited alone is kept as typed (and the
    page then says where it disagrees with the fields)."""
    stored = await queries.get_proposal(case_id)
    current = proposal_out(stored) if stored else None
    fields: dict[str, Any] = {
        k: v
        for k, v in data.items()
        if k in ("version", "document_date", "application_text", "assessment_text")
    }
    clauses = _clause_lines(data.get("clauses"))
    if current is None or clauses != current.clauses:
        fields["clauses"] = clauses
    # The form's own names: the decision form on the same page has amount and period too.
    if "proposal_amount" in data:
        typed = str(data.get("proposal_amount", "")).replace(" ", "").replace("\u00a0", "")
        if current is None or typed != str(current.amount or ""):
            fields["amount"] = typed
    for name in ("period_start", "period_end"):
        if f"proposal_{name}" in data:
            old = getattr(current, name) if current else None
            if str(data[f"proposal_{name}"]) != (old.isoformat() if old else ""):
                fields[name] = data[f"proposal_{name}"]
    if "proposal_commitments" in data:
        split, problems = _year_lines(str(data.get("proposal_commitments", "")))
        if problems:
            raise ValidationFailed([FieldProblem("commitments", " ".join(problems))])
        if current is None or (split or None) != current.commitments:
            fields["commitments"] = split or None
    return form_to_struct(fields, ProposalUpdate)


def _year_lines(text: str) -> tuple[dict[int, int], list[str]]:
    """ "2022: 3 597 500" per line: the grant per year; a problem per line that cannot be read."""
    split: dict[int, int] = {}
    problems = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        year, _, amount = line.partition(":")
        digits = "".join(amount.split()).removesuffix("kr").removesuffix("kronor")
        if not year.strip().isdigit() or not digits.isdigit():
            problems.append(f"Rad {number}: skriv år, kolon och belopp ({line!r}).")
            continue
        split[int(year)] = int(digits)
    return split, problems


def _lines(value: Any) -> list[str]:
    """One att-sats (or reservation) per line of a text area; blank lines dropped."""
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def _clause_lines(value: Any) -> list[str]:
    """One att-sats per line of a text area, a line that does not open with "att" continuing
    the one before (a requirement list on lines of its own, or a clause pasted with breaks)."""
    clauses: list[str] = []
    for line in _lines(value):
        if clauses and not line.lower().startswith("att "):
            clauses[-1] = f"{clauses[-1]}\n{line}"
        else:
            clauses.append(line)
    return clauses


async def _case_context(user: Principal, case_id: int) -> dict[str, Any]:
    case = await queries.get_case(case_id)
    proposal = await queries.get_proposal(case_id)
    decisions = await queries.case_decisions(case_id)
    on_agendas = await meetings_papers.case_agenda_meetings(case_id)
    suggested = DecisionOutcome.GRANTED
    facts = (
        await meetings_proposals.application_facts(case["application"])
        if case["application"] and proposal
        else None
    )
    if facts is not None and proposal is not None:
        suggested = suggested_outcome(
            facts["amount"],
            facts["content"].period_start,
            facts["content"].period_end,
            proposal["amount"] or 0,
            proposal["period_start"],
            proposal["period_end"],
        )
    return {
        "suggested_outcome": suggested,
        "applied_amount": facts["amount"] if facts else None,
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
        "note": await meetings_services.case_note(user, case_id),
        "application_id": case["application"],
        "outcomes": OUTCOME_LABELS,
        "error": None,
        "proposal_values": None,
        "decision_values": None,
    }


class ReaderPages(Controller):
    """The portfolio overview for the board (and the office), read only."""

    path = "/portfolj"
    include_in_schema = False
    guards = [portfolio_readers]

    @get("/")
    async def overview(self) -> Redirect:
        return Redirect("/insatser")
