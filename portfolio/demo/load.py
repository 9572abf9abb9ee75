"""Demo data: `load_demo` fills a fresh database with a living association (idempotent)."""

from __future__ import annotations

import datetime as dt
import json

from portfolio.core import audit
from portfolio.core.db import write_transaction
from portfolio.core.tables import (
    Association,
    YearBudget,
)
from portfolio.demo.mail import ensure_demo_mail
from portfolio.demo.meetings import (
    _ensure_applications,
    _ensure_attendance,
    _ensure_meetings,
    _ensure_past_decisions,
)
from portfolio.demo.register import _ensure_initiatives, _ensure_organisations, _ensure_users


async def _ensure_year_budgets() -> None:
    """This year's budget with its forecast and the next four years', so the budget room has
    figures for its whole horizon (this year and three more) at any meeting of this year or next."""
    this_year = dt.date.today().year
    figures = {
        this_year: (11_800_000, 520_000, 2_550_000, 3_100_000),
        this_year + 1: (12_100_000, 530_000, 2_620_000, 0),
        this_year + 2: (12_400_000, 540_000, 2_690_000, 0),
        this_year + 3: (12_700_000, 550_000, 2_760_000, 0),
        this_year + 4: (13_000_000, 560_000, 2_830_000, 0),
    }
    for year, (contributions, elected, administration, carried) in figures.items():
        if await YearBudget.exists().where(YearBudget.year == year):
            continue
        other = [{"name": "Gemensamma stödfunktioner (SUS, utvärdering)", "amount": 350_000}]
        forecast = (
            {"elected_members": 480_000, "administration": 2_500_000} if year == this_year else None
        )
        await YearBudget.insert(
            YearBudget(
                year=year,
                member_contributions=contributions,
                elected_members=elected,
                administration=administration,
                other_costs=json.dumps(other, ensure_ascii=False),
                carried_in=carried if year == this_year else None,
                forecast=json.dumps(forecast) if forecast else None,
            )
        )


async def load_demo() -> bool:
    """Load everything that is missing; True if the association itself was new."""
    async with write_transaction():
        new = not await Association.exists().where(Association.id.is_not_null())
        if new:
            await Association.insert(
                Association(
                    name="Samordningsförbundet Upplandsbygd",
                    org_number="222000-0000",
                    address="Stationsgatan 12",
                    postal_address="753 20 Uppsala",
                    email="kansli@upplandsbygd.example",
                    phone="018-00 00 00",
                    director_name="Eva Lindqvist",
                )
            )
        orgs = await _ensure_organisations()
        await _ensure_users(orgs)
        await _ensure_initiatives(orgs)
        await _ensure_applications(orgs)
        await _ensure_past_decisions(orgs)
        await _ensure_meetings()
        await _ensure_attendance()
        await _ensure_year_budgets()
        from portfolio.demo.reports import ensure_demo_reports

        await ensure_demo_reports(dt.date.today())
        await ensure_demo_mail()
        if new:
            await audit.record(None, "create", "demo", None, summary="Demonstrationsdata inlästa")
    return new
