"""The economy's change counter: one row that the database itself bumps on every write to a
table the budget room reads, so a kept result can never outlive its inputs.

The counter is kept by triggers (created by the migrations of each app that owns such a table),
not by the code that writes: a writer added tomorrow, a script, a restore all bump it without
knowing. The migrations call `install_triggers` for their own tables.
"""

from __future__ import annotations

from typing import Any

# Every table the budget room (and the economy report) reads, by the app that owns it. A new
# input table belongs here and gets its triggers from a migration of its app.
ECONOMY_INPUTS: dict[str, tuple[str, ...]] = {
    "portfolio": (
        "organisation",
        "initiative",
        "meeting",
        "board_case",
        "agenda_item",
        "proposal",
        "fund_reservation",
        "decision",
        "commitment",
        "year_budget",
    ),
    "applications": ("application", "application_version"),
    "reports": ("report", "requisition"),
}

COUNTER_TABLE = "economy_version"


def _is_postgres(engine: Any) -> bool:
    return type(engine).__name__ == "PostgresEngine"


async def install_counter(engine: Any) -> None:
    """The counter's one row and, on PostgreSQL, the trigger function that bumps it."""
    await engine.run_ddl(
        f"CREATE TABLE IF NOT EXISTS {COUNTER_TABLE} "
        "(id INTEGER PRIMARY KEY, version BIGINT NOT NULL)"
    )
    await engine.run_ddl(
        f"INSERT INTO {COUNTER_TABLE} (id, version) VALUES (1, 1) ON CONFLICT (id) DO NOTHING"
    )
    if _is_postgres(engine):
        await engine.run_ddl(
            "CREATE OR REPLACE FUNCTION bump_economy_version() RETURNS trigger AS $$ "
            f"BEGIN UPDATE {COUNTER_TABLE} SET version = version + 1 WHERE id = 1; "
            "RETURN NULL; END; $$ LANGUAGE plpgsql"
        )


async def install_triggers(engine: Any, tables: tuple[str, ...]) -> None:
    """Triggers on each table that bump the counter in the writer's own transaction."""
    for table in tables:
        if _is_postgres(engine):
            await engine.run_ddl(
                f"CREATE TRIGGER {table}_bumps_economy AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
                "EXECUTE FUNCTION bump_economy_version()"
            )
        else:
            for event in ("INSERT", "UPDATE", "DELETE"):
                await engine.run_ddl(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_bumps_economy_{event.lower()} "
                    f"AFTER {event} ON {table} BEGIN "
                    f"UPDATE {COUNTER_TABLE} SET version = version + 1 WHERE id = 1; END"
                )
