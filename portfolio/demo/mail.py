"""The demonstration's mail: what the office would have sent by the time a newcomer looks.

With no SMTP server configured (the demo's case) the background sender moves these to the
outbox within seconds, where each role reads its own under "Mina utskick".
"""

from __future__ import annotations

import datetime as dt

from applications import notices as applications_notices
from applications.domain import ApplicationStatus
from applications.tables import Application
from portfolio.core.domain import Body, MeetingStatus, Principal, Role
from portfolio.core.tables import Decision, Meeting, User
from portfolio.mail.tables import OutgoingMail
from portfolio.meetings import notices as meetings_notices


async def ensure_demo_mail() -> None:
    """The coming AU meeting's kallelse, the granted insatser's decisions, the sent-in applications."""
    if await OutgoingMail.exists().where(OutgoingMail.id.is_not_null()):
        return
    row = await User.select().where(User.role == Role.OFFICE).order_by(User.id).first()
    if row is None:
        return
    office = Principal(row["id"], row["email"], row["name"], Role.OFFICE)
    au = (
        await Meeting.select(Meeting.id)
        .where(
            (Meeting.body == Body.WORKING_COMMITTEE)
            & (Meeting.meeting_date >= dt.date.today())
            & (Meeting.status == MeetingStatus.PLANNED)
        )
        .order_by(Meeting.meeting_date)
        .first()
    )
    if au is not None:
        await Meeting.update({Meeting.status: MeetingStatus.NOTICE_SENT}).where(
            Meeting.id == au["id"]
        )
        await meetings_notices.meeting_notice(office, au["id"])
    for decision in await Decision.select(Decision.id).order_by(Decision.id):
        await meetings_notices.decision_recorded(office, decision["id"])
    submitted = await Application.select().where(Application.status == ApplicationStatus.SUBMITTED)
    for application in submitted:
        await applications_notices.application_submitted(
            office, application, 1, application["applied_amount"]
        )
