"""The mail tables: the queue every worker shares, attachments stored once, edited templates."""

from __future__ import annotations

from piccolo.columns import Bytea, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from portfolio.core.tables import Organisation, User
from portfolio.mail.domain import MailKind, MailStatus


class OutgoingMail(Table):
    """One mail to one person. The queue lives here, so a restart loses nothing and any worker sends.

    `next_attempt_at` is when a queued mail is due, and for a mail being sent the end of its
    sender's lease: a sender that dies mid-send leaves it to be taken up again.
    """

    id: Serial
    kind = Varchar(length=40, choices=MailKind)
    status = Varchar(length=20, choices=MailStatus, default=MailStatus.QUEUED, index=True)
    recipient_email = Varchar(length=200)
    recipient_name = Varchar(length=200, default="")
    # Who it went to, as known when sent: the account (for "Mina utskick") and its organisation.
    recipient_user = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null, index=True)
    organisation = ForeignKey(references=Organisation, null=True, on_delete=OnDelete.set_null)
    subject = Varchar(length=300)
    body = Text()
    # What it is about, as in the audit trail: ("meeting", 7), ("decision", 12), …
    entity = Varchar(length=50, default="")
    entity_id = Integer(null=True, default=None)
    note = Varchar(length=300, default="")
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow(), index=True)
    last_error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    sent_at = Timestamptz(null=True, default=None)


class MailBlob(Table):
    """An attachment's bytes, kept once however many mails carry it (a kallelse to the whole board)."""

    id: Serial
    sha256 = Varchar(length=64, unique=True)
    data = Bytea()


class MailAttachment(Table):
    id: Serial
    mail = ForeignKey(references=OutgoingMail, null=False, on_delete=OnDelete.cascade)
    filename = Varchar(length=200)
    content_type = Varchar(length=100)
    size = Integer()
    sha256 = Varchar(length=64)


class MailTemplateEdit(Table):
    """The office's own wording of a kind of mail; without a row, the shipped file is used."""

    id: Serial
    kind = Varchar(length=40, choices=MailKind, unique=True)
    subject = Varchar(length=300)
    body = Text()
    version = Integer(default=1)
    updated_at = Timestamptz(default=TimestamptzNow())


class ReminderSent(Table):
    """A reminder's key, stored uniquely, so the same reminder is never queued twice."""

    id: Serial
    key = Varchar(length=200, unique=True)
    at = Timestamptz(default=TimestamptzNow())
