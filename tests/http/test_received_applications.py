"""Applications that arrive by e-mail or on paper: the office registers them for the
organisation, with the original file, sent in on the day received and marked as the office's."""

from __future__ import annotations

import io

from pypdf import PdfReader
from reportlab.pdfgen import canvas

from tests.factories import World
from tests.http.conftest import Browser


def _pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 750, text)
    page.save()
    return buffer.getvalue()


def test_the_office_registers_a_new_application_received_on_paper(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    """Sent in on the day received, version 1 with the scanned original, a new insats applied
    for, marked as registered by the office and audited; the board then reads it and its file."""
    browser.api_login("kansli@test.example")
    original = _pdf("Ansokan Gamma-insatsen")
    response = browser.post(
        "/api/applications/received",
        data={
            "organisation_id": str(world.kommun_b["id"]),
            "kind": "new",
            "insats_name": "Gamma-insatsen",
            "received_on": "2026-11-20",
            "applied_amount": "450000",
        },
        files={"file": ("Ansökan Gamma.pdf", original, "application/pdf")},
    )
    assert response.status_code == 201, response.text
    app = response.json()
    assert app["status"] == "submitted" and app["registered_by_office"] is True
    assert app["received_on"] == "2026-11-20"
    assert app["submitted_at"].startswith("2026-11-20")
    assert app["organisation_id"] == world.kommun_b["id"] and app["applied_amount"] == 450_000
    versions = browser.get(f"/api/applications/{app['id']}/versions").json()
    assert [v["number"] for v in versions] == [1]
    assert versions[0]["submitted_at"].startswith("2026-11-20")
    entry = browser.get("/api/audit", params={"entity": "application"}).json()[0]
    assert entry["action"] == "register_received"
    assert entry["after"]["attachment"] == "Ansökan Gamma.pdf"
    other_browser.api_login("ledamot@test.example")
    attachments = other_browser.get(f"/api/applications/{app['id']}/attachments").json()
    assert [a["filename"] for a in attachments] == ["Ansökan Gamma.pdf"]
    file = other_browser.get(f"/api/attachments/{attachments[0]['id']}")
    assert file.content == original
    assert "Gamma-insatsen" in PdfReader(io.BytesIO(file.content)).pages[0].extract_text()


def test_an_extension_received_by_mail_belongs_to_the_lead_owner(
    browser: Browser, world: World
) -> None:
    """An extension must come from the insats's lead owner; the file is required."""
    browser.api_login("kansli@test.example")
    fields = {
        "organisation_id": str(world.kommun_b["id"]),
        "kind": "extension",
        "initiative_id": str(world.initiative_a["id"]),
        "received_on": "2026-11-20",
    }
    pdf = {"file": ("Förlängning.pdf", _pdf("Forlangning"), "application/pdf")}
    wrong = browser.post("/api/applications/received", data=fields, files=pdf)
    assert wrong.status_code == 422 and wrong.json()["field"] == "organisation_id"
    right = {**fields, "organisation_id": str(world.kommun_a["id"])}
    ok = browser.post("/api/applications/received", data=right, files=pdf)
    assert ok.status_code == 201, ok.text
    assert ok.json()["title"] == "Alfa-insatsen" and ok.json()["kind"] == "extension"
    no_file = browser.post("/api/applications/received", data=right, files={"x": ("a", b"")})
    assert no_file.status_code == 422 and no_file.json()["field"] == "file"
    bad_date = browser.post(
        "/api/applications/received", data={**right, "received_on": "20 nov"}, files=pdf
    )
    assert bad_date.status_code == 422 and bad_date.json()["field"] == "received_on"


def test_only_the_office_registers_received_and_owners_still_write_their_own(
    browser: Browser, world: World
) -> None:
    """An owner cannot register on another's behalf; the office's plain POST says where to go."""
    browser.api_login("agare@alfa.example")
    refused = browser.post(
        "/api/applications/received",
        data={
            "organisation_id": str(world.kommun_a["id"]),
            "kind": "new",
            "received_on": "2026-11-20",
        },
        files={"file": ("a.pdf", _pdf("x"), "application/pdf")},
    )
    assert refused.status_code == 403
    browser.post("/api/auth/logout")
    browser.api_login("kansli@test.example")
    plain = browser.post("/api/applications", json={"kind": "new", "insats_name": "X"})
    assert plain.status_code == 403
    assert "/api/applications/received" in plain.json()["message"]


def test_the_applications_page_registers_a_received_application(
    browser: Browser, world: World
) -> None:
    """The office's form on /ansokningar takes the fields and the file and opens the result."""
    browser.page_login("kansli@test.example")
    page = browser.get("/ansokningar")
    assert "Registrera inkommen ansökan" in page.text
    token = browser.form_token("/ansokningar")
    response = browser.client.post(
        "/ansokningar/inkommen",
        data={
            "_csrf_token": token,
            "organisation_id": str(world.kommun_a["id"]),
            "kind": "new",
            "insats_name": "Delta-insatsen",
            "received_on": "2026-10-01",
        },
        files={"file": ("Delta.pdf", _pdf("Delta"), "application/pdf")},
        follow_redirects=False,
    )
    assert response.status_code in (302, 303), response.text
    shown = browser.get(response.headers["location"])
    assert shown.status_code == 200 and "Delta-insatsen" in shown.text
    assert "registrerad av kansliet" in shown.text
