"""A real SMTP server on loopback for the tests (aiosmtpd), keeping every mail it accepts."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import msgspec
import pytest
from aiosmtpd.controller import Controller

from portfolio.mail.sender import MailConfig


class Received(msgspec.Struct):
    mail_from: str
    recipients: list[str]
    message: Any  # email.message.EmailMessage, parsed with the modern policy

    @property
    def subject(self) -> str:
        return str(self.message["subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        # SMTP carries CRLF line ends; the tests read the text as written.
        return str(part.get_content()).replace("\r\n", "\n") if part is not None else ""

    def attachments(self) -> list[tuple[str, bytes]]:
        return [(str(a.get_filename()), a.get_content()) for a in self.message.iter_attachments()]


class Collector:
    """The server's handler: accepts mail, refuses the addresses in `refuse` with a 550."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mottagaren finns inte"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SmtpServer:
    """Start and stop on a fixed port, so a test can take the server down and bring it back."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.collector = Collector()
        self._controller: Controller | None = None

    @property
    def config(self) -> MailConfig:
        return MailConfig(host="127.0.0.1", port=self.port, sender="kansliet@finsam.example")

    def start(self) -> None:
        self._controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()
