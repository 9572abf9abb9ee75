"""The portfolio Piccolo app: association, organisations, people, insatser, sessions, audit."""

import os

from piccolo.conf.apps import AppConfig, table_finder

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="portfolio",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "migrations"),
    table_classes=table_finder(
        modules=["portfolio.core.tables", "portfolio.mail.tables"], exclude_imported=True
    ),
    migration_dependencies=[],
    commands=[],
)
