"""Issue 21 against the database: one poisoned mail fails alone and the batch goes; one insats
with odd stored dates never stops the schedule, the late list or the reminders of the others."""

from __future__ import annotations

import datetime as dt

from portfolio.core.db import write_transaction
from portfolio.core.domain import InitiativeStatus, Principal, Role
from portfolio.core.tables import Initiative
from portfolio.mail import queue
from portfolio.mail.domain import MailKind, MailStatus, Message
from portfolio.mail.sender import send_pending
from portfolio.mail.tables import OutgoingMail
from reports import reminders, services
from tests import factories
from tests.smtp import SmtpServer, smtp_server

__all__ = ["smtp_server"]  # the fixture, imported for pytest

OFFICE = Principal(user_id=0, email="", name="Kansliet", role=Role.OFFICE)


async def _queue(*addresses: str) -> None:
    async with write_transaction():
        for address in addresses:
            await queue.enqueue(
                Message(address, "Åsa Öberg", "Kallelse", "Välkommen till sammanträdet."),
                MailKind.NOTICE,
            )


async def test_a_mail_to_an_address_needing_smtputf8_fails_alone_and_the_batch_goes(
    smtp_server: SmtpServer,
) -> None:
    """An address stored before addresses were checked (å and a bidi mark before @) fails at
    once with its reason; the valid mail of the same batch is sent, nothing stays "sending"."""
    await factories.world()
    await _queue("å\u202e@x.example", "ledamot@test.example")
    result = await send_pending(smtp_server.config)
    assert (result.sent, result.failed) == (1, 1)
    assert [r.recipients for r in smtp_server.collector.received] == [["ledamot@test.example"]]
    rows = {r["recipient_email"]: r for r in await OutgoingMail.select()}
    failed = rows["å\u202e@x.example"]
    assert failed["status"] == MailStatus.FAILED
    assert "SMTPUTF8" in failed["last_error"]
    assert rows["ledamot@test.example"]["status"] == MailStatus.SENT


async def test_an_internationalised_domain_is_sent_as_idna(smtp_server: SmtpServer) -> None:
    await factories.world()
    await _queue("kontakt@bücher.example")
    result = await send_pending(smtp_server.config)
    assert result.sent == 1
    [received] = smtp_server.collector.received
    assert received.recipients == ["kontakt@xn--bcher-kva.example"]
    assert "Åsa Öberg" in str(received.message["to"])


async def _odd_dates() -> factories.World:
    """Alfa's insats stored with a period ending in 9999, Beta's as usual."""
    w = await factories.world()
    await Initiative.update(
        {Initiative.period_start: dt.date(1, 1, 1), Initiative.period_end: dt.date(9999, 12, 31)}
    ).where(Initiative.id == w.initiative_a["id"])
    await Initiative.update({Initiative.status: InitiativeStatus.RUNNING}).where(
        Initiative.id == w.initiative_b["id"]
    )
    return w


async def test_an_insats_dated_in_year_9999_is_left_out_of_the_schedule_not_everyone() -> None:
    w = await _odd_dates()
    slots = await services.schedule_slots(OFFICE, dt.date(2027, 6, 1))
    assert slots and {s.initiative_id for s in slots} == {w.initiative_b["id"]}
    late = await services.late_reports(OFFICE, dt.date(2028, 6, 1))
    assert late and {s.initiative_id for s in late} == {w.initiative_b["id"]}
    assert await services.report_counts(w.initiative_a["id"], dt.date(2027, 6, 1)) == (0, 0)


async def test_the_reminders_still_go_for_the_others_when_one_insats_has_odd_dates() -> None:
    w = await _odd_dates()
    due = await reminders.due_reports(dt.date(2027, 4, 20))
    assert due and {d.initiative_id for d in due} == {w.initiative_b["id"]}
    assert await reminders.queue_report_reminders(dt.date(2027, 4, 20)) >= 1
