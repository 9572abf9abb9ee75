"""The start pages render what waits for each role as links to act on (issue 19)."""

from __future__ import annotations

import asyncio
import datetime as dt

import msgspec

from applications.domain import ApplicationContent, ApplicationKind, ApplicationStatus
from applications.tables import Application
from portfolio.core.domain import Body
from portfolio.core.tables import Meeting, MeetingAttendee
from tests.factories import World
from tests.http.conftest import Browser
from tests.report_factories import granted_for_2026

NBSP = "\u00a0"


async def _application(w: World, title: str, status: ApplicationStatus) -> int:
    row = await Application.insert(
        Application(
            initiative=w.initiative_b["id"],
            organisation=w.kommun_a["id"],
            kind=ApplicationKind.NEW,
            status=status,
            title=title,
            content=msgspec.json.encode(ApplicationContent(insats_name=title)).decode(),
        )
    ).returning(Application.id)
    return int(row[0]["id"])


def test_the_office_start_page_links_each_waiting_thing(browser: Browser, world: World) -> None:
    asyncio.run(granted_for_2026(world))
    new = asyncio.run(_application(world, "Ny ansökan", ApplicationStatus.SUBMITTED))
    browser.page_login("kansli@test.example")
    page = browser.get("/").text
    for heading in (
        "Ansökningar att handlägga",
        "Besvarade kompletteringar",
        "Rapporter att granska",
        "Försenade rapporter",
        "Rekvisitioner att besluta",
        "Utskick som inte gick fram",
        "Kommande möten och vad som saknas",
    ):
        assert heading in page, heading
    assert f'<a href="/ansokningar/{new}">Ny ansökan</a>' in page


def test_the_owner_start_page_shows_completions_and_the_money(
    browser: Browser, world: World
) -> None:
    asyncio.run(granted_for_2026(world))
    asked = asyncio.run(_application(world, "Komplettera", ApplicationStatus.COMPLETION_REQUESTED))
    browser.page_login("agare@alfa.example")
    page = browser.get("/").text
    assert f'<a href="/ansokningar/{asked}/redigera">Komplettera</a>' in page
    assert "Pengarna i era insatser" in page and "Kvar att rekvirera" in page
    assert f"1{NBSP}200{NBSP}000{NBSP}kr" in page


def test_the_board_start_page_shows_the_boards_next_meeting_not_the_aus(
    browser: Browser, world: World
) -> None:
    async def meetings() -> None:
        au = await Meeting.insert(
            Meeting(body=Body.WORKING_COMMITTEE, meeting_date=dt.date(2098, 3, 2))
        ).returning(Meeting.id)
        await Meeting.insert(Meeting(body=Body.BOARD, meeting_date=dt.date(2098, 3, 16)))
        await MeetingAttendee.insert(
            MeetingAttendee(meeting=au[0]["id"], user=world.board.user_id, name="Bo Ledamot")
        )

    asyncio.run(meetings())
    browser.page_login("ledamot@test.example")
    page = browser.get("/").text
    board = page.split("Nästa styrelsemöte", 1)[1]
    assert "Förbundsstyrelsen 16 mars 2098" in board.split("</ul>", 1)[0]
    assert "Nästa möte i arbetsutskottet" in page and "Arbetsutskottet 2 mars 2098" in page
