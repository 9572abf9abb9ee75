"""Piccolo's configuration: the engine from the settings and every app of the project."""

from piccolo.conf.apps import AppRegistry

from portfolio.core.db import make_engine
from portfolio.core.settings import get_settings

DB = make_engine(get_settings().database_url)

APP_REGISTRY = AppRegistry(
    apps=[
        "portfolio.piccolo_app",
        "applications.piccolo_app",
        "reports.piccolo_app",
    ]
)
