"""The authorization matrix: every route of the app's own route table, for every kind of user.

What each role may do comes from each handler's declaration (its guards and its `opt` access,
see `portfolio/access.py`), never from watching the app. Path parameters name organisation A's
things, so owner B knocks on A's drafts, attachments and documents and must be refused without
seeing any of them; every write carries a valid CSRF token, so it is the rule that refuses it.
A route added later is covered as soon as it is registered; one without a declared rule fails.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from typing import Any

import httpx
import msgspec
import pytest
from litestar.testing import TestClient

from portfolio.accounts.access import Who
from portfolio.accounts.guards import OWNERS_BY_PARAMETER, declared_access
from portfolio.core.settings import get_settings
from portfolio.shell.app import PUBLIC_PATHS
from tests import factories
from tests.factories import SECRET, Records, World

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# What of A's the board may never read: the draft application, its file, the draft report.
DRAFTS = (f"{SECRET} utkast", f"{SECRET} berättelse 1")
# Refused roles first, so that the allowed ones' writes cannot hide a refusal.
ROLES = ("anonymous", "owner_b", "board", "owner_a", "office")
EMAILS = {
    "office": "kansli@test.example",
    "board": "ledamot@test.example",
    "owner_a": "agare@alfa.example",
    "owner_b": "agare@beta.example",
}


def _routes(app: Any) -> list[tuple[str, str, Any]]:
    """(method, path, handler) for every handler the app serves, HEAD and OPTIONS aside."""
    out = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in sorted(handler.http_methods - {"HEAD", "OPTIONS"}):
                out.append((method, route.path, handler))
    return out


def _public(path: str, handler: Any) -> bool:
    return bool(handler.opt.get("exclude_from_auth")) or any(
        re.match(pattern, path) for pattern in PUBLIC_PATHS
    )


def _may(who: frozenset[Who], role: str) -> bool:
    """What the declaration promises a role, on organisation A's things."""
    return {
        "anonymous": False,
        "office": Who.OFFICE in who,
        "board": Who.BOARD in who,
        "owner_a": Who.OWN in who or Who.OWNER in who or Who.SELF in who,  # A's mail is to owner A
        "owner_b": Who.OWNER in who,
    }[role]


def test_every_route_declares_who_may_use_it(app: Any) -> None:
    """A route that is not public must say who may use it (guards or `opt=access(...)`)."""
    unclassified = [
        f"{method} {path}"
        for method, path, handler in _routes(app)
        if not _public(path, handler) and not declared_access(handler)
    ]
    assert not unclassified, f"declare who may use these (portfolio/access.py): {unclassified}"


def test_every_own_organisation_route_names_a_thing_whose_owners_are_known(app: Any) -> None:
    """`Who.OWN` needs a path parameter the guard can trace to organisations, or owners are refused."""
    missing = [
        f"{method} {path}"
        for method, path, handler in _routes(app)
        if Who.OWN in (declared_access(handler) or ())
        and not set(re.findall(r"\{(\w+):", path)) & set(OWNERS_BY_PARAMETER)
    ]
    assert not missing, f"register an owners_of(...) lookup for these routes' parameters: {missing}"


@pytest.fixture
def records(world: World) -> Records:
    return asyncio.run(factories.records(world))


@pytest.fixture
def pooled_app(db: None) -> Any:
    """The app with a PostgreSQL pool: hundreds of requests, all in the test client's one loop."""
    from portfolio.shell.app import create_app

    return create_app(msgspec.structs.replace(get_settings(), db_pool_size=4))


class Visitors:
    """One test client, with each role's cookies swapped in for its requests."""

    def __init__(self, client: TestClient[Any]) -> None:
        self.client = client
        self.jars: dict[str, httpx.Cookies] = {}
        for role in ROLES:
            self.client.cookies = self.jars[role] = httpx.Cookies()
            if role == "anonymous":
                self.client.get("/login")  # a CSRF cookie, so writes are judged on their rule
            else:
                self._log_in(role)
            self.jars[role] = self.client.cookies

    def _log_in(self, role: str) -> None:
        response = self.client.post(
            "/api/auth/login", json={"email": EMAILS[role], "password": factories.PASSWORD}
        )
        assert response.status_code == 200, response.text

    def request(self, role: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        self.client.cookies = self.jars[role]
        headers = {"x-csrftoken": self.jars[role].get("finsam_csrf") or ""}
        response = self.client.request(
            method, path, headers=headers, follow_redirects=False, **kwargs
        )
        if role != "anonymous" and self.client.cookies.get("finsam_session") in (None, "null"):
            self._log_in(role)  # the route logged this role out
        self.jars[role] = self.client.cookies
        return response


def _values(world: World, records: Records, who: frozenset[Who]) -> dict[str, Any]:
    """Organisation A's things. A route owners may use but the board may not works on the
    draft; every other route on the sent-in application, which the board may read."""
    on_draft = Who.OWN in who and Who.BOARD not in who
    return {
        "organisation_id": world.kommun_a["id"],
        "contact_id": records.contact_a["id"],
        "initiative_id": world.initiative_a["id"],
        "party_id": records.party["id"],
        "condition_id": records.condition["id"],
        "meeting_id": records.meeting["id"],
        "item_id": records.agenda_item["id"],
        "case_id": records.case["id"],
        "decision_id": records.decision["id"],
        "application_id": (records.draft_a if on_draft else records.sent_a)["id"],
        "attachment_id": (records.draft_attachment if on_draft else records.sent_attachment)["id"],
        "user_id": world.owner_a.user_id,
        "report_id": (records.report_draft if on_draft else records.report_sent)["id"],
        "requisition_id": records.requisition["id"],
        "mail_id": records.mail["id"],
        "mail_attachment_id": records.mail_attachment["id"],
        "reservation_id": 1,  # refused by role before it is looked up; allowed roles get a fresh one
        "person_id": records.person["id"],
        "kind": "kommun",
        "year": 2026,
        "file_path": "htmx.min.js",
        "path": "openapi.yaml",
    }


_serial = itertools.count(1)


def _fresh(visitors: Visitors, world: World, records: Records) -> dict[str, Any]:
    """New things to delete, so an allowed role's removal leaves the shared ones in place."""
    a = world.kommun_a["id"]
    contact = visitors.request(
        "office", "POST", f"/api/organisations/{a}/contacts", json={"name": "Ny"}
    )
    partner = visitors.request(
        "office",
        "POST",
        "/api/organisations",
        json={"name": f"Partner {next(_serial)}", "kind": "other", "is_member": False},
    ).json()
    party = visitors.request(
        "office",
        "POST",
        f"/api/initiatives/{world.initiative_a['id']}/parties",
        json={"organisation_id": partner["id"], "role": "partner"},
    )
    attachment = visitors.request(
        "owner_a",
        "POST",
        f"/api/applications/{records.draft_a['id']}/attachments",
        files={"file": ("ny.pdf", factories._pdf(f"ny {partner['id']}"), "application/pdf")},
    )
    parties = [p for p in party.json()["parties"] if p["organisation_id"] == partner["id"]]
    reservation = visitors.request(
        "office",
        "POST",
        "/api/economy/reservations",
        json={"purpose": f"Reserverat {partner['id']}", "year": 2027, "amount": 1000},
    )
    return {
        "reservation_id": reservation.json()["id"],
        "contact_id": contact.json()["id"],
        "party_id": parties[0]["id"],
        "attachment_id": attachment.json()["id"],
    }


def _fill(path: str, values: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"{path}: give `{name}` a value of organisation A in _values()"
        return str(values[name])

    return re.sub(r"\{(\w+):\w+\}", value, path)


def _refused(response: httpx.Response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    # Pages send a visitor without a session to log in (a log-out's own "/login" is no refusal).
    location = response.headers.get("location", "")
    return response.status_code in (302, 303) and location.startswith("/login?next=")


def test_every_route_answers_each_role_as_declared(
    records: Records, world: World, pooled_app: Any
) -> None:
    """Anonymous, office, board and the owners of A and B against every route and method."""
    wrong: list[str] = []
    checked = 0
    app = pooled_app
    with TestClient(app=app, base_url="http://testserver.local") as client:
        visitors = Visitors(client)
        routes = _routes(app)
        # Removals last, so the things they remove are there for every other route.
        routes.sort(key=lambda r: (r[0] == "DELETE" or r[1].endswith("ta-bort"), r[0] != "GET"))
        for role in ROLES:
            for method, path, handler in routes:
                if _public(path, handler):
                    continue
                who = declared_access(handler) or frozenset()
                values = _values(world, records, who)
                allowed = _may(who, role)
                if allowed and method in WRITES:
                    values |= _fresh(visitors, world, records)
                url = _fill(path, values)
                body: dict[str, Any] = {"json": {}} if path.startswith("/api") else {"data": {}}
                response = visitors.request(role, method, url, **(body if method in WRITES else {}))
                checked += 1
                if response.status_code >= 500:
                    wrong.append(f"{role} {method} {url}: {response.status_code}")
                elif allowed and _refused(response):
                    wrong.append(f"{role} {method} {url}: refused ({response.status_code})")
                elif not allowed and not _refused(response):
                    wrong.append(f"{role} {method} {url}: let through ({response.status_code})")
                elif not allowed and SECRET in response.text:
                    wrong.append(f"{role} {method} {url}: refused but shows A's data")
                elif role == "owner_b" and SECRET in response.text:
                    # Lists, start pages, searches: whatever B may open holds nothing of A's.
                    wrong.append(f"{role} {method} {url}: shows A's data to B")
                elif role == "board" and any(d in response.text for d in DRAFTS):
                    wrong.append(f"{role} {method} {url}: shows A's drafts to the board")
    assert not wrong, "\n".join(wrong)
    assert checked > 500


def test_public_routes_answer_anonymous_visitors(app: Any) -> None:
    """The log-in page, health check, static files and the API schema need no log-in."""
    with TestClient(app=app, base_url="http://testserver.local") as client:
        for method, path, handler in _routes(app):
            if method == "GET" and _public(path, handler) and "{path:" not in path:
                url = _fill(path, {"file_path": "htmx.min.js", "token": "ingen-sadan-lank"})
                assert client.get(url).status_code == 200, url


UNSENT = "OSKICKAD ÄNDRING"


async def _unsent_edits(records: Records) -> None:
    """A completion under way on the sent-in application and a returned report being redone,
    each with an edit its owner has not sent in."""
    from applications.domain import ApplicationStatus
    from applications.tables import Application
    from reports.domain import ReportStatus
    from reports.tables import Report

    application = (
        await Application.select(Application.content)
        .where(Application.id == records.sent_a["id"])
        .first()
    )
    assert application is not None
    content = application["content"]
    content = content if isinstance(content, dict) else msgspec.json.decode(content)
    content["insats_name"] = f"{UNSENT} namn"
    content["purpose"] = f"{UNSENT} syfte"
    await Application.update(
        {
            Application.status: ApplicationStatus.COMPLETION_REQUESTED,
            Application.title: f"{UNSENT} namn",
            Application.content: msgspec.json.encode(content).decode(),
        }
    ).where(Application.id == records.sent_a["id"])
    report = (
        await Report.select(Report.content).where(Report.id == records.report_sent["id"]).first()
    )
    assert report is not None
    sent = report["content"]
    sent = sent if isinstance(sent, dict) else msgspec.json.decode(sent)
    await Report.update(
        {
            Report.status: ReportStatus.RETURNED,
            Report.submitted_content: msgspec.json.encode(sent).decode(),
            Report.content: msgspec.json.encode(
                {**sent, "narrative": f"{UNSENT} berättelse"}
            ).decode(),
        }
    ).where(Report.id == records.report_sent["id"])


def _readable(response: httpx.Response) -> str:
    if response.headers.get("content-type", "").startswith("application/pdf"):
        import io

        from pypdf import PdfReader

        try:
            pages = PdfReader(io.BytesIO(response.content)).pages
        except Exception:  # the fake attachments the records upload are no real PDFs
            return response.text
        return response.text + "\n".join(p.extract_text() for p in pages)
    return response.text


def test_the_board_never_sees_an_unsent_edit(
    records: Records, world: World, pooled_app: Any
) -> None:
    """Every page, API answer and document the board may read shows the application and the
    report as last sent in, never an edit its owner is still making."""
    asyncio.run(_unsent_edits(records))
    shown: list[str] = []
    checked = 0
    with TestClient(app=pooled_app, base_url="http://testserver.local") as client:
        visitors = Visitors(client)
        for method, path, handler in _routes(pooled_app):
            who = declared_access(handler) or frozenset()
            if method != "GET" or _public(path, handler) or Who.BOARD not in who:
                continue
            url = _fill(path, _values(world, records, who))
            response = visitors.request("board", method, url)
            checked += 1
            if response.status_code == 200 and UNSENT in _readable(response):
                shown.append(url)
        # The owner does see the edit: the test knocks where the edit would show.
        assert (
            UNSENT
            in visitors.request("owner_a", "GET", f"/ansokningar/{records.sent_a['id']}").text
        )
        assert (
            UNSENT
            in visitors.request("owner_a", "GET", f"/rapporter/{records.report_sent['id']}").text
        )
        for url in (
            f"/api/applications/{records.sent_a['id']}",
            f"/ansokningar/{records.sent_a['id']}",
            f"/api/reports/{records.report_sent['id']}",
            f"/rapporter/{records.report_sent['id']}",
        ):
            response = visitors.request("board", "GET", url)
            assert response.status_code == 200, url
        assert not shown, "the board sees unsent edits at:\n" + "\n".join(shown)
        report = visitors.request("board", "GET", f"/api/reports/{records.report_sent['id']}")
        assert report.json()["content"]["narrative"] == f"{SECRET} berättelse 2"
    assert checked > 50
