"""The anchors our throughput is measured against: what Litestar and the database allow here.

Each is an ASGI app factory for `uvicorn --factory --app-dir benchmarks anchor_apps:NAME`:

- `ping`: a bare Litestar route, no database (the framework's own ceiling);
- `sqlite_ceiling`: 50 narrow rows through one kept-open aiosqlite connection (the SQLite ceiling);
- `piccolo_sqlite`: the same rows through Piccolo's own SQLite engine (a connection per query);
- `piccolo_postgres`: the same rows through Piccolo with a PostgreSQL pool (min 4, max 10).

The rows are `bench_row(id, name)`, which `throughput.py` creates beside the demo data; the
database comes from FINSAM_BENCH_SQLITE (a file path) or FINSAM_BENCH_POSTGRES (a URL).
"""

from __future__ import annotations

import os
from typing import Any

ROWS = 50
ROWS_SQL = f"SELECT id, name FROM bench_row ORDER BY id LIMIT {ROWS}"


def ping() -> Any:
    from litestar import Litestar, get

    @get("/ping")
    async def pong() -> dict[str, bool]:
        return {"ok": True}

    return Litestar([pong])


def sqlite_ceiling() -> Any:
    import aiosqlite
    from litestar import Litestar, get

    state: dict[str, aiosqlite.Connection] = {}

    async def startup() -> None:
        state["db"] = await aiosqlite.connect(os.environ["FINSAM_BENCH_SQLITE"])

    async def shutdown() -> None:
        await state["db"].close()

    @get("/rows")
    async def rows() -> list[dict[str, Any]]:
        async with state["db"].execute(ROWS_SQL) as cursor:
            return [{"id": r[0], "name": r[1]} for r in await cursor.fetchall()]

    return Litestar([rows], on_startup=[startup], on_shutdown=[shutdown])


def _piccolo_app(engine: Any, pool: bool) -> Any:
    from litestar import Litestar, get
    from piccolo.columns import Serial, Varchar
    from piccolo.table import Table

    class BenchRow(Table, tablename="bench_row", db=engine):
        id: Serial
        name = Varchar(length=100)

    @get("/rows")
    async def rows() -> list[dict[str, Any]]:
        return await BenchRow.select(BenchRow.id, BenchRow.name).order_by(BenchRow.id).limit(ROWS)

    async def startup() -> None:
        if pool:
            await engine.start_connection_pool(min_size=4, max_size=10)

    async def shutdown() -> None:
        if pool:
            await engine.close_connection_pool()

    return Litestar([rows], on_startup=[startup], on_shutdown=[shutdown])


def piccolo_sqlite() -> Any:
    from piccolo.engine.sqlite import SQLiteEngine

    return _piccolo_app(SQLiteEngine(path=os.environ["FINSAM_BENCH_SQLITE"]), pool=False)


def piccolo_postgres() -> Any:
    from piccolo.engine.postgres import PostgresEngine

    return _piccolo_app(
        PostgresEngine(config={"dsn": os.environ["FINSAM_BENCH_POSTGRES"]}), pool=True
    )
