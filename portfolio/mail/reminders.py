"""Pure: which quarterly-report reminders are due today, each sent at most once.

Given the association's cadence, today's date and the reports expected of each insats, it
returns the reminders to send. Every reminder has a key; a key already sent is skipped, so a
daily run (or two instances running at once, with the key stored uniquely) never repeats one.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from portfolio.mail.domain import MailKind


class ReminderCadence(msgspec.Struct, frozen=True):
    """The association's setting: remind `days_before` the due date, then every `late_interval_days`
    once late (0 for either turns that reminder off; a late reminder is then sent only once)."""

    days_before: int = 14
    late_interval_days: int = 7


class DueReport(msgspec.Struct, frozen=True):
    """A report an insats owes: by which organisation, for which period, when, and whether it came."""

    organisation_id: int
    initiative_id: int
    initiative_name: str
    period: str  # as shown in the mail, e.g. "kvartal 3 2026"; also part of the key
    due_date: dt.date
    submitted: bool = False


class Reminder(msgspec.Struct, frozen=True):
    report: DueReport
    kind: MailKind
    key: str
    days_late: int = 0


def reminder_key(report: DueReport, kind: MailKind, round_number: int = 0) -> str:
    """Unique per insats, period, kind and (for late reminders) round: what de-duplication stores."""
    base = f"{kind.value}:{report.initiative_id}:{report.period}"
    return f"{base}:{round_number}" if kind is MailKind.REPORT_LATE else base


def reminders_due(
    cadence: ReminderCadence,
    today: dt.date,
    reports: list[DueReport],
    already_sent: set[str] | frozenset[str] = frozenset(),
) -> list[Reminder]:
    """The reminders to send today.

    Before the due date: one reminder from `days_before` days ahead until the day itself.
    After it: the first late reminder the day after, then one per `late_interval_days`. A run
    that was missed catches up with the current round only, never with a burst of old ones.
    """
    due: list[Reminder] = []
    for report in reports:
        if report.submitted:
            continue
        if today <= report.due_date:
            starts = report.due_date - dt.timedelta(days=cadence.days_before)
            if cadence.days_before > 0 and today >= starts:
                key = reminder_key(report, MailKind.REPORT_DUE)
                if key not in already_sent:
                    due.append(Reminder(report, MailKind.REPORT_DUE, key))
            continue
        days_late = (today - report.due_date).days
        interval = cadence.late_interval_days
        round_number = (days_late - 1) // interval if interval > 0 else 0
        key = reminder_key(report, MailKind.REPORT_LATE, round_number)
        if key not in already_sent:
            due.append(Reminder(report, MailKind.REPORT_LATE, key, days_late))
    return due
