"""The schedule of a shortened grant keeps the quarters already handed in."""

from __future__ import annotations

import datetime as dt

from reports.domain import ReportStatus
from reports.schedule import handed_in_quarters, schedule_keeping


def test_a_shortened_schedule_keeps_handed_in_quarters_and_moves_the_final_report() -> None:
    statuses = {
        "7:2024-Q1": (1, ReportStatus.SUBMITTED.value),
        "7:2024-Q2": (2, ReportStatus.DRAFT.value),
        "8:2024-Q3": (3, ReportStatus.ACCEPTED.value),
        "7:final": (4, ReportStatus.DRAFT.value),
    }
    assert handed_in_quarters(7, statuses) == [(2024, 1)]
    slots = schedule_keeping(dt.date(2023, 1, 1), dt.date(2023, 12, 31), [(2024, 1)], 30)
    assert [(s.label, s.due.isoformat()) for s in slots] == [
        ("Kvartal 1 2023", "2023-04-30"),
        ("Kvartal 2 2023", "2023-07-30"),
        ("Kvartal 3 2023", "2023-10-30"),
        ("Kvartal 4 2023", "2024-01-30"),
        ("Kvartal 1 2024", "2024-04-30"),
        ("Slutrapport", "2024-01-30"),
    ]
