"""Mail use cases for people: read what was sent, retry a mail, edit the templates (audited)."""

from __future__ import annotations

from typing import Any

import msgspec

from portfolio.accounts.permissions import require
from portfolio.core import audit
from portfolio.core.db import write_transaction
from portfolio.core.domain import Principal
from portfolio.core.errors import NotFound, StaleVersion, ValidationFailed
from portfolio.core.versioning import update_versioned
from portfolio.mail import queries
from portfolio.mail.compose import (
    SAMPLE_CONTEXTS,
    Composed,
    MailTemplate,
    default_template,
    render,
    template_problems,
)
from portfolio.mail.domain import MailKind, MailStatus
from portfolio.mail.permissions import (
    can_edit_mail_templates,
    can_read_mail,
    can_retry_mail,
)
from portfolio.mail.queue import now_utc
from portfolio.mail.tables import MailTemplateEdit, OutgoingMail


async def get_mail(actor: Principal, mail_id: int) -> dict[str, Any]:
    """A mail with its text and attachments, if it went to `actor` (or `actor` is the office)."""
    row = await queries.mail_row(mail_id)
    if row is None or not can_read_mail(actor, row["recipient_user"], row["recipient_email"]):
        raise NotFound("Utskicket finns inte.")
    attachments = await queries.attachment_rows([mail_id])
    return {**row, "attachments": attachments.get(mail_id, [])}


async def list_mail(
    actor: Principal, *, mine: bool = False, **filters: Any
) -> list[dict[str, Any]]:
    rows = await queries.mail_rows(actor, mine=mine, **filters)
    attachments = await queries.attachment_rows([r["id"] for r in rows])
    return [{**r, "attachments": attachments.get(r["id"], [])} for r in rows]


async def attachment(actor: Principal, mail_id: int, attachment_id: int) -> tuple[str, str, bytes]:
    await get_mail(actor, mail_id)
    found = await queries.attachment_file(mail_id, attachment_id)
    if found is None:
        raise NotFound("Bilagan finns inte.")
    row, data = found
    return row["filename"], row["content_type"], data


async def retry(actor: Principal, mail_id: int) -> dict[str, Any]:
    """Put a failed or waiting mail first in the queue; the sender takes it on its next pass."""
    async with write_transaction():
        before = await get_mail(actor, mail_id)
        require(can_retry_mail(actor, MailStatus(before["status"])))
        await OutgoingMail.update(
            {OutgoingMail.status: MailStatus.QUEUED, OutgoingMail.next_attempt_at: now_utc()}
        ).where(OutgoingMail.id == mail_id)
        await audit.record(
            actor,
            "retry",
            "mail",
            mail_id,
            {"status": before["status"], "last_error": before["last_error"]},
            {"status": MailStatus.QUEUED.value},
            f"Till {before['recipient_email']}: {before['subject']}",
        )
    return await get_mail(actor, mail_id)


# -- templates ------------------------------------------------------------------------------


class TemplateView(msgspec.Struct):
    kind: MailKind
    subject: str
    body: str
    edited: bool
    version: int  # 0 while the shipped wording is used
    default: MailTemplate
    variables: list[str]


def _view(kind: MailKind, edit: dict[str, Any] | None) -> TemplateView:
    default = default_template(kind)
    return TemplateView(
        kind=kind,
        subject=edit["subject"] if edit else default.subject,
        body=edit["body"] if edit else default.body,
        edited=edit is not None,
        version=edit["version"] if edit else 0,
        default=default,
        variables=sorted(SAMPLE_CONTEXTS[kind]),
    )


async def templates() -> list[TemplateView]:
    edits = await queries.template_edits()
    return [_view(kind, edits.get(kind.value)) for kind in MailKind]


async def get_template(kind: MailKind) -> TemplateView:
    return _view(kind, (await queries.template_edits()).get(kind.value))


def preview(kind: MailKind, template: MailTemplate) -> Composed:
    """The template filled with the kind's example values; raises ValidationFailed if it cannot be."""
    problems = template_problems(template, kind)
    if problems:
        raise ValidationFailed(problems)
    return render(template, SAMPLE_CONTEXTS[kind])


async def save_template(
    actor: Principal, kind: MailKind, template: MailTemplate, version: int
) -> TemplateView:
    """Keep the office's wording; `version` 0 means the edit was made on the shipped wording."""
    require(can_edit_mail_templates(actor))
    problems = template_problems(template, kind)
    if problems:
        raise ValidationFailed(problems)
    async with write_transaction():
        before = await MailTemplateEdit.select().where(MailTemplateEdit.kind == kind).first()
        if before is None:
            if version != 0:
                raise StaleVersion("Mallen")
            after = (
                await MailTemplateEdit.insert(
                    MailTemplateEdit(kind=kind, subject=template.subject, body=template.body)
                ).returning(*MailTemplateEdit._meta.columns)
            )[0]
        else:
            after = await update_versioned(
                MailTemplateEdit,
                before["id"],
                version,
                {
                    MailTemplateEdit.subject: template.subject,
                    MailTemplateEdit.body: template.body,
                    MailTemplateEdit.updated_at: now_utc(),
                },
                what="Mallen",
            )
        await audit.record(actor, "update", "mail_template", after["id"], before, after, kind.value)
    return await get_template(kind)


async def reset_template(actor: Principal, kind: MailKind) -> TemplateView:
    """Back to the shipped wording."""
    require(can_edit_mail_templates(actor))
    async with write_transaction():
        before = await MailTemplateEdit.select().where(MailTemplateEdit.kind == kind).first()
        if before is not None:
            await MailTemplateEdit.delete().where(MailTemplateEdit.id == before["id"])
            await audit.record(
                actor, "delete", "mail_template", before["id"], before, None, kind.value
            )
    return await get_template(kind)
