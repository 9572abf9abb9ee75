"""Pure: commitments per insats and year, and grants in the 360Giving standard."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import msgspec

# --- Commitments per insats and year ---------------------------------------------------------


class CommitmentLine(msgspec.Struct, frozen=True, kw_only=True):
    initiative_id: int
    name: str
    owner: str
    amounts: dict[int, int]  # year -> kronor in force (superseded decisions left out)


def commitments_table(
    lines: Sequence[CommitmentLine],
) -> tuple[list[str], list[list[Any]]]:
    """Header and rows: one row per insats, a column per year in kronor, the total, and a last
    row of sums per year; exact kronor, as the ledger needs them."""
    years = sorted({year for line in lines for year in line.amounts})
    header = ["Id", "Insats", "Huvudinsatsägare", *[str(y) for y in years], "Totalt"]
    rows: list[list[Any]] = [
        [
            line.initiative_id,
            line.name,
            line.owner,
            *[line.amounts.get(y, 0) for y in years],
            sum(line.amounts.values()),
        ]
        for line in lines
    ]
    sums = [sum(line.amounts.get(y, 0) for line in lines) for y in years]
    rows.append(["", "Summa", "", *sums, sum(sums)])
    return header, rows


# --- 360Giving -------------------------------------------------------------------------------

GIVING360_PREFIX = "360G-finsam"


class Grant(msgspec.Struct, frozen=True, kw_only=True):
    """A grant as decided: one per insats decision that granted money and still stands."""

    decision_id: int
    title: str
    description: str
    amount: int  # kronor
    award_date: dt.date
    start: dt.date | None
    end: dt.date | None
    recipient_name: str
    recipient_org_number: str
    modified: dt.datetime
    total_cost: int | None = None  # a co-financed insats's whole planned cost


def org_identifier(org_number: str, fallback: str) -> str:
    """An org-id.guide identifier: SE-BLV (Bolagsverket) and the ten digits of the org number."""
    digits = "".join(c for c in org_number if c.isdigit())
    return f"SE-BLV-{digits}" if len(digits) == 10 else fallback


def _grant_identifier(funder_id: str, decision_id: int) -> str:
    """360G-finsam-SE-BLV-…-17; a funder without an org number already carries the prefix."""
    if funder_id.startswith(f"{GIVING360_PREFIX}-"):
        return f"{funder_id}-{decision_id}"
    return f"{GIVING360_PREFIX}-{funder_id}-{decision_id}"


def giving360(grants: Sequence[Grant], funder_name: str, funder_org_number: str) -> dict[str, Any]:
    """The grants as a 360Giving data package (JSON schema 1.4): Swedish kronor, dates ISO."""
    funder_id = org_identifier(funder_org_number, f"{GIVING360_PREFIX}-funder")
    return {
        "grants": [
            {
                "id": _grant_identifier(funder_id, g.decision_id),
                "title": g.title,
                "description": g.description or g.title,
                "currency": "SEK",
                "amountAwarded": g.amount,
                "awardDate": g.award_date.isoformat(),
                "plannedDates": [
                    {
                        k: v
                        for k, v in (
                            ("startDate", g.start.isoformat() if g.start else None),
                            ("endDate", g.end.isoformat() if g.end else None),
                        )
                        if v
                    }
                ],
                "recipientOrganization": [
                    {
                        "id": org_identifier(
                            g.recipient_org_number,
                            f"{GIVING360_PREFIX}-org-{_slug(g.recipient_name)}",
                        ),
                        "name": g.recipient_name,
                    }
                ],
                "fundingOrganization": [{"id": funder_id, "name": funder_name}],
                "dateModified": g.modified.isoformat(timespec="seconds"),
                # An additional field (360Giving allows them): the amount awarded is this
                # association's part of a co-financed project's planned total.
                **({"plannedTotalCost": g.total_cost} if g.total_cost is not None else {}),
            }
            for g in grants
        ]
    }


GIVING360_CSV_COLUMNS = (
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Last Modified",
    "Planned Total Cost",
)


def giving360_csv(package: dict[str, Any]) -> bytes:
    """The same grants in 360Giving's flat CSV: its column titles, comma-separated, UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(GIVING360_CSV_COLUMNS)
    for g in package["grants"]:
        dates = g["plannedDates"][0]
        writer.writerow(
            [
                g["id"],
                g["title"],
                g["description"],
                g["currency"],
                g["amountAwarded"],
                g["awardDate"],
                dates.get("startDate", ""),
                dates.get("endDate", ""),
                g["recipientOrganization"][0]["id"],
                g["recipientOrganization"][0]["name"],
                g["fundingOrganization"][0]["id"],
                g["fundingOrganization"][0]["name"],
                g["dateModified"],
                g.get("plannedTotalCost", ""),
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _slug(text: str) -> str:
    ascii_text = text.lower().translate(str.maketrans("åäöé", "aaoe"))
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())
