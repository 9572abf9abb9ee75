"""Sending the queue: one pass (for `finsam send-mail`, cron and tests) and a background loop.

SMTP is the standard library's smtplib, run in a worker thread so the event loop, and with it
every page, never waits for a slow mail server.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import smtplib
import ssl
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from typing import Any

import anyio.to_thread
import msgspec

from portfolio.core import queries as core_queries
from portfolio.core.db import write_transaction
from portfolio.core.settings import Settings, get_settings
from portfolio.mail import queue
from portfolio.mail.domain import MailStatus, UnsendableAddress, ascii_address, build_email

log = logging.getLogger("finsam.mail")


class MailConfig(msgspec.Struct, frozen=True):
    """Where and how to send; an empty host means no server: mails go to the outbox."""

    host: str = ""
    port: int = 25
    tls: str = "none"  # none | starttls | ssl
    user: str = ""
    password: str = ""
    sender: str = "finsam@localhost"
    timeout: float = 20.0

    @classmethod
    def from_settings(cls, settings: Settings) -> MailConfig:
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            tls=settings.smtp_tls,
            user=settings.smtp_user,
            password=settings.smtp_password,
            sender=settings.mail_from,
        )


class Delivery(msgspec.Struct, frozen=True):
    """What became of one message: no error, or the server's answer and whether it is final."""

    error: str = ""
    permanent: bool = False


class PassResult(msgspec.Struct):
    sent: int = 0
    outbox: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.outbox + self.retrying + self.failed


def deliver(config: MailConfig, emails: list[EmailMessage]) -> list[Delivery]:
    """Send messages over one SMTP connection (blocking: run it in a thread).

    A 5xx answer is final for that message; anything else (no connection, 4xx, a dropped
    line) is temporary, and every message not yet sent gets that error to be retried.
    """
    results: list[Delivery] = []
    try:
        smtp: smtplib.SMTP
        if config.tls == "ssl":
            smtp = smtplib.SMTP_SSL(
                config.host,
                config.port,
                timeout=config.timeout,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        with smtp:
            if config.tls == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if config.user:
                smtp.login(config.user, config.password)
            for email in emails:
                try:
                    smtp.send_message(email)
                    results.append(Delivery())
                except smtplib.SMTPRecipientsRefused as exc:
                    codes = [code for code, _ in exc.recipients.values()]
                    results.append(
                        Delivery(_describe(exc), permanent=all(500 <= c < 600 for c in codes))
                    )
                except smtplib.SMTPServerDisconnected:
                    raise
                except smtplib.SMTPResponseException as exc:
                    results.append(Delivery(_describe(exc), permanent=500 <= exc.smtp_code < 600))
                except (smtplib.SMTPNotSupportedError, UnicodeError, ValueError) as exc:
                    # This message cannot go (an address needing SMTPUTF8 the server lacks,
                    # a header that cannot be encoded): it fails alone, the others go on.
                    results.append(Delivery(_describe(exc), permanent=True))
    except (OSError, smtplib.SMTPException) as exc:
        error = Delivery(_describe(exc))
        results.extend([error] * (len(emails) - len(results)))
    return results


def _reply_to(address: str) -> str:
    """The association's address as Reply-To, left out when it cannot be put in a header."""
    try:
        return ascii_address(address) if address else ""
    except UnsendableAddress:
        return ""


def _describe(exc: Exception) -> str:
    """The error as the office reads it, with what the server said."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {message.decode(errors='replace')}"
            for address, (code, message) in exc.recipients.items()
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        text = (
            exc.smtp_error.decode(errors="replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        return f"{exc.smtp_code} {text}"
    if isinstance(exc, ConnectionRefusedError):
        return "E-postservern svarar inte (anslutningen nekades)."
    if isinstance(exc, TimeoutError):
        return "E-postservern svarade inte i tid."
    if isinstance(exc, UnsendableAddress):
        return str(exc)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return f"E-postservern kan inte ta emot adressen: {exc}"
    return f"{type(exc).__name__}: {exc}"


async def send_pending(
    config: MailConfig | None = None, now: dt.datetime | None = None, batch: int = 20
) -> PassResult:
    """Send every due mail once: claim a batch, send it, settle each, until none is due."""
    config = config or MailConfig.from_settings(get_settings())
    result = PassResult()
    association: dict[str, Any] | None = None
    while ids := await queue.claim(now, batch):
        claimed = await queue.claimed_messages(ids)
        if not config.host:
            async with write_transaction():
                for row, _ in claimed:
                    await queue.mark_delivered(row["id"], MailStatus.OUTBOX, now)
                    result.outbox += 1
            continue
        if association is None:
            association = await core_queries.association_row() or {}
        domain = config.sender.rpartition("@")[2] or "localhost"
        # A mail that cannot be built (an address beyond repair) fails alone, with its reason;
        # the rest of the batch is sent.
        built: dict[int, EmailMessage] = {}
        unbuilt: dict[int, Delivery] = {}
        for index, (row, message) in enumerate(claimed):
            try:
                built[index] = build_email(
                    message,
                    config.sender,
                    sender_name=association.get("name", ""),
                    reply_to=_reply_to(association.get("email", "")),
                    message_id=f"<finsam-mail-{row['id']}@{domain}>",
                )
            except Exception as exc:
                unbuilt[index] = Delivery(f"Kunde inte byggas: {_describe(exc)}", permanent=True)
        sent = await anyio.to_thread.run_sync(deliver, config, list(built.values()))
        answers = dict(zip(built, sent, strict=True))
        deliveries = [unbuilt.get(i) or answers[i] for i in range(len(claimed))]
        # The batch is settled in one write transaction: on SQLite that waits its turn for the
        # writer's lock, where single autocommitted updates from several senders could collide.
        async with write_transaction():
            for (row, _), delivery in zip(claimed, deliveries, strict=True):
                if not delivery.error:
                    await queue.mark_delivered(row["id"], MailStatus.SENT, now)
                    result.sent += 1
                    continue
                status = await queue.mark_failed(
                    row["id"], row["attempts"], delivery.error, delivery.permanent, now
                )
                log.warning("mail %s to %s: %s", row["id"], row["recipient_email"], delivery.error)
                if status is MailStatus.FAILED:
                    result.failed += 1
                else:
                    result.retrying += 1
        if any(d.error and not d.permanent for d in deliveries):
            break  # the server is unwell: leave the rest of the queue for the next pass
    return result


# A job the sender runs now and then beside the queue (the reports' reminders): the app shell
# hands it in, so the mail depends on nothing that builds on it.
PeriodicJob = Callable[[], Awaitable[int]]


# Reminders are owed per day and kept by key, so looking for them once an hour is plenty;
# the queue itself is polled every `interval` seconds.
REMINDERS_EVERY = 3600.0


class BackgroundSender:
    """Polls the queue every `interval` seconds inside the web process (0: off, use cron instead).

    The time of the next reminder pass is kept per process only to save work: the reminders'
    keys in the database are what make each one go out once, whatever the number of workers.
    """

    def __init__(
        self, config: MailConfig, interval: float, reminders: PeriodicJob | None = None
    ) -> None:
        self.config = config
        self.interval = interval
        self.reminders = reminders
        self._task: asyncio.Task[None] | None = None
        self._reminders_due = 0.0  # loop time of the next reminder pass: at once on start

    @classmethod
    def from_settings(
        cls, settings: Settings, reminders: PeriodicJob | None = None
    ) -> BackgroundSender:
        return cls(MailConfig.from_settings(settings), settings.mail_interval, reminders)

    def start(self) -> None:
        if self.interval > 0 and self._task is None:
            self._task = asyncio.create_task(self._run(), name="finsam-mail-sender")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if self.reminders is not None and loop.time() >= self._reminders_due:
                try:
                    await self.reminders()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    # Failing reminders must not hold back the queue: the mail below still goes.
                    log.exception("the reminders' pass failed; trying again in an hour")
                self._reminders_due = loop.time() + REMINDERS_EVERY
            try:
                await send_pending(self.config)
            except asyncio.CancelledError:
                raise
            except Exception:
                # A database hiccup must not end the loop; the mails wait in the queue.
                log.exception("the mail sender's pass failed; trying again")
            await asyncio.sleep(self.interval)
