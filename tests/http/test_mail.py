"""Mail through the pages and the API: who sees which mail, the office's retry, the templates,
the reminder settings, and the application mails arriving over SMTP."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import msgspec
from litestar.testing import TestClient

from portfolio.core.db import write_transaction
from portfolio.core.settings import get_settings
from portfolio.core.tables import AuditEntry
from portfolio.demo import seed
from portfolio.mail import queue
from portfolio.mail.domain import Attachment, MailKind, MailStatus, Message
from portfolio.mail.sender import MailConfig, send_pending
from portfolio.mail.tables import OutgoingMail
from portfolio.shell.app import create_app
from tests.factories import World
from tests.http.conftest import Browser
from tests.http.seeded import SeedWorld, by_name, enter
from tests.smtp import SmtpServer, smtp_server

__all__ = ["smtp_server"]  # a fixture, imported for pytest


async def _queue(to: Any, subject: str, pdf: bool = False) -> int:
    attachments = (Attachment("Kallelse.pdf", "application/pdf", b"%PDF-1.4 test"),) if pdf else ()
    async with write_transaction():
        return await queue.enqueue(
            Message(to.email, to.name, subject, f"Hej {to.name}!\n", attachments),
            MailKind.NOTICE,
            recipient_user=to.user_id,
            organisation=to.organisation_id,
        )


def _mails(world: World) -> dict[str, int]:
    async def work() -> dict[str, int]:
        return {
            "a": await _queue(world.owner_a, "Till Alfa", pdf=True),
            "b": await _queue(world.owner_b, "Till Beta", pdf=True),
            "board": await _queue(world.board, "Till styrelsen"),
        }

    return asyncio.run(work())


def test_owners_see_only_the_mail_sent_to_them(browser: Browser, world: World) -> None:
    ids = _mails(world)
    browser.api_login("agare@alfa.example")
    assert [m["subject"] for m in browser.get("/api/mail").json()] == ["Till Alfa"]
    assert [m["subject"] for m in browser.get("/api/mail/mine").json()] == ["Till Alfa"]
    own = browser.get(f"/api/mail/{ids['a']}").json()
    assert own["body"] == "Hej Ada Ägare!\n" and own["status"] == "queued"
    attachment = browser.get(own["attachments"][0]["url"])
    assert attachment.status_code == 200 and attachment.content == b"%PDF-1.4 test"
    assert browser.get(f"/api/mail/{ids['b']}").status_code == 404
    other = browser.get(f"/api/mail/{ids['b']}").json()
    assert "Till Beta" not in str(other)
    b_attachment = f"/api/mail/{ids['b']}/attachments/2"
    assert browser.get(b_attachment).status_code == 404
    page = browser.get("/utskick/mina").text
    assert "Mina utskick" in page and "Till Alfa" in page and "Till Beta" not in page
    redirect = browser.get("/utskick", follow_redirects=False)
    assert redirect.headers["location"] == "/utskick/mina"
    assert browser.get(f"/utskick/{ids['b']}").status_code == 404
    assert "Hej Ada Ägare!" in browser.get(f"/utskick/{ids['a']}").text
    assert browser.get("/api/mail/templates").status_code == 403


def test_the_office_sees_every_mail_with_its_status_and_error(
    browser: Browser, world: World
) -> None:
    ids = _mails(world)

    async def fail() -> None:
        await OutgoingMail.update(
            {
                OutgoingMail.status: MailStatus.FAILED,
                OutgoingMail.attempts: 30,
                OutgoingMail.last_error: "E-postservern svarar inte (anslutningen nekades).",
            }
        ).where(OutgoingMail.id == ids["b"])

    asyncio.run(fail())
    browser.api_login("kansli@test.example")
    assert len(browser.get("/api/mail").json()) == 3
    failed = browser.get("/api/mail", params={"status": "failed"}).json()
    assert [m["subject"] for m in failed] == ["Till Beta"]
    page = browser.get("/utskick").text
    assert "Till Alfa" in page and "Till styrelsen" in page
    assert "1 utskick kunde inte skickas" in page and "anslutningen nekades" in page
    assert "Misslyckades" in page
    assert "1 utskick kunde inte skickas" in browser.get("/").text


def test_the_office_retries_a_failed_mail_from_its_page(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    ids = _mails(world)

    async def fail() -> None:
        await OutgoingMail.update(
            {OutgoingMail.status: MailStatus.FAILED, OutgoingMail.last_error: "550 Okänd"}
        ).where(OutgoingMail.id == ids["a"])

    asyncio.run(fail())
    other_browser.api_login("agare@alfa.example")
    assert other_browser.post(f"/api/mail/{ids['a']}/retry").status_code == 403
    browser.page_login("kansli@test.example")
    detail = browser.get(f"/utskick/{ids['a']}").text
    assert "Skicka om nu" in detail and "550 Okänd" in detail
    response = browser.form_post(f"/utskick/{ids['a']}", f"/utskick/{ids['a']}/forsok-igen", {})
    assert response.status_code in (302, 303)
    mail = browser.get(f"/api/mail/{ids['a']}").json()
    assert mail["status"] == "queued"
    entries = asyncio.run(AuditEntry.select().where(AuditEntry.action == "retry").run())
    assert [(e["entity"], e["entity_id"]) for e in entries] == [("mail", ids["a"])]
    sent = asyncio.run(send_pending(MailConfig()))
    assert sent.outbox == 3
    assert browser.post(f"/api/mail/{ids['a']}/retry").status_code == 403  # sent: nothing to retry


def test_kallelse_skickad_queues_the_notice_for_the_board_and_the_outbox_shows_it(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    """Through the API: the status change queues the mails; with no SMTP server they land in the outbox."""
    browser.api_login("kansli@test.example")
    meeting = browser.post(
        "/api/meetings", json={"body": "fs", "meeting_date": "2026-12-10", "place": "Stadshuset"}
    ).json()
    changed = browser.patch(
        f"/api/meetings/{meeting['id']}", json={"version": 1, "status": "notice_sent"}
    )
    assert changed.status_code == 200, changed.text
    [notice] = browser.get("/api/mail", params={"kind": "notice"}).json()
    assert notice["recipient_email"] == "ledamot@test.example"
    assert notice["entity"] == "meeting" and notice["entity_id"] == meeting["id"]
    assert notice["note"] == ""  # the board member was called when the meeting was planned
    assert notice["attachments"][0]["filename"] == "Kallelse 2026-12-10.pdf"
    assert asyncio.run(send_pending(MailConfig())).outbox == 1
    other_browser.api_login("ledamot@test.example")
    [mine] = other_browser.get("/api/mail/mine").json()
    assert mine["status"] == "outbox" and mine["sent_at"]
    page = other_browser.get(f"/utskick/{mine['id']}").text
    assert "I utkorgen" in page and "Kallelse 2026-12-10.pdf" in page
    pdf = other_browser.get(mine["attachments"][0]["url"])
    assert pdf.content.startswith(b"%PDF")
    # Moving on to "held" sends nothing more.
    browser.patch(f"/api/meetings/{meeting['id']}", json={"version": 2, "status": "held"})
    assert len(browser.get("/api/mail").json()) == 1


def test_submission_tells_the_office_and_a_completion_request_tells_the_owner(
    browser: Browser, other_browser: Browser, seeded: SeedWorld, smtp_server: SmtpServer
) -> None:
    app = by_name("Framsteget 2.0")
    saved = enter(browser, seeded, app)
    submitted = browser.post(
        f"/api/applications/{saved['id']}/submit", json={"version": saved["version"]}
    ).json()
    asyncio.run(send_pending(smtp_server.config))
    [office_mail] = smtp_server.collector.received
    assert office_mail.recipients == ["kansli@test.example"]
    assert office_mail.subject == "Ny ansökan inkommen: Framsteget 2.0"
    assert "(version 1)" in office_mail.text and f"/ansokningar/{saved['id']}" in office_mail.text
    other_browser.api_login("kansli@test.example")
    other_browser.post(
        f"/api/applications/{saved['id']}/completion",
        json={"version": submitted["version"], "message": "Förtydliga egenfinansieringen."},
    )
    asyncio.run(send_pending(smtp_server.config))
    completion = smtp_server.collector.received[1:]
    lead_owner = seeded.owners[seed.org_name(app["lead_owner"]["organisation"])]
    recipients = {r for m in completion for r in m.recipients}
    assert lead_owner in recipients
    assert not recipients & (set(seeded.owners.values()) - {lead_owner})
    assert all(m.subject == "Komplettering behövs: Framsteget 2.0" for m in completion)
    assert all("Förtydliga egenfinansieringen." in m.text for m in completion)


def test_the_office_edits_a_template_with_a_preview_and_can_go_back(
    browser: Browser, world: World
) -> None:
    browser.page_login("kansli@test.example")
    templates = browser.get("/api/mail/templates").json()
    assert len(templates) == len(MailKind) and not any(t["edited"] for t in templates)
    refused = browser.put(
        "/api/mail/templates/notice",
        json={"subject": "Kallelse", "body": "Hej {{ namn }}", "version": 0},
    )
    assert refused.status_code == 422 and refused.json()["field"] == "body"
    form = {
        "subject": "Kallelse: {{ body }} den {{ meeting_date }}",
        "body": "Välkommen {{ recipient_name }}!\nHandlingar: {{ link }}\n",
        "version": "0",
    }
    preview = browser.form_post(
        "/utskick/mallar/notice", "/utskick/mallar/notice", form | {"action": "preview"}
    )
    assert preview.status_code == 200
    assert "Välkommen Anna Andersson!" in preview.text and "Inget är sparat ännu" in preview.text
    assert not browser.get("/api/mail/templates/notice").json()["edited"]
    saved = browser.form_post(
        "/utskick/mallar/notice", "/utskick/mallar/notice", form | {"action": "save"}
    )
    assert saved.status_code in (302, 303)
    edited = browser.get("/api/mail/templates/notice").json()
    assert edited["edited"] and edited["version"] == 1
    stale = browser.put(
        "/api/mail/templates/notice", json={"subject": "x", "body": "y", "version": 0}
    )
    assert stale.status_code == 409
    meeting = browser.post(
        "/api/meetings", json={"body": "fs", "meeting_date": "2026-12-10"}
    ).json()
    browser.patch(f"/api/meetings/{meeting['id']}", json={"version": 1, "status": "notice_sent"})
    [mail] = browser.get("/api/mail").json()
    assert mail["subject"] == "Kallelse: Förbundsstyrelsen den 10 december 2026"
    assert browser.get(f"/api/mail/{mail['id']}").json()["body"].startswith("Välkommen Bo Ledamot!")
    reset = browser.delete("/api/mail/templates/notice").json()
    assert not reset["edited"] and reset["subject"] == reset["default_subject"]
    assert "Mall: Kallelse" in browser.get("/utskick/mallar/notice").text


def test_the_reminder_cadence_is_set_on_the_settings_page(browser: Browser, world: World) -> None:
    browser.page_login("kansli@test.example")
    page = browser.get("/installningar").text
    assert "Påminnelser om kvartalsrapporter" in page
    association = browser.get("/api/association").json()
    form = {
        "version": str(association["version"]),
        "name": association["name"],
        "report_reminder_days_before": "10",
        "report_reminder_interval_days": "5",
    }
    refused = browser.form_post(
        "/installningar", "/installningar", form | {"report_reminder_interval_days": "-1"}
    )
    assert refused.status_code == 422 and 'value="-1"' in refused.text
    assert browser.form_post("/installningar", "/installningar", form).status_code in (302, 303)
    saved = browser.get("/api/association").json()
    assert (saved["report_reminder_days_before"], saved["report_reminder_interval_days"]) == (10, 5)


def test_nothing_is_sent_when_the_change_is_refused(browser: Browser, world: World) -> None:
    """A stale status change is refused with 409, and no kallelse is queued."""
    browser.api_login("kansli@test.example")
    meeting = browser.post(
        "/api/meetings", json={"body": "fs", "meeting_date": "2026-12-10"}
    ).json()
    browser.patch(f"/api/meetings/{meeting['id']}", json={"version": 1, "place": "Annan"})
    stale = browser.patch(
        f"/api/meetings/{meeting['id']}", json={"version": 1, "status": "notice_sent"}
    )
    assert stale.status_code == 409
    assert browser.get("/api/mail").json() == []


def test_the_web_process_sends_the_queue_in_the_background(world: World) -> None:
    """The app's start-up hook runs the sender: a queued mail reaches the outbox by itself."""
    app = create_app(msgspec.structs.replace(get_settings(), mail_interval=0.05, smtp_host=""))
    with TestClient(app=app, base_url="http://testserver.local") as client:
        Browser(client).api_login("kansli@test.example")
        mail_id = asyncio.run(_queue(world.board, "I bakgrunden"))
        for _ in range(100):
            status = client.get(f"/api/mail/{mail_id}").json()["status"]
            if status == "outbox":
                break
            time.sleep(0.05)
    assert status == "outbox"
