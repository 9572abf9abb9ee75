"""The database engine chosen by FINSAM_DATABASE_URL, and its start and stop hooks."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import aiosqlite
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, dict_factory
from piccolo.table import Table


class KeptOpenSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine, but statements outside a transaction share one open connection.

    Piccolo opens a fresh connection for every query, which we measured at 7x slower than
    a kept-open one. aiosqlite runs a connection's statements one at a time on its own
    thread, so sharing it between requests is safe for autocommitted statements;
    transactions still get a connection of their own.
    """

    _shared: aiosqlite.Connection | None = None

    async def _shared_connection(self) -> aiosqlite.Connection:
        if self._shared is None:
            # Autocommit: each statement outside a transaction is its own transaction.
            kwargs = {**self.connection_kwargs, "isolation_level": None}
            pending = aiosqlite.connect(**kwargs)
            # A kept-open connection lives as long as the process; its worker thread must not
            # keep the interpreter from exiting when the server (or a test run) ends.
            pending._thread.daemon = True
            connection = await pending
            connection.row_factory = dict_factory  # type: ignore[assignment]
            await connection.execute("PRAGMA foreign_keys = 1")
            await connection.execute("PRAGMA journal_mode = WAL")
            await connection.execute("PRAGMA busy_timeout = 10000")
            self._shared = connection
        return self._shared

    async def get_connection(self) -> aiosqlite.Connection:
        connection = await super().get_connection()
        await connection.execute("PRAGMA busy_timeout = 10000")
        return connection

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        connection = await self._shared_connection()
        async with connection.execute(query, args or []) as cursor:
            return await cursor.fetchall()

    async def close(self) -> None:
        if self._shared is not None:
            await self._shared.close()
            self._shared = None


def make_engine(database_url: str) -> Engine:
    """An engine for `sqlite:///path` or `postgres://user:pass@host:port/db`."""
    if database_url.startswith("sqlite:///"):
        return KeptOpenSQLiteEngine(path=database_url.removeprefix("sqlite:///"), timeout=10)
    if database_url.startswith(("postgres://", "postgresql://")):
        parsed = urlparse(database_url)
        config: dict[str, Any] = {
            "host": parsed.hostname or "127.0.0.1",
            "port": parsed.port or 5432,
            "user": parsed.username or "postgres",
            "database": (parsed.path or "/postgres").lstrip("/"),
        }
        if parsed.password:
            config["password"] = parsed.password
        return PostgresEngine(config=config)
    raise ValueError(
        f"FINSAM_DATABASE_URL must start with sqlite:/// or postgres://, not {database_url!r}"
    )


async def _keep_session_state(connection: Any) -> None:
    """asyncpg's release reset, minus its second round trip per query.

    The pool still rolls back an open transaction on release (asyncpg's own `_reset`, always run);
    the default reset's `pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL` would undo
    only what we never do: advisory locks, cursors left open, LISTEN, SET. Row locks end with
    their transaction.
    """


async def open_database(engine: Engine, pool_size: int) -> None:
    """Start PostgreSQL's connection pool (size 0: a connection per query, as the tests use)."""
    if isinstance(engine, PostgresEngine) and pool_size > 0:
        await engine.start_connection_pool(
            min_size=1, max_size=pool_size, reset=_keep_session_state
        )


async def close_database(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        if engine.pool is not None:
            await engine.close_connection_pool()
    elif isinstance(engine, KeptOpenSQLiteEngine):
        await engine.close()


def current_engine() -> Engine:
    from piccolo.engine.finder import engine_finder

    engine = engine_finder()
    assert engine is not None, "portfolio.piccolo_conf defines DB"
    return engine


async def lock_for_update(table: type[Table], row_id: int) -> None:
    """Inside a write transaction: hold `row_id` of `table` until the transaction ends, so that a
    check-then-insert on what hangs from it (a meeting's § numbers, an insats's approved claims)
    cannot interleave with another worker's. SQLite needs nothing: BEGIN IMMEDIATE already
    lets one writer in at a time."""
    if isinstance(current_engine(), PostgresEngine):
        await (
            table.select(table._meta.primary_key)
            .where(table._meta.primary_key == row_id)
            .lock_rows("UPDATE")
        )


def write_transaction() -> Any:
    """A transaction for a change: IMMEDIATE on SQLite, so two writers queue instead of deadlocking."""
    from piccolo.engine.sqlite import TransactionType

    engine = current_engine()
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()
