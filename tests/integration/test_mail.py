"""The mail queue against the database and a real SMTP server on loopback (aiosmtpd).

What arrives, to whom, in Swedish and with which PDF; a server that is down; leases; two
senders at once; a rolled-back change; reminders only to the organisation concerned.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
import subprocess
import sys

import pytest
from pypdf import PdfReader

from portfolio.core.db import write_transaction
from portfolio.core.domain import Body, CaseKind, MeetingStatus, Role
from portfolio.core.tables import User
from portfolio.mail import queue
from portfolio.mail.domain import LEASE, MailKind, MailStatus, Message
from portfolio.mail.reminders import DueReport
from portfolio.mail.sender import MailConfig, send_pending
from portfolio.mail.tables import MailBlob, OutgoingMail
from portfolio.meetings import decision_services as meetings_decision_services
from portfolio.meetings import queries as meetings_queries
from portfolio.meetings import services as meetings_services
from portfolio.meetings.decisions import DecisionOutcome
from portfolio.meetings.schemas import CaseCreate, DecisionIn, MeetingCreate, MeetingUpdate
from reports import notices as notifications
from tests import factories
from tests.smtp import SmtpServer, free_port, smtp_server

__all__ = ["smtp_server"]  # the fixture, imported for pytest


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


async def _board() -> factories.World:
    """The test world plus a substitute on the board and a former member who left."""
    w = await factories.world()
    await factories.user("ersattare@test.example", Role.BOARD, name="Siv Ersättare")
    await factories.user("avgatt@test.example", Role.BOARD, name="Gun Avgått")
    await User.update({User.active: False}).where(User.email == "avgatt@test.example")
    return w


async def _notice_sent(w: factories.World) -> dict:
    meeting = await meetings_services.create_meeting(
        w.office,
        MeetingCreate(
            body=Body.BOARD,
            meeting_date=dt.date(2026, 12, 10),
            start_time="13.00",
            end_time="16.00",
            place="Stadshuset, Alfa",
        ),
    )
    case = await meetings_services.create_case(
        w.office,
        CaseCreate(
            title="Ansökan Alfa-insatsen",
            kind=CaseKind.APPLICATION,
            initiative_id=w.initiative_a["id"],
            year=2026,
        ),
    )
    await meetings_services.add_to_agenda(w.office, meeting["id"], case["id"])
    await meetings_services.update_meeting(
        w.office, meeting["id"], MeetingUpdate(version=1, status=MeetingStatus.NOTICE_SENT)
    )
    return meeting


async def test_the_notice_reaches_every_active_board_member_with_the_kallelse_pdf(
    smtp_server: SmtpServer,
) -> None:
    """Kallelse skickad: one mail per active board member, in Swedish, with a link and the PDF."""
    w = await _board()
    meeting = await _notice_sent(w)
    result = await send_pending(smtp_server.config)
    assert (result.sent, result.retrying, result.failed) == (2, 0, 0)
    received = smtp_server.collector.received
    assert sorted(r for m in received for r in m.recipients) == [
        "ersattare@test.example",
        "ledamot@test.example",
    ]
    mail = smtp_server.collector.to("ledamot@test.example")[0]
    assert mail.mail_from == "kansliet@finsam.example"
    assert "Samordningsförbundet Test" in str(mail.message["from"])
    assert mail.subject == "Kallelse till Förbundsstyrelsen 10 december 2026"
    assert "Hej Bo Ledamot!" in mail.text
    assert "10 december 2026 kl. 13.00–16.00, Stadshuset, Alfa" in mail.text
    assert "1. Ansökan Alfa-insatsen (Dnr 2026:1)" in mail.text
    assert f"/moten/{meeting['id']}\n" in mail.text
    [(filename, data)] = mail.attachments()
    assert filename == "Kallelse 2026-12-10.pdf"
    text = _pdf_text(data)
    assert "Kallelse" in text and "Ansökan Alfa-insatsen" in text
    rows = await OutgoingMail.select().where(OutgoingMail.kind == MailKind.NOTICE)
    assert {r["status"] for r in rows} == {MailStatus.SENT}
    # Both board members were called when the meeting was planned: no guessing, no note.
    assert all(r["note"] == "" for r in rows)
    # The PDF is stored once for both mails.
    assert await MailBlob.count() == 1


async def test_a_decision_reaches_the_lead_owner_only_with_the_protokollsutdrag(
    smtp_server: SmtpServer,
) -> None:
    """The insatsägare of the insats gets the decision and its extract when the minutes are
    justerade (issue 17: not at once, marked "Ej justerat"); nobody else does."""
    w = await factories.world()
    fs = await meetings_services.create_meeting(
        w.office,
        MeetingCreate(body=Body.BOARD, meeting_date=dt.date(2026, 11, 26), checker="Ada Ägare"),
    )
    case = await meetings_services.create_case(
        w.office,
        CaseCreate(
            title="Ansökan Alfa-insatsen",
            kind=CaseKind.APPLICATION,
            initiative_id=w.initiative_a["id"],
            year=2026,
        ),
    )
    await meetings_services.add_to_agenda(w.office, fs["id"], case["id"])
    clause = (
        "att bevilja finansiellt stöd för insatsen Alfa-insatsen för perioden "
        "1 januari 2027 fram till 31 december 2027, maximalt 800 000 kronor."
    )
    decision = await meetings_decision_services.record_decision(
        w.office,
        fs["id"],
        DecisionIn(
            case_id=case["id"],
            outcome=DecisionOutcome.GRANTED,
            clauses=[clause],
            amount=800_000,
            period_start=dt.date(2027, 1, 1),
            period_end=dt.date(2027, 12, 31),
        ),
    )
    await send_pending(smtp_server.config)
    assert smtp_server.collector.received == []  # not before the minutes are justerade
    version = fs["version"]
    for status in (MeetingStatus.NOTICE_SENT, MeetingStatus.HELD, MeetingStatus.APPROVED):
        moved = await meetings_services.update_meeting(
            w.office,
            fs["id"],
            MeetingUpdate(version=version, status=status, approved_on=dt.date(2026, 11, 30))
            if status is MeetingStatus.APPROVED
            else MeetingUpdate(version=version, status=status),
        )
        version = moved["version"]
    await send_pending(smtp_server.config)
    received = [m for m in smtp_server.collector.received if m.subject.startswith("Beslut i")]
    assert [r.recipients for r in received] == [["agare@alfa.example"]]
    mail = received[0]
    assert mail.subject == "Beslut i Förbundsstyrelsen: Ansökan Alfa-insatsen (Dnr 2026:1)"
    assert "Beslut: Bifall" in mail.text and clause in mail.text
    assert f"/insatser/{w.initiative_a['id']}" in mail.text
    [(filename, data)] = mail.attachments()
    assert filename == f"Protokollsutdrag 2026-11-26 § {decision['paragraph']}.pdf"
    text = _pdf_text(data)
    assert "Protokollsutdrag" in text and "Alfa-insatsen" in text
    assert "Justerat 2026-11-30" in text and "Ej justerat" not in text


async def test_a_server_that_is_down_leaves_the_mails_queued_and_they_go_when_it_returns() -> None:
    """Connection refused: queued with the error and a later attempt; sent once the server is up."""
    w = await _board()
    server = SmtpServer(free_port())  # nothing listens yet
    await _notice_sent(w)
    first = await send_pending(server.config)
    assert (first.sent, first.retrying) == (0, 2)
    rows = await OutgoingMail.select()
    assert {r["status"] for r in rows} == {MailStatus.QUEUED}
    assert all(r["attempts"] == 1 and "svarar inte" in r["last_error"] for r in rows)
    assert all(r["next_attempt_at"] > dt.datetime.now(dt.UTC) for r in rows)
    assert (await send_pending(server.config)).total == 0  # backing off: not due yet
    server.start()
    try:
        later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
        second = await send_pending(server.config, now=later)
    finally:
        server.stop()
    assert second.sent == 2 and len(server.collector.received) == 2
    rows = await OutgoingMail.select()
    assert {r["status"] for r in rows} == {MailStatus.SENT}
    assert all(r["attempts"] == 2 and r["last_error"] == "" for r in rows)


async def test_a_refused_recipient_fails_at_once_and_the_others_are_sent(
    smtp_server: SmtpServer,
) -> None:
    """A 550 is final: no retries for that mail, and the error is kept for the office."""
    w = await _board()
    smtp_server.collector.refuse = {"ersattare@test.example"}
    await _notice_sent(w)
    result = await send_pending(smtp_server.config)
    assert (result.sent, result.failed) == (1, 1)
    failed = await OutgoingMail.select().where(OutgoingMail.status == MailStatus.FAILED).first()
    assert failed is not None and failed["recipient_email"] == "ersattare@test.example"
    assert "550" in failed["last_error"]


async def test_a_crashed_senders_mail_is_taken_up_again_when_its_lease_runs_out(
    smtp_server: SmtpServer,
) -> None:
    w = await _board()
    await _notice_sent(w)
    now = dt.datetime.now(dt.UTC)
    claimed = await queue.claim(now)  # …and the sender dies before sending
    assert len(claimed) == 2
    assert (await send_pending(smtp_server.config, now=now)).total == 0
    after_lease = now + LEASE + dt.timedelta(seconds=1)
    assert (await send_pending(smtp_server.config, now=after_lease)).sent == 2
    assert {r["attempts"] for r in await OutgoingMail.select(OutgoingMail.attempts)} == {2}


async def _queue_many(count: int) -> None:
    async with write_transaction():
        for n in range(count):
            await queue.enqueue(
                Message(f"mottagare{n}@test.example", f"Mottagare {n}", f"Utskick {n}", "Hej!\n"),
                MailKind.APPLICATION_SUBMITTED,
            )


async def test_two_senders_at_once_never_send_a_mail_twice(smtp_server: SmtpServer) -> None:
    """Four passes interleaved on one event loop, each with its own connections: every mail once."""
    await factories.association()
    await _queue_many(30)
    results = await asyncio.gather(*(send_pending(smtp_server.config, batch=3) for _ in range(4)))
    assert sum(r.sent for r in results) == 30
    recipients = [r for m in smtp_server.collector.received for r in m.recipients]
    assert len(recipients) == 30 and len(set(recipients)) == 30
    assert await OutgoingMail.count().where(OutgoingMail.status == MailStatus.SENT) == 30


async def test_two_send_mail_processes_never_send_a_mail_twice(smtp_server: SmtpServer) -> None:
    """`finsam send-mail` in two processes at once over the same database."""
    await factories.association()
    await _queue_many(60)
    env = {
        **os.environ,
        "FINSAM_SMTP_HOST": "127.0.0.1",
        "FINSAM_SMTP_PORT": str(smtp_server.port),
        "FINSAM_MAIL_FROM": "kansliet@finsam.example",
    }
    command = [sys.executable, "-m", "portfolio.shell.cli", "send-mail"]
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    recipients = [r for m in smtp_server.collector.received for r in m.recipients]
    assert len(recipients) == 60 and len(set(recipients)) == 60
    assert await OutgoingMail.count().where(OutgoingMail.status == MailStatus.SENT) == 60


async def test_mail_queued_in_a_rolled_back_change_is_never_sent(smtp_server: SmtpServer) -> None:
    """The kallelse is queued in the meeting's transaction: if that fails, no mail exists."""
    w = await _board()
    meeting = await meetings_services.create_meeting(
        w.office, MeetingCreate(body=Body.BOARD, meeting_date=dt.date(2026, 12, 10))
    )
    with pytest.raises(RuntimeError):
        async with write_transaction():
            await meetings_services.update_meeting(
                w.office, meeting["id"], MeetingUpdate(version=1, status=MeetingStatus.NOTICE_SENT)
            )
            assert await OutgoingMail.count() == 2  # queued, inside the transaction
            raise RuntimeError("something later in the same change fails")
    assert await OutgoingMail.count() == 0
    assert (await send_pending(smtp_server.config)).total == 0
    assert smtp_server.collector.received == []
    assert (await meetings_queries.get_meeting(meeting["id"]))["status"] == MeetingStatus.PLANNED


async def test_without_an_smtp_server_mails_go_to_the_outbox() -> None:
    w = await _board()
    await _notice_sent(w)
    result = await send_pending(MailConfig())
    assert result.outbox == 2
    rows = await OutgoingMail.select()
    assert {r["status"] for r in rows} == {MailStatus.OUTBOX}
    assert all(r["sent_at"] is not None for r in rows)


async def test_report_reminders_go_only_to_the_organisation_concerned_and_only_once(
    smtp_server: SmtpServer,
) -> None:
    """Alfa owes a report, Beta has sent its own: only Alfa hears, once per reminder round."""
    w = await factories.world()
    reports = [
        DueReport(
            w.kommun_a["id"],
            w.initiative_a["id"],
            "Alfa-insatsen",
            "kvartal 3 2026",
            dt.date(2026, 10, 31),
        ),
        DueReport(
            w.kommun_b["id"],
            w.initiative_b["id"],
            "Beta-insatsen",
            "kvartal 3 2026",
            dt.date(2026, 10, 31),
            submitted=True,
        ),
    ]
    assert await notifications.send_report_reminders(dt.date(2026, 10, 10), reports) == 0
    assert await notifications.send_report_reminders(dt.date(2026, 10, 20), reports) == 1
    assert await notifications.send_report_reminders(dt.date(2026, 10, 21), reports) == 0
    assert await notifications.send_report_reminders(dt.date(2026, 11, 1), reports) == 1
    assert await notifications.send_report_reminders(dt.date(2026, 11, 5), reports) == 0
    assert await notifications.send_report_reminders(dt.date(2026, 11, 8), reports) == 1
    await send_pending(smtp_server.config)
    received = smtp_server.collector.received
    assert {r for m in received for r in m.recipients} == {"agare@alfa.example"}
    subjects = [m.subject for m in received]
    assert subjects[0] == (
        "Påminnelse: kvartalsrapport för Alfa-insatsen ska lämnas senast 31 oktober 2026"
    )
    assert subjects[1:] == ["Kvartalsrapporten för Alfa-insatsen är försenad"] * 2
    assert "är nu 8 dagar försenad" in received[2].text


async def test_concurrent_reminder_runs_queue_each_reminder_once() -> None:
    w = await factories.world()
    report = DueReport(
        w.kommun_a["id"],
        w.initiative_a["id"],
        "Alfa-insatsen",
        "kvartal 3 2026",
        dt.date(2026, 10, 31),
    )
    counts = await asyncio.gather(
        *(notifications.send_report_reminders(dt.date(2026, 11, 2), [report]) for _ in range(4))
    )
    assert sum(counts) == 1
    assert await OutgoingMail.count() == 1


async def test_the_kallelse_goes_to_the_attendance_list_and_names_who_cannot_be_mailed(
    smtp_server: SmtpServer,
) -> None:
    """Called: the member with an account and a substitute with one; a member without an
    account is named in the note; a board member left off the list gets nothing."""
    from portfolio.core.domain import AttendeeRole
    from portfolio.meetings.schemas import AttendanceIn, AttendeeIn

    w = await _board()
    substitute = await User.select(User.id).where(User.email == "ersattare@test.example").first()
    assert substitute is not None
    meeting = await meetings_services.create_meeting(
        w.office, MeetingCreate(body=Body.BOARD, meeting_date=dt.date(2026, 12, 10))
    )
    await meetings_services.save_attendance(
        w.office,
        meeting["id"],
        AttendanceIn(
            version=1,
            attendees=[
                AttendeeIn(
                    name="Siv Ersättare", role=AttendeeRole.SUBSTITUTE, user_id=substitute["id"]
                ),
                AttendeeIn(name="Per Papper", organisation="Region"),
            ],
        ),
    )
    await meetings_services.update_meeting(
        w.office, meeting["id"], MeetingUpdate(version=2, status=MeetingStatus.NOTICE_SENT)
    )
    await send_pending(smtp_server.config)
    assert [r for m in smtp_server.collector.received for r in m.recipients] == [
        "ersattare@test.example"
    ]
    rows = await OutgoingMail.select(OutgoingMail.note).where(OutgoingMail.kind == MailKind.NOTICE)
    assert rows[0]["note"] == (
        "Kallelsen kunde inte e-postas till Per Papper, som varken har konto eller e-postadress "
        "i styrelseregistret."
    )
