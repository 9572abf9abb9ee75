"""axe-core on the main pages, as each role sees them: no serious or critical violation.

axe-core (`axe.min.js`, 4.14.1, MPL-2.0, from the npm registry) is vendored beside this file so
the check runs without a network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_journeys import USERS, log_in

AXE = Path(__file__).with_name("axe.min.js")
SEVERE = ("serious", "critical")

PAGES = {
    "office": [
        "/",
        "/insatser",
        "/insatser/1",
        "/ansokningar",
        "/ansokningar/1",
        "/moten",
        "/moten/4",
        "/arenden/4",
        "/ekonomi",
        "/rapporter",
        "/uppfoljning",
        "/utskick",
    ],
    "owner-Knivsta kommun": ["/", "/insatser", "/ansokningar", "/rapporter", "/utskick/mina"],
    "board": ["/", "/moten", "/moten/4", "/arenden/4", "/ekonomi"],
}


def _violations(page: Any, path: str) -> list[str]:
    page.goto(path)
    page.wait_for_load_state()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{path}: {v['id']} ({v['impact']}) at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in SEVERE
    ]


def test_the_login_page_has_no_serious_violation(page: Any) -> None:
    assert _violations(page, "/login") == []


@pytest.mark.parametrize("role", list(PAGES))
def test_each_roles_main_pages_have_no_serious_violation(page: Any, role: str) -> None:
    user = USERS[role]
    log_in(page, user.email, user.password)
    found = [v for path in PAGES[role] for v in _violations(page, path)]
    assert found == [], "\n".join(found)


def test_the_check_finds_a_violation_when_there_is_one(page: Any) -> None:
    """The check itself works: an image without alt text on the log-in page is reported."""
    page.goto("/login")
    page.evaluate("document.body.appendChild(document.createElement('img')).src = '/x.png'")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert "image-alt" in {v["id"] for v in result["violations"] if v["impact"] in SEVERE}


@pytest.mark.parametrize("role", list(PAGES))
def test_each_roles_start_page_on_a_phone_has_no_serious_violation(page: Any, role: str) -> None:
    """At 390 px (the phone layout, with tables scrolling in their own box) axe-core finds no
    serious or critical violation on the start page and the insats list."""
    page.set_viewport_size({"width": 390, "height": 844})
    user = USERS[role]
    log_in(page, user.email, user.password)
    found = [v for path in ("/", "/insatser") for v in _violations(page, path)]
    assert found == [], "\n".join(found)
