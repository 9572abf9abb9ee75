"""Pure rules: permissions, parties, insats states, formats and form parsing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
import pytest

from portfolio.accounts.controllers import _safe_next
from portfolio.accounts.permissions import (
    can_edit_initiative,
    can_manage,
    can_read_portfolio,
    can_view_initiative,
    can_view_organisation_contacts,
)
from portfolio.core.domain import (
    InitiativeStatus,
    OrganisationKind,
    Principal,
    Role,
    can_move_initiative,
    check_period,
    count_parties,
)
from portfolio.core.errors import ValidationFailed
from portfolio.core.formatting import (
    format_date_long,
    format_kronor,
    format_percent,
    format_tkr,
    round_tkr,
)
from portfolio.core.web import form_to_struct
from portfolio.register.pages import _percent_to_bp

OFFICE = Principal(1, "k@x", "Kansli", Role.OFFICE)
BOARD = Principal(2, "b@x", "Ledamot", Role.BOARD)
OWNER_A = Principal(3, "a@x", "Ägare A", Role.OWNER, organisation_id=10)
OWNER_B = Principal(4, "b@y", "Ägare B", Role.OWNER, organisation_id=20)


def test_only_the_office_manages() -> None:
    """can_manage allows the office and explains the refusal to others."""
    assert can_manage(OFFICE)
    refusal = can_manage(OWNER_A)
    assert not refusal and "kansli" in refusal.reason


def test_board_and_office_read_the_whole_portfolio_owners_do_not() -> None:
    assert (
        can_read_portfolio(BOARD) and can_read_portfolio(OFFICE) and not can_read_portfolio(OWNER_A)
    )


def test_owner_sees_an_insats_as_lead_owner_or_party_only() -> None:
    """An owner sees their own organisation's insats, or one it takes part in; not another's."""
    assert can_view_initiative(OWNER_A, lead_owner_id=10, party_ids=set())
    assert can_view_initiative(OWNER_A, lead_owner_id=99, party_ids={10})
    assert not can_view_initiative(OWNER_B, lead_owner_id=10, party_ids={30})
    assert can_view_initiative(BOARD, lead_owner_id=10, party_ids=set())


def test_owner_without_organisation_sees_no_insats() -> None:
    orphan = Principal(5, "o@x", "O", Role.OWNER, organisation_id=None)
    assert not can_view_initiative(orphan, lead_owner_id=10, party_ids=set())


def test_register_entry_is_edited_by_the_office_only() -> None:
    assert can_edit_initiative(OFFICE, 10)
    assert not can_edit_initiative(OWNER_A, 10)
    assert not can_edit_initiative(BOARD, 10)


def test_contacts_of_another_organisation_are_hidden_from_owners() -> None:
    assert can_view_organisation_contacts(OWNER_A, 10) and not can_view_organisation_contacts(
        OWNER_A, 20
    )


def test_kommuner_count_as_one_party() -> None:
    """Two kommuner are one party; FK, AF and the region are a party each."""
    assert count_parties([OrganisationKind.KOMMUN, OrganisationKind.KOMMUN]) == 1
    assert (
        count_parties([OrganisationKind.KOMMUN, OrganisationKind.FK, OrganisationKind.OTHER]) == 2
    )
    assert (
        count_parties(
            [
                OrganisationKind.FK,
                OrganisationKind.AF,
                OrganisationKind.REGION,
                OrganisationKind.KOMMUN,
            ]
        )
        == 4
    )


def test_insats_moves_forward_only() -> None:
    assert can_move_initiative(InitiativeStatus.APPLIED, InitiativeStatus.GRANTED)
    assert can_move_initiative(InitiativeStatus.RUNNING, InitiativeStatus.RUNNING)
    assert not can_move_initiative(InitiativeStatus.ENDED, InitiativeStatus.RUNNING)
    assert not can_move_initiative(InitiativeStatus.APPLIED, InitiativeStatus.ENDED)


def test_period_must_not_end_before_it_starts() -> None:
    assert check_period(dt.date(2027, 1, 1), dt.date(2027, 12, 31)) == []
    assert check_period(dt.date(2027, 1, 1), dt.date(2026, 12, 31))[0].field == "period_end"
    assert check_period(None, dt.date(2026, 1, 1)) == []


def test_swedish_formats() -> None:
    """Amounts in prose and tables, and dates in prose, as Swedish readers expect."""
    nbsp = "\u00a0"
    assert format_kronor(1_965_000) == f"1{nbsp}965{nbsp}000 kronor"
    assert format_tkr(1_965_000) == f"1{nbsp}965"
    assert format_date_long(dt.date(2022, 1, 1)) == "1 januari 2022"
    assert format_percent(2550) == f"25,50{nbsp}%"


@pytest.mark.parametrize(
    ("kronor", "tkr"), [(1499, 1), (1500, 2), (-1500, -2), (499, 0), (0, 0), (2_803_333, 2803)]
)
def test_tkr_rounds_half_away_from_zero(kronor: int, tkr: int) -> None:
    assert round_tkr(kronor) == tkr


@pytest.mark.parametrize(
    ("text", "bp"),
    [("12,5", 1250), ("12.25", 1225), ("100", 10000), ("0", 0), ("", 0), ("7,05 %", 705)],
)
def test_percent_field_reads_swedish_decimals_exactly(text: str, bp: int) -> None:
    assert _percent_to_bp(text) == bp


@pytest.mark.parametrize("text", ["tolv", "1,234", "1.2.3"])
def test_percent_field_refuses_what_is_not_a_percentage(text: str) -> None:
    with pytest.raises(ValueError):
        _percent_to_bp(text)


def test_next_path_stays_on_this_site() -> None:
    assert _safe_next("/insatser") == "/insatser"
    assert _safe_next("//evil.example") == "/"
    assert _safe_next("https://evil.example") == "/"
    assert _safe_next("/\\evil.example") == "/"  # a browser reads \ as /
    assert _safe_next("/\t/evil.example") == "/"  # and drops the tab
    assert _safe_next("/insatser?status=active") == "/insatser?status=active"
    assert _safe_next(None) == "/"


class _Form(msgspec.Struct):
    name: str
    count: int | None = None
    when: dt.date | None = None
    member: bool = False


def test_form_parsing_uses_the_api_struct() -> None:
    """Empty optional fields are None, numbers and dates are parsed, a missing checkbox is false."""
    parsed = form_to_struct({"name": "X", "count": "", "when": "2027-01-31"}, _Form)
    assert parsed == _Form(name="X", count=None, when=dt.date(2027, 1, 31), member=False)
    assert form_to_struct({"name": "X", "member": "on", "count": "3"}, _Form).member is True


def test_form_parsing_error_names_the_field_in_swedish() -> None:
    with pytest.raises(ValidationFailed) as caught:
        form_to_struct({"name": "X", "count": "tre"}, _Form)
    assert caught.value.field == "count" and caught.value.message == "Ange ett heltal."


def test_timestamps_are_shown_in_swedish_time() -> None:
    """Stored UTC moments read as Stockholm time, summer and winter."""
    from portfolio.core.formatting import format_timestamp

    assert format_timestamp(dt.datetime(2026, 11, 23, 20, 1)) == "2026-11-23 21:01"
    assert format_timestamp(dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC)) == "2026-07-01 12:00"


def test_log_events_read_in_swedish() -> None:
    from portfolio.core.audit import describe

    assert describe("update", "initiative") == "Ändrade insats"
    assert describe("archive", "thing") == "archive thing"


def test_extension_readiness_counts_answers_and_met_conditions() -> None:
    """Readiness: every requirement answered, every other condition met; reports unknown for now."""
    from applications.domain import Requirement, RequirementAnswer, extension_readiness

    items = extension_readiness(
        [Requirement(1, "Egenfinansiering"), Requirement(2, "Målgrupp")],
        [
            RequirementAnswer(requirement_id=1, answer="Ja"),
            RequirementAnswer(requirement_id=2, answer="  "),
        ],
        [("Medel från medlemmarna", True)],
    )
    # Every requirement and condition on its own line after its total (issue 17).
    assert [(i.label, i.ok) for i in items] == [
        ("Krav vid förlängning besvarade", False),
        ("Krav: Egenfinansiering", True),
        ("Krav: Målgrupp", False),
        ("Villkor uppfyllda", True),
        ("Villkor: Medel från medlemmarna", True),
        ("Kvartalsrapporter inlämnade och godkända", None),
    ]
    assert items[0].detail == "1 av 2 krav besvarade."


def test_an_attachment_belongs_to_the_first_version_sent_after_it_was_uploaded() -> None:
    from applications.domain import sent_in_version

    def at(day: int) -> dt.datetime:
        return dt.datetime(2026, 11, day, 12, tzinfo=dt.UTC)

    versions = [at(10), at(20)]
    assert sent_in_version(at(5), versions) == 1
    assert sent_in_version(at(10), versions) == 1  # uploaded in the same moment it was sent
    assert sent_in_version(at(15), versions) == 2  # added during a completion, sent with v2
    assert sent_in_version(at(25), versions) is None  # added after: not sent yet
    assert sent_in_version(at(5), []) is None  # a draft never sent in


def test_a_constraint_the_database_refused_is_a_409_asking_to_reload() -> None:
    """The safety net under the services' own checks: a unique or foreign key violation from
    either database is the request's conflict with stored data, never a 500."""
    import sqlite3

    from asyncpg.exceptions import UniqueViolationError
    from litestar import Request

    from portfolio.core.web import EXCEPTION_HANDLERS

    scope: Any = {
        "type": "http",
        "method": "PUT",
        "path": "/api/economy/years/2031",
        "query_string": b"",
        "headers": [],
        "scheme": "http",
        "server": ("testserver", 80),
    }
    for error in (sqlite3.IntegrityError("UNIQUE constraint failed"), UniqueViolationError("dup")):
        handler = next(h for kind, h in EXCEPTION_HANDLERS.items() if isinstance(error, kind))
        response = handler(Request(scope), error)
        assert response.status_code == 409
        assert "Ladda om sidan" in response.content["message"]


def test_a_session_begun_before_the_accounts_reset_has_ended() -> None:
    from portfolio.accounts.sessions import ended_by_reset, signed_in_session

    reset = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
    before = {"user_id": 1, "signed_in_at": reset.timestamp() - 60}
    after = {"user_id": 1, "signed_in_at": reset.timestamp() + 60}
    assert ended_by_reset(before, reset) and not ended_by_reset(after, reset)
    assert not ended_by_reset(before, None)  # never reset
    assert ended_by_reset({"user_id": 1}, reset)  # a session from before the stamp existed
    assert not ended_by_reset(signed_in_session(1), reset)


def test_a_budget_given_only_as_the_summary_per_owner_asks_for_its_stated_total() -> None:
    """Ung framtid's budget came as the summary alone: the application asks for its stated
    total from the association, not 0, and a summary that disagrees with itself is warned of."""
    from applications.budget import Budget, StatedBlock, StatedRow, StatedTotals, TotalsSource
    from applications.domain import ApplicationContent, applied_amount
    from applications.schemas import review_budget

    summary = StatedTotals(
        source=TotalsSource.SUMMARY,
        association=StatedBlock(total=StatedRow(amounts=[5_000_000, 3_410_000], total=8_500_000)),
    )
    budget = Budget(owners=["Knivsta kommun", "Region Uppsala"], stated=[summary])
    assert applied_amount(ApplicationContent(budget=budget)) == 8_500_000
    warnings = review_budget(budget).warnings
    assert warnings and all(w.code == "stated_sum_mismatch" for w in warnings)
