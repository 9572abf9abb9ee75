"""Backup and restore: the database and the uploaded files in one archive (`finsam backup PATH`).

The database is copied first and the uploads after: uploads are written before the row that
names them and never change (they are stored by checksum), and a detached file is deleted only
under the uploads lock, which the backup holds throughout, so every file the copied database
names is in the archive. SQLite is copied with its online backup API (a consistent snapshot
while the service runs); PostgreSQL with `pg_dump --format=custom`, which reads one snapshot
in a repeatable-read transaction and restores with `pg_restore` (types, sequences, constraints
and all), rather than a dump of our own through Piccolo that would have to get each right.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from portfolio.core.settings import Settings, get_settings

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite"
POSTGRES_FILE = "database.pgdump"
UPLOADS = "uploads"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in one line."""


def _sqlite_path(settings: Settings) -> Path:
    return Path(settings.database_url.removeprefix("sqlite:///"))


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)"
        )
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip().splitlines()[-1:]}")


@contextlib.contextmanager
def _uploads_held(settings: Settings) -> Iterator[None]:
    """No stored upload kept or deleted meanwhile (applications/services.py takes the same
    lock), so every file the copied database names is still there to be copied."""
    settings.uploads_lock.parent.mkdir(parents=True, exist_ok=True)
    with settings.uploads_lock.open("a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def create_backup(target: Path, settings: Settings | None = None) -> dict[str, object]:
    """Write the archive to `target` (a .tar.gz); returns its manifest."""
    settings = settings or get_settings()
    with (
        _uploads_held(settings),
        tempfile.TemporaryDirectory(prefix="finsam-backup-") as work,
    ):
        folder = Path(work)
        if settings.is_postgres:
            database = POSTGRES_FILE
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--file={folder / database}",
                    f"--dbname={settings.database_url}",
                ]
            )
        else:
            database = SQLITE_FILE
            source = sqlite3.connect(_sqlite_path(settings))
            copy = sqlite3.connect(folder / database)
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
        files = (
            sorted(p for p in settings.upload_dir.rglob("*") if p.is_file())
            if settings.upload_dir.exists()
            else []
        )
        manifest: dict[str, object] = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "database": "postgresql" if settings.is_postgres else "sqlite",
            "database_file": database,
            "uploads": len(files),
        }
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(folder / database, arcname=database)
            for path in files:
                archive.add(
                    path, arcname=f"{UPLOADS}/{path.relative_to(settings.upload_dir).as_posix()}"
                )
        partial.replace(target)  # a half-written archive never has the real name
    return manifest


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """Plain files with plain relative names only: an archive cannot write outside its folder."""
    members = []
    for member in archive.getmembers():
        name = PurePosixPath(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"the archive holds an unsafe entry: {member.name}")
        members.append(member)
    return members


def restore_backup(source: Path, settings: Settings | None = None) -> dict[str, object]:
    """Replace the database and the uploads with the archive's; returns its manifest."""
    settings = settings or get_settings()
    if not source.is_file():
        raise BackupError(f"no backup at {source}")
    with tempfile.TemporaryDirectory(prefix="finsam-restore-") as work:
        folder = Path(work)
        try:
            with tarfile.open(source, "r:gz") as archive:
                # Our own checks of every entry, and the standard library's "data" filter
                # (no links out, no devices, no absolute paths) behind them.
                safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # 3.11.4+
                archive.extractall(folder, members=_safe_members(archive), **safe)  # type: ignore[arg-type]
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"{source} is not a Finsam backup ({exc})") from exc
        manifest_path = folder / MANIFEST
        if not manifest_path.is_file():
            raise BackupError(f"{source} is not a Finsam backup (no {MANIFEST})")
        manifest = json.loads(manifest_path.read_text())
        kind = "postgresql" if settings.is_postgres else "sqlite"
        if manifest.get("format") != FORMAT or manifest.get("database") != kind:
            raise BackupError(
                f"the backup is of a {manifest.get('database')} database; this service uses {kind}"
            )
        expected = POSTGRES_FILE if settings.is_postgres else SQLITE_FILE
        if manifest.get("database_file") != expected:
            # Only the archive's own file: a manifest must not point the restore elsewhere.
            raise BackupError(f"{source} is not a Finsam backup (database file is not {expected})")
        database = folder / expected
        if settings.is_postgres:
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    f"--dbname={settings.database_url}",
                    str(database),
                ]
            )
        else:
            copy = sqlite3.connect(database)
            target = sqlite3.connect(_sqlite_path(settings))
            try:
                copy.backup(target)  # page by page under the database's own lock
            finally:
                target.close()
                copy.close()
        uploads = folder / UPLOADS
        settings.upload_dir.mkdir(parents=True, exist_ok=True)
        old = settings.upload_dir.with_name(settings.upload_dir.name + ".before-restore")
        shutil.rmtree(old, ignore_errors=True)
        settings.upload_dir.rename(old)
        if uploads.exists():
            shutil.copytree(uploads, settings.upload_dir)
        else:
            settings.upload_dir.mkdir()
        shutil.rmtree(old, ignore_errors=True)
    return manifest
