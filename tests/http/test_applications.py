"""Applications through the API and pages: the real seed 002 applications, drafts, submission,
completion, versions, owners' isolation, budget files, attachments and the PDF."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from portfolio.demo import seed
from tests.http.conftest import Browser
from tests.http.seeded import SeedWorld, by_name, enter

NBSP = "\u00a0"


def test_every_seed_application_can_be_entered_and_submitted(
    browser: Browser, seeded: SeedWorld
) -> None:
    """The five applications of the real board pack go in through the API and are sent in."""
    for app in seed.seed_applications():
        saved = enter(browser, seeded, app)
        if not app["budget"]["lines"]:
            # The pack leaves some budgets out (only a summary, or none): give them a line so
            # the application is complete; the totals are checked where the pack has lines.
            content = saved["content"]
            content["budget"]["lines"] = [
                {
                    "block": "association",
                    "category": "salary",
                    "label": "Personal",
                    "amounts": [app["proposal"]["proposed_amount"] or 1],
                }
            ]
            saved = browser.put(
                f"/api/applications/{saved['id']}/draft",
                json={"version": saved["version"], "content": content},
            ).json()
        if not saved["content"]["goals"]:
            content = saved["content"]
            content["goals"] = [{"kind": "overall", "text": "Fler i arbete eller studier."}]
            saved = browser.put(
                f"/api/applications/{saved['id']}/draft",
                json={"version": saved["version"], "content": content},
            ).json()
        missing = [
            p
            for p in saved["submission_problems"]
            if p["field"]
            not in ("method", "follow_up", "implementation", "anchoring", "background", "purpose")
        ]
        assert missing == [], (app["insats_name"], missing)
        content = saved["content"]
        for name in ("method", "follow_up", "implementation", "anchoring", "background", "purpose"):
            content[name] = content[name] or "Se tjänsteskrivelsen."
        saved = browser.put(
            f"/api/applications/{saved['id']}/draft",
            json={"version": saved["version"], "content": content},
        ).json()
        submitted = browser.post(
            f"/api/applications/{saved['id']}/submit", json={"version": saved["version"]}
        )
        assert submitted.status_code == 200, (app["insats_name"], submitted.text)
        assert submitted.json()["status"] == "submitted"
        browser.post("/api/auth/logout")


def test_framsteget_totals_per_owner_and_year_and_the_seeds_own_mistake_is_flagged(
    browser: Browser, seeded: SeedWorld
) -> None:
    """Framsteget 2.0: 9 357 500 kr in all, 350 000 of it Arbetsförmedlingen's; the pack's 9 007 500 is flagged."""
    saved = enter(browser, seeded, by_name("Framsteget 2.0"))
    totals = saved["budget"]["totals"]
    assert totals["association"]["total"]["amounts"] == [9_007_500, 350_000, 0, 0]
    assert totals["association"]["total"]["total"] == 9_357_500
    assert saved["applied_amount"] == 9_357_500
    years = saved["content"]["budget"]["years"]
    assert [y["total"] for y in years] == [3_597_500, 2_937_500, 2_822_500]
    assert sum(y["total"] for y in years) == totals["association"]["total"]["total"]
    messages = [w["message"] for w in saved["budget"]["warnings"]]
    assert any(f"9{NBSP}007{NBSP}500" in m and f"9{NBSP}357{NBSP}500" in m for m in messages), (
        messages
    )
    # Warned, never changed: the stated figure is still there as typed.
    assert saved["content"]["budget"]["stated"][0]["association"]["total"]["total"] == 9_007_500


def test_arbetslivsintro_totals_per_owner(browser: Browser, seeded: SeedWorld) -> None:
    """Arbetslivsintro: the owners' columns add up to the 6 032 000 kr applied for."""
    saved = enter(browser, seeded, by_name("Arbetslivsintro"))
    association = saved["budget"]["totals"]["association"]["total"]
    assert association["total"] == 6_032_000
    assert sum(association["amounts"]) == 6_032_000


def test_submit_with_problems_is_refused_and_the_draft_is_kept(
    browser: Browser, seeded: SeedWorld
) -> None:
    """An incomplete draft cannot be sent in; every problem is named and nothing saved is lost."""
    lead = seed.org_name(by_name("Ung framtid")["lead_owner"]["organisation"])
    browser.api_login(seeded.owners[lead])
    draft = browser.post(
        "/api/applications", json={"kind": "new", "insats_name": "Halvfärdig"}
    ).json()
    content = draft["content"] | {
        "purpose": "Ett syfte som inte får försvinna.",
        "period_start": "2027-06-01",
        "period_end": "2027-01-01",
    }
    saved = browser.put(
        f"/api/applications/{draft['id']}/draft",
        json={"version": draft["version"], "content": content},
    ).json()
    refused = browser.post(
        f"/api/applications/{draft['id']}/submit", json={"version": saved["version"]}
    )
    assert refused.status_code == 422
    fields = {e["field"] for e in refused.json()["errors"]}
    assert {"period_end", "partners", "goals", "budget", "agreement_accepted", "method"} <= fields
    again = browser.get(f"/api/applications/{draft['id']}").json()
    assert (
        again["status"] == "draft"
        and again["content"]["purpose"] == "Ett syfte som inte får försvinna."
    )


def test_page_form_with_an_unreadable_amount_keeps_everything_typed(
    browser: Browser, seeded: SeedWorld
) -> None:
    """A budget amount typed as '12x' is named; the form comes back with all that was typed, and
    what could be read is saved (issue 19: an unreadable field no longer loses the draft)."""
    lead = "Tierps kommun"
    browser.page_login(seeded.owners[lead])
    browser.api_login(seeded.owners[lead])
    draft = browser.post(
        "/api/applications", json={"kind": "new", "insats_name": "Formulärtest"}
    ).json()
    response = browser.form_post(
        f"/ansokningar/{draft['id']}/redigera",
        f"/ansokningar/{draft['id']}/redigera",
        {
            "version": str(draft["version"]),
            "insats_name": "Formulärtest",
            "purpose": "Mitt långa syfte",
            "line-0-label": "Coach",
            "line-0-category": "salary",
            "line-0-block": "association",
            "line-0-amount-0": "12x",
            "action": "save",
        },
    )
    assert response.status_code == 422
    assert "Ange ett belopp i hela kronor." in response.text
    assert "Mitt långa syfte" in response.text and 'value="12x"' in response.text
    saved = browser.get(f"/api/applications/{draft['id']}").json()["content"]
    assert saved["purpose"] == "Mitt långa syfte"


def test_page_form_saves_amounts_typed_with_spaces(browser: Browser, seeded: SeedWorld) -> None:
    """'1 200 000 kr' in a budget cell is saved as 1200000 kronor."""
    browser.page_login(seeded.owners["Tierps kommun"])
    browser.api_login(seeded.owners["Tierps kommun"])
    draft = browser.post("/api/applications", json={"kind": "new", "insats_name": "Belopp"}).json()
    response = browser.form_post(
        f"/ansokningar/{draft['id']}/redigera",
        f"/ansokningar/{draft['id']}/redigera",
        {
            "version": str(draft["version"]),
            "insats_name": "Belopp",
            "line-0-label": "Coach",
            "line-0-category": "salary",
            "line-0-block": "association",
            "line-0-amount-0": "1 200 000 kr",
            "goal-0-text": "15 till arbete",
            "goal-0-target": "15",
            "goal-0-kind": "outcome",
            "action": "save",
        },
    )
    assert response.status_code in (302, 303), response.text[:500]
    saved = browser.get(f"/api/applications/{draft['id']}").json()
    assert saved["content"]["budget"]["lines"][0]["amounts"] == [1_200_000]
    assert saved["content"]["goals"] == [
        {"kind": "outcome", "text": "15 till arbete", "target": 15, "unit": ""}
    ]


def test_owners_see_only_their_own_organisations_applications(
    browser: Browser, other_browser: Browser, seeded: SeedWorld
) -> None:
    """Tierp's draft is invisible to Håbo's owner and the board; the office sees it."""
    tierp = enter(browser, seeded, by_name("Ung framtid"))
    other_browser.api_login(seeded.owners["Håbo kommun"])
    assert other_browser.get(f"/api/applications/{tierp['id']}").status_code == 404
    assert other_browser.get(f"/ansokningar/{tierp['id']}").status_code == 404
    assert other_browser.get(f"/api/applications/{tierp['id']}/pdf").status_code == 404
    assert tierp["id"] not in [a["id"] for a in other_browser.get("/api/applications").json()]
    edit = other_browser.put(
        f"/api/applications/{tierp['id']}/draft", json={"version": tierp["version"], "content": {}}
    )
    assert edit.status_code == 404
    other_browser.post("/api/auth/logout")
    other_browser.api_login("ledamot@test.example")
    assert other_browser.get(f"/api/applications/{tierp['id']}").status_code == 404
    other_browser.post("/api/auth/logout")
    other_browser.api_login("kansli@test.example")
    assert other_browser.get(f"/api/applications/{tierp['id']}").status_code == 200


def test_completion_round_trip_with_frozen_versions_and_a_diff(
    browser: Browser, other_browser: Browser, seeded: SeedWorld
) -> None:
    """Submit, the office asks for completion, the owner changes and resubmits; version 1 is unchanged."""
    app = by_name("Framsteget 2.0")
    saved = enter(browser, seeded, app)
    app_id = saved["id"]
    submitted = browser.post(
        f"/api/applications/{app_id}/submit", json={"version": saved["version"]}
    ).json()
    frozen = browser.put(
        f"/api/applications/{app_id}/draft",
        json={"version": submitted["version"], "content": submitted["content"]},
    )
    assert frozen.status_code == 403
    other_browser.api_login("kansli@test.example")
    asked = other_browser.post(
        f"/api/applications/{app_id}/completion",
        json={"version": submitted["version"], "message": "Förtydliga egenfinansieringen."},
    )
    assert asked.status_code == 200 and asked.json()["status"] == "completion_requested"
    content = asked.json()["content"] | {"method": "Ny metodbeskrivning."}
    resaved = browser.put(
        f"/api/applications/{app_id}/draft",
        json={"version": asked.json()["version"], "content": content},
    ).json()
    resubmitted = browser.post(
        f"/api/applications/{app_id}/submit", json={"version": resaved["version"]}
    ).json()
    assert resubmitted["status"] == "submitted"
    versions = other_browser.get(f"/api/applications/{app_id}/versions").json()
    assert [v["number"] for v in versions] == [1, 2]
    assert versions[0]["content"]["method"] == app["method"]
    changes = other_browser.get(
        f"/api/applications/{app_id}/compare", params={"old": 1, "new": 2}
    ).json()
    assert [c["section"] for c in changes] == ["method"]
    assert changes[0]["after"] == "Ny metodbeskrivning."
    page = other_browser.get(f"/ansokningar/{app_id}?jamfor=1").text
    assert "Ny metodbeskrivning." in page and "Ändrat sedan version 1" in page


def test_office_cannot_ask_completion_of_a_draft_and_board_cannot_at_all(
    browser: Browser, other_browser: Browser, seeded: SeedWorld
) -> None:
    saved = enter(browser, seeded, by_name("Framsteget 2.0"))
    other_browser.api_login("kansli@test.example")
    response = other_browser.post(
        f"/api/applications/{saved['id']}/completion",
        json={"version": saved["version"], "message": "x"},
    )
    assert response.status_code == 403


def test_stale_draft_save_is_refused(browser: Browser, seeded: SeedWorld) -> None:
    """Two tabs: the older one's save is refused with 409, not silently overwriting."""
    saved = enter(browser, seeded, by_name("Arbetslivsintro"))
    stale = browser.put(
        f"/api/applications/{saved['id']}/draft",
        json={"version": saved["version"] - 1, "content": saved["content"]},
    )
    assert stale.status_code == 409


def test_budget_excel_round_trip(browser: Browser, seeded: SeedWorld) -> None:
    """The budget downloads as .xlsx and the same file uploads back to the same lines."""
    saved = enter(browser, seeded, by_name("Framsteget 2.0"))
    xlsx = browser.get(f"/api/applications/{saved['id']}/budget.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    parsed = browser.post(
        f"/api/applications/{saved['id']}/budget/import",
        files={"file": ("budget.xlsx", xlsx.content, "application/octet-stream")},
    )
    assert parsed.status_code == 200, parsed.text
    lines = parsed.json()["budget"]["lines"]
    assert [line["amounts"] for line in lines] == [
        line["amounts"] for line in saved["content"]["budget"]["lines"]
    ]


def test_a_new_drafts_budget_template_names_its_owners_and_period(
    browser: Browser, seeded: SeedWorld
) -> None:
    """The template an owner downloads to fill in has a column per owner, by name, and the
    period, even before any budget line is saved."""
    saved = enter(browser, seeded, by_name("Framsteget 2.0"))
    content = saved["content"]
    emptied = {**content, "budget": {"owners": [], "lines": []}}
    saved = browser.put(
        f"/api/applications/{saved['id']}/draft",
        json={"version": saved["version"], "content": emptied},
    ).json()
    names = {org["id"]: org["name"] for org in browser.get("/api/organisations").json()}
    lead = names[content["lead_owner"]["organisation_id"]]
    co_owners = [names[party["organisation_id"]] for party in content["co_owners"]]
    # A budget saved without column names gets the owners' (issue 19: no "Kolumn 1").
    assert saved["content"]["budget"]["owners"] == [lead, *co_owners]
    xlsx = browser.get(f"/api/applications/{saved['id']}/budget.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content))["Budget - detaljerad"]
    header = [sheet.cell(row=5, column=column).value for column in range(5, 5 + 1 + len(co_owners))]
    assert header == [lead, *co_owners]
    # The detailed sheet puts the period in the "Period från"/"Period till" columns (C, D).
    assert sheet["C2"].value.date() == dt.date.fromisoformat(content["period_start"])
    assert sheet["D2"].value.date() == dt.date.fromisoformat(content["period_end"])


def test_budget_import_of_a_non_excel_file_is_a_clear_warning(
    browser: Browser, seeded: SeedWorld
) -> None:
    saved = enter(browser, seeded, by_name("Framsteget 2.0"))
    parsed = browser.post(
        f"/api/applications/{saved['id']}/budget/import",
        files={"file": ("budget.xlsx", b"not excel", "application/octet-stream")},
    )
    assert parsed.status_code == 200
    assert parsed.json()["budget"] is None and parsed.json()["warnings"]


def test_attachments_are_checked_by_content_and_kept_per_organisation(
    browser: Browser, other_browser: Browser, seeded: SeedWorld
) -> None:
    """A PDF attaches (stored with its checksum); an executable named .pdf is refused."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 750, "Bilaga")
    page.save()
    saved = enter(browser, seeded, by_name("Framsteget 2.0"))
    ok = browser.post(
        f"/api/applications/{saved['id']}/attachments",
        files={"file": ("../../protokoll LOKUS.pdf", buffer.getvalue(), "application/pdf")},
    )
    assert ok.status_code == 201, ok.text
    attachment = ok.json()
    assert "/" not in attachment["filename"] and attachment["filename"].endswith(".pdf")
    assert len(attachment["sha256"]) == 64
    bad = browser.post(
        f"/api/applications/{saved['id']}/attachments",
        files={"file": ("budget.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
    )
    assert bad.status_code == 422 and bad.json()["field"] == "file"
    assert browser.get(f"/api/attachments/{attachment['id']}").content == buffer.getvalue()
    other_browser.api_login(seeded.owners["Tierps kommun"])
    assert other_browser.get(f"/api/attachments/{attachment['id']}").status_code == 404


def test_submitted_application_prints_as_pdf(browser: Browser, seeded: SeedWorld) -> None:
    """The submitted version prints as a Swedish PDF with the insats and the amount applied for."""
    from pypdf import PdfReader

    saved = enter(browser, seeded, by_name("Framsteget 2.0"))
    browser.post(f"/api/applications/{saved['id']}/submit", json={"version": saved["version"]})
    response = browser.get(f"/api/applications/{saved['id']}/pdf", params={"version": 1})
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "application/pdf"
    )
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
    ).replace(NBSP, " ")
    assert "Framsteget 2.0" in text and "9 357 500 kronor" in text


def test_extension_starts_from_the_last_submitted_version(
    browser: Browser, seeded: SeedWorld
) -> None:
    """An extension application is prefilled from the insats's last version, with a fresh summary of changes."""
    saved = enter(browser, seeded, by_name("Framsteget 2.0"))
    browser.post(f"/api/applications/{saved['id']}/submit", json={"version": saved["version"]})
    extension = browser.post(
        "/api/applications", json={"kind": "extension", "initiative_id": saved["initiative_id"]}
    )
    assert extension.status_code == 201, extension.text
    body = extension.json()
    assert body["kind"] == "extension" and body["content"]["method"] == saved["content"]["method"]
    assert (
        body["content"]["changes_summary"] == "" and body["content"]["agreement_accepted"] is False
    )
    assert any(p["field"] == "changes_summary" for p in body["submission_problems"])


def test_start_pages_show_what_waits_for_each_role(
    browser: Browser, other_browser: Browser, seeded: SeedWorld
) -> None:
    """The owner sees their draft to finish; once sent in, the office sees it as new."""
    saved = enter(browser, seeded, by_name("Framsteget 2.0"))
    assert [a["id"] for a in browser.get("/api/dashboard").json()["applications"]] == [saved["id"]]
    other_browser.api_login("kansli@test.example")
    assert other_browser.get("/api/dashboard").json()["applications"] == []
    browser.post(f"/api/applications/{saved['id']}/submit", json={"version": saved["version"]})
    assert [a["id"] for a in other_browser.get("/api/dashboard").json()["applications"]] == [
        saved["id"]
    ]
    other_browser.page_login("kansli@test.example")
    assert "Framsteget 2.0" in other_browser.get("/").text


def test_extension_must_answer_each_requirement_and_the_office_sees_them_side_by_side(
    browser: Browser, other_browser: Browser, seeded: SeedWorld
) -> None:
    """The decision's extension requirements become questions; unanswered, the extension cannot be sent in."""
    first = enter(browser, seeded, by_name("Framsteget 2.0"))
    browser.post(f"/api/applications/{first['id']}/submit", json={"version": first["version"]})
    other_browser.api_login("kansli@test.example")
    initiative = first["initiative_id"]
    requirement = other_browser.post(
        f"/api/initiatives/{initiative}/conditions",
        json={"kind": "extension_requirement", "text": "Parternas egenfinansiering ska framgå."},
    ).json()
    reservation = other_browser.post(
        f"/api/initiatives/{initiative}/conditions",
        json={
            "kind": "funding_reservation",
            "text": "Under förutsättning att förbundet beviljas medel.",
        },
    ).json()

    extension = browser.post(
        "/api/applications", json={"kind": "extension", "initiative_id": initiative}
    ).json()
    assert [r["text"] for r in extension["requirements"]] == [
        "Parternas egenfinansiering ska framgå."
    ]
    content = extension["content"] | {
        "changes_summary": "Vi utökar målgruppen.",
        "agreement_accepted": True,
    }
    saved = browser.put(
        f"/api/applications/{extension['id']}/draft",
        json={"version": extension["version"], "content": content},
    ).json()
    refused = browser.post(
        f"/api/applications/{extension['id']}/submit", json={"version": saved["version"]}
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == [f"requirement_{requirement['id']}"]

    content = saved["content"] | {
        "requirement_answers": [
            {"requirement_id": requirement["id"], "answer": "Håbo bidrar med 20 % av en tjänst."}
        ]
    }
    saved = browser.put(
        f"/api/applications/{extension['id']}/draft",
        json={"version": saved["version"], "content": content},
    ).json()
    readiness = {
        item["label"]: item["ok"]
        for item in other_browser.get(f"/api/applications/{extension['id']}").json()["readiness"]
    }
    assert (
        readiness["Krav vid förlängning besvarade"] is True
        and readiness["Villkor uppfyllda"] is False
    )
    other_browser.patch(
        f"/api/conditions/{reservation['id']}",
        json={
            "version": reservation["version"],
            "met": True,
            "met_note": "Medlemsavgifter beslutade.",
        },
    )
    assert (
        browser.post(
            f"/api/applications/{extension['id']}/submit", json={"version": saved["version"]}
        ).status_code
        == 200
    )
    other_browser.page_login("kansli@test.example")
    page = other_browser.get(f"/ansokningar/{extension['id']}").text
    assert (
        "Parternas egenfinansiering ska framgå." in page
        and "Håbo bidrar med 20 % av en tjänst." in page
    )
    assert "Är insatsen redo för förlängning?" in page


def test_conditions_are_the_offices_to_set(browser: Browser, seeded: SeedWorld) -> None:
    saved = enter(browser, seeded, by_name("Framsteget 2.0"))
    response = browser.post(
        f"/api/initiatives/{saved['initiative_id']}/conditions",
        json={"kind": "free_text", "text": "x"},
    )
    assert response.status_code == 403
