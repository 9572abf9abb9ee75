"""What the use cases call to queue mail: each composes the Swedish text and queues it in the
caller's transaction, so a change that rolls back sends nothing, and records one audit entry.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

import msgspec
from jinja2 import TemplateError

from portfolio import audit, queries
from portfolio.db import write_transaction
from portfolio.domain import Principal, Role
from portfolio.formatting import format_date_long, format_kronor
from portfolio.mail import queue
from portfolio.mail.compose import MailTemplate, default_template, render
from portfolio.mail.domain import (
    MAIL_KIND_LABELS,
    Attachment,
    MailKind,
    Message,
    is_plausible_address,
)
from portfolio.mail.reminders import DueReport, ReminderCadence, reminders_due
from portfolio.mail.tables import MailTemplateEdit, ReminderSent
from portfolio.settings import get_settings
from portfolio.tables import Contact, MeetingAttendee, User

log = logging.getLogger("finsam.mail")

NO_INVITED_LIST = (
    "Mötet har ingen lista över kallade; kallelsen gick till alla aktiva styrelseledamöter."
)


class Recipient(msgspec.Struct, frozen=True):
    email: str
    name: str = ""
    user_id: int | None = None
    organisation_id: int | None = None


# -- who receives what ----------------------------------------------------------------------


async def active_users(
    role: Role | None = None, organisation_id: int | None = None
) -> list[Recipient]:
    query = User.select(User.id, User.email, User.name, User.organisation).where(
        User.active == True  # noqa: E712 - Piccolo builds SQL from the comparison
    )
    if role is not None:
        query = query.where(User.role == role)
    if organisation_id is not None:
        query = query.where(User.organisation == organisation_id)
    rows = await query.order_by(User.name)
    return [Recipient(r["email"], r["name"], r["id"], r["organisation"]) for r in rows]


async def organisation_recipients(organisation_id: int) -> list[Recipient]:
    """An organisation's people: its insatsägare accounts, or its contact persons if it has none."""
    users = await active_users(Role.OWNER, organisation_id)
    if users:
        return users
    contacts = await Contact.select(Contact.name, Contact.email).where(
        Contact.organisation == organisation_id
    )
    return [Recipient(c["email"], c["name"], None, organisation_id) for c in contacts if c["email"]]


async def invited_recipients(meeting_id: int) -> tuple[list[Recipient], str]:
    """Those called to a meeting (its attendance list, members and substitutes alike), and a
    note naming anyone called who has no account to mail; with no list at all, every active
    board member, and the note says so."""
    rows = await MeetingAttendee.select(
        MeetingAttendee.name,
        MeetingAttendee.user.id.as_alias("user_id"),
        MeetingAttendee.user.email.as_alias("email"),
        MeetingAttendee.user.active.as_alias("active"),
        MeetingAttendee.user.organisation.as_alias("organisation"),
    ).where((MeetingAttendee.meeting == meeting_id) & (MeetingAttendee.invited == True))  # noqa: E712
    if not rows:
        return await active_users(Role.BOARD), NO_INVITED_LIST
    reachable = [r for r in rows if r["user_id"] is not None and r["active"] and r["email"]]
    recipients = [
        Recipient(r["email"], r["name"], r["user_id"], r["organisation"]) for r in reachable
    ]
    unreachable = [r["name"] for r in rows if r not in reachable]
    note = (
        "Kallelsen kunde inte e-postas till "
        + ", ".join(unreachable)
        + ", som saknar konto i Finsam Portfolio."
        if unreachable
        else ""
    )
    return recipients, note


# -- composing and queueing -----------------------------------------------------------------


async def template_for(kind: MailKind) -> MailTemplate:
    """The office's edited wording of a kind, or the shipped one."""
    row = (
        await MailTemplateEdit.select(MailTemplateEdit.subject, MailTemplateEdit.body)
        .where(MailTemplateEdit.kind == kind)
        .first()
    )
    return MailTemplate(row["subject"], row["body"]) if row else default_template(kind)


def link(path: str) -> str:
    return f"{get_settings().base_url}{path}"


async def _common_context() -> dict[str, Any]:
    association = await queries.association_row() or {}
    return {
        "association": association.get("name", ""),
        "director": association.get("director_name", ""),
    }


async def queue_to(
    actor: Principal | None,
    kind: MailKind,
    recipients: Sequence[Recipient],
    context: dict[str, Any],
    *,
    entity: str,
    entity_id: int | None,
    attachments: tuple[Attachment, ...] = (),
    note: str = "",
) -> int:
    """Compose one mail per recipient (each greeted by name) and queue them all; returns how many."""
    template = await template_for(kind)
    context = {**await _common_context(), **context}
    seen: set[str] = set()
    queued: list[str] = []
    for recipient in recipients:
        address = recipient.email.strip()
        if not is_plausible_address(address) or address.lower() in seen:
            continue
        seen.add(address.lower())
        values = {**context, "recipient_name": recipient.name or address}
        try:
            composed = render(template, values)
        except TemplateError:
            # An edited template that fails here must not stop the change it reports.
            log.exception("the edited %s template failed; using the shipped one", kind.value)
            composed = render(default_template(kind), values)
        await queue.enqueue(
            Message(address, recipient.name, composed.subject, composed.body, attachments),
            kind,
            recipient_user=recipient.user_id,
            organisation=recipient.organisation_id,
            entity=entity,
            entity_id=entity_id,
            note=note,
        )
        queued.append(address)
    if queued:
        await audit.record(
            actor,
            "queue",
            "mail",
            None,
            None,
            {"kind": kind.value, "entity": entity, "entity_id": entity_id, "recipients": queued},
            f"{MAIL_KIND_LABELS[kind]}: {len(queued)} mottagare",
        )
    return len(queued)


# -- the triggers ---------------------------------------------------------------------------


async def meeting_notice(actor: Principal, meeting_id: int) -> int:
    """The kallelse, with its PDF and a link to the meeting's papers, to everyone invited."""
    from portfolio import meetings  # meetings calls this module; import on use
    from portfolio.documents.pdf import render_notice_pdf

    document = await meetings.notice_document(meeting_id)
    recipients, note = await invited_recipients(meeting_id)
    pdf = render_notice_pdf(document)
    times = "–".join(
        t.strftime("%H.%M") for t in (document.start_time, document.end_time) if t is not None
    )
    context = {
        "body": document.body,
        "meeting_date": format_date_long(document.meeting_date),
        "time": times,
        "place": document.place,
        "agenda": [
            f"{e.number}. {e.title}" + (f" (Dnr {e.case_number})" if e.case_number else "")
            for e in document.agenda
        ],
        "link": link(f"/moten/{meeting_id}"),
        "note": document.note,
    }
    filename = f"Kallelse {document.meeting_date.isoformat()}.pdf"
    return await queue_to(
        actor,
        MailKind.NOTICE,
        recipients,
        context,
        entity="meeting",
        entity_id=meeting_id,
        attachments=(Attachment(filename, "application/pdf", pdf),),
        note=note,
    )


async def completion_requested(actor: Principal, application: dict[str, Any], message: str) -> int:
    """What the office wants completed, to the applying organisation's people and its contact."""
    recipients = await organisation_recipients(application["organisation"])
    content = application.get("content")
    lead = getattr(content, "lead_owner", None)
    if lead is not None and lead.contact_email:
        recipients.append(
            Recipient(lead.contact_email, lead.contact_name, None, application["organisation"])
        )
    organisation = await queries.organisation_row(application["organisation"]) or {}
    context = {
        "title": application["title"],
        "organisation": organisation.get("name", ""),
        "message": message,
        "link": link(f"/ansokningar/{application['id']}"),
    }
    return await queue_to(
        actor,
        MailKind.COMPLETION_REQUEST,
        recipients,
        context,
        entity="application",
        entity_id=application["id"],
    )


async def application_submitted(
    actor: Principal, application: dict[str, Any], version_number: int, applied_amount: int
) -> int:
    """A sent-in application, to the office."""
    organisation = await queries.organisation_row(application["organisation"]) or {}
    context = {
        "title": application["title"],
        "organisation": organisation.get("name", ""),
        "version_number": version_number,
        "applied_amount": format_kronor(applied_amount),
        "link": link(f"/ansokningar/{application['id']}"),
    }
    return await queue_to(
        actor,
        MailKind.APPLICATION_SUBMITTED,
        await active_users(Role.OFFICE),
        context,
        entity="application",
        entity_id=application["id"],
    )


async def decision_recorded(actor: Principal, decision_id: int) -> int:
    """The decision, with its protokollsutdrag as PDF, to the insats's lead owner."""
    from applications.tables import Application
    from portfolio import meetings
    from portfolio.decisions import OUTCOME_LABELS, DecisionOutcome
    from portfolio.documents.pdf import render_extract_pdf

    decision = await meetings.decision_detail(decision_id)
    case = await meetings.get_case(decision["case"])
    organisation_id: int | None = None
    if case["initiative"] is not None:
        initiative = await queries.initiative_row(case["initiative"])
        organisation_id = initiative["lead_owner"] if initiative else None
    elif case["application"] is not None:
        row = (
            await Application.select(Application.organisation)
            .where(Application.id == case["application"])
            .first()
        )
        organisation_id = row["organisation"] if row else None
    if organisation_id is None:
        return 0  # an information or economy case: no insatsägare to tell
    meeting = await meetings.get_meeting(decision["meeting"])
    extract = await meetings.extract_document(actor, decision_id)
    pdf = render_extract_pdf(extract)
    context = {
        "body": extract.minutes.body,
        "title": case["title"],
        "case_number": case["case_number"],
        "meeting_date": format_date_long(meeting["meeting_date"]),
        "paragraph": decision["paragraph"],
        "outcome": OUTCOME_LABELS[DecisionOutcome(decision["outcome"])],
        "clauses": decision["clauses"],
        "link": link(f"/insatser/{case['initiative']}")
        if case["initiative"]
        else link(f"/ansokningar/{case['application']}"),
    }
    filename = (
        f"Protokollsutdrag {meeting['meeting_date'].isoformat()} § {decision['paragraph']}.pdf"
    )
    return await queue_to(
        actor,
        MailKind.DECISION,
        await organisation_recipients(organisation_id),
        context,
        entity="decision",
        entity_id=decision_id,
        attachments=(Attachment(filename, "application/pdf", pdf),),
    )


# -- quarterly reports ----------------------------------------------------------------------


async def cadence() -> ReminderCadence:
    association = await queries.association_row() or {}
    return ReminderCadence(
        days_before=int(association.get("report_reminder_days_before", 14)),
        late_interval_days=int(association.get("report_reminder_interval_days", 7)),
    )


async def send_report_reminders(today: dt.date, reports: list[DueReport]) -> int:
    """Queue today's quarterly-report reminders for the reports the reports package says are owed.

    `reports` is one DueReport per insats and report period that is due or overdue (submitted
    ones may be included: they are skipped), each naming the organisation that reports.
    Reminders go only to that organisation's people. Each reminder's key is stored in the same
    transaction as its mails, uniquely, so a reminder is queued once however often or from
    however many processes this runs; run it once a day. Returns how many mails were queued.
    """
    schedule = await cadence()
    candidates = reminders_due(schedule, today, reports)
    if not candidates:
        return 0
    queued = 0
    async with write_transaction():
        keys = [r.key for r in candidates]
        sent = {
            r["key"]
            for r in await ReminderSent.select(ReminderSent.key).where(ReminderSent.key.is_in(keys))
        }
        for reminder in reminders_due(schedule, today, reports, sent):
            stored = await (
                ReminderSent.insert(ReminderSent(key=reminder.key, at=queue.now_utc()))
                .on_conflict(target=ReminderSent.key, action="DO NOTHING")
                .returning(ReminderSent.id)
            )
            if not stored:
                continue  # another process queued this very reminder a moment ago
            report = reminder.report
            context = {
                "insats": report.initiative_name,
                "period": report.period,
                "due_date": format_date_long(report.due_date),
                "days_late": reminder.days_late,
                "link": link("/rapporter"),  # the owner's list of what is due, with the form
            }
            queued += await queue_to(
                None,
                reminder.kind,
                await organisation_recipients(report.organisation_id),
                context,
                entity="initiative",
                entity_id=report.initiative_id,
            )
    return queued


async def report_arrived(
    actor: Principal,
    organisation_id: int,
    initiative_id: int,
    initiative_name: str,
    report: str,
    period: str,
    path: str,
) -> int:
    """A report came in: tell the office, with a link (`path`) to the report's page.

    `report` is its kind ("Kvartalsrapport", "Slutrapport", …), `period` what it covers
    ("kvartal 3 2026"; empty for a final report)."""
    organisation = await queries.organisation_row(organisation_id) or {}
    context = {
        "report": report,
        "insats": initiative_name,
        "period": period,
        "organisation": organisation.get("name", ""),
        "link": link(path),
    }
    return await queue_to(
        actor,
        MailKind.REPORT_ARRIVED,
        await active_users(Role.OFFICE),
        context,
        entity="initiative",
        entity_id=initiative_id,
    )
