"""Small helpers for rows: the time now, a table's columns from plain values, and a date read back
from raw SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _columns(table: type[Any], values: dict[str, Any]) -> dict[Any, Any]:
    return {table._meta.get_column_by_name(name): value for name, value in values.items()}


def raw_date(value: Any) -> dt.date | None:
    """A date column read through raw SQL: SQLite hands dates back as text."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
