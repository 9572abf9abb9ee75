"""Integration tests: services against the real database (SQLite, or PostgreSQL when configured)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _database(db: None) -> None:
    """Every integration test gets a migrated, emptied database."""
