"""What the start page shows each role: what needs attention, one's own work, the portfolio."""

from __future__ import annotations

import datetime as dt
from typing import Any

from applications import queries as application_queries
from applications.domain import ApplicationStatus
from applications.schemas import summary_out
from portfolio.core.domain import InitiativeStatus, Principal, Role
from portfolio.mail.domain import MailStatus
from portfolio.mail.queries import status_counts
from portfolio.meetings import queries as meetings_queries
from portfolio.meetings.schemas import meeting_out
from portfolio.overview.waiting import waiting_for
from portfolio.register import queries as register_queries
from portfolio.register.schemas import initiative_out

# Applications the office must act on, and those an owner must.
OFFICE_ATTENTION = (ApplicationStatus.SUBMITTED, ApplicationStatus.COMPLETION_REQUESTED)
OWNER_ATTENTION = (ApplicationStatus.DRAFT, ApplicationStatus.COMPLETION_REQUESTED)


async def dashboard(user: Principal, today: dt.date | None = None) -> dict[str, Any]:
    today = today or dt.date.today()
    initiatives = await register_queries.initiative_rows(user)
    applications = await application_queries.application_rows(user)
    wanted = (
        OFFICE_ATTENTION
        if user.role is Role.OFFICE
        else OWNER_ATTENTION
        if user.role is Role.OWNER
        else ()
    )
    return {
        "role": user.role.value,
        "initiative_counts": await register_queries.initiative_counts_by_status(user),
        "initiatives": [initiative_out(row) for row in initiatives],
        "applied_initiatives": [
            initiative_out(r) for r in initiatives if r["status"] == InitiativeStatus.APPLIED
        ]
        if user.role is Role.OFFICE
        else [],
        "applications": [summary_out(a) for a in applications if a["status"] in wanted],
        # Owners are not invited to the board's meetings; office and board see what is coming.
        "meetings": []
        if user.role is Role.OWNER
        else [meeting_out(m) for m in await meetings_queries.meeting_rows(upcoming_from=today)][:5],
        # Mails that gave up, for the office to look at (the queue retries the rest by itself).
        "mail_failed": (await status_counts()).get(MailStatus.FAILED.value, 0)
        if user.role is Role.OFFICE
        else 0,
        "waiting": await waiting_for(user, today),
    }
