"""Optimistic locking: an edit names the version it was made on, and a stale one is refused."""

from __future__ import annotations

from typing import Any

from piccolo.columns import Column, Integer
from piccolo.table import Table

from portfolio.core.errors import NotFound, StaleVersion


async def update_versioned(
    table: type[Table],
    row_id: int,
    expected_version: int,
    values: dict[Column | str, Any],
    what: str = "Posten",
) -> dict[str, Any]:
    """Apply `values` only if the row is still at `expected_version`; return the new row.

    The version check and the write are one UPDATE statement, so two people saving at
    the same moment cannot both succeed, on any number of workers.
    """
    version = table._meta.get_column_by_name("version")
    assert isinstance(version, Integer), f"{table.__name__} has no integer version column"
    pk = table._meta.primary_key
    changes = dict(values)
    changes[version] = version + 1
    rows = await (
        table.update(changes)
        .where((pk == row_id) & (version == expected_version))
        .returning(*table._meta.columns)
    )
    if rows:
        return rows[0]
    if not await table.exists().where(pk == row_id):
        raise NotFound(f"{what} finns inte.")
    raise StaleVersion(what)
