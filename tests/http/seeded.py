"""The organisations and owners of seed 002, and entering its real applications as their owners."""

from __future__ import annotations

from typing import Any

from portfolio.core.domain import OrganisationKind, Role
from portfolio.demo import seed
from tests import factories
from tests.http.conftest import Browser


class SeedWorld:
    org_ids: dict[str, int]
    owners: dict[str, str]  # lead organisation -> owner e-mail


async def seed_world() -> SeedWorld:
    w = SeedWorld()
    await factories.association()
    await factories.user("kansli@test.example", Role.OFFICE)
    await factories.user("ledamot@test.example", Role.BOARD)
    w.org_ids, w.owners = {}, {}
    for name in sorted(seed.all_organisations()):
        org = await factories.organisation(name, OrganisationKind(seed.org_kind(name)))
        w.org_ids[name] = org["id"]
    for app in seed.seed_applications():
        lead = seed.org_name(app["lead_owner"]["organisation"])
        email = f"agare{w.org_ids[lead]}@test.example"
        if lead not in w.owners:
            await factories.user(email, Role.OWNER, w.org_ids[lead])
        w.owners[lead] = email
    return w


def enter(browser: Browser, seeded: SeedWorld, app: dict[str, Any]) -> dict[str, Any]:
    """Log in as the lead owner, create the draft, save the seed content; return the saved application."""
    lead = seed.org_name(app["lead_owner"]["organisation"])
    browser.api_login(seeded.owners[lead])
    created = browser.post(
        "/api/applications", json={"kind": "new", "insats_name": app["insats_name"]}
    )
    assert created.status_code == 201, created.text
    body = created.json()
    saved = browser.put(
        f"/api/applications/{body['id']}/draft",
        json={"version": body["version"], "content": seed.content(app, seeded.org_ids)},
    )
    assert saved.status_code == 200, saved.text
    return dict(saved.json())


def by_name(name: str) -> dict[str, Any]:
    return next(a for a in seed.seed_applications() if a["insats_name"] == name)
