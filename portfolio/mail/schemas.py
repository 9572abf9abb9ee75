"""Request and response Structs of the mail API (the page forms reuse them)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from portfolio.core.schemas import LongText
from portfolio.mail.compose import Composed
from portfolio.mail.domain import MAIL_KIND_LABELS, MAIL_STATUS_LABELS, MailKind, MailStatus
from portfolio.mail.services import TemplateView


class MailAttachmentOut(msgspec.Struct):
    id: int
    filename: str
    content_type: str
    size: int
    url: str


class MailOut(msgspec.Struct):
    """One mail to one person, with where it is in the queue."""

    id: int
    kind: MailKind
    kind_label: str
    status: MailStatus
    status_label: str
    recipient_email: str
    recipient_name: str
    recipient_user_id: int | None
    organisation_id: int | None
    subject: str
    entity: str
    entity_id: int | None
    note: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_error: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    attachments: list[MailAttachmentOut]
    body: str | None = None  # in the answer about one mail only


def mail_out(row: dict[str, Any], with_body: bool = False) -> MailOut:
    status = MailStatus(row["status"])
    kind = MailKind(row["kind"])
    waiting = status in (MailStatus.QUEUED, MailStatus.SENDING)
    return MailOut(
        id=row["id"],
        kind=kind,
        kind_label=MAIL_KIND_LABELS[kind],
        status=status,
        status_label=MAIL_STATUS_LABELS[status],
        recipient_email=row["recipient_email"],
        recipient_name=row["recipient_name"],
        recipient_user_id=row["recipient_user"],
        organisation_id=row["organisation"],
        subject=row["subject"],
        entity=row["entity"],
        entity_id=row["entity_id"],
        note=row["note"],
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"] if waiting else None,
        last_error=row["last_error"],
        created_at=row["created_at"],
        sent_at=row["sent_at"],
        attachments=[
            MailAttachmentOut(
                id=a["id"],
                filename=a["filename"],
                content_type=a["content_type"],
                size=a["size"],
                url=f"/api/mail/{row['id']}/attachments/{a['id']}",
            )
            for a in row.get("attachments", [])
        ],
        body=row["body"] if with_body else None,
    )


TemplateText = LongText


class MailTemplateIn(msgspec.Struct):
    """An edited template: `version` as read (0 when it was the shipped wording)."""

    subject: Annotated[str, Meta(max_length=255)]
    body: TemplateText
    version: Annotated[int, Meta(ge=0)] = 0


class MailTemplateOut(msgspec.Struct):
    kind: MailKind
    label: str
    subject: str
    body: str
    edited: bool
    version: int
    default_subject: str
    default_body: str
    variables: list[str]


def template_out(view: TemplateView) -> MailTemplateOut:
    return MailTemplateOut(
        kind=view.kind,
        label=MAIL_KIND_LABELS[view.kind],
        subject=view.subject,
        body=view.body,
        edited=view.edited,
        version=view.version,
        default_subject=view.default.subject,
        default_body=view.default.body,
        variables=view.variables,
    )


class MailPreviewOut(msgspec.Struct):
    subject: str
    body: str


def preview_out(composed: Composed) -> MailPreviewOut:
    return MailPreviewOut(subject=composed.subject, body=composed.body)
