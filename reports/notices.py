"""The mails of the reports: reminders by the association's cadence and a report handed in."""

from __future__ import annotations

import datetime as dt

from portfolio.core import queries as core_queries
from portfolio.core.db import write_transaction
from portfolio.core.domain import Principal, Role
from portfolio.core.formatting import format_date_long
from portfolio.mail import queue
from portfolio.mail.domain import (
    MailKind,
)
from portfolio.mail.recipients import active_users, link, organisation_recipients, queue_to
from portfolio.mail.reminders import DueReport, ReminderCadence, reminders_due
from portfolio.mail.tables import ReminderSent

# -- quarterly reports ----------------------------------------------------------------------


async def cadence() -> ReminderCadence:
    association = await core_queries.association_row() or {}
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
    organisation = await core_queries.organisation_row(organisation_id) or {}
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
