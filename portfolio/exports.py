"""Exports of the register as CSV that Swedish Excel opens as it is (semicolons, UTF-8 with BOM)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from portfolio.domain import (
    INITIATIVE_KIND_LABELS,
    INITIATIVE_STATUS_LABELS,
    InitiativeKind,
    InitiativeStatus,
)

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


def to_csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """Excel in Sweden splits on semicolons and needs the BOM to read å, ä and ö right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


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
