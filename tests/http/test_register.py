"""The register through API and pages: the association, organisations, users, insatser.

Pins the audit trail on each change and optimistic locking on stale edits.
"""

from __future__ import annotations

import asyncio

from portfolio.register import queries
from tests.factories import World
from tests.http.conftest import Browser


def _audit(entity: str) -> list[dict[str, object]]:
    return asyncio.run(queries.audit_rows(entity=entity))


def test_association_update_is_audited_with_before_and_after(
    browser: Browser, world: World
) -> None:
    """Changing the association's name records who, and the old and new names."""
    browser.api_login("kansli@test.example")
    current = browser.get("/api/association").json()
    response = browser.patch(
        "/api/association",
        json={"version": current["version"], "name": "Nytt namn", "director_name": "Ny Chef"},
    )
    assert response.status_code == 200
    assert response.json()["version"] == current["version"] + 1
    entry = browser.get("/api/audit", params={"entity": "association"}).json()[0]
    assert entry["actor_email"] == "kansli@test.example"
    assert entry["changed"] == ["director_name", "name"]
    assert entry["before"]["name"] == "Samordningsförbundet Test"
    assert entry["after"]["name"] == "Nytt namn"


def test_stale_edit_is_refused_with_409_and_the_newer_change_survives(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    """Two people edit the same insats: the second save, made on the old version, is refused."""
    browser.api_login("kansli@test.example")
    other_browser.api_login("kansli@test.example")
    url = f"/api/initiatives/{world.initiative_a['id']}"
    version = browser.get(url).json()["version"]
    first = browser.patch(url, json={"version": version, "name": "Första ändringen"})
    assert first.status_code == 200
    second = other_browser.patch(url, json={"version": version, "name": "Andra ändringen"})
    assert second.status_code == 409
    assert second.json()["field"] == "version"
    assert "ändrats av någon annan" in second.json()["message"]
    assert browser.get(url).json()["name"] == "Första ändringen"
    assert len(_audit("initiative")) == 1


def test_stale_edit_in_the_page_shows_a_message_and_keeps_what_was_typed(
    browser: Browser, world: World
) -> None:
    """The page form tells of the conflict and shows the typed text again, not losing it."""
    browser.page_login("kansli@test.example")
    initiative_id = world.initiative_a["id"]
    stale_version = world.initiative_a["version"]
    browser.post(
        f"/api/initiatives/{initiative_id}", json={}
    )  # no-op: makes sure the client has a CSRF cookie
    api = browser.patch(
        f"/api/initiatives/{initiative_id}", json={"version": stale_version, "area": "Alfa"}
    )
    assert api.status_code == 200
    response = browser.form_post(
        f"/insatser/{initiative_id}/redigera",
        f"/insatser/{initiative_id}",
        {
            "version": stale_version,
            "name": "Mitt skrivna namn",
            "kind": "individual",
            "lead_owner_id": world.kommun_a["id"],
            "status": "running",
        },
    )
    assert response.status_code == 409
    assert "ändrats av någon annan" in response.text
    assert 'value="Mitt skrivna namn"' in response.text


def test_organisation_names_are_unique(browser: Browser, world: World) -> None:
    """A second organisation with the same name is refused with 409 naming the field."""
    browser.api_login("kansli@test.example")
    response = browser.post("/api/organisations", json={"name": "Alfa kommun", "kind": "kommun"})
    assert response.status_code == 409 and response.json()["field"] == "name"


def test_bad_input_names_the_field(browser: Browser, world: World) -> None:
    """An unknown organisation kind is a 400 that names the field."""
    browser.api_login("kansli@test.example")
    response = browser.post("/api/organisations", json={"name": "X", "kind": "bank"})
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "kind" and body["message"].startswith("Ogiltigt värde")


def test_contribution_key_must_sum_to_100_percent_and_is_all_or_nothing(
    browser: Browser, world: World
) -> None:
    """A kommun key that sums to 99 % is refused and the saved key stays as it was."""
    browser.api_login("kansli@test.example")
    a, b = world.kommun_a["id"], world.kommun_b["id"]
    bad = browser.put(
        "/api/contribution-keys/kommun",
        json=[{"organisation_id": a, "share": 5000}, {"organisation_id": b, "share": 4900}],
    )
    assert bad.status_code == 422 and bad.json()["field"] == "shares"
    assert "100" in bad.json()["message"]
    assert browser.get("/api/contribution-keys/kommun").json()["total"] == 10_000
    good = browser.put(
        "/api/contribution-keys/kommun",
        json=[{"organisation_id": a, "share": 7550}, {"organisation_id": b, "share": 2450}],
    )
    assert good.status_code == 200
    assert {s["organisation_id"]: s["share"] for s in good.json()["shares"]} == {a: 7550, b: 2450}
    assert _audit("contribution_key")[0]["entity"] == "contribution_key"


def test_a_contribution_key_read_before_anothers_save_is_refused(
    browser: Browser, other_browser: Browser, world: World
) -> None:
    """Two of the office edit the key from the same reading: the second is told to reload,
    in the API (with the versions it read) and on the page (whose form carries them)."""
    for client in (browser, other_browser):
        client.page_login("kansli@test.example")
    read = browser.get("/api/contribution-keys/kommun").json()["shares"]
    stale_form_token = other_browser.form_token("/installningar")
    stale_page = other_browser.get("/installningar").text
    shares = [{**s, "share": 10_000 if i == 0 else 0} for i, s in enumerate(read)]
    assert browser.put("/api/contribution-keys/kommun", json=shares).status_code == 200

    late = [{**s, "share": 0 if i == 0 else 10_000 // (len(read) - 1)} for i, s in enumerate(read)]
    refused = browser.put("/api/contribution-keys/kommun", json=late)
    assert refused.status_code == 409 and "Ladda om" in refused.json()["message"], refused.text
    form = {"kind_kommun": "1"}
    for share in read:
        assert f'name="version_{share["organisation_id"]}" value="{share["version"]}"' in stale_page
        form[f"version_{share['organisation_id']}"] = str(share["version"])
        form[f"share_{share['organisation_id']}"] = "0"
    form[f"share_{read[-1]['organisation_id']}"] = "100"
    page = other_browser.client.post(
        "/installningar/nyckel/kommun", data={**form, "_csrf_token": stale_form_token}
    )
    assert page.status_code == 409 and "har ändrats av någon annan" in page.text
    saved = browser.get("/api/contribution-keys/kommun").json()["shares"]
    assert [s["share"] for s in saved] == [s["share"] for s in shares]


def test_contribution_key_page_takes_swedish_decimal_percentages(
    browser: Browser, world: World
) -> None:
    """The settings page reads "75,5" as 75.50 % and saves the key."""
    browser.page_login("kansli@test.example")
    a, b = world.kommun_a["id"], world.kommun_b["id"]
    response = browser.form_post(
        "/installningar",
        "/installningar/nyckel/kommun",
        {f"share_{a}": "75,5", f"share_{b}": "24,5"},
    )
    assert response.status_code in (302, 303)
    shares = {
        s["organisation_id"]: s["share"]
        for s in browser.get("/api/contribution-keys/kommun").json()["shares"]
    }
    assert shares == {a: 7550, b: 2450}


def test_owner_account_needs_an_organisation(browser: Browser, world: World) -> None:
    """Creating an insatsägare without an organisation is refused with the field named."""
    browser.api_login("kansli@test.example")
    response = browser.post(
        "/api/users",
        json={
            "email": "ny@test.example",
            "name": "Ny",
            "password": "langt-losenord-1",
            "role": "owner",
        },
    )
    assert response.status_code == 422 and response.json()["field"] == "organisation_id"


def test_user_form_error_keeps_typed_values_but_not_the_password(
    browser: Browser, world: World
) -> None:
    """A refused new-account form shows the name and e-mail again, never the password."""
    browser.page_login("kansli@test.example")
    response = browser.form_post(
        "/anvandare",
        "/anvandare",
        {
            "email": "ny@test.example",
            "name": "Nina Ny",
            "password": "hemligt-losen-1",
            "role": "owner",
            "organisation_id": "",
        },
    )
    assert response.status_code == 422
    assert 'value="Nina Ny"' in response.text and "hemligt-losen-1" not in response.text


def test_office_registers_an_insats_with_partners_and_the_history_shows_it(
    browser: Browser, world: World
) -> None:
    """Registering an insats and adding a partner are both in its history."""
    browser.api_login("kansli@test.example")
    created = browser.post(
        "/api/initiatives",
        json={
            "name": "Ny insats",
            "kind": "structural",
            "lead_owner_id": world.kommun_a["id"],
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
        },
    )
    assert created.status_code == 201, created.text
    initiative = created.json()
    with_party = browser.post(
        f"/api/initiatives/{initiative['id']}/parties",
        json={"organisation_id": world.fk["id"], "role": "partner"},
    )
    assert [p["organisation_name"] for p in with_party.json()["parties"]] == ["Försäkringskassan"]
    page = browser.get(f"/insatser/{initiative['id']}").text
    assert "Ny insats" in page and "Försäkringskassan" in page and "Samverkanspart" in page


def test_period_end_before_start_is_refused(browser: Browser, world: World) -> None:
    """An insats cannot end before it starts."""
    browser.api_login("kansli@test.example")
    response = browser.post(
        "/api/initiatives",
        json={
            "name": "Baklänges",
            "kind": "individual",
            "lead_owner_id": world.kommun_a["id"],
            "period_start": "2027-12-31",
            "period_end": "2027-01-01",
        },
    )
    assert response.status_code == 422 and response.json()["field"] == "period_end"


def test_partner_organisation_cannot_be_lead_owner(browser: Browser, world: World) -> None:
    """The lead owner must be a member of the association."""
    browser.api_login("kansli@test.example")
    partner = browser.post(
        "/api/organisations", json={"name": "Studieförbundet", "kind": "other", "is_member": False}
    ).json()
    response = browser.post(
        "/api/initiatives", json={"name": "X", "kind": "individual", "lead_owner_id": partner["id"]}
    )
    assert response.status_code == 422 and response.json()["field"] == "lead_owner_id"


def test_status_cannot_go_back_from_ended(browser: Browser, world: World) -> None:
    """An ended insats does not become running again by an edit."""
    browser.api_login("kansli@test.example")
    url = f"/api/initiatives/{world.initiative_a['id']}"
    version = browser.get(url).json()["version"]
    ended = browser.patch(url, json={"version": version, "status": "ended"})
    assert ended.status_code == 200
    back = browser.patch(url, json={"version": version + 1, "status": "running"})
    assert back.status_code == 422 and back.json()["field"] == "status"


def test_openapi_schema_documents_the_api(browser: Browser, world: World) -> None:
    """/schema serves the OpenAPI document with the API routes and without the pages."""
    schema = browser.get("/schema/openapi.json").json()
    assert "/api/initiatives" in schema["paths"]
    assert "/api/auth/login" in schema["paths"]
    assert not any(path.startswith("/insatser") for path in schema["paths"])
