"""The insats page's money and the claim form's check as the owner types (issue 19)."""

from __future__ import annotations

import asyncio

from tests.factories import World
from tests.http.conftest import Browser
from tests.report_factories import granted_for_2026

NBSP = "\u00a0"


def kr(amount: str) -> str:
    return amount.replace(" ", NBSP) + f"{NBSP}kr"


def test_the_insats_page_shows_the_grant_against_what_is_claimed_for_each_role(
    browser: Browser, world: World
) -> None:
    """Granted per year, claimed, approved, paid, and what remains, for owner, office and board."""
    initiative = asyncio.run(granted_for_2026(world))
    browser.api_login("agare@alfa.example")
    claim = browser.post(
        "/api/requisitions",
        json={
            "initiative_id": initiative,
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "lines": [{"category": "salary", "amount": 300_000}],
        },
    ).json()
    browser.api_login("kansli@test.example")
    browser.post(
        f"/api/requisitions/{claim['id']}/decision",
        json={"version": claim["version"], "approve": True},
    )
    for email in ("agare@alfa.example", "kansli@test.example", "ledamot@test.example"):
        browser.page_login(email)
        page = browser.get(f"/insatser/{initiative}").text
        assert "<h2>Pengar</h2>" in page, email
        assert f"Beviljat totalt <strong>{kr('1 200 000')}</strong>" in page, email
        assert f"kvar att rekvirera <strong>{kr('900 000')}</strong>" in page, email
        row = page.split('<th scope="row">2026</th>', 1)[1].split("</tr>", 1)[0]
        assert [kr(a) in row for a in ("1 200 000", "300 000", "0", "900 000")] == [True] * 4


def test_the_claim_form_shows_what_remains_and_checks_the_amount_as_typed(
    browser: Browser, world: World
) -> None:
    """Before anything is typed the form shows the grant's remainder; typing an amount over
    the year's grant shows the flag at once, before the claim is sent; nothing is saved."""
    initiative = asyncio.run(granted_for_2026(world))
    browser.page_login("agare@alfa.example")
    form = browser.get("/rekvisitioner").text
    assert f'<strong id="claim-remaining">{kr("1 200 000")}</strong>' in form
    assert 'hx-post="/rekvisitioner/kontroll"' in form
    typed = {
        "initiative_id": str(initiative),
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "line-salary": "1 300 000",
    }
    check = browser.form_post("/rekvisitioner", "/rekvisitioner/kontroll", typed)
    assert check.status_code in (200, 201), check.text
    assert f'kvar efter den: <strong id="claim-after">-100{NBSP}000{NBSP}kr</strong>' in check.text
    assert 'class="field-error"' in check.text and "<li" in check.text  # the blocking flag
    unreadable = browser.form_post(
        "/rekvisitioner", "/rekvisitioner/kontroll", {**typed, "line-salary": "60 per år"}
    )
    assert "Kan inte läsas som belopp: Lönekostnader." in unreadable.text
    browser.api_login("agare@alfa.example")
    assert browser.get("/api/requisitions").json() == []
