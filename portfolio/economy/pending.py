"""The applications awaiting a decision on a meeting's agenda, in one query: each case with its
proposal, the latest version sent in and the lead owner's name (no query per case)."""

from __future__ import annotations

from typing import Any

import msgspec

from applications.budget import stated_year_amounts
from portfolio.core.rows import raw_date
from portfolio.core.tables import AgendaItem
from portfolio.meetings.decisions import DecisionOutcome, split_as_applied

_PENDING_SQL = (
    "SELECT c.id AS case_id, c.title AS title, o.name AS owner, "
    "p.id AS proposal_id, p.amount AS p_amount, p.period_start AS p_start, "
    "p.period_end AS p_end, p.commitments AS p_split, "
    "v.content AS content, v.applied_amount AS applied_amount "
    'FROM agenda_item a JOIN board_case c ON c.id = a."case" '
    "LEFT JOIN initiative i ON i.id = c.initiative "
    "LEFT JOIN organisation o ON o.id = i.lead_owner "
    'LEFT JOIN proposal p ON p."case" = c.id '
    "LEFT JOIN application_version v ON v.application = c.application AND v.number = "
    "(SELECT MAX(w.number) FROM application_version w WHERE w.application = c.application) "
    "WHERE a.meeting = {} AND c.id NOT IN "
    '(SELECT d."case" FROM decision d WHERE d.outcome <> {}) '
    "ORDER BY a.position"
)


def _json(value: Any) -> Any:
    return msgspec.json.decode(value) if isinstance(value, str | bytes) else value


def _proposed_split(row: dict[str, Any]) -> dict[int, int] | None:
    split = _json(row["p_split"])
    return {int(y): int(a) for y, a in split.items()} if split else None


async def pending_applications(meeting_id: int) -> list[dict[str, Any]]:
    """The cases on a meeting's agenda that still await a decision, with the amount per year
    to count: the proposal's grant where one is written, else what was applied for. A tabled
    case is still to be decided: it counts on the next agenda it is put on."""
    from applications.services import decode_content

    rows = await AgendaItem.raw(_PENDING_SQL, meeting_id, DecisionOutcome.TABLED.value)
    pending = []
    for row in rows:
        content = decode_content(row["content"]) if row["content"] is not None else None
        applied = stated_year_amounts(content.budget) if content else {}
        p_start, p_end = raw_date(row["p_start"]), raw_date(row["p_end"])
        amount, start, end, split = None, None, None, None
        if row["proposal_id"] is not None and row["p_amount"] and p_start and p_end:
            amount, start, end = row["p_amount"], p_start, p_end
            split = _proposed_split(row)
        elif content and content.period_start and content.period_end:
            amount, start, end = row["applied_amount"], content.period_start, content.period_end
        if amount is None or start is None or end is None:
            continue
        pending.append(
            {
                "case_id": row["case_id"],
                "name": row["title"],
                "owner": row["owner"] or "",
                "amounts": split or split_as_applied(amount, start, end, applied),
            }
        )
    return pending
