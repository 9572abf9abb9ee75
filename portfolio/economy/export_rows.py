"""The rows the economy's exports are made of: commitments per insats and year, and the grants
for 360Giving."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portfolio.core.tables import Commitment as CommitmentRow
from portfolio.core.tables import (
    Decision,
)
from portfolio.economy.exports import CommitmentLine, Grant


async def commitment_lines() -> list[CommitmentLine]:
    """Decided amounts in force per insats and year, summed by the database."""
    rows = await CommitmentRow.raw(
        "SELECT c.initiative AS initiative, i.name AS name, o.name AS owner, c.year AS year, "
        "SUM(c.amount) AS amount FROM commitment c JOIN initiative i ON i.id = c.initiative "
        "JOIN organisation o ON o.id = i.lead_owner "
        "WHERE c.decision NOT IN (SELECT supersedes FROM decision WHERE supersedes IS NOT NULL) "
        "GROUP BY c.initiative, i.name, o.name, c.year ORDER BY i.name, c.initiative, c.year"
    )
    lines: dict[int, CommitmentLine] = {}
    for row in rows:
        line = lines.setdefault(
            row["initiative"],
            CommitmentLine(
                initiative_id=row["initiative"], name=row["name"], owner=row["owner"], amounts={}
            ),
        )
        line.amounts[int(row["year"])] = int(row["amount"])
    return list(lines.values())


async def grants() -> list[Grant]:
    """Every decision that granted money and still stands, oldest first: the 360Giving grants."""
    rows = await Decision.raw(
        "SELECT d.id AS id, d.amount AS amount, d.period_start AS period_start, "
        "d.period_end AS period_end, d.decided_at AS decided_at, m.meeting_date AS meeting_date, "
        "i.name AS name, i.description AS description, i.total_cost AS total_cost, "
        "o.name AS owner, "
        "o.org_number AS org_number FROM decision d "
        'JOIN meeting m ON m.id = d.meeting JOIN board_case bc ON bc.id = d."case" '
        "JOIN initiative i ON i.id = bc.initiative JOIN organisation o ON o.id = i.lead_owner "
        "WHERE d.outcome IN ('granted', 'partly_granted') AND d.amount > 0 "
        "AND d.id NOT IN (SELECT supersedes FROM decision WHERE supersedes IS NOT NULL) "
        "ORDER BY m.meeting_date, d.id"
    )
    return [
        Grant(
            decision_id=row["id"],
            title=row["name"],
            description=row["description"] or "",
            amount=int(row["amount"]),
            award_date=_as_date(row["meeting_date"]),
            start=_as_date(row["period_start"]) if row["period_start"] else None,
            end=_as_date(row["period_end"]) if row["period_end"] else None,
            recipient_name=row["owner"],
            recipient_org_number=row["org_number"] or "",
            modified=_as_datetime(row["decided_at"]),
            total_cost=int(row["total_cost"]) if row["total_cost"] is not None else None,
        )
        for row in rows
    ]


def _as_date(value: Any) -> dt.date:
    # Raw SQL on SQLite hands dates back as text.
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _as_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
