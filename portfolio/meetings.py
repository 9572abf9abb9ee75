"""Meeting use cases: plan meetings, register cases with their Dnr, and build agendas."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from applications.budget import stated_year_amounts
from portfolio import audit, queries
from portfolio.db import lock_for_update, write_transaction
from portfolio.decisions import (
    OUTCOME_LABELS,
    VOTE_CHOICE_LABELS,
    ClauseKind,
    DecisionOutcome,
    ProposedGrant,
    Vote,
    VoteChoice,
    check_commitments,
    classify_clause,
    conditions_from_clauses,
    join_swedish,
    other_clause,
    split_as_applied,
    standard_clauses,
    supersede_label,
    tally,
)
from portfolio.documents.models import (
    AgendaEntry,
    Attendee,
    ExtractDocument,
    Letterhead,
    MinutesDocument,
    MinutesSection,
    NoticeDocument,
    ProposalDocument,
    Signature,
)
from portfolio.documents.models import Vote as MinutesVote
from portfolio.domain import (
    ATTENDEE_ROLE_LABELS,
    BODY_LABELS,
    CASE_KIND_LABELS,
    MEETING_TRANSITIONS,
    VOTING_ROLES,
    AttendeeRole,
    Body,
    CaseKind,
    FieldProblem,
    InitiativeStatus,
    MeetingStatus,
    Principal,
    Role,
    attachment_label,
    format_case_number,
)
from portfolio.errors import Conflict, NotFound, ValidationFailed
from portfolio.mail import notifications
from portfolio.permissions import can_manage, can_read_portfolio
from portfolio.schemas import (
    AttendanceIn,
    CaseCreate,
    DecisionIn,
    MeetingCreate,
    MeetingUpdate,
    ProposalUpdate,
    set_fields,
)
from portfolio.services import _columns, get_initiative, require
from portfolio.tables import (
    AgendaItem,
    Case,
    CaseCounter,
    CaseNote,
    Commitment,
    Condition,
    Decision,
    Initiative,
    Meeting,
    MeetingAttendee,
    Proposal,
)
from portfolio.versioning import update_versioned


async def get_meeting(meeting_id: int) -> dict[str, Any]:
    row = await queries.meeting_row(meeting_id)
    if row is None:
        raise NotFound("Mötet finns inte.")
    return row


async def create_meeting(actor: Principal, data: MeetingCreate) -> dict[str, Any]:
    """A new meeting, with every active board member called to it (the office adjusts the list)."""
    require(can_manage(actor))
    async with write_transaction():
        row = (
            await Meeting.insert(Meeting(**msgspec.structs.asdict(data))).returning(
                *Meeting._meta.columns
            )
        )[0]
        board = [u for u in await queries.user_rows() if u["role"] == Role.BOARD and u["active"]]
        if board:
            await MeetingAttendee.insert(
                *[
                    MeetingAttendee(
                        meeting=row["id"],
                        user=u["id"],
                        name=u["name"],
                        role=role_from_title(u["title"]),
                        position=index,
                    )
                    for index, u in enumerate(board)
                ]
            )
        await audit.record(actor, "create", "meeting", row["id"], None, row)
    return row


async def attendees(meeting_id: int) -> list[dict[str, Any]]:
    """Who is called to the meeting and who came, chair first, in the list's order."""
    await get_meeting(meeting_id)
    rows = await MeetingAttendee.select().where(MeetingAttendee.meeting == meeting_id)
    order = {role: index for index, role in enumerate(AttendeeRole)}
    return sorted(rows, key=lambda r: (order[AttendeeRole(r["role"])], r["position"], r["id"]))


async def save_attendance(
    actor: Principal, meeting_id: int, data: AttendanceIn
) -> list[dict[str, Any]]:
    """Replace the list of who is called and who came; refused once the minutes are justerat."""
    require(can_manage(actor))
    async with write_transaction():
        meeting = await get_meeting(meeting_id)
        if meeting["status"] == MeetingStatus.APPROVED:
            raise Conflict("Protokollet är justerat; närvaron kan inte ändras.", field="attendees")
        before = await attendees(meeting_id)
        # The meeting's version guards the list: two people taking attendance never overwrite.
        await update_versioned(Meeting, meeting_id, data.version, {}, what="Mötet")
        await MeetingAttendee.delete().where(MeetingAttendee.meeting == meeting_id)
        if data.attendees:
            await MeetingAttendee.insert(
                *[
                    MeetingAttendee(
                        meeting=meeting_id,
                        user=a.user_id,
                        name=a.name.strip(),
                        organisation=a.organisation.strip(),
                        role=a.role,
                        invited=a.invited,
                        present=a.present,
                        position=index,
                    )
                    for index, a in enumerate(data.attendees)
                ]
            )
        after = await attendees(meeting_id)
        present = sum(1 for a in after if a["present"])
        await audit.record(
            actor,
            "update",
            "attendance",
            meeting_id,
            {"attendees": [a["name"] for a in before]},
            {"attendees": [a["name"] for a in after]},
            summary=f"Närvaro: {present} av {len(after)} närvarande",
        )
    return after


async def update_meeting(
    actor: Principal, meeting_id: int, update: MeetingUpdate
) -> dict[str, Any]:
    """Edit a meeting; its status moves forward one step at a time (planned → … → justerat)."""
    require(can_manage(actor))
    async with write_transaction():
        before = await get_meeting(meeting_id)
        values = set_fields(update)
        if "status" in values:
            current, target = MeetingStatus(before["status"]), MeetingStatus(str(values["status"]))
            if target != current and target not in MEETING_TRANSITIONS[current]:
                raise ValidationFailed(
                    [FieldProblem("status", "Mötet kan inte gå till den statusen härifrån.")]
                )
        if before["status"] == MeetingStatus.APPROVED:
            raise Conflict("Protokollet är justerat; mötet kan inte ändras.", field="status")
        if values.get("status") == MeetingStatus.APPROVED:
            checker = values.get("checker", before["checker"])
            if not str(checker).strip():
                raise ValidationFailed(
                    [FieldProblem("checker", "Ange justerare innan protokollet justeras.")]
                )
            values["approved_on"] = dt.date.today()
        after = await update_versioned(
            Meeting, meeting_id, update.version, _columns(Meeting, values), what="Mötet"
        )
        await audit.record(actor, "update", "meeting", meeting_id, before, after)
        if (
            before["status"] == MeetingStatus.PLANNED
            and after["status"] == MeetingStatus.NOTICE_SENT
        ):
            await notifications.meeting_notice(actor, meeting_id)
    return after


async def next_case_number(year: int) -> int:
    """The next Dnr number of the year: one statement that takes the counter's row lock.

    Run inside the transaction that inserts the case, so a failed insert rolls the counter back
    (no gaps), and a concurrent allocation waits for this one to commit (no duplicates).
    """
    rows = await CaseCounter.raw(
        "INSERT INTO case_counter (year, last_number) VALUES ({}, 1) "
        "ON CONFLICT (year) DO UPDATE SET last_number = case_counter.last_number + 1 "
        "RETURNING last_number",
        year,
    )
    return int(rows[0]["last_number"])


async def create_case(actor: Principal, data: CaseCreate) -> dict[str, Any]:
    require(can_manage(actor))
    year = data.year or dt.date.today().year
    async with write_transaction():
        initiative_id = data.initiative_id
        if data.application_id is not None:
            from applications.queries import application_row

            application = await application_row(data.application_id)
            if application is None:
                raise ValidationFailed([FieldProblem("application_id", "Ansökan finns inte.")])
            # The case of an application concerns that application's insats.
            initiative_id = initiative_id or application["initiative"]
        if initiative_id is not None:
            await get_initiative(actor, initiative_id)
        number = await next_case_number(year)
        row = (
            await Case.insert(
                Case(
                    year=year,
                    number=number,
                    case_number=format_case_number(year, number),
                    title=data.title.strip(),
                    kind=data.kind,
                    initiative=initiative_id,
                    application=data.application_id,
                )
            ).returning(*Case._meta.columns)
        )[0]
        await audit.record(actor, "create", "case", row["id"], None, row, row["case_number"])
    return row


async def get_case(case_id: int) -> dict[str, Any]:
    row = await queries.case_row(case_id)
    if row is None:
        raise NotFound("Ärendet finns inte.")
    return row


async def add_to_agenda(
    actor: Principal, meeting_id: int, case_id: int, attachments: int = 1
) -> list[dict[str, Any]]:
    """Put a case last on a meeting's agenda (a case goes on the AU's agenda, then the FS's)."""
    require(can_manage(actor))
    async with write_transaction():
        meeting = await get_meeting(meeting_id)
        if meeting["status"] in (MeetingStatus.HELD, MeetingStatus.APPROVED):
            raise Conflict(
                "Mötet är redan hållet; dagordningen kan inte ändras.", field="meeting_id"
            )
        await get_case(case_id)
        items = await queries.agenda_rows(meeting_id)
        if any(item["case"] == case_id for item in items):
            raise Conflict("Ärendet står redan på dagordningen.", field="case_id")
        row = (
            await AgendaItem.insert(
                AgendaItem(
                    meeting=meeting_id,
                    case=case_id,
                    position=len(items) + 1,
                    attachments=max(attachments, 0),
                )
            ).returning(*AgendaItem._meta.columns)
        )[0]
        await audit.record(actor, "create", "agenda_item", row["id"], None, row)
    return await queries.agenda_rows(meeting_id)


async def move_agenda_item(
    actor: Principal, meeting_id: int, item_id: int, steps: int
) -> list[dict[str, Any]]:
    """Move an item up (negative) or down; the other items close up so positions stay 1..n."""
    require(can_manage(actor))
    async with write_transaction():
        meeting = await get_meeting(meeting_id)
        if meeting["status"] in (MeetingStatus.HELD, MeetingStatus.APPROVED):
            # The order is the minutes' § numbering: fixed once the meeting has been held.
            raise Conflict("Mötet är genomfört; dagordningen kan inte ändras.", field="meeting_id")
        items = await queries.agenda_rows(meeting_id)
        ids = [item["id"] for item in items]
        if item_id not in ids:
            raise NotFound("Punkten finns inte på dagordningen.")
        index = ids.index(item_id)
        ids.insert(max(0, min(len(ids) - 1, index + steps)), ids.pop(index))
        for position, moved in enumerate(ids, start=1):
            await AgendaItem.update({AgendaItem.position: position}).where(AgendaItem.id == moved)
        await audit.record(
            actor,
            "update",
            "agenda",
            meeting_id,
            {"order": [i["id"] for i in items]},
            {"order": ids},
        )
    return await queries.agenda_rows(meeting_id)


def _clock(text: str) -> dt.time | None:
    if not text:
        return None
    hours, minutes = text.replace(":", ".").split(".")
    return dt.time(int(hours), int(minutes))


async def letterhead() -> Letterhead:
    association = await queries.association_row() or {}
    return Letterhead(
        name=association.get("name", ""),
        org_number=association.get("org_number", ""),
        address=association.get("address", ""),
        postal_address=association.get("postal_address", ""),
        email=association.get("email", ""),
        phone=association.get("phone", ""),
    )


def role_from_title(title: str) -> AttendeeRole:
    """A board member's part from their title in the register: "Vice ordförande" and so on."""
    text = title.strip().lower()
    if text.startswith("vice ordförande"):
        return AttendeeRole.VICE_CHAIR
    if text.startswith("ordförande"):
        return AttendeeRole.CHAIR
    if text.startswith("ersättare"):
        return AttendeeRole.SUBSTITUTE
    return AttendeeRole.MEMBER


def _attendee(row: dict[str, Any]) -> Attendee:
    return Attendee(
        name=row["name"],
        organisation=row["organisation"],
        role=ATTENDEE_ROLE_LABELS[AttendeeRole(row["role"])],
    )


def agenda_entry(item: dict[str, Any]) -> AgendaEntry:
    """One row of the föredragningslista from an agenda row (queries.agenda_rows)."""
    return AgendaEntry(
        number=item["position"],
        title=item["title"],
        case_number=item["case_number"],
        attachment_label=item["attachment_label"] if item["attachments"] else "",
        kind_label=CASE_KIND_LABELS[CaseKind(item["kind"])],
    )


async def notice_document(meeting_id: int) -> NoticeDocument:
    """The kallelse with its föredragningslista, from the meeting, its agenda and the board."""
    meeting = await get_meeting(meeting_id)
    association = await queries.association_row() or {}
    invited = [_attendee(a) for a in await attendees(meeting_id) if a["invited"]]
    agenda = [agenda_entry(item) for item in await queries.agenda_rows(meeting_id)]
    return NoticeDocument(
        letterhead=await letterhead(),
        body=BODY_LABELS[Body(meeting["body"])] + (" – extra möte" if meeting["extra"] else ""),
        meeting_date=meeting["meeting_date"],
        start_time=_clock(meeting["start_time"]),
        end_time=_clock(meeting["end_time"]),
        place=meeting["place"],
        invited=invited,
        agenda=agenda,
        note="Förhinder anmäls till förbundschefen.",
        signature=Signature(name=association.get("director_name", ""), title="Förbundschef"),
    )


# -- proposals ------------------------------------------------------------------------------


def _encode(value: Any) -> str:
    return msgspec.json.encode(value).decode()


async def application_facts(application_id: int) -> dict[str, Any] | None:
    """The latest submitted version of an application: what a proposal is drafted from."""
    from applications.queries import application_row, version_rows
    from applications.services import decode_content

    row = await application_row(application_id)
    versions = await version_rows(application_id)
    if row is None or not versions:
        return None
    content = decode_content(versions[-1]["content"])
    return {"row": row, "content": content, "amount": versions[-1]["applied_amount"]}


async def get_proposal(case_id: int) -> dict[str, Any] | None:
    return await Proposal.select().where(Proposal.case == case_id).first()


async def _refuse_if_minutes_approved(case_id: int) -> None:
    """A proposal decided at a meeting whose minutes are approved is part of the record."""
    decided = await Decision.exists().where(
        (Decision.case == case_id) & (Decision.meeting.status == MeetingStatus.APPROVED)
    )
    if decided:
        raise Conflict(
            "Ärendet är avgjort och protokollet justerat; förslaget kan inte ändras.",
            field="case_id",
        )


async def draft_proposal(actor: Principal, case_id: int) -> dict[str, Any]:
    """The proposal for a case, drafted once: from the application, the standard att-satser."""
    require(can_manage(actor))
    async with write_transaction():
        existing = await get_proposal(case_id)
        if existing is not None:
            return existing
        case = await get_case(case_id)
        clauses = [other_clause(ClauseKind.INFORMATION).text]
        values: dict[str, Any] = {}
        facts = await application_facts(case["application"]) if case["application"] else None
        if facts is not None:
            content = facts["content"]
            if content.period_start and content.period_end:
                grant = ProposedGrant(
                    initiative=content.insats_name,
                    period_start=content.period_start,
                    period_end=content.period_end,
                    amount=facts["amount"],
                    extension_option=True,
                )
                clauses = [c.text for c in standard_clauses(grant)]
                values = {
                    "amount": facts["amount"],
                    "period_start": content.period_start,
                    "period_end": content.period_end,
                }
            names = await queries.organisation_names()
            partners = [
                names.get(p.organisation_id or 0, "")
                for p in (*content.co_owners, *content.partners)
            ]
            values["application_text"] = (
                f"{facts['row']['organisation_name']} ansöker om finansiering för insatsen {content.insats_name}"
                + (
                    f" tillsammans med {join_swedish([p for p in partners if p])}"
                    if any(partners)
                    else ""
                )
                + f". {content.purpose}".rstrip()
            )
        row = (
            await Proposal.insert(
                Proposal(
                    case=case_id, document_date=dt.date.today(), clauses=_encode(clauses), **values
                )
            ).returning(*Proposal._meta.columns)
        )[0]
        await audit.record(actor, "create", "proposal", row["id"], None, row, case["case_number"])
    return row


async def update_proposal(actor: Principal, case_id: int, update: ProposalUpdate) -> dict[str, Any]:
    require(can_manage(actor))
    async with write_transaction():
        before = await get_proposal(case_id)
        if before is None:
            raise NotFound("Ärendet har inget förslag ännu.")
        await _refuse_if_minutes_approved(case_id)
        values = set_fields(update)
        if "clauses" in values:
            values["clauses"] = _encode(values["clauses"])
        after = await update_versioned(
            Proposal, before["id"], update.version, _columns(Proposal, values), what="Förslaget"
        )
        await audit.record(actor, "update", "proposal", before["id"], before, after)
    return after


# -- decisions ------------------------------------------------------------------------------


async def record_decision(actor: Principal, meeting_id: int, data: DecisionIn) -> dict[str, Any]:
    """Record what the board decided on a case: clauses, amount split into yearly commitments,
    votes, reservations, and the conditions that follow the insats. Taken decisions are final;
    a change is a new decision that supersedes the old one, which stays on record.
    """
    require(can_manage(actor))
    async with write_transaction():
        # One decision at a time per meeting (its § numbers) and per case (its one current
        # decision): a double click, or two of the office at once, cannot record two.
        await lock_for_update(Meeting, meeting_id)
        await lock_for_update(Case, data.case_id)
        meeting = await get_meeting(meeting_id)
        if meeting["body"] != Body.BOARD:
            raise ValidationFailed(
                [
                    FieldProblem(
                        "meeting_id",
                        "Beslut fattas av förbundsstyrelsen; arbetsutskottet föreslår.",
                    )
                ]
            )
        if meeting["status"] == MeetingStatus.APPROVED:
            raise Conflict(
                "Protokollet är justerat; inga fler beslut kan föras in.", field="meeting_id"
            )
        case = await get_case(data.case_id)
        grants = data.outcome in (DecisionOutcome.GRANTED, DecisionOutcome.PARTLY_GRANTED)
        problems = _decision_problems(data, grants)
        split: dict[int, int] = {}
        if grants and data.period_start and data.period_end and not problems:
            if data.commitments is not None:
                split = dict(data.commitments)
            else:
                # As the application's own per-year summary has it, where that fits the grant.
                facts = (
                    await application_facts(case["application"]) if case["application"] else None
                )
                applied = stated_year_amounts(facts["content"].budget) if facts else {}
                split = split_as_applied(data.amount, data.period_start, data.period_end, applied)
            problems += [
                FieldProblem("commitments", p)
                for p in check_commitments(data.amount, split, data.period_start, data.period_end)
            ]
        if grants and case["initiative"] is None:
            problems.append(FieldProblem("case_id", "Ett beviljande beslut måste gälla en insats."))
        if problems:
            raise ValidationFailed(problems)
        if data.supersedes_id is not None:
            earlier = await Decision.select().where(Decision.id == data.supersedes_id).first()
            if earlier is None or earlier["case"] != data.case_id:
                raise ValidationFailed(
                    [FieldProblem("supersedes_id", "Beslutet som ändras hör inte till ärendet.")]
                )
            if await Decision.exists().where(Decision.supersedes == data.supersedes_id):
                raise Conflict(
                    "Beslutet är redan ändrat av ett senare beslut.", field="supersedes_id"
                )
        elif await _current_decision(data.case_id) is not None:
            raise Conflict(
                "Ärendet har redan ett beslut. Ett nytt beslut måste ange vilket beslut det ändrar.",
                field="supersedes_id",
            )
        paragraph = await Decision.count().where(Decision.meeting == meeting_id) + 1
        votes = [msgspec.to_builtins(v) for v in data.votes]
        row = (
            await Decision.insert(
                Decision(
                    case=data.case_id,
                    meeting=meeting_id,
                    paragraph=paragraph,
                    outcome=data.outcome,
                    clauses=_encode(data.clauses),
                    amount=data.amount if grants else 0,
                    period_start=data.period_start if grants else None,
                    period_end=data.period_end if grants else None,
                    votes=_encode(votes),
                    reservations=_encode(data.reservations),
                    supersedes=data.supersedes_id,
                    decided_by=actor.user_id,
                )
            ).returning(*Decision._meta.columns)
        )[0]
        for year, amount in sorted(split.items()):
            await Commitment.insert(
                Commitment(
                    decision=row["id"], initiative=case["initiative"], year=year, amount=amount
                )
            )
        if case["initiative"] is not None and data.outcome is not DecisionOutcome.TABLED:
            await _follow_up_on_initiative(
                actor, case["initiative"], data, grants, f"{case['case_number']} § {paragraph}"
            )
        if case["application"] is not None and data.outcome is not DecisionOutcome.TABLED:
            from applications.tables import Application

            await Application.update({Application.status: "decided"}).where(
                Application.id == case["application"]
            )
        await audit.record(
            actor,
            "decide",
            "decision",
            row["id"],
            None,
            {**row, "commitments": split},
            f"{case['case_number']} § {paragraph}",
        )
        await notifications.decision_recorded(actor, row["id"])
    return await decision_detail(row["id"])


def _decision_problems(data: DecisionIn, grants: bool) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if not data.clauses:
        problems.append(FieldProblem("clauses", "Ett beslut har minst en att-sats."))
    if grants:
        if data.amount <= 0:
            problems.append(FieldProblem("amount", "Ange beviljat belopp."))
        if data.period_start is None or data.period_end is None:
            problems.append(FieldProblem("period_start", "Ange beviljad period."))
        elif data.period_end < data.period_start:
            problems.append(FieldProblem("period_end", "Slutdatum kan inte vara före startdatum."))
    tally_votes = [
        Vote(member=v.member, choice=v.choice, conflict=v.conflict, chair=v.chair)
        for v in data.votes
    ]
    if tally_votes:
        result = tally(tally_votes)
        if not result.carried and data.outcome is not DecisionOutcome.REJECTED:
            problems.append(
                FieldProblem("votes", "Omröstningen bifaller inte förslaget; beslutet blir avslag.")
            )
    return problems


async def _follow_up_on_initiative(
    actor: Principal, initiative_id: int, data: DecisionIn, grants: bool, reference: str
) -> None:
    """A grant moves the insats to granted (or keeps it running) and its conditions follow it;
    both are audited like the office's own changes to them, naming the decision."""
    if not grants:
        return
    moved = await (
        Initiative.update(
            {
                Initiative.status: InitiativeStatus.GRANTED,
                Initiative.period_start: data.period_start,
                Initiative.period_end: data.period_end,
                # A new version: an edit form opened before the decision cannot undo it.
                Initiative.version: Initiative.version + 1,
            }
        )
        .where((Initiative.id == initiative_id) & (Initiative.status == InitiativeStatus.APPLIED))
        .returning(Initiative.id)
    )
    if moved:
        await audit.record(
            actor,
            "update",
            "initiative",
            initiative_id,
            {"status": InitiativeStatus.APPLIED.value},
            {
                "status": InitiativeStatus.GRANTED.value,
                "period_start": data.period_start,
                "period_end": data.period_end,
            },
            f"Beviljad genom beslut {reference}",
        )
    else:
        # An extension (or a later grant) carries the insats on: its period reaches the new end,
        # which is what claims and the forecast are checked against.
        row = (
            await Initiative.select(Initiative.period_end)
            .where(Initiative.id == initiative_id)
            .first()
        )
        if (
            row
            and data.period_end
            and (row["period_end"] is None or data.period_end > row["period_end"])
        ):
            await Initiative.update(
                {Initiative.period_end: data.period_end, Initiative.version: Initiative.version + 1}
            ).where(Initiative.id == initiative_id)
            await audit.record(
                actor,
                "update",
                "initiative",
                initiative_id,
                {"period_end": row["period_end"]},
                {"period_end": data.period_end},
                f"Förlängd till {data.period_end.isoformat()} genom beslut {reference}",
            )
    for kind, text in conditions_from_clauses(classify_clause(c) for c in data.clauses):
        row = (
            await Condition.insert(
                Condition(initiative=initiative_id, kind=kind, text=text)
            ).returning(*Condition._meta.columns)
        )[0]
        await audit.record(
            actor, "create", "condition", row["id"], None, row, f"Från beslut {reference}"
        )


async def _current_decision(case_id: int) -> dict[str, Any] | None:
    """The case's decision that no later decision has superseded."""
    superseded = Decision.select(Decision.supersedes).where(Decision.supersedes.is_not_null())
    return (
        await Decision.select()
        .where((Decision.case == case_id) & Decision.id.not_in(superseded))
        .first()
    )


async def decision_detail(decision_id: int) -> dict[str, Any]:
    row = (
        await Decision.select(
            *Decision._meta.columns, Decision.case.case_number.as_alias("case_number")
        )
        .where(Decision.id == decision_id)
        .first()
    )
    if row is None:
        raise NotFound("Beslutet finns inte.")
    later = await Decision.select(Decision.id).where(Decision.supersedes == decision_id).first()
    commitments = (
        await Commitment.select(Commitment.year, Commitment.amount)
        .where(Commitment.decision == decision_id)
        .order_by(Commitment.year)
    )
    votes = _decode_list(row["votes"])
    summary = tally([msgspec.convert(v, Vote) for v in votes]).summary if votes else ""
    return {
        **row,
        "clauses": _decode_list(row["clauses"]),
        "votes": votes,
        "reservations": _decode_list(row["reservations"]),
        "vote_summary": summary,
        "superseded_by": later["id"] if later else None,
        "commitments": commitments,
    }


def _decode_list(value: Any) -> list[Any]:
    decoded = value if isinstance(value, list) else msgspec.json.decode(value or "[]")
    return decoded if isinstance(decoded, list) else []


async def meeting_decisions(meeting_id: int) -> list[dict[str, Any]]:
    rows = (
        await Decision.select(Decision.id)
        .where(Decision.meeting == meeting_id)
        .order_by(Decision.paragraph)
    )
    return [await decision_detail(r["id"]) for r in rows]


# -- documents ------------------------------------------------------------------------------


async def _case_meetings(case_id: int) -> dict[str, dict[str, Any]]:
    """The AU and FS meetings whose agendas hold the case, with the item (for its bilaga)."""
    items = await AgendaItem.select(
        AgendaItem.meeting, AgendaItem.position, AgendaItem.attachments
    ).where(AgendaItem.case == case_id)
    found: dict[str, dict[str, Any]] = {}
    for item in items:
        meeting = await get_meeting(item["meeting"])
        found[meeting["body"]] = {
            **meeting,
            "attachment_label": attachment_label(item["position"], item["attachments"]),
        }
    return found


async def proposal_document(case_id: int) -> ProposalDocument:
    case = await get_case(case_id)
    proposal = await get_proposal(case_id)
    if proposal is None:
        raise NotFound("Ärendet har inget förslag ännu.")
    association = await queries.association_row() or {}
    held = await _case_meetings(case_id)
    au, fs = held.get(Body.WORKING_COMMITTEE), held.get(Body.BOARD)
    return ProposalDocument(
        letterhead=await letterhead(),
        document_date=proposal["document_date"],
        case_number=case["case_number"],
        au_date=au["meeting_date"] if au else None,
        fs_date=fs["meeting_date"] if fs else None,
        attachment_label=fs["attachment_label"] if fs else "",
        title=case["title"],
        clauses=_decode_list(proposal["clauses"]),
        application_text=proposal["application_text"],
        assessment_text=proposal["assessment_text"],
        signature=Signature(name=association.get("director_name", ""), title="Förbundschef"),
    )


def _section(decision: dict[str, Any], title: str) -> MinutesSection:
    votes = [
        MinutesVote(name=v["member"], choice=VOTE_CHOICE_LABELS[VoteChoice(v["choice"])].lower())
        for v in decision["votes"]
        if v.get("choice") and not v.get("conflict")
    ]
    return MinutesSection(
        paragraph=decision["paragraph"],
        title=title,
        case_number=decision["case_number"],
        outcome_label=OUTCOME_LABELS[DecisionOutcome(decision["outcome"])],
        clauses=decision["clauses"],
        votes=votes,
        casting_vote=decision["vote_summary"]
        if "utslagsröst avgjorde" in decision["vote_summary"]
        else "",
        reservations=decision["reservations"],
        conflicts=[v["member"] for v in decision["votes"] if v.get("conflict")],
        supersedes=decision.get("supersedes_label", ""),
    )


async def minutes_document(meeting_id: int) -> MinutesDocument:
    """The protokoll: one § per decision, in the order they were taken."""
    meeting = await get_meeting(meeting_id)
    body = BODY_LABELS[Body(meeting["body"])]
    sections = []
    for decision in await meeting_decisions(meeting_id):
        case = await get_case(decision["case"])
        if decision["supersedes"]:
            earlier = await decision_detail(decision["supersedes"])
            earlier_meeting = await get_meeting(earlier["meeting"])
            decision["supersedes_label"] = supersede_label(
                earlier_meeting["meeting_date"], earlier["paragraph"]
            )
        sections.append(_section(decision, case["title"]))
    people = await attendees(meeting_id)
    voting = [a for a in people if AttendeeRole(a["role"]) in VOTING_ROLES]
    others = [a for a in people if AttendeeRole(a["role"]) not in VOTING_ROLES]
    return MinutesDocument(
        letterhead=await letterhead(),
        body=body,
        meeting_date=meeting["meeting_date"],
        start_time=_clock(meeting["start_time"]),
        end_time=_clock(meeting["end_time"]),
        place=meeting["place"],
        chair=meeting["chair"],
        secretary=meeting["secretary"],
        checker=meeting["checker"],
        approved_on=meeting["approved_on"],
        present=[_attendee(a) for a in voting if a["present"]],
        absent=[_attendee(a) for a in voting if a["invited"] and not a["present"]],
        others_present=[_attendee(a) for a in others if a["present"]],
        sections=sections,
    )


async def case_decisions(case_id: int) -> list[dict[str, Any]]:
    rows = await Decision.select(Decision.id).where(Decision.case == case_id).order_by(Decision.id)
    return [await decision_detail(r["id"]) for r in rows]


async def case_agenda_meetings(case_id: int) -> list[dict[str, Any]]:
    """The meetings whose agendas hold the case, earliest first."""
    items = await AgendaItem.select(AgendaItem.meeting).where(AgendaItem.case == case_id)
    meetings = [await get_meeting(item["meeting"]) for item in items]
    return sorted(meetings, key=lambda m: m["meeting_date"])


async def extract_document(actor: Principal, decision_id: int) -> ExtractDocument:
    """The protokollsutdrag for one decision: for the office, the board, and the insats's owners."""
    decision = await decision_detail(decision_id)
    case = await get_case(decision["case"])
    if not can_read_portfolio(actor):
        if case["initiative"] is None:
            raise NotFound("Beslutet finns inte.")
        await get_initiative(
            actor, case["initiative"]
        )  # 404 unless the owner's organisation takes part
    minutes = await minutes_document(decision["meeting"])
    section = next(s for s in minutes.sections if s.paragraph == decision["paragraph"])
    association = await queries.association_row() or {}
    return ExtractDocument(
        minutes=minutes, section=section, certified_by=association.get("director_name", "")
    )


# -- private notes ------------------------------------------------------------------------


async def case_note(actor: Principal, case_id: int) -> str:
    """The signed-in person's own note on a case (nobody else's, the office's neither)."""
    await get_case(case_id)
    row = (
        await CaseNote.select(CaseNote.text)
        .where((CaseNote.user == actor.user_id) & (CaseNote.case == case_id))
        .first()
    )
    return str(row["text"]) if row else ""


async def save_case_note(actor: Principal, case_id: int, text: str) -> str:
    """Keep a private note; it is tied to the case, so it survives a late replacement of its papers.

    The audit trail records who and when, never the text: the note is the member's own.
    """
    await get_case(case_id)
    async with write_transaction():
        existing = (
            await CaseNote.select(CaseNote.id)
            .where((CaseNote.user == actor.user_id) & (CaseNote.case == case_id))
            .first()
        )
        if existing is None:
            await CaseNote.insert(CaseNote(user=actor.user_id, case=case_id, text=text))
        else:
            await CaseNote.update(
                {CaseNote.text: text, CaseNote.updated_at: dt.datetime.now(dt.UTC)}
            ).where(CaseNote.id == existing["id"])
        await audit.record(
            actor, "update", "case_note", case_id, summary="Privat anteckning sparad"
        )
    return text
