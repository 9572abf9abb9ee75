"""An insats's money as the pages show it: its commitments per year and its requisitions."""

from __future__ import annotations

from typing import Any

from portfolio.core.domain import Principal
from reports import queries
from reports.domain.money import InsatsMoney, money_of


async def insats_money(user: Principal, initiative: dict[str, Any]) -> InsatsMoney:
    """The grant per year in force against `user`'s view of its requisitions."""
    return money_of(
        initiative["id"],
        initiative["name"],
        await queries.commitments_by_year(initiative["id"]),
        await queries.requisition_rows(user, initiative["id"]),
    )
