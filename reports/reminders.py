"""The reports the insatser owe, handed to the mail's reminder rules (portfolio.mail.reminders).

Run with every pass of the mail sender; the reminders it queues are stored by key, so running
it often, or from several processes at once, never queues a reminder twice.
"""

from __future__ import annotations

import datetime as dt

from portfolio.core.domain import Principal, Role
from portfolio.core.tables import Initiative
from portfolio.mail.reminders import DueReport
from reports import notices as notifications
from reports import services
from reports.domain import ReportKind
from reports.schedule import SlotState

# The schedule is read for every insats, as the office sees it; nothing is written in its name.
_EVERY_INSATS = Principal(user_id=0, email="", name="Finsam Portfolio", role=Role.OFFICE)


async def due_reports(today: dt.date) -> list[DueReport]:
    """Every quarterly report ended or about to end, with whether it is handed in."""
    slots = await services.schedule_slots(_EVERY_INSATS, today)
    leads = {
        row["id"]: row["lead_owner"]
        for row in await Initiative.select(Initiative.id, Initiative.lead_owner)
    }
    return [
        DueReport(
            organisation_id=leads[slot.initiative_id],
            initiative_id=slot.initiative_id,
            initiative_name=slot.initiative_name,
            period=slot.label.lower(),
            due_date=slot.due,
            submitted=slot.state in (SlotState.HANDED_IN, SlotState.ACCEPTED),
        )
        for slot in slots
        # Reminders before the due date start while the quarter still runs: take the coming
        # quarter's too, once it is near its end.
        if slot.kind is ReportKind.QUARTERLY and slot.period_end <= today + dt.timedelta(days=60)
    ]


async def queue_report_reminders(today: dt.date) -> int:
    """Queue today's reminders; returns how many mails were queued."""
    return await notifications.send_report_reminders(today, await due_reports(today))


async def queue_reminders_today() -> int:
    """The reminders owed today: the mail sender's periodic job, handed to it by the app shell."""
    return await queue_report_reminders(dt.date.today())
