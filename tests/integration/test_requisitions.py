"""Requisitions against the real database: claims decided at the same moment."""

from __future__ import annotations

import asyncio
import datetime as dt

from applications.budget import CostCategory
from portfolio.core.errors import Conflict
from reports import services
from reports.domain import RequisitionLine
from reports.schemas import RequisitionCreate
from reports.tables import Requisition
from tests import factories
from tests.report_factories import GRANT, granted_for_2026


async def test_two_claims_approved_at_once_cannot_pass_the_grant_together() -> None:
    """Each claim fits the grant alone, both do not: approving them at the same moment lets
    one through and refuses the other, as approving them one after the other would."""
    w = await factories.world()
    initiative = await granted_for_2026(w)
    claim = GRANT // 2 + 50_000
    created = [
        await services.create_requisition(
            w.owner_a,
            RequisitionCreate(
                initiative_id=initiative,
                period_start=dt.date(2026, month, 1),
                period_end=dt.date(2026, month + 2, 28),
                lines=[RequisitionLine(category=CostCategory.SALARY, amount=claim)],
            ),
        )
        for month in (1, 4)
    ]
    results = await asyncio.gather(
        *(services.decide_requisition(w.office, c["id"], c["version"], True, "") for c in created),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(refused) == 1 and isinstance(refused[0], Conflict), results
    approved = await Requisition.select(Requisition.amount).where(
        (Requisition.initiative == initiative) & (Requisition.status == "approved")
    )
    assert sum(r["amount"] for r in approved) == claim <= GRANT
