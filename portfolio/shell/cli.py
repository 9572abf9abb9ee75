"""The `finsam` command: serve, migrate, demo, create-user, start.

Every command prints one clear line on bad input and exits non-zero, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import io
import logging
import os
import sqlite3
import sys
import warnings
from collections.abc import Callable, Coroutine
from typing import Any, NoReturn

import asyncpg

os.environ.setdefault("PICCOLO_CONF", "portfolio.piccolo_conf")


class CommandError(Exception):
    """A problem to report as one line."""


async def _with_database(work: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    from portfolio.core.db import close_database, current_engine

    engine = current_engine()
    try:
        return await work()
    finally:
        await close_database(engine)


async def migrate() -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from portfolio.core.settings import get_settings

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.upload_dir.mkdir(parents=True, exist_ok=True)
    # Piccolo prints a page per app; keep it for when something fails.
    output = io.StringIO()
    with contextlib.redirect_stdout(output), warnings.catch_warnings():
        # A column's new length is a no-op on SQLite, which enforces none; nothing to report.
        warnings.filterwarnings("ignore", message=".*SQLITE doesn't support changes in length")
        result = await run_forwards("all")
    if not result.success:
        print(output.getvalue(), file=sys.stderr)
        raise CommandError(f"migrations failed: {result.message}")


async def _has_data() -> bool:
    from portfolio.core.tables import Association

    return bool(await Association.exists().where(Association.id.is_not_null()))


def cmd_migrate(_: argparse.Namespace) -> None:
    asyncio.run(_with_database(migrate))
    print("The database is up to date.")


def cmd_demo(_: argparse.Namespace) -> None:
    from portfolio.demo.load import load_demo
    from portfolio.demo.register import DEMO_USERS

    async def work() -> bool:
        await migrate()
        return await load_demo()

    created = asyncio.run(_with_database(work))
    print("Demonstration data loaded." if created else "Demonstration data was already there.")
    _print_demo_users(DEMO_USERS)


def _print_demo_users(users: Any, url: str = "") -> None:
    from portfolio.core.settings import get_settings

    settings = get_settings()
    print(f"Log in at {url or f'http://{settings.host}:{settings.port}'} as:")
    for user in users:
        print(f"  {user.role_label:<22} {user.email:<32} password: {user.password}")


def cmd_create_user(args: argparse.Namespace) -> None:
    from portfolio.accounts import services
    from portfolio.accounts.schemas import UserCreate
    from portfolio.core.domain import Role
    from portfolio.core.errors import DomainError
    from portfolio.core.tables import Organisation

    password = (
        args.password or os.environ.get("FINSAM_NEW_PASSWORD") or getpass.getpass("Password: ")
    )
    try:
        role = Role(args.role)
    except ValueError:
        raise CommandError(f"--role must be one of {', '.join(r.value for r in Role)}") from None

    async def work() -> dict[str, Any]:
        await migrate()
        organisation_id = None
        if args.organisation:
            org = (
                await Organisation.select(Organisation.id)
                .where(Organisation.name == args.organisation)
                .first()
            )
            if org is None:
                raise CommandError(f"no organisation is named {args.organisation!r}")
            organisation_id = org["id"]
        import msgspec

        try:
            data = msgspec.convert(
                {
                    "email": args.email,
                    "name": args.name,
                    "password": password,
                    "role": role,
                    "organisation_id": organisation_id,
                    "title": args.title or "",
                },
                UserCreate,
            )
        except msgspec.ValidationError as exc:
            raise CommandError(f"invalid input: {exc}") from exc
        try:
            return await services.create_user(None, data)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    row = asyncio.run(_with_database(work))
    print(f"Created {row['role']} account {row['email']} (id {row['id']}).")


def cmd_backup(args: argparse.Namespace) -> None:
    from pathlib import Path

    from portfolio.shell.backup import BackupError, create_backup

    try:
        manifest = create_backup(Path(args.path))
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    print(f"Backup written to {args.path} ({manifest['database']}, {manifest['uploads']} files).")


def cmd_restore(args: argparse.Namespace) -> None:
    from pathlib import Path

    from portfolio.shell.backup import BackupError, restore_backup

    try:
        manifest = restore_backup(Path(args.path))
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    print(f"Restored the backup of {manifest['created_at']} from {args.path}.")


def cmd_send_mail(_: argparse.Namespace) -> None:
    """One pass over the mail queue: for cron, or with FINSAM_MAIL_INTERVAL=0 in the web workers."""
    from portfolio.mail.sender import send_pending
    from reports.reminders import queue_reminders_today

    async def one_pass() -> Any:
        try:
            reminders = await queue_reminders_today()
        except Exception as exc:  # the queued mail still goes; the reminders' failure is said
            logging.getLogger("finsam").exception("the report reminders failed")
            print(f"Reminders failed: {exc}", file=sys.stderr)
        else:
            if reminders:
                print(f"Reminders: {reminders} queued.")
        return await send_pending()

    result = asyncio.run(_with_database(one_pass))
    print(
        f"Mail: {result.sent} sent, {result.outbox} to the outbox, "
        f"{result.retrying} to retry, {result.failed} failed."
    )


WORKER_HEALTHCHECK_SECONDS = 60
KEEP_ALIVE_SECONDS = 75


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from portfolio.core.settings import get_settings

    settings = get_settings()
    host = args.host or settings.host
    port = args.port or settings.port
    if settings.database_url.startswith("sqlite") and args.workers > 1:
        raise CommandError("several workers need PostgreSQL; SQLite is for one process")
    print(
        f"Finsam Portfolio on http://{host}:{port} (database: {_describe(settings.database_url)})"
    )
    uvicorn.run(
        "portfolio.shell.asgi:app",
        host=host,
        port=port,
        workers=args.workers,
        proxy_headers=True,
        log_level="info",
        # With several workers uvicorn's supervisor pings each every half second and kills one
        # that has not answered within this many seconds, dropping every connection it holds.
        # Its default of 5 s is met by a worker that is merely starved of CPU (a loaded
        # machine, a large PDF being laid out): kill only a worker silent for a minute.
        timeout_worker_healthcheck=int(
            os.environ.get("FINSAM_WORKER_HEALTHCHECK", WORKER_HEALTHCHECK_SECONDS)
        ),
        # An idle connection is closed after this long. uvicorn's 5 s equals httpx's and many
        # clients' own idle limit, so a client reusing a connection as the server closes it
        # sees "server disconnected"; a server must outwait its clients and proxies (nginx
        # keeps upstream connections 60 s idle).
        timeout_keep_alive=int(os.environ.get("FINSAM_KEEP_ALIVE", KEEP_ALIVE_SECONDS)),
    )


def cmd_start(args: argparse.Namespace) -> None:
    """Everything a newcomer needs: migrate, demo data on a new database, then serve."""
    from portfolio.core.settings import get_settings
    from portfolio.demo.load import load_demo
    from portfolio.demo.register import DEMO_USERS

    async def work() -> bool:
        await migrate()
        if await _has_data():
            return False
        return await load_demo()

    if asyncio.run(_with_database(work)):
        print("A new database: demonstration data loaded.")
    settings = get_settings()
    _print_demo_users(
        DEMO_USERS, f"http://{args.host or settings.host}:{args.port or settings.port}"
    )
    cmd_serve(args)


def _describe(url: str) -> str:
    if url.startswith("sqlite:///"):
        return "SQLite " + url.removeprefix("sqlite:///")
    return "PostgreSQL " + url.split("@")[-1]


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line (argparse adds the whole usage before it)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="finsam", description="Finsam Portfolio")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    def serving(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--host", default=None)
        sub.add_argument("--port", type=int, default=None)
        sub.add_argument("--workers", type=int, default=1)

    serve = commands.add_parser("serve", help="serve the web pages and the API")
    serving(serve)
    serve.set_defaults(func=cmd_serve)
    start = commands.add_parser("start", help="migrate, load demo data into a new database, serve")
    serving(start)
    start.set_defaults(func=cmd_start)
    commands.add_parser("migrate", help="bring the database schema up to date").set_defaults(
        func=cmd_migrate
    )
    commands.add_parser("demo", help="load demonstration data (idempotent)").set_defaults(
        func=cmd_demo
    )
    backup = commands.add_parser("backup", help="the database and uploads into one archive")
    backup.add_argument("path", help="the archive to write, e.g. finsam-2026-11-23.tar.gz")
    backup.set_defaults(func=cmd_backup)
    restore = commands.add_parser("restore", help="replace database and uploads with a backup")
    restore.add_argument("path", help="an archive written by `finsam backup`")
    restore.set_defaults(func=cmd_restore)
    commands.add_parser("send-mail", help="send the queued mail once").set_defaults(
        func=cmd_send_mail
    )
    create = commands.add_parser("create-user", help="create an account")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--role", required=True, help="office, owner or board")
    create.add_argument("--organisation", help="the organisation's name (owners only)")
    create.add_argument("--title", default="")
    create.add_argument("--password", help="or FINSAM_NEW_PASSWORD, or asked for")
    create.set_defaults(func=cmd_create_user)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Piccolo warns about a failed connection before raising; our one line says it better.
    warnings.filterwarnings("ignore", message=".*Unable to connect to database")
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except CommandError as exc:
        print(f"finsam {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head` and closed: nothing to report
        return 1
    except ValueError as exc:  # a malformed setting, such as FINSAM_DATABASE_URL
        print(f"finsam {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except (OSError, sqlite3.Error, asyncpg.PostgresError) as exc:
        print(f"finsam {args.command}: error: the database cannot be used ({exc})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
