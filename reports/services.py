"""Report and requisition use cases: load, apply the domain's rules, save and audit in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from applications.budget import CostCategory, compute_totals
from applications.domain import ApplicationContent, ApplicationStatus
from portfolio.accounts.permissions import require
from portfolio.core import audit
from portfolio.core.db import lock_for_update, write_transaction
from portfolio.core.domain import FieldProblem, Principal
from portfolio.core.errors import Conflict, NotFound, ValidationFailed
from portfolio.core.tables import Initiative
from portfolio.core.versioning import update_versioned
from portfolio.register.services import get_initiative
from reports import notices as notifications
from reports import queries
from reports.domain import (
    REPORT_KIND_LABELS,
    CostAmount,
    EarlierClaim,
    GoalResult,
    GoalTarget,
    GrantFacts,
    Participants,
    ReportContent,
    ReportKind,
    ReportStatus,
    RequisitionFlag,
    RequisitionLine,
    RequisitionStatus,
    blocking,
    check_requisition,
    participants_notice,
    report_problems,
    requisition_problems,
    year_forecast,
)
from reports.permissions import (
    can_decide_requisition,
    can_edit_report,
    can_record_payment,
    can_review_report,
    can_view_report,
    can_view_requisition,
    can_write_reports,
)
from reports.schedule import (
    SLOT_STATE_LABELS,
    Slot,
    SlotState,
    days_late,
    find_slot,
    report_schedule,
    slot_key,
    slot_state,
)
from reports.schemas import ReportCreate, RequisitionCreate, SlotOut
from reports.tables import Report, Requisition


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def decode_report(raw: Any) -> ReportContent:
    if isinstance(raw, dict):
        return msgspec.convert(raw, ReportContent)
    return msgspec.json.decode(raw or "{}", type=ReportContent)


def _encode(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def decode_lines(raw: Any) -> list[RequisitionLine]:
    value = raw if isinstance(raw, list) else msgspec.json.decode(raw or "[]")
    return msgspec.convert(value, list[RequisitionLine])


def decode_flags(raw: Any) -> list[RequisitionFlag]:
    value = raw if isinstance(raw, list) else msgspec.json.decode(raw or "[]")
    return msgspec.convert(value, list[RequisitionFlag])


def report_label(row: dict[str, Any]) -> str:
    kind = ReportKind(row["kind"])
    if kind is ReportKind.QUARTERLY:
        return f"Kvartal {row['quarter']} {row['year']}"
    period = report_period(row)
    return f"{REPORT_KIND_LABELS[kind]} {period}" if period else REPORT_KIND_LABELS[kind]


def report_period(row: dict[str, Any]) -> str:
    """What a report covers, for a sentence: "kvartal 3 2026", a deviation's date, or nothing."""
    kind = ReportKind(row["kind"])
    if kind is ReportKind.QUARTERLY:
        return f"kvartal {row['quarter']} {row['year']}"
    if kind is ReportKind.DEVIATION:
        day = row.get("period_end") or row.get("created_at")
        return f"{day:%Y-%m-%d}" if day else ""
    return ""


# -- what was granted ---------------------------------------------------------------------------


async def granted_content(initiative_id: int) -> ApplicationContent | None:
    """The application behind the grant: the last decided application's last sent-in version."""
    from applications.queries import application_rows_for_initiative, version_rows
    from applications.services import decode_content

    decided = [
        r
        for r in await application_rows_for_initiative(initiative_id)
        if r["status"] == ApplicationStatus.DECIDED
    ]
    for row in reversed(decided):
        versions = await version_rows(row["id"])
        if versions:
            return decode_content(versions[-1]["content"])
    return None


async def grant_facts(initiative_id: int) -> tuple[GrantFacts, list[GoalTarget]]:
    """The granted period, commitments per year and budget per category, and the goals."""
    initiative = await Initiative.select().where(Initiative.id == initiative_id).first()
    if initiative is None:
        raise NotFound("Insatsen finns inte.")
    content = await granted_content(initiative_id)
    budget: dict[CostCategory, int] = {}
    goals: list[GoalTarget] = []
    if content is not None:
        if content.budget.lines:
            totals = compute_totals(content.budget).association
            budget = {c: t.total for c, t in totals.categories.items() if t.total}
        goals = [
            GoalTarget(index=i, text=g.text, target=g.target, unit=g.unit)
            for i, g in enumerate(content.goals)
            if g.text.strip()
        ]
    facts = GrantFacts(
        period_start=initiative["period_start"],
        period_end=initiative["period_end"],
        commitments=await queries.commitments_by_year(initiative_id),
        category_budget=budget,
    )
    return facts, goals


# -- the schedule -------------------------------------------------------------------------------


async def schedule_slots(
    actor: Principal, today: dt.date, initiative_id: int | None = None
) -> list[SlotOut]:
    """Every scheduled report of the insatser `actor` may see, with where it stands today."""
    initiatives = await queries.reporting_initiatives(actor)
    if initiative_id is not None:
        initiatives = [i for i in initiatives if i["id"] == initiative_id]
    statuses = await queries.slot_statuses([i["id"] for i in initiatives])
    days = await queries.due_days()
    out = []
    for initiative in initiatives:
        for slot in report_schedule(initiative["period_start"], initiative["period_end"], days):
            key = slot_key(initiative["id"], slot.kind, slot.year, slot.quarter)
            report_id, status = statuses.get(key, (None, None))
            state = slot_state(slot, ReportStatus(status) if status else None, today)
            out.append(
                SlotOut(
                    initiative_id=initiative["id"],
                    initiative_name=initiative["name"],
                    organisation_name=initiative["lead_owner_name"],
                    kind=slot.kind,
                    label=slot.label,
                    year=slot.year,
                    quarter=slot.quarter,
                    period_start=slot.period_start,
                    period_end=slot.period_end,
                    due=slot.due,
                    state=state,
                    state_label=SLOT_STATE_LABELS[state],
                    days_late=days_late(slot, today) if state is SlotState.LATE else 0,
                    report_id=report_id,
                    report_status=ReportStatus(status) if status else None,
                )
            )
    return out


async def late_reports(actor: Principal, today: dt.date) -> list[SlotOut]:
    """The reports past their due date and not handed in, the longest overdue first."""
    late = [s for s in await schedule_slots(actor, today) if s.state is SlotState.LATE]
    return sorted(late, key=lambda s: (s.due, s.initiative_name))


# -- reports ------------------------------------------------------------------------------------


async def get_report(actor: Principal, report_id: int) -> dict[str, Any]:
    """The report row with its content decoded (the accepted copy once accepted); 404 if hidden."""
    row = await queries.report_row(report_id)
    if row is None or not can_view_report(actor, row["organisation"], ReportStatus(row["status"])):
        raise NotFound("Rapporten finns inte.")
    frozen = row["status"] == ReportStatus.ACCEPTED and row["accepted_content"] is not None
    content = decode_report(row["accepted_content"] if frozen else row["content"])
    return {**row, "content": content, "label": report_label(row)}


def _handed_in(row: dict[str, Any]) -> bool:
    return row["status"] in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def _content_of(row: dict[str, Any]) -> ReportContent:
    return decode_report(row["accepted_content"] or row["content"])


async def earlier_quarters(row: dict[str, Any]) -> list[ReportContent]:
    """Handed-in quarterly reports before this one (all of them for a final report)."""
    others = await queries.initiative_reports(row["initiative"])
    kind = ReportKind(row["kind"])
    earlier = []
    for other in others:
        if other["id"] == row["id"] or other["kind"] != ReportKind.QUARTERLY:
            continue
        if not _handed_in(other):
            continue
        if kind is ReportKind.QUARTERLY and (other["year"], other["quarter"]) >= (
            row["year"],
            row["quarter"],
        ):
            continue
        earlier.append(_content_of(other))
    return earlier


async def previous_quarter(row: dict[str, Any]) -> ReportContent | None:
    if row["kind"] != ReportKind.QUARTERLY:
        return None
    before = [
        other
        for other in await queries.initiative_reports(row["initiative"])
        if other["kind"] == ReportKind.QUARTERLY
        and other["status"] != ReportStatus.DRAFT
        and (other["year"], other["quarter"]) < (row["year"], row["quarter"])
    ]
    before.sort(key=lambda r: (r["year"], r["quarter"]))
    return _content_of(before[-1]) if before else None


async def create_report(actor: Principal, data: ReportCreate) -> dict[str, Any]:
    """Start a report for a scheduled quarter, the final report, or a deviation at any time.

    The draft starts from the grant: a line per goal and per budgeted category, and the
    participants at the start of the quarter carried from the previous quarter's end.
    """
    initiative = await get_initiative(actor, data.initiative_id)
    require(can_write_reports(actor, initiative["lead_owner"]))
    if initiative["period_start"] is None or initiative["period_end"] is None:
        raise ValidationFailed(
            [FieldProblem("initiative_id", "Insatsen har ingen beviljad period att rapportera.")]
        )
    slots = report_schedule(
        initiative["period_start"], initiative["period_end"], await queries.due_days()
    )
    slot: Slot | None = None
    if data.kind is not ReportKind.DEVIATION:
        slot = find_slot(slots, data.kind, data.year, data.quarter)
        if slot is None:
            raise ValidationFailed(
                [FieldProblem("quarter", "Kvartalet ligger utanför insatsens beviljade period.")]
            )
    facts, goals = await grant_facts(data.initiative_id)
    content = ReportContent(
        goals=[GoalResult(goal=g.index) for g in goals],
        costs=[CostAmount(category=c) for c in CostCategory if c in facts.category_budget],
    )
    today = dt.date.today()
    values: dict[str, Any] = {
        "initiative": data.initiative_id,
        "organisation": initiative["lead_owner"],
        "kind": data.kind,
        "created_by": actor.user_id,
    }
    if slot is not None:
        values.update(
            year=slot.year,
            quarter=slot.quarter,
            slot_key=slot_key(data.initiative_id, slot.kind, slot.year, slot.quarter),
            period_start=slot.period_start,
            period_end=slot.period_end,
            due_on=slot.due,
        )
    else:
        values.update(period_start=today, period_end=today)
    async with write_transaction():
        if slot is not None and await Report.exists().where(Report.slot_key == values["slot_key"]):
            raise Conflict(f"{slot.label} finns redan för insatsen.", field="quarter")
        previous = await previous_quarter({**values, "id": 0})
        if previous is not None:
            content = msgspec.structs.replace(
                content,
                participants=Participants(
                    start_women=max(previous.participants.women_at_end, 0),
                    start_men=max(previous.participants.men_at_end, 0),
                ),
            )
        row = (
            await Report.insert(Report(content=_encode(content), **values)).returning(Report.id)
        )[0]
        await audit.record(
            actor,
            "create",
            "report",
            row["id"],
            None,
            {k: v for k, v in values.items() if k != "created_by"},
            f"{initiative['name']}: {report_label({**values, 'created_at': today})}",
        )
    return await get_report(actor, row["id"])


async def save_report_draft(
    actor: Principal, report_id: int, version: int, content: ReportContent
) -> dict[str, Any]:
    """Save the report as it stands, complete or not: nothing typed is lost."""
    async with write_transaction():
        row = await get_report(actor, report_id)
        require(can_edit_report(actor, row["organisation"], ReportStatus(row["status"])))
        await update_versioned(
            Report,
            report_id,
            version,
            {Report.content: _encode(content), Report.updated_at: _now()},
            what="Rapporten",
        )
        await audit.record(
            actor,
            "update",
            "report",
            report_id,
            None,
            {"content": msgspec.to_builtins(content)},
            f"{row['label']}: utkast sparat",
        )
    return await get_report(actor, report_id)


async def report_check(row: dict[str, Any]) -> list[FieldProblem]:
    _, goals = await grant_facts(row["initiative"])
    return report_problems(ReportKind(row["kind"]), row["content"], len(goals))


async def submit_report(actor: Principal, report_id: int, version: int) -> dict[str, Any]:
    """Hand the report in to the office; 422 names every problem and the draft stays saved."""
    async with write_transaction():
        row = await get_report(actor, report_id)
        status = ReportStatus(row["status"])
        require(can_edit_report(actor, row["organisation"], status))
        problems = await report_check(row)
        if problems:
            raise ValidationFailed(problems)
        await update_versioned(
            Report,
            report_id,
            version,
            {
                Report.status: ReportStatus.SUBMITTED,
                Report.year_forecast: row["content"].year_forecast,
                Report.submitted_at: _now(),
                Report.updated_at: _now(),
            },
            what="Rapporten",
        )
        await audit.record(
            actor,
            "submit",
            "report",
            report_id,
            {"status": status.value},
            {"status": ReportStatus.SUBMITTED.value},
            f"{row['initiative_name']}: {row['label']} inlämnad",
        )
        # The office hears of it in the same transaction: a refused hand-in mails nobody.
        await notifications.report_arrived(
            actor,
            row["organisation"],
            row["initiative"],
            row["initiative_name"],
            REPORT_KIND_LABELS[ReportKind(row["kind"])],
            report_period(row),
            f"/rapporter/{report_id}",
        )
    return await get_report(actor, report_id)


async def return_report(
    actor: Principal, report_id: int, version: int, comment: str
) -> dict[str, Any]:
    """Send a handed-in report back to its owner, saying what to change."""
    if not comment.strip():
        raise ValidationFailed([FieldProblem("comment", "Skriv vad som ska ändras i rapporten.")])
    async with write_transaction():
        row = await get_report(actor, report_id)
        status = ReportStatus(row["status"])
        require(can_review_report(actor, status))
        await update_versioned(
            Report,
            report_id,
            version,
            {
                Report.status: ReportStatus.RETURNED,
                Report.review_comment: comment.strip(),
                Report.reviewed_at: _now(),
                Report.reviewed_by: actor.user_id,
            },
            what="Rapporten",
        )
        await audit.record(
            actor,
            "return",
            "report",
            report_id,
            {"status": status.value},
            {"status": ReportStatus.RETURNED.value, "comment": comment.strip()},
            f"{row['initiative_name']}: {row['label']} återsänd",
        )
    return await get_report(actor, report_id)


async def accept_report(actor: Principal, report_id: int, version: int) -> dict[str, Any]:
    """Accept a handed-in report: its content is copied and frozen as the record."""
    async with write_transaction():
        row = await get_report(actor, report_id)
        status = ReportStatus(row["status"])
        if status is ReportStatus.ACCEPTED:
            raise Conflict("Rapporten är redan godkänd.", field="status")
        require(can_review_report(actor, status))
        await update_versioned(
            Report,
            report_id,
            version,
            {
                Report.status: ReportStatus.ACCEPTED,
                Report.accepted_content: _encode(row["content"]),
                Report.review_comment: "",
                Report.reviewed_at: _now(),
                Report.reviewed_by: actor.user_id,
            },
            what="Rapporten",
        )
        await audit.record(
            actor,
            "accept",
            "report",
            report_id,
            {"status": status.value},
            {"status": ReportStatus.ACCEPTED.value},
            f"{row['initiative_name']}: {row['label']} godkänd",
        )
    return await get_report(actor, report_id)


async def report_notices(row: dict[str, Any]) -> list[str]:
    previous = await previous_quarter(row)
    notice = participants_notice(
        previous.participants if previous else None, row["content"].participants
    )
    return [notice] if notice else []


async def reports_in_quarters(initiative_id: int) -> list[dict[str, Any]]:
    """The insats's handed-in quarterly reports in order, each with its content."""
    rows = [
        {**r, "content": _content_of(r), "label": report_label(r)}
        for r in await queries.initiative_reports(initiative_id)
        if r["kind"] == ReportKind.QUARTERLY and _handed_in(r)
    ]
    return sorted(rows, key=lambda r: (r["year"], r["quarter"]))


async def report_counts(initiative_id: int, today: dt.date) -> tuple[int, int]:
    """(accepted, due by today) quarterly reports: the extension readiness check's figures."""
    row = await Initiative.select().where(Initiative.id == initiative_id).first()
    if row is None or row["period_start"] is None or row["period_end"] is None:
        return (0, 0)
    slots = report_schedule(row["period_start"], row["period_end"], await queries.due_days())
    due = sum(1 for s in slots if s.kind is ReportKind.QUARTERLY and s.due < today)
    statuses = await queries.slot_statuses([initiative_id])
    accepted = sum(
        1
        for s in slots
        if s.kind is ReportKind.QUARTERLY
        and s.due < today
        and statuses.get(slot_key(initiative_id, s.kind, s.year, s.quarter), (0, ""))[1]
        == ReportStatus.ACCEPTED
    )
    return accepted, due


# -- requisitions -------------------------------------------------------------------------------


async def get_requisition(actor: Principal, requisition_id: int) -> dict[str, Any]:
    row = await queries.requisition_row(requisition_id)
    if row is None or not can_view_requisition(actor, row["organisation"]):
        raise NotFound("Rekvisitionen finns inte.")
    return {**row, "lines": decode_lines(row["lines"]), "flags": decode_flags(row["flags"])}


async def requisition_flags(
    initiative_id: int,
    period_start: dt.date,
    period_end: dt.date,
    lines: list[RequisitionLine],
    except_id: int | None = None,
) -> list[RequisitionFlag]:
    facts, _ = await grant_facts(initiative_id)
    earlier = [
        EarlierClaim(
            period_start=r["period_start"],
            period_end=r["period_end"],
            lines=decode_lines(r["lines"]),
        )
        for r in await queries.committed_requisitions(initiative_id, except_id)
    ]
    return check_requisition(period_start, period_end, lines, facts, earlier)


def _merged(lines: list[RequisitionLine]) -> list[RequisitionLine]:
    """One line per category, in the template's order, zero lines dropped."""
    sums: dict[CostCategory, int] = {}
    for line in lines:
        sums[line.category] = sums.get(line.category, 0) + line.amount
    return [RequisitionLine(category=c, amount=sums[c]) for c in CostCategory if sums.get(c)]


async def check_claim(actor: Principal, data: RequisitionCreate) -> list[RequisitionFlag]:
    """The flags a claim would carry, without sending it (the form shows them as typed)."""
    initiative = await get_initiative(actor, data.initiative_id)
    require(can_write_reports(actor, initiative["lead_owner"]))
    problems = requisition_problems(data.period_start, data.period_end, data.lines)
    if problems:
        raise ValidationFailed(problems)
    return await requisition_flags(
        data.initiative_id, data.period_start, data.period_end, _merged(data.lines)
    )


async def create_requisition(actor: Principal, data: RequisitionCreate) -> dict[str, Any]:
    """Send in a claim of actual costs; it is checked against the grant and every excess flagged."""
    initiative = await get_initiative(actor, data.initiative_id)
    require(can_write_reports(actor, initiative["lead_owner"]))
    problems = requisition_problems(data.period_start, data.period_end, data.lines)
    if problems:
        raise ValidationFailed(problems)
    lines = _merged(data.lines)
    async with write_transaction():
        flags = await requisition_flags(
            data.initiative_id, data.period_start, data.period_end, lines
        )
        values = {
            "initiative": data.initiative_id,
            "organisation": initiative["lead_owner"],
            "period_start": data.period_start,
            "period_end": data.period_end,
            "year": data.period_start.year,
            "amount": sum(line.amount for line in lines),
            "lines": _encode(lines),
            "flags": _encode(flags),
            "note": data.note.strip(),
        }
        row = (
            await Requisition.insert(Requisition(created_by=actor.user_id, **values)).returning(
                Requisition.id
            )
        )[0]
        await audit.record(
            actor,
            "create",
            "requisition",
            row["id"],
            None,
            values,
            f"{initiative['name']}: {data.period_start} – {data.period_end}"
            + (" (flaggad)" if flags else ""),
        )
    return await get_requisition(actor, row["id"])


async def decide_requisition(
    actor: Principal, requisition_id: int, version: int, approve: bool, reason: str
) -> dict[str, Any]:
    """Approve or reject a claim. A claim over the grant cannot be approved; a rejection says why."""
    async with write_transaction():
        row = await get_requisition(actor, requisition_id)
        # Claims of one insats are approved one at a time, so two cannot pass the grant together.
        await lock_for_update(Initiative, row["initiative"])
        status = RequisitionStatus(row["status"])
        require(can_decide_requisition(actor, status))
        if not approve and not reason.strip():
            raise ValidationFailed([FieldProblem("reason", "Ange varför rekvisitionen avslås.")])
        # Checked again now: another claim may have been approved since this one came in.
        flags = await requisition_flags(
            row["initiative"], row["period_start"], row["period_end"], row["lines"], requisition_id
        )
        stopping = blocking(flags)
        if approve and stopping:
            raise Conflict(
                "Rekvisitionen kan inte godkännas: " + " ".join(f.message for f in stopping),
                field="approve",
            )
        target = RequisitionStatus.APPROVED if approve else RequisitionStatus.REJECTED
        await update_versioned(
            Requisition,
            requisition_id,
            version,
            {
                Requisition.status: target,
                Requisition.decision_reason: reason.strip(),
                Requisition.flags: _encode(flags),
                Requisition.decided_at: _now(),
                Requisition.decided_by: actor.user_id,
            },
            what="Rekvisitionen",
        )
        await audit.record(
            actor,
            "approve" if approve else "reject",
            "requisition",
            requisition_id,
            {"status": status.value},
            {"status": target.value, "reason": reason.strip()},
            f"{row['initiative_name']}: {row['period_start']} – {row['period_end']}",
        )
    return await get_requisition(actor, requisition_id)


async def record_payment(
    actor: Principal, requisition_id: int, version: int, paid_on: dt.date
) -> dict[str, Any]:
    """Record that an approved claim has been paid: from then on it counts in the forecast."""
    async with write_transaction():
        row = await get_requisition(actor, requisition_id)
        status = RequisitionStatus(row["status"])
        require(can_record_payment(actor, status))
        await update_versioned(
            Requisition,
            requisition_id,
            version,
            {Requisition.status: RequisitionStatus.PAID, Requisition.paid_on: paid_on},
            what="Rekvisitionen",
        )
        await audit.record(
            actor,
            "pay",
            "requisition",
            requisition_id,
            {"status": status.value},
            {"status": RequisitionStatus.PAID.value, "paid_on": paid_on.isoformat()},
            f"{row['initiative_name']}: {row['amount']} kr utbetalt",
        )
    return await get_requisition(actor, requisition_id)


# -- the budget room's forecast -----------------------------------------------------------------


async def insats_forecasts(year: int) -> dict[int, int]:
    """Per insats, the year's forecast from paid requisitions and the owners' forecasts, for
    the insatser where either is known (the others are forecast as committed)."""
    forecasts = {}
    for row in await queries.forecast_inputs(year):
        if not row["paid"] and row["owner_forecast"] is None:
            continue
        forecasts[row["initiative"]] = year_forecast(
            year=year,
            committed=row["committed"],
            paid=row["paid"],
            paid_through=row["paid_through"],
            owner_forecast=row["owner_forecast"],
            period_start=row["period_start"],
            period_end=row["period_end"],
        )
    return forecasts
