"""Read queries over the mail tables; what a person may see is limited in SQL."""

from __future__ import annotations

from typing import Any

from piccolo.query.functions.aggregate import Count

from portfolio.core.domain import Principal, Role
from portfolio.mail.domain import MailKind, MailStatus
from portfolio.mail.tables import MailAttachment, MailBlob, MailTemplateEdit, OutgoingMail

_LIST_COLUMNS = [c for c in OutgoingMail._meta.columns if c._meta.name != "body"]


def _own(user: Principal) -> Any:
    """Mails addressed to `user`: by account, or by address for mails sent before the account."""
    return (OutgoingMail.recipient_user == user.user_id) | (
        OutgoingMail.recipient_user.is_null() & (OutgoingMail.recipient_email == user.email)
    )


async def mail_rows(
    user: Principal,
    *,
    mine: bool = False,
    status: MailStatus | None = None,
    kind: MailKind | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Newest first: every mail for the office (unless `mine`), one's own for everyone else."""
    query = (
        OutgoingMail.select(*_LIST_COLUMNS)
        .order_by(OutgoingMail.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    if mine or user.role is not Role.OFFICE:
        query = query.where(_own(user))
    if status is not None:
        query = query.where(OutgoingMail.status == status)
    if kind is not None:
        query = query.where(OutgoingMail.kind == kind)
    return await query


async def mail_row(mail_id: int) -> dict[str, Any] | None:
    return await OutgoingMail.select().where(OutgoingMail.id == mail_id).first()


async def attachment_rows(mail_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each mail's attachments (without their bytes), by mail id."""
    if not mail_ids:
        return {}
    rows = await (
        MailAttachment.select()
        .where(MailAttachment.mail.is_in(mail_ids))
        .order_by(MailAttachment.id)
    )
    found: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row["mail"], []).append(row)
    return found


async def attachment_file(mail_id: int, attachment_id: int) -> tuple[dict[str, Any], bytes] | None:
    row = (
        await MailAttachment.select()
        .where((MailAttachment.id == attachment_id) & (MailAttachment.mail == mail_id))
        .first()
    )
    if row is None:
        return None
    blob = await MailBlob.select(MailBlob.data).where(MailBlob.sha256 == row["sha256"]).first()
    return (row, bytes(blob["data"])) if blob else None


async def status_counts() -> dict[str, int]:
    rows = await OutgoingMail.select(OutgoingMail.status, Count()).group_by(OutgoingMail.status)
    return {row["status"]: row["count"] for row in rows}


async def template_edits() -> dict[str, dict[str, Any]]:
    return {row["kind"]: row for row in await MailTemplateEdit.select()}
