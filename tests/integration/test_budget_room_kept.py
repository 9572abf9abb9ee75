"""The budget room kept in the database: asked again it is the kept answer; every kind of write
to what it reads bumps the economy's counter, so the next question is answered afresh."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from applications.tables import Application, ApplicationVersion
from portfolio.core.change_version import ECONOMY_INPUTS
from portfolio.core.db import current_engine
from portfolio.core.tables import (
    AgendaItem,
    Commitment,
    Decision,
    FundReservation,
    Initiative,
    Organisation,
    Proposal,
    YearBudget,
)
from portfolio.economy import kept
from portfolio.economy import services as economy
from portfolio.economy.schemas import ForecastIn, YearBudgetIn
from reports.tables import Report, Requisition
from tests import factories

FROM = 2027


async def _setting() -> tuple[factories.World, factories.Records]:
    w = await factories.world()
    r = await factories.records(w)
    for year in range(FROM, FROM + 4):
        await economy.save_year_budget(
            w.office,
            year,
            YearBudgetIn(
                member_contributions=5_000_000, elected_members=200_000, administration=900_000
            ),
        )
    return w, r


async def _room(r: factories.Records) -> Any:
    return await economy.budget_room(FROM, meeting_id=r.meeting["id"])


async def test_the_room_asked_twice_is_the_kept_answer_and_equal_to_a_fresh_one() -> None:
    """The second question finds the kept row under the current counter; its answer is the
    one a fresh computation gives."""
    _, r = await _setting()
    first = await _room(r)
    version = await kept.current_version()
    rows = await YearBudget.raw("SELECT version FROM budget_room_kept")
    assert [row["version"] for row in rows] == [version]
    assert await _room(r) == first
    assert await economy._compute_budget_room(FROM, 4, r.meeting["id"], None) == first


async def test_a_changed_commitment_is_counted_at_once() -> None:
    """A commitment changed behind the service's back (a script, a restore) is still seen."""
    _, r = await _setting()
    before = await _room(r)
    await Commitment.update({Commitment.amount: Commitment.amount + 1}, force=True)
    after = await _room(r)
    assert after != before
    assert after == await economy._compute_budget_room(FROM, 4, r.meeting["id"], None)


async def _year_budget(w: factories.World, r: factories.Records) -> None:
    await economy.save_year_budget(
        w.office,
        FROM + 1,
        YearBudgetIn(
            member_contributions=6_000_000,
            elected_members=200_000,
            administration=900_000,
            version=1,
        ),
    )


async def _forecast(w: factories.World, r: factories.Records) -> None:
    await economy.save_year_budget(
        w.office,
        FROM,
        YearBudgetIn(
            member_contributions=5_000_000,
            elected_members=200_000,
            administration=900_000,
            forecast=ForecastIn(member_contributions=4_900_000),
            version=1,
        ),
    )


async def _owner_forecast(w: factories.World, r: factories.Records) -> None:
    await Report.update({Report.year_forecast: 12_345}, force=True)


async def _requisition(w: factories.World, r: factories.Records) -> None:
    await Requisition.update({Requisition.amount: Requisition.amount + 1}, force=True)


async def _reservation(w: factories.World, r: factories.Records) -> None:
    await FundReservation.insert(FundReservation(purpose="Förlängningar", year=FROM, amount=1_000))


async def _agenda(w: factories.World, r: factories.Records) -> None:
    await AgendaItem.update({AgendaItem.position: 2}, force=True)


async def _decision(w: factories.World, r: factories.Records) -> None:
    await Decision.update({Decision.amount: Decision.amount + 1}, force=True)


async def _proposal(w: factories.World, r: factories.Records) -> None:
    await Proposal.update({Proposal.amount: 90_000}, force=True)


async def _application(w: factories.World, r: factories.Records) -> None:
    await ApplicationVersion.update({ApplicationVersion.applied_amount: 1}, force=True)
    await Application.update({Application.title: "Ny titel"}, force=True)


async def _register(w: factories.World, r: factories.Records) -> None:
    await Initiative.update({Initiative.name: "Alfa-insatsen 2"}, force=True)


async def _organisation(w: factories.World, r: factories.Records) -> None:
    await Organisation.update({Organisation.name: "Alfa kommun 2"}).where(
        Organisation.id == w.kommun_a["id"]
    )


async def _new_commitment(w: factories.World, r: factories.Records) -> None:
    await Commitment.insert(
        Commitment(
            decision=r.decision["id"], initiative=w.initiative_a["id"], year=FROM + 1, amount=5
        )
    )


Change = Callable[[factories.World, factories.Records], Awaitable[None]]


@pytest.mark.parametrize(
    "change",
    [
        _new_commitment,
        _year_budget,
        _forecast,
        _owner_forecast,
        _requisition,
        _reservation,
        _agenda,
        _decision,
        _proposal,
        _application,
        _register,
        _organisation,
    ],
)
async def test_every_kind_of_change_bumps_the_counter_and_is_answered_afresh(
    change: Change,
) -> None:
    """After each kind of write the kept answer is not used: the room is the fresh one."""
    w, r = await _setting()
    await _room(r)
    version = await kept.current_version()
    await change(w, r)
    assert await kept.current_version() > version
    assert await _room(r) == await economy._compute_budget_room(FROM, 4, r.meeting["id"], None)


async def test_every_table_the_budget_room_reads_carries_the_counters_trigger() -> None:
    """No input table of the economy goes without the trigger that bumps the counter."""
    engine = current_engine()
    if type(engine).__name__ == "PostgresEngine":
        rows = await engine.run_ddl(
            "SELECT event_object_table AS t FROM information_schema.triggers "
            "WHERE trigger_name LIKE '%bumps_economy%'"
        )
    else:
        rows = await engine.run_ddl(
            "SELECT tbl_name AS t FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE '%bumps_economy%'"
        )
    have = {row["t"] for row in rows}
    assert {t for tables in ECONOMY_INPUTS.values() for t in tables} <= have


async def test_a_what_if_is_kept_apart_from_the_meeting_as_proposed() -> None:
    """The what-if (chosen amounts) has a key of its own: it never answers the plain question."""
    from portfolio.economy.schemas import PendingApplicationIn

    _, r = await _setting()
    plain = await _room(r)
    pending = await economy.pending_applications(r.meeting["id"])
    chosen = [PendingApplicationIn(case_id=p["case_id"], amounts={FROM: 1}) for p in pending]
    await economy.budget_room(FROM, meeting_id=r.meeting["id"], chosen=chosen)
    assert await _room(r) == plain
