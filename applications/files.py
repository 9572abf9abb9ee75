"""The uploaded files, stored once by their SHA-256 under FINSAM_UPLOAD_DIR, and the lock that
uploads, removals and backups share."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
from collections.abc import AsyncIterator
from pathlib import Path

from applications.attachments import storage_key
from applications.tables import Attachment
from portfolio.core.settings import get_settings


def _store_file(sha256: str, data: bytes) -> None:
    path = attachment_path(sha256)
    if not path.exists():
        # Write then rename, so a half-written file is never taken for the real one.
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(path)


def attachment_path(sha256: str) -> Path:
    """Where an attachment's bytes are stored: by checksum, so one file is kept once."""
    return get_settings().upload_dir / storage_key(sha256)


@contextlib.asynccontextmanager
async def _stored_files_locked() -> AsyncIterator[None]:
    """One at a time, across the server's worker processes, deciding whether a stored file is
    kept: an upload writes its file and commits its row, or a removal finds no row left and
    deletes the file, never the two interleaved (which could delete a file just attached
    again); a backup holds it too while it copies (`portfolio/shell/backup.py`)."""
    lock_path = get_settings().uploads_lock
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a+b") as handle:
        await asyncio.to_thread(fcntl.flock, handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


async def _forget_file(sha256: str) -> None:
    """Delete a stored file once no attachment row refers to it (call after the commit that
    removed the last one), so a detached file neither stays on disk nor goes into backups."""
    async with _stored_files_locked():
        if await Attachment.exists().where(Attachment.sha256 == sha256):
            return  # another application (or a sent version) still holds the same file
        attachment_path(sha256).unlink(missing_ok=True)
