from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from portfolio.core.change_version import install_triggers

ID = "2026-12-04T19:20:01:006438"
VERSION = "1.38.0"
# The tables as they were when this migration was written (see ECONOMY_INPUTS).
TABLES = ("report", "requisition")
DESCRIPTION = "The economy's change counter, bumped by triggers on the reports tables it reads"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="reports", description=DESCRIPTION)

    async def run():
        from portfolio.core.db import current_engine

        engine = current_engine()
        await install_triggers(engine, TABLES)

    manager.add_raw(run)
    return manager
