"""The budget room kept in the database, per meeting and question, under the economy's change
counter: every worker reads what any worker computed, until a write to an input bumps the counter.

The counter (portfolio/core/change_version.py) is bumped by triggers in the writer's own
transaction, so no use case can forget it. The counter is read before the inputs: a result
computed while a write commits is kept under the older number and never read again.
"""

from __future__ import annotations

import msgspec

from portfolio.core.change_version import COUNTER_TABLE
from portfolio.core.tables import YearBudget
from portfolio.economy.budget_room import BudgetRoomTable

_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(BudgetRoomTable)


async def current_version() -> int:
    rows = await YearBudget.raw(f"SELECT version FROM {COUNTER_TABLE} WHERE id = 1")
    return int(rows[0]["version"]) if rows else 0


async def kept_room(key: str) -> tuple[int, BudgetRoomTable | None]:
    """The counter now and, in the same query, the room kept under it for `key`, if any."""
    rows = await YearBudget.raw(
        f"SELECT v.version AS version, k.payload AS payload FROM {COUNTER_TABLE} v "
        "LEFT JOIN budget_room_kept k ON k.key = {} AND k.version = v.version WHERE v.id = 1",
        key,
    )
    if not rows:
        return 0, None
    payload = rows[0]["payload"]
    return int(rows[0]["version"]), _DECODER.decode(payload) if payload else None


async def keep_room(key: str, version: int, table: BudgetRoomTable) -> None:
    """Keep `table` as the answer to `key` at `version`; rows of older versions go."""
    payload = _ENCODER.encode(table).decode()
    await YearBudget.raw("DELETE FROM budget_room_kept WHERE version < {}", version)
    await YearBudget.raw(
        "INSERT INTO budget_room_kept (key, version, payload) VALUES ({}, {}, {}) "
        "ON CONFLICT (key) DO UPDATE SET version = excluded.version, payload = excluded.payload "
        "WHERE budget_room_kept.version < excluded.version",
        key,
        version,
        payload,
    )
