"""The Litestar application factory: configuration, middleware, templates and routes."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("PICCOLO_CONF", "portfolio.piccolo_conf")

from litestar import Litestar, get
from litestar.config.app import AppConfig
from litestar.config.csrf import CSRFConfig
from litestar.config.response_cache import ResponseCacheConfig
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.plugins.flash import FlashConfig, FlashPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.security.session_auth import SessionAuth
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from portfolio.accounts import queries as accounts_queries
from portfolio.accounts.guards import enforce_declared_access
from portfolio.accounts.sessions import (
    DatabaseStore,
    SessionConfig,
    ended_by_reset,
    loaded_account,
)
from portfolio.core import queries as core_queries
from portfolio.core.db import close_database, current_engine, open_database
from portfolio.core.domain import Principal, Role
from portfolio.core.settings import ROOT, Settings, get_settings
from portfolio.core.web import (
    CSRF_COOKIE,
    EXCEPTION_HANDLERS,
    TEMPLATE_FILTERS,
    TEMPLATE_GLOBALS,
    check_json_body,
    security_headers,
)
from portfolio.shell.openapi import document_errors
from portfolio.shell.overload import limit_in_flight

TEMPLATE_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "templates" / "static"

# Paths anyone may reach without logging in.
PUBLIC_PATHS = [
    "^/login$",
    "^/static/",
    "^/schema",
    "^/healthz$",
    "^/api/auth/login$",
    "^/api/auth/password/(forgot|set)$",
    "^/glomt-losenord$",
    "^/losenord/[^/]+$",
]


async def retrieve_user(
    session: dict[str, Any], connection: ASGIConnection[Any, Any, Any, Any]
) -> Principal | None:
    """The signed-in person from the session, re-read each request so a deactivation bites at once."""
    user_id = session.get("user_id")
    if not isinstance(user_id, int):
        return None
    row = loaded_account(connection, user_id) or await accounts_queries.principal_row(user_id)
    if row is None or not row["active"] or ended_by_reset(session, row["sessions_since"]):
        return None
    return Principal(
        user_id=row["id"],
        email=row["email"],
        name=row["name"],
        role=Role(row["role"]),
        organisation_id=row["organisation"],
    )


@get("/healthz", exclude_from_auth=True, include_in_schema=False)
async def healthz() -> dict[str, str]:
    """For the proxy and the container: the process answers and the database is reachable."""
    await core_queries.association_row()
    return {"status": "ok"}


def _template_engine(engine: JinjaTemplateEngine, debug: bool) -> None:
    engine.engine.globals.update(TEMPLATE_GLOBALS)
    engine.engine.filters.update(TEMPLATE_FILTERS)
    # Outside debug the templates are those of the release: checking every file's mtime on each
    # render was 17 % of the start page's time.
    engine.engine.auto_reload = debug


def _keeping_headers(handler: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """An HTTP error's own headers on the answer made for it: the router's `Allow` on a 405
    (RFC 9110 wants it), whatever the handler answers in its body."""

    def handle(request: Any, exc: Any) -> Any:
        response = handler(request, exc)
        for name, value in (getattr(exc, "headers", None) or {}).items():
            if name.lower() not in {key.lower() for key in response.headers}:
                response.headers[name] = value
        return response

    return handle


def _exception_handlers() -> dict[Any, Any]:
    return {
        kind: _keeping_headers(handler)
        if isinstance(kind, type) and issubclass(kind, HTTPException)
        else handler
        for kind, handler in EXCEPTION_HANDLERS.items()
    }


def _first(middleware: Any) -> Callable[[AppConfig], AppConfig]:
    def put_first(config: AppConfig) -> AppConfig:
        config.middleware.insert(0, middleware)
        return config

    return put_first


# Statuses a route answers by a rule of its own, beyond what its shape tells (see openapi.py).
EXTRA_ERRORS = {
    "/api/auth/login": {401, 415, 422, 429},
    "/api/auth/login/code": {401, 429},
    # invitations and password links are counted per address and per sender (429 past the limit)
    "/api/auth/password/forgot": {429},
    "/api/auth/password/set": {429},
    "/api/invitations": {429},
    "/api/invitations/{user_id:int}": {429},
}


def create_app(settings: Settings | None = None) -> Litestar:
    from applications.controllers import ROUTE_HANDLERS as APPLICATION_ROUTES
    from portfolio.accounts.two_factor_controllers import ROUTE_HANDLERS as TWO_FACTOR_ROUTES
    from portfolio.mail.controllers import ROUTE_HANDLERS as MAIL_ROUTES
    from portfolio.mail.sender import BackgroundSender
    from portfolio.shell.routes import ROUTE_HANDLERS
    from reports.controllers import ROUTE_HANDLERS as REPORT_ROUTES
    from reports.reminders import queue_reminders_today
    from reports.services import report_counts

    settings = settings or get_settings()
    engine = current_engine()
    mail_sender = BackgroundSender.from_settings(settings, reminders=queue_reminders_today)

    async def on_startup() -> None:
        await open_database(engine, settings.db_pool_size)
        mail_sender.start()

    async def on_shutdown() -> None:
        await mail_sender.stop()
        await close_database(engine)

    session_config = SessionConfig(
        store="sessions",
        max_age=settings.session_max_age,
        renew_on_access=True,
        secure=settings.secure_cookies,
        httponly=True,
        samesite="lax",
        key="finsam_session",
    )
    auth = SessionAuth[Principal, Any](
        retrieve_user_handler=retrieve_user,
        session_backend_config=session_config,
        exclude=PUBLIC_PATHS,
    )
    template_config = TemplateConfig(
        directory=Path(TEMPLATE_DIR),
        engine=JinjaTemplateEngine,
        engine_callback=lambda engine: _template_engine(engine, settings.debug),
    )
    app = Litestar(
        route_handlers=[
            *ROUTE_HANDLERS,
            *APPLICATION_ROUTES,
            *REPORT_ROUTES,
            *TWO_FACTOR_ROUTES,
            *MAIL_ROUTES,
            healthz,
            create_static_files_router(
                path="/static", directories=[STATIC_DIR], include_in_schema=False
            ),
        ],
        # Overload refused first of all, before the session is read (auth puts its own first).
        on_app_init=[auth.on_app_init, _first(limit_in_flight(settings.max_in_flight))],
        # each route's declared `opt` access (portfolio/accounts/access.py)
        guards=[enforce_declared_access],
        # Every API body: JSON only, bounded, strictly typed, checked before it is parsed.
        before_request=check_json_body,
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        # What one area asks of an area above it, handed in here so that neither imports the
        # other: the extension readiness check counts the insats's quarterly reports.
        state=State({"report_counts": report_counts}),
        stores={"sessions": DatabaseStore()},
        before_send=[security_headers(settings.secure_cookies)],
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_secure=settings.secure_cookies,
            cookie_samesite="lax",
            cookie_name=CSRF_COOKIE,
            header_name="x-csrftoken",
            exclude=[
                "^/api/auth/login$",
                "^/api/auth/login/code$",
                "^/api/auth/password/(forgot|set)$",
            ],
        ),
        template_config=template_config,
        plugins=[FlashPlugin(config=FlashConfig(template_config=template_config))],
        exception_handlers=_exception_handlers(),
        openapi_config=OpenAPIConfig(
            title="Finsam Portfolio API",
            version="0.1.0",
            description="Insatser, ansökningar, beslut och beslutsutrymme för ett samordningsförbund.",
            path="/schema",
            render_plugins=[ScalarRenderPlugin()],
        ),
        response_cache_config=ResponseCacheConfig(),
        request_max_body_size=20 * 1024 * 1024,
        debug=settings.debug,
    )
    document_errors(app, PUBLIC_PATHS, EXTRA_ERRORS)
    return app
