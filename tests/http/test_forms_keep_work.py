"""Forms that never lose work (issue 19): what can be read is saved, what cannot is named."""

from __future__ import annotations

import re

from tests.factories import World
from tests.http.conftest import Browser


def _draft(browser: Browser) -> dict[str, int]:
    browser.page_login("agare@alfa.example")
    browser.api_login("agare@alfa.example")
    return dict(
        browser.post("/api/applications", json={"kind": "new", "insats_name": "Utkast"}).json()
    )


def test_an_unreadable_number_saves_the_rest_and_names_the_field(
    browser: Browser, world: World
) -> None:
    """An unreadable "60 per år" in Förväntat antal deltagare: the purpose and the budget line are saved, the
    summary and the field itself name the problem, the typed text stays, and the next save
    (on the version now saved) goes through."""
    draft = _draft(browser)
    path = f"/ansokningar/{draft['id']}/redigera"
    typed = {
        "version": str(draft["version"]),
        "insats_name": "Utkast",
        "purpose": "Ett syfte som inte får försvinna",
        "expected_participants": "60 per år",
        "line-0-label": "Coach",
        "line-0-category": "salary",
        "line-0-block": "association",
        "line-0-amount-0": "450 000",
        "line-1-label": "Lokal",
        "line-1-amount-0": "12 tkr",
        "action": "save",
    }
    response = browser.form_post(path, path, typed)
    assert response.status_code == 422
    page = response.text
    assert "Utkastet är sparat, utom 2 fält som inte kunde läsas." in page
    assert "Inget är sparat" not in page
    assert (
        '<a href="#f-expected_participants">Förväntat antal deltagare: Ange ett heltal.</a>' in page
    )
    assert "Budgetrad 2: belopp Alfa kommun: Ange ett belopp i hela kronor." in page
    assert re.search(r'id="e-expected_participants">Ange ett heltal\.<', page)
    assert re.search(r'id="e-line-1-amount-0">Ange ett belopp i hela kronor\.<', page)
    assert 'value="60 per år"' in page and 'value="12 tkr"' in page

    saved = browser.get(f"/api/applications/{draft['id']}").json()
    assert saved["content"]["purpose"] == "Ett syfte som inte får försvinna"
    assert saved["content"]["budget"]["lines"][0]["amounts"] == [450_000]
    assert saved["content"]["expected_participants"] is None
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version and int(version.group(1)) == saved["version"]

    again = browser.form_post(
        path,
        path,
        {
            **typed,
            "version": version.group(1),
            "expected_participants": "60",
            "line-1-amount-0": "12 000",
        },
    )
    assert again.status_code in (302, 303), again.text[:300]
    content = browser.get(f"/api/applications/{draft['id']}").json()["content"]
    assert content["expected_participants"] == 60
    assert [line["amounts"] for line in content["budget"]["lines"]] == [[450_000], [12_000]]


def test_a_goal_or_budget_row_is_added_without_a_save(browser: Browser, world: World) -> None:
    """The button asks for one blank row numbered after those on the page; nothing is saved,
    and another organisation's owner cannot ask for one."""
    draft = _draft(browser)
    path = f"/ansokningar/{draft['id']}/redigera"
    on_page = {f"goal-{i}-text": "" for i in range(4)} | {"goal-0-text": "Skrivet, ej sparat"}
    goal = browser.form_post(path, f"/ansokningar/{draft['id']}/rad/mal", on_page)
    assert goal.status_code == 200, goal.text[:300]
    assert 'name="goal-4-text"' in goal.text and 'aria-label="Mål 5: målvärde"' in goal.text
    assert "<html" not in goal.text and "Skrivet" not in goal.text
    line = browser.form_post(path, f"/ansokningar/{draft['id']}/rad/budget", {"line-0-label": ""})
    assert 'name="line-1-amount-0"' in line.text and "belopp Alfa kommun" in line.text
    assert browser.get(f"/api/applications/{draft['id']}").json()["content"]["goals"] == []

    browser.page_login("agare@beta.example")
    refused = browser.form_post("/", f"/ansokningar/{draft['id']}/rad/mal", {})
    assert refused.status_code in (403, 404)
