"""Swedish words and numbers where a person reads: the log's labels, amounts, counts and times."""

from __future__ import annotations

import re
from pathlib import Path

from applications.domain import SECTION_LABELS
from portfolio.core.audit import ACTION_LABELS, ENTITY_LABELS, FIELD_LABELS, describe
from portfolio.core.formatting import format_clock, format_count, format_kr

ROOT = Path(__file__).resolve().parents[2]
# audit.record(actor, "action", "entity", ...): the two literals after the actor.
RECORD = re.compile(r'audit\.record\(\s*[\w.]+,\s*"(\w+)",\s*"(\w+)"', re.S)


def _logged() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for package in ("portfolio", "applications", "reports"):
        for path in (ROOT / package).rglob("*.py"):
            found |= set(RECORD.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_logged_action_and_entity_has_a_swedish_label() -> None:
    """ "request_completion ansökan" and "decide beslut" read as Swedish sentences."""
    logged = _logged()
    assert len(logged) > 20  # the scan finds the calls
    assert {a for a, _ in logged} - ACTION_LABELS.keys() == set()
    assert {e for _, e in logged} - ENTITY_LABELS.keys() == set()
    assert describe("request_completion", "application") == "Begärde komplettering av ansökan"
    assert describe("decide", "decision") == "Fattade beslut"


def test_every_column_and_application_section_has_a_field_label() -> None:
    """The log lists changed fields by label: every table column and application section has one."""
    from portfolio.piccolo_conf import APP_REGISTRY

    columns = {
        column._meta.name
        for app in APP_REGISTRY.apps
        for table in APP_REGISTRY.get_table_classes(app.split(".")[0])
        for column in table._meta.columns
    }
    assert {"period_end", "approved_on", "status"} <= columns
    assert (columns | SECTION_LABELS.keys()) - {"id"} - FIELD_LABELS.keys() == set()


def test_amounts_counts_and_times() -> None:
    assert format_kr(334_200) == "334\u00a0200\u00a0kr"
    assert format_count(1, "insats", "insatser") == "1 insats"
    assert format_count(0, "insats", "insatser") == "0 insatser"
    assert format_count(1200, "insats", "insatser") == "1\u00a0200 insatser"
    assert format_clock("13:00") == "13.00" and format_clock("9.05") == "09.05"
    assert format_clock("") == "" and format_clock("efter lunch") == "efter lunch"


def test_money_of_an_insats_counts_claims_by_status_and_leaves_out_rejected_ones() -> None:
    """Granted per year against submitted, approved and paid claims; what remains is the grant
    less the approved and paid (as the claims' checks count); a rejected claim counts for
    nothing; a year claimed without a grant still shows."""
    from reports.domain.money import money_of

    rows = [
        {"year": 2026, "status": "submitted", "amount": 100},
        {"year": 2026, "status": "approved", "amount": 200},
        {"year": 2026, "status": "paid", "amount": 300},
        {"year": 2026, "status": "rejected", "amount": 5_000},
        {"year": 2027, "status": "submitted", "amount": 50},
    ]
    money = money_of(1, "Alfa", {2026: 1_000}, rows)
    y2026, y2027 = money.years
    assert (y2026.granted, y2026.claimed, y2026.remaining) == (1_000, 600, 500)
    assert (y2027.granted, y2027.claimed, y2027.remaining) == (0, 50, 0)
    assert (money.total.granted, money.total.paid, money.total.remaining) == (1_000, 300, 500)


def test_the_demos_meetings_fall_on_working_days_outside_the_christmas_break() -> None:
    """3 December + 24 days is Sunday 27 December: the board meets Friday 18 December instead,
    after the AU (Monday 14 December); a weekend moves to the Monday."""
    import datetime as dt

    from portfolio.demo.meetings import working_day

    au = working_day(dt.date(2026, 12, 13))
    assert au == dt.date(2026, 12, 14)
    assert working_day(dt.date(2026, 12, 27), au + dt.timedelta(days=3)) == dt.date(2026, 12, 18)
    assert working_day(dt.date(2026, 12, 27), dt.date(2026, 12, 19)) == dt.date(2027, 1, 7)
    assert working_day(dt.date(2026, 11, 14)) == dt.date(2026, 11, 16)
    assert working_day(dt.date(2026, 11, 18)) == dt.date(2026, 11, 18)
