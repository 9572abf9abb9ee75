"""Test set-up: settings in the environment before the app is imported, a migrated database.

The database is SQLite in a temporary folder unless FINSAM_DATABASE_URL points elsewhere
(the test command runs the database tests a second time on PostgreSQL that way).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Iterator

import pytest

_TMP = tempfile.mkdtemp(prefix="finsam-test-")
os.environ.setdefault("FINSAM_DATA_DIR", _TMP)
if not os.environ.get("FINSAM_DATABASE_URL"):
    os.environ["FINSAM_DATABASE_URL"] = f"sqlite:///{_TMP}/test.sqlite"
os.environ.setdefault("FINSAM_SECRET_KEY", "test-secret-key-not-for-production")
os.environ["PICCOLO_CONF"] = "portfolio.piccolo_conf"
# A pool belongs to one event loop; the tests use several (the test client's and their own),
# so on PostgreSQL they take a connection per query. The pool is exercised by the e2e tests.
os.environ.setdefault("FINSAM_DB_POOL_SIZE", "0")
# The tests send the mail queue themselves (send_pending), so no background sender races them.
os.environ.setdefault("FINSAM_MAIL_INTERVAL", "0")


def _is_postgres() -> bool:
    return os.environ["FINSAM_DATABASE_URL"].startswith(("postgres://", "postgresql://"))


async def _reset_and_migrate() -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from portfolio.core.db import current_engine

    if _is_postgres():
        # The test database belongs to the tests: start from an empty schema every run.
        await current_engine().run_ddl("DROP SCHEMA public CASCADE")
        await current_engine().run_ddl("CREATE SCHEMA public")
    result = await run_forwards("all")
    assert result.success, result.message


async def _empty_tables() -> None:
    from piccolo.table import sort_table_classes

    from portfolio.core.db import current_engine
    from portfolio.piccolo_conf import APP_REGISTRY

    tables = sort_table_classes(
        [t for app in APP_REGISTRY.apps for t in APP_REGISTRY.get_table_classes(app.split(".")[0])]
    )
    if _is_postgres():
        names = ", ".join(t._meta.tablename for t in tables)
        await current_engine().run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    else:
        for table in reversed(tables):
            await table.delete(force=True)


@pytest.fixture(scope="session")
def migrated_database() -> Iterator[None]:
    asyncio.run(_reset_and_migrate())
    yield


@pytest.fixture
def db(migrated_database: None) -> Iterator[None]:
    """A migrated database, emptied after the test."""
    yield
    asyncio.run(_empty_tables())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests last: Playwright keeps an event loop running in the main thread while its
    session lasts, which the database fixtures' asyncio.run cannot share."""
    items.sort(key=lambda item: "tests/e2e/" in str(item.path).replace("\\", "/"))
