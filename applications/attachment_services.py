"""Use cases for an application's attachments: add, list (the board reads only those sent in),
download and remove a draft's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from applications import queries
from applications.attachments import AttachmentRefused, check_upload
from applications.domain import (
    ApplicationStatus,
    sent_in_version,
)
from applications.files import _forget_file, _stored_files_locked, attachment_path
from applications.permissions import (
    can_edit_application,
)
from applications.services import get_application
from applications.tables import Attachment
from portfolio.accounts.permissions import require
from portfolio.core import audit
from portfolio.core.db import write_transaction
from portfolio.core.domain import (
    FieldProblem,
    Principal,
    Role,
)
from portfolio.core.errors import Conflict, NotFound, ValidationFailed


async def add_attachment(
    actor: Principal, application_id: int, filename: str, data: bytes
) -> dict[str, Any]:
    row = await get_application(actor, application_id)
    require(can_edit_application(actor, row["organisation"], ApplicationStatus(row["status"])))
    checked = check_upload(filename, data)
    if isinstance(checked, AttachmentRefused):
        raise ValidationFailed([FieldProblem("file", checked.message)])
    path = attachment_path(checked.sha256)
    async with _stored_files_locked(), write_transaction():
        if not path.exists():
            # Write then rename, so a half-written file is never taken for the real one.
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            partial.write_bytes(data)
            partial.replace(path)
        if await Attachment.exists().where(
            (Attachment.application == application_id) & (Attachment.sha256 == checked.sha256)
        ):
            raise Conflict(f"Filen {checked.filename} är redan bifogad.", field="file")
        saved = (
            await Attachment.insert(
                Attachment(
                    application=application_id,
                    filename=checked.filename,
                    content_type=checked.content_type,
                    size=checked.size,
                    sha256=checked.sha256,
                    uploaded_by=actor.user_id,
                )
            ).returning(*Attachment._meta.columns)
        )[0]
        await audit.record(
            actor, "create", "attachment", saved["id"], None, saved, checked.filename
        )
    return saved


async def _submission_times(application_id: int) -> list[dt.datetime]:
    """When each version was sent in, in order: what tells which attachments went with them."""
    return [v["submitted_at"] for v in await queries.version_rows(application_id)]


async def _attachments_with_version(application_id: int) -> list[dict[str, Any]]:
    """Each attachment with `sent_in`: the version it went in with, or None (not sent yet)."""
    submitted = await _submission_times(application_id)
    return [
        {**row, "sent_in": sent_in_version(row["uploaded_at"], submitted)}
        for row in await queries.attachment_rows(application_id)
    ]


async def sent_attachments(application_id: int) -> list[dict[str, Any]]:
    """The attachments that went in with a submitted version: what the record holds."""
    return [a for a in await _attachments_with_version(application_id) if a["sent_in"]]


async def attachments_for(actor: Principal, application_id: int) -> list[dict[str, Any]]:
    """An application's attachments as `actor` may see them: the board only those sent in."""
    await get_application(actor, application_id)
    if actor.role is Role.BOARD:
        return await sent_attachments(application_id)
    return await _attachments_with_version(application_id)


async def attachment_file(actor: Principal, attachment_id: int) -> tuple[dict[str, Any], bytes]:
    row = await queries.attachment_row(attachment_id)
    if row is None:
        raise NotFound("Bilagan finns inte.")
    await get_application(actor, row["application"])
    # The board reads what was sent in, not a file added while a completion is under way.
    if actor.role is Role.BOARD and row["id"] not in {
        a["id"] for a in await sent_attachments(row["application"])
    }:
        raise NotFound("Bilagan finns inte.")
    path = attachment_path(row["sha256"])
    if not path.exists():
        raise NotFound("Bilagans fil saknas på servern.")
    return row, path.read_bytes()


async def remove_attachment(actor: Principal, attachment_id: int) -> int:
    """Detach a file from a draft; returns the application's id. The stored file goes too,
    unless another attachment row holds the same file."""
    row = await queries.attachment_row(attachment_id)
    if row is None:
        raise NotFound("Bilagan finns inte.")
    application = await get_application(actor, row["application"])
    require(
        can_edit_application(
            actor, application["organisation"], ApplicationStatus(application["status"])
        )
    )
    number = sent_in_version(row["uploaded_at"], await _submission_times(application["id"]))
    if number is not None:
        raise Conflict(
            f"Bilagan {row['filename']} skickades in med version {number} och hör till ärendet; "
            "den kan inte tas bort. Ladda upp en ny fil om något ska ändras."
        )
    async with write_transaction():
        await Attachment.delete().where(Attachment.id == attachment_id)
        await audit.record(actor, "delete", "attachment", attachment_id, row, None, row["filename"])
    await _forget_file(row["sha256"])  # only now: had the transaction failed, the file is needed
    return int(row["application"])
