from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from portfolio.core.change_version import install_counter, install_triggers

ID = "2026-12-04T19:20:02:000134"
VERSION = "1.38.0"
# The tables as they were when this migration was written (see ECONOMY_INPUTS).
TABLES = (
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
)
DESCRIPTION = "The economy's change counter, bumped by triggers on the portfolio tables it reads"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="portfolio", description=DESCRIPTION)

    async def run():
        from portfolio.core.db import current_engine

        engine = current_engine()
        await install_counter(engine)
        await engine.run_ddl(
            "CREATE TABLE budget_room_kept (key VARCHAR(200) PRIMARY KEY, "
            "version BIGINT NOT NULL, payload TEXT NOT NULL)"
        )
        await install_triggers(engine, TABLES)

    manager.add_raw(run)
    return manager
