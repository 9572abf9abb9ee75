"""Mail's pure rules: statuses, kinds, retry back-off, and the message the standard library sends."""

from __future__ import annotations

import datetime as dt
import enum
from email.message import EmailMessage
from email.utils import formataddr, formatdate

import idna
import msgspec


class MailStatus(enum.StrEnum):
    """A mail's way through the queue; `outbox` is where it ends when no SMTP server is set."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    OUTBOX = "outbox"


MAIL_STATUS_LABELS = {
    MailStatus.QUEUED: "I kö",
    MailStatus.SENDING: "Skickas",
    MailStatus.SENT: "Skickat",
    MailStatus.FAILED: "Misslyckades",
    MailStatus.OUTBOX: "I utkorgen",
}

# A mail the office may push again: one that gave up, or one waiting for its next attempt.
RETRYABLE = frozenset({MailStatus.FAILED, MailStatus.QUEUED})


class MailKind(enum.StrEnum):
    """What a mail is about; each kind has its own editable template."""

    NOTICE = "notice"
    COMPLETION_REQUEST = "completion_request"
    DECISION = "decision"
    APPLICATION_SUBMITTED = "application_submitted"
    REPORT_DUE = "report_due"
    REPORT_LATE = "report_late"
    REPORT_ARRIVED = "report_arrived"
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"


MAIL_KIND_LABELS = {
    MailKind.NOTICE: "Kallelse",
    MailKind.COMPLETION_REQUEST: "Begäran om komplettering",
    MailKind.DECISION: "Beslut med protokollsutdrag",
    MailKind.APPLICATION_SUBMITTED: "Ansökan inkommen",
    MailKind.REPORT_DUE: "Påminnelse om kvartalsrapport",
    MailKind.REPORT_LATE: "Försenad kvartalsrapport",
    MailKind.REPORT_ARRIVED: "Rapport inkommen",
    MailKind.INVITATION: "Inbjudan till Finsam Portfolio",
    MailKind.PASSWORD_RESET: "Glömt lösenord",
}

# Back-off: 30 s, 1 min, 2 min, … doubling up to an hour; after 30 attempts (about a day) the
# mail is marked failed for the office to look at, rather than retried for ever.
FIRST_RETRY = dt.timedelta(seconds=30)
MAX_RETRY = dt.timedelta(hours=1)
MAX_ATTEMPTS = 30
# How long a claimed mail stays with its sender; a sender that dies leaves the lease to run out
# and another sender takes the mail up again.
LEASE = dt.timedelta(minutes=5)


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt: doubling from 30 seconds, at most an hour."""
    if attempts < 1:
        return dt.timedelta(0)
    # Cap the exponent first, so a huge attempt count cannot overflow the multiplication.
    return min(FIRST_RETRY * (2 ** min(attempts - 1, 20)), MAX_RETRY)


class Outcome(msgspec.Struct, frozen=True):
    status: MailStatus
    next_attempt_at: dt.datetime


def after_failure(attempts: int, permanent: bool, now: dt.datetime) -> Outcome:
    """A failed attempt: try again later, or give up when the server refused for good or too often."""
    if permanent or attempts >= MAX_ATTEMPTS:
        return Outcome(MailStatus.FAILED, now)
    return Outcome(MailStatus.QUEUED, now + retry_delay(attempts))


class Attachment(msgspec.Struct, frozen=True):
    filename: str
    content_type: str
    data: bytes


class Message(msgspec.Struct, frozen=True):
    """One mail to one person, as composed: what the queue stores and the sender sends."""

    recipient_email: str
    recipient_name: str
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = ()


class UnsendableAddress(ValueError):
    """An address that no mail can be built for: said to the office on the mail itself."""


def ascii_address(address: str) -> str:
    """The address as SMTP without SMTPUTF8 takes it: an internationalised domain as IDNA
    (xn--…); a part before @ beyond ASCII cannot be sent that way, and is refused."""
    local, at, domain = address.strip().rpartition("@")
    if not at or not local or not domain:
        raise UnsendableAddress(f"Adressen {address!r} saknar @ eller domän.")
    if not local.isascii() or any(ord(c) < 33 for c in local):
        raise UnsendableAddress(
            f"Adressen {address!r} har tecken före @ som kräver SMTPUTF8; den kan inte skickas."
        )
    try:
        encoded = idna.encode(domain, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError) as exc:
        raise UnsendableAddress(f"Domänen i adressen {address!r} är inte giltig: {exc}") from exc
    return f"{local}@{encoded}"


def build_email(
    message: Message,
    sender: str,
    sender_name: str = "",
    reply_to: str = "",
    message_id: str = "",
) -> EmailMessage:
    """The RFC 5322 message: UTF-8 text, attachments as MIME parts, Swedish names kept intact.
    Raises UnsendableAddress (a ValueError) for an address no mail can be built for."""
    email = EmailMessage()
    sender, recipient = ascii_address(sender), ascii_address(message.recipient_email)
    email["From"] = formataddr((sender_name, sender)) if sender_name else sender
    email["To"] = (
        formataddr((message.recipient_name, recipient)) if message.recipient_name else recipient
    )
    if reply_to:
        email["Reply-To"] = ascii_address(reply_to)
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=True)
    if message_id:
        # The same id on every attempt lets a receiving server drop a duplicate after a crash.
        email["Message-ID"] = message_id
    email.set_content(message.body)
    for attachment in message.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        email.add_attachment(
            attachment.data,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=attachment.filename,
        )
    return email


def is_plausible_address(address: str) -> bool:
    """Enough of a check to skip blanks and typos such as a missing @ before queueing."""
    local, at, domain = address.strip().rpartition("@")
    return bool(at and local and "." in domain and " " not in address.strip())
