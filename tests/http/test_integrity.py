"""Records that are final stay final; edits never overwrite silently; sizes, names and types hold."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from applications import files
from portfolio.core.web import download
from tests import factories
from tests.factories import Records, World
from tests.http.conftest import Browser


@pytest.fixture
def records(world: World) -> Records:
    return asyncio.run(factories.records(world))


def _approve(browser: Browser, meeting_id: int) -> None:
    for status in ("notice_sent", "held", "approved"):
        meeting = browser.get(f"/api/meetings/{meeting_id}").json()
        body = {"version": meeting["version"], "status": status, "checker": "Ada Ägare"}
        if status == "notice_sent":  # held only on or after its date (issue 17)
            body["meeting_date"] = "2026-11-26"
        moved = browser.patch(f"/api/meetings/{meeting_id}", json=body)
        assert moved.status_code == 200, moved.text


def test_a_sent_in_version_is_frozen_in_the_api_and_the_pages(
    browser: Browser, records: Records
) -> None:
    """The lead owner cannot change a sent-in application; its version stays as sent."""
    browser.api_login("agare@alfa.example")
    app_id = records.sent_a["id"]
    before = browser.get(f"/api/applications/{app_id}/versions").json()
    current = browser.get(f"/api/applications/{app_id}").json()
    changed = {**current["content"], "purpose": "Ändrat i efterhand"}
    saved = browser.put(
        f"/api/applications/{app_id}/draft",
        json={"version": current["version"], "content": changed},
    )
    assert saved.status_code == 403 and "inskickad" in saved.json()["message"]
    page = browser.get(f"/ansokningar/{app_id}/redigera")
    assert page.status_code == 403
    token = browser.form_token(f"/ansokningar/{app_id}")
    posted = browser.client.post(
        f"/ansokningar/{app_id}/redigera",
        data={"_csrf_token": token, "version": str(current["version"]), "purpose": "x"},
    )
    assert posted.status_code == 403
    assert browser.get(f"/api/applications/{app_id}/versions").json() == before


def test_approved_minutes_freeze_the_meeting_its_agenda_decisions_and_proposals(
    browser: Browser, records: Records
) -> None:
    browser.api_login("kansli@test.example")
    meeting_id, case_id = records.meeting["id"], records.case["id"]
    _approve(browser, meeting_id)
    meeting = browser.get(f"/api/meetings/{meeting_id}").json()
    assert meeting["status"] == "approved"
    edit = browser.patch(
        f"/api/meetings/{meeting_id}", json={"version": meeting["version"], "place": "Annat"}
    )
    assert edit.status_code == 409
    move = browser.post(
        f"/api/meetings/{meeting_id}/agenda/{records.agenda_item['id']}/move?steps=1"
    )
    assert move.status_code == 409
    another = browser.post(
        f"/api/meetings/{meeting_id}/decisions",
        json={"case_id": case_id, "outcome": "rejected", "clauses": ["att avslå."]},
    )
    assert another.status_code == 409
    proposal = browser.get(f"/api/cases/{case_id}/proposal").json()
    changed = browser.patch(
        f"/api/cases/{case_id}/proposal", json={"version": proposal["version"], "subject": "Nytt"}
    )
    assert changed.status_code == 409 and "justerat" in changed.json()["message"]
    page = browser.form_post(f"/moten/{meeting_id}", f"/moten/{meeting_id}", {"place": "Annat"})
    assert page.status_code in (409, 422)
    assert browser.get(f"/api/meetings/{meeting_id}").json()["place"] == meeting["place"]


def test_a_decision_has_no_way_to_be_edited_or_deleted(browser: Browser, records: Records) -> None:
    browser.api_login("kansli@test.example")
    base = f"/api/meetings/{records.meeting['id']}/decisions"
    assert browser.patch(base, json={}).status_code == 405
    assert browser.delete(base).status_code == 405
    for method in ("PATCH", "PUT", "DELETE"):
        response = browser.client.request(
            method,
            f"/api/decisions/{records.decision['id']}",
            headers={"x-csrftoken": browser.client.cookies.get("finsam_csrf") or ""},
        )
        assert response.status_code in (404, 405), method


def test_two_people_editing_the_same_record_never_overwrite_each_other(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    """Both read version 1; the first save wins, the second gets 409 and changes nothing."""
    browser.api_login("kansli@test.example")
    other_browser.api_login("kansli@test.example")
    org = f"/api/organisations/{world.kommun_a['id']}"
    version = browser.get(org).json()["version"]
    first = browser.patch(org, json={"version": version, "name": "Alfa kommun (först)"})
    second = other_browser.patch(org, json={"version": version, "name": "Alfa kommun (sist)"})
    assert first.status_code == 200 and second.status_code == 409
    assert second.json()["field"] == "version"
    assert browser.get(org).json()["name"] == "Alfa kommun (först)"
    page = other_browser.form_post(
        f"/organisationer/{world.kommun_a['id']}",
        f"/organisationer/{world.kommun_a['id']}",
        {"version": str(version), "name": "Alfa kommun (sidan)", "kind": "kommun"},
    )
    assert page.status_code == 409 and "ändrats av någon annan" in page.text


def test_a_too_large_request_gets_413_with_a_clear_message(
    browser: Browser, records: Records
) -> None:
    browser.api_login("agare@alfa.example")
    big = b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024)
    api = browser.post(
        f"/api/applications/{records.draft_a['id']}/attachments",
        files={"file": ("stor.pdf", big, "application/pdf")},
    )
    assert api.status_code == 413 and api.json()["message"] == "Förfrågan är för stor."
    token = browser.form_token(f"/ansokningar/{records.draft_a['id']}/redigera")
    page = browser.client.post(
        f"/ansokningar/{records.draft_a['id']}/bilagor",
        data={"_csrf_token": token},
        files={"file": ("stor.pdf", big, "application/pdf")},
    )
    assert page.status_code == 413 and "för stor" in page.text


def test_download_names_cannot_break_the_header() -> None:
    """Quotes, line breaks and semicolons in a name end up escaped, never as header syntax."""
    response = download(b"x", 'a"; b\r\nSet-Cookie: x=1;.pdf', "application/pdf")
    disposition = response.headers["content-disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    fallback = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert '"' not in fallback and ";" not in fallback
    assert disposition.endswith("filename*=UTF-8''a%22%3B%20b%0D%0ASet-Cookie%3A%20x%3D1%3B.pdf")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_an_uploaded_name_is_cleaned_and_the_file_served_with_its_checked_type(
    browser: Browser, records: Records
) -> None:
    browser.api_login("agare@alfa.example")
    uploaded = browser.post(
        f"/api/applications/{records.draft_a['id']}/attachments",
        files={"file": ('../../etc/"passwd"\r\n.pdf', factories._pdf("namn"), "text/html")},
    )
    assert uploaded.status_code == 201, uploaded.text
    name = uploaded.json()["filename"]
    assert "/" not in name and "\r" not in name and '"' not in name and name.endswith(".pdf")
    served = browser.get(f"/api/attachments/{uploaded.json()['id']}")
    assert served.headers["content-type"].startswith("application/pdf")  # not the claimed text/html
    assert served.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        # Issue 21: the API takes JSON only, so text/plain is a 415 (it was a 400).
        ("text/plain", b'{"name": "x"}', 415),
        ("application/json", b"{not json", 400),
        ("application/json", b"[]", 400),
    ],
)
def test_a_body_of_the_wrong_kind_is_a_4xx_not_a_crash(
    browser: Browser, world: World, content_type: str, body: bytes, status: int
) -> None:
    browser.api_login("kansli@test.example")
    token = browser.client.cookies.get("finsam_csrf") or ""
    response = browser.client.post(
        "/api/organisations",
        content=body,
        headers={"content-type": content_type, "x-csrftoken": token},
    )
    assert response.status_code == status, response.text
    assert response.json()["message"]


def test_an_attachment_sent_in_with_a_version_stays_through_a_completion(
    browser: Browser, records: Records
) -> None:
    """Attachments belong to the application: once one went in with a version it is on record,
    so a completion may add files but not remove it; the board reads only what was sent in."""
    from applications.domain import ApplicationStatus
    from applications.tables import Application

    sent, sent_file = records.sent_a, records.sent_attachment
    # The records' application has been decided since; take it back to just sent in.
    back = Application.update({Application.status: ApplicationStatus.SUBMITTED})
    asyncio.run(back.where(Application.id == sent["id"]).run())
    browser.api_login("kansli@test.example")
    version = browser.get(f"/api/applications/{sent['id']}").json()["version"]
    asked = browser.post(
        f"/api/applications/{sent['id']}/completion",
        json={"version": version, "message": "Bifoga den nya budgeten."},
    )
    assert asked.status_code == 200, asked.text

    browser.api_login("agare@alfa.example")
    refused = browser.delete(f"/api/attachments/{sent_file['id']}")
    assert refused.status_code == 409 and "version 1" in refused.json()["message"]
    added = browser.post(
        f"/api/applications/{sent['id']}/attachments",
        files={"file": ("ny budget.pdf", b"%PDF-1.4\n% ny budget\n%%EOF\n", "application/pdf")},
    )
    assert added.status_code == 201, added.text
    listed = browser.get(f"/api/applications/{sent['id']}/attachments").json()
    assert [a["sent_in_version"] for a in listed] == [1, None]
    form = browser.get(f"/ansokningar/{sent['id']}/redigera").text
    assert "(inskickad med version 1)" in form

    browser.api_login("ledamot@test.example")
    listed = browser.get(f"/api/applications/{sent['id']}/attachments").json()
    assert [a["id"] for a in listed] == [sent_file["id"]]
    assert browser.get(f"/api/attachments/{sent_file['id']}").status_code == 200
    assert browser.get(f"/api/attachments/{added.json()['id']}").status_code == 404

    browser.api_login("agare@alfa.example")
    assert browser.delete(f"/api/attachments/{added.json()['id']}").status_code == 204


def test_an_id_too_large_for_the_database_is_a_400_on_every_route(
    browser: Browser, app: Any, world: World
) -> None:
    """PostgreSQL's ids are 32-bit and SQLite's 64: every route with an id in its path, read
    and written, answers a number beyond both as the request's fault, never a 500."""
    from tests.http.test_authorization_matrix import _routes

    browser.api_login("kansli@test.example")
    crashes = []
    for method, path, _ in _routes(app):
        if not re.search(r"\{\w+:int\}", path):
            continue
        url = re.sub(r"\{\w+:int\}", str(2**70), re.sub(r"\{\w+:str\}", "kommun", path))
        body: dict[str, Any] = {"json": {}} if method in {"POST", "PUT", "PATCH"} else {}
        for number in (2**31 + 1, 2**70):
            response = browser.client.request(
                method,
                url.replace(str(2**70), str(number)),
                headers=browser._headers(),
                follow_redirects=False,
                **body,
            )
            if response.status_code >= 500:
                crashes.append(f"{method} {path} with {number}: {response.status_code}")
    assert not crashes, "\n".join(crashes)


def test_a_removed_draft_attachment_takes_its_file_off_disk_unless_another_holds_it(
    browser: Browser, world: World, records: Records, tmp_path: Any
) -> None:
    """A detached file is deleted once its last attachment row is gone (after that commit), so
    it stays neither on disk nor in the next backup; a file another draft holds stays."""
    import tarfile

    from applications import services as application_services
    from applications.domain import ApplicationKind
    from portfolio.shell.backup import create_backup

    other = asyncio.run(
        application_services.create_application(
            world.owner_a, ApplicationKind.EXTENSION, initiative_id=world.initiative_a["id"]
        )
    )
    data = factories._pdf("bilaga som tas bort")
    browser.api_login("agare@alfa.example")
    first = browser.post(
        f"/api/applications/{records.draft_a['id']}/attachments",
        files={"file": ("budget.pdf", data, "application/pdf")},
    )
    second = browser.post(
        f"/api/applications/{other['id']}/attachments",
        files={"file": ("samma budget.pdf", data, "application/pdf")},
    )
    assert first.status_code == 201 and second.status_code == 201, (first.text, second.text)
    sha256 = first.json()["sha256"]
    assert second.json()["sha256"] == sha256
    stored = files.attachment_path(sha256)
    assert stored.exists()

    assert browser.delete(f"/api/attachments/{first.json()['id']}").status_code == 204
    assert stored.exists()  # the other draft still holds the same file
    assert browser.get(f"/api/attachments/{second.json()['id']}").content == data

    assert browser.delete(f"/api/attachments/{second.json()['id']}").status_code == 204
    assert not stored.exists()
    # The drafts' other files stay: only the detached one went.
    kept = browser.get(f"/api/attachments/{records.draft_attachment['id']}")
    assert kept.status_code == 200 and kept.content.startswith(b"%PDF")

    create_backup(tmp_path / "backup.tar.gz")
    with tarfile.open(tmp_path / "backup.tar.gz") as archive:
        names = archive.getnames()
    assert not [n for n in names if sha256 in n]
    assert [n for n in names if n.endswith(records.draft_attachment["sha256"])]
