"""Small helpers for writing rows: the time now, and a table's columns from plain values."""

from __future__ import annotations

import datetime as dt
from typing import Any


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _columns(table: type[Any], values: dict[str, Any]) -> dict[Any, Any]:
    return {table._meta.get_column_by_name(name): value for name, value in values.items()}
