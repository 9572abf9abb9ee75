"""The mail queue in the database: enqueue inside the caller's transaction, claim safely, settle.

Enqueueing writes rows in whatever transaction is open, so a change that rolls back sends
nothing. Claiming is safe across processes: on PostgreSQL the due rows are locked with
FOR UPDATE SKIP LOCKED, so two senders take different mails; on SQLite the claim runs in a
BEGIN IMMEDIATE transaction, which only one writer holds at a time. A claimed mail carries a
lease (its next_attempt_at); if its sender dies, the lease runs out and another takes it up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from portfolio.core.db import current_engine, write_transaction
from portfolio.mail.domain import (
    LEASE,
    Attachment,
    MailKind,
    MailStatus,
    Message,
    after_failure,
)
from portfolio.mail.tables import MailAttachment, MailBlob, OutgoingMail


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def enqueue(
    message: Message,
    kind: MailKind,
    *,
    recipient_user: int | None = None,
    organisation: int | None = None,
    entity: str = "",
    entity_id: int | None = None,
    note: str = "",
) -> int:
    """Queue one mail; call inside the transaction of the change it reports."""
    row = (
        await OutgoingMail.insert(
            OutgoingMail(
                kind=kind,
                status=MailStatus.QUEUED,
                recipient_email=message.recipient_email.strip(),
                recipient_name=message.recipient_name[:200],
                recipient_user=recipient_user,
                organisation=organisation,
                subject=message.subject[:300],
                body=message.body,
                entity=entity,
                entity_id=entity_id,
                note=note[:300],
                next_attempt_at=now_utc(),
                created_at=now_utc(),
            )
        ).returning(OutgoingMail.id)
    )[0]
    for attachment in message.attachments:
        sha256 = await store_blob(attachment.data)
        await MailAttachment.insert(
            MailAttachment(
                mail=row["id"],
                filename=attachment.filename,
                content_type=attachment.content_type,
                size=len(attachment.data),
                sha256=sha256,
            )
        )
    return int(row["id"])


async def store_blob(data: bytes) -> str:
    """Keep the bytes once by their checksum; a second mail with the same PDF points at the same row."""
    sha256 = hashlib.sha256(data).hexdigest()
    if not await MailBlob.exists().where(MailBlob.sha256 == sha256):
        await MailBlob.insert(MailBlob(sha256=sha256, data=data)).on_conflict(
            target=MailBlob.sha256, action="DO NOTHING"
        )
    return sha256


def _due(now: dt.datetime) -> Any:
    """Queued and due, or being sent by a sender whose lease ran out."""
    return OutgoingMail.status.is_in([MailStatus.QUEUED, MailStatus.SENDING]) & (
        OutgoingMail.next_attempt_at <= now
    )


async def claim(now: dt.datetime | None = None, limit: int = 20) -> list[int]:
    """Take up to `limit` due mails for this sender: they move to `sending` with a lease."""
    now = now or now_utc()
    # Look before taking the write lock: an idle queue, polled every few seconds by every
    # worker, then costs one read and never holds SQLite's single writer slot.
    if not await OutgoingMail.exists().where(_due(now)):
        return []
    async with write_transaction():
        query = (
            OutgoingMail.select(OutgoingMail.id)
            .where(_due(now))
            .order_by(OutgoingMail.next_attempt_at)
            .order_by(OutgoingMail.id)
            .limit(limit)
        )
        if isinstance(current_engine(), PostgresEngine):
            query = query.lock_rows("UPDATE", skip_locked=True)
        ids = [row["id"] for row in await query]
        if not ids:
            return []
        claimed = await (
            OutgoingMail.update(
                {
                    OutgoingMail.status: MailStatus.SENDING,
                    OutgoingMail.next_attempt_at: now + LEASE,
                    OutgoingMail.attempts: OutgoingMail.attempts + 1,
                }
            )
            .where(OutgoingMail.id.is_in(ids) & _due(now))
            .returning(OutgoingMail.id)
        )
    return sorted(row["id"] for row in claimed)


async def claimed_messages(ids: list[int]) -> list[tuple[dict[str, Any], Message]]:
    """The claimed rows with their messages and attachments, ready for the sender."""
    if not ids:
        return []
    rows = await OutgoingMail.select().where(OutgoingMail.id.is_in(ids)).order_by(OutgoingMail.id)
    attachments = await (
        MailAttachment.select(
            MailAttachment.mail,
            MailAttachment.filename,
            MailAttachment.content_type,
            MailAttachment.sha256,
        )
        .where(MailAttachment.mail.is_in(ids))
        .order_by(MailAttachment.id)
    )
    hashes = list({a["sha256"] for a in attachments})
    blobs = (
        {
            b["sha256"]: bytes(b["data"])
            for b in await MailBlob.select().where(MailBlob.sha256.is_in(hashes))
        }
        if hashes
        else {}
    )
    by_mail: dict[int, list[Attachment]] = {}
    for a in attachments:
        by_mail.setdefault(a["mail"], []).append(
            Attachment(a["filename"], a["content_type"], blobs[a["sha256"]])
        )
    return [
        (
            row,
            Message(
                recipient_email=row["recipient_email"],
                recipient_name=row["recipient_name"],
                subject=row["subject"],
                body=row["body"],
                attachments=tuple(by_mail.get(row["id"], [])),
            ),
        )
        for row in rows
    ]


async def mark_delivered(mail_id: int, status: MailStatus, now: dt.datetime | None = None) -> None:
    """Sent by SMTP, or put in the outbox when no server is configured."""
    now = now or now_utc()
    await OutgoingMail.update(
        {OutgoingMail.status: status, OutgoingMail.sent_at: now, OutgoingMail.last_error: ""}
    ).where((OutgoingMail.id == mail_id) & (OutgoingMail.status == MailStatus.SENDING))


async def mark_failed(
    mail_id: int, attempts: int, error: str, permanent: bool, now: dt.datetime | None = None
) -> MailStatus:
    """Back to the queue with a later attempt, or failed for good; the error is kept for the office."""
    now = now or now_utc()
    outcome = after_failure(attempts, permanent, now)
    await OutgoingMail.update(
        {
            OutgoingMail.status: outcome.status,
            OutgoingMail.next_attempt_at: outcome.next_attempt_at,
            OutgoingMail.last_error: error[:2000],
        }
    ).where((OutgoingMail.id == mail_id) & (OutgoingMail.status == MailStatus.SENDING))
    return outcome.status
