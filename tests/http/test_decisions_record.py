"""Decisions that keep the whole record true (issue 17): the outcome matches the amount, order
and dates, requirements one by one, the governing decision, one source of truth for a proposal."""

from __future__ import annotations

from typing import Any

from tests.http.conftest import Browser
from tests.http.seeded import SeedWorld, by_name, enter


def _framsteget_case(
    browser: Browser, seeded: SeedWorld, meeting_date: str = "2026-12-10"
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Framsteget 2.0 sent in, on a board agenda with its proposal drafted: (meeting, case, proposal)."""
    saved = enter(browser, seeded, by_name("Framsteget 2.0"))
    sent = browser.post(
        f"/api/applications/{saved['id']}/submit", json={"version": saved["version"]}
    )
    assert sent.status_code in (200, 201), sent.text
    browser.api_login("kansli@test.example")
    meeting = browser.post(
        "/api/meetings", json={"body": "fs", "meeting_date": meeting_date, "place": "Stadshuset"}
    ).json()
    case = browser.post(
        "/api/cases",
        json={
            "title": "Ansökan Framsteget 2.0",
            "kind": "application",
            "application_id": saved["id"],
            "year": 2026,
        },
    ).json()
    browser.post(f"/api/meetings/{meeting['id']}/agenda", json={"case_id": case["id"]})
    drafted = browser.post(f"/api/cases/{case['id']}/proposal")
    assert drafted.status_code == 200, drafted.text
    return meeting, case, drafted.json()


def _decision(case: dict[str, Any], proposal: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body = {
        "case_id": case["id"],
        "outcome": "granted",
        "clauses": proposal["clauses"],
        "amount": proposal["amount"],
        "period_start": proposal["period_start"],
        "period_end": proposal["period_end"],
    }
    return body | changes


# -- the outcome matches the amount -------------------------------------------------------------
def test_a_grant_below_the_applied_amount_is_partly_granted_not_bifall(
    browser: Browser, seeded: SeedWorld
) -> None:
    """A quarter of what was applied for as "bifall" is refused, saying why; as "delvis bifall"
    it is recorded. The full amount stays "bifall"."""
    meeting, case, proposal = _framsteget_case(browser, seeded)
    applied = proposal["amount"]
    assert applied > 0
    quarter = applied // 4
    refused = browser.post(
        f"/api/meetings/{meeting['id']}/decisions",
        json=_decision(case, proposal, amount=quarter, commitments=None),
    )
    assert refused.status_code == 422, refused.text
    assert "delvis bifall" in refused.text and "lägre än ansökt" in refused.text
    recorded = browser.post(
        f"/api/meetings/{meeting['id']}/decisions",
        json=_decision(case, proposal, outcome="partly_granted", amount=quarter),
    )
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["outcome"] == "partly_granted"


def test_the_case_page_suggests_partly_granted_when_the_proposal_gives_less(
    browser: Browser, seeded: SeedWorld
) -> None:
    _, case, proposal = _framsteget_case(browser, seeded)
    page = browser.get(f"/arenden/{case['id']}").text
    assert 'value="granted" selected' in page and "delvis bifall" not in page
    lowered = browser.patch(
        f"/api/cases/{case['id']}/proposal",
        json={"version": proposal["version"], "amount": proposal["amount"] // 2},
    )
    assert lowered.status_code == 200, lowered.text
    page = browser.get(f"/arenden/{case['id']}").text
    assert 'value="partly_granted" selected' in page
    assert "Förslaget ger mindre än ansökt" in page and "beslutet blir delvis bifall" in page
