"""Pure: the list of insatser as CSV for Swedish Excel."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from portfolio.core.domain import (
    INITIATIVE_KIND_LABELS,
    INITIATIVE_STATUS_LABELS,
    InitiativeKind,
    InitiativeStatus,
)
from portfolio.core.spreadsheets import to_csv

INITIATIVE_COLUMNS = (
    "Id",
    "Insats",
    "Slag",
    "Status",
    "Huvudinsatsägare",
    "Område",
    "Start",
    "Slut",
    "Målgrupp",
)


def initiatives_csv(rows: Iterable[dict[str, Any]]) -> bytes:
    return to_csv(
        INITIATIVE_COLUMNS,
        (
            (
                r["id"],
                r["name"],
                INITIATIVE_KIND_LABELS[InitiativeKind(r["kind"])],
                INITIATIVE_STATUS_LABELS[InitiativeStatus(r["status"])],
                r["lead_owner_name"],
                r["area"],
                r["period_start"].isoformat() if r["period_start"] else "",
                r["period_end"].isoformat() if r["period_end"] else "",
                r["target_group"],
            )
            for r in rows
        ),
    )
