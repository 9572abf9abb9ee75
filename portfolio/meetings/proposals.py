"""Use cases for proposals: drafted from the application, edited clause by clause."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from portfolio.accounts.permissions import can_manage, require
from portfolio.core import audit
from portfolio.core import queries as core_queries
from portfolio.core.db import write_transaction
from portfolio.core.domain import (
    FieldProblem,
    MeetingStatus,
    Principal,
)
from portfolio.core.errors import Conflict, NotFound, ValidationFailed
from portfolio.core.rows import _columns
from portfolio.core.schemas import set_fields
from portfolio.core.tables import (
    Decision,
    Proposal,
)
from portfolio.core.versioning import update_versioned
from portfolio.meetings.decisions import (
    ClauseKind,
    ProposedGrant,
    check_commitments,
    join_swedish,
    other_clause,
    rewrite_grant_clause,
    standard_clauses,
)
from portfolio.meetings.queries import get_case, get_proposal
from portfolio.meetings.schemas import (
    ProposalUpdate,
)

# -- proposals ------------------------------------------------------------------------------


def _encode(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def _decode(raw: Any) -> list[str]:
    return list(raw) if isinstance(raw, list) else list(msgspec.json.decode(raw or "[]"))


async def application_facts(application_id: int) -> dict[str, Any] | None:
    """The latest submitted version of an application: what a proposal is drafted from."""
    from applications.queries import application_row, version_rows
    from applications.services import decode_content

    row = await application_row(application_id)
    versions = await version_rows(application_id)
    if row is None or not versions:
        return None
    content = decode_content(versions[-1]["content"])
    return {"row": row, "content": content, "amount": versions[-1]["applied_amount"]}


async def _refuse_if_minutes_approved(case_id: int) -> None:
    """A proposal decided at a meeting whose minutes are approved is part of the record."""
    decided = await Decision.exists().where(
        (Decision.case == case_id) & (Decision.meeting.status == MeetingStatus.APPROVED)
    )
    if decided:
        raise Conflict(
            "Ärendet är avgjort och protokollet justerat; förslaget kan inte ändras.",
            field="case_id",
        )


async def draft_proposal(actor: Principal, case_id: int) -> dict[str, Any]:
    """The proposal for a case, drafted once: from the application, the standard att-satser."""
    require(can_manage(actor))
    async with write_transaction():
        existing = await get_proposal(case_id)
        if existing is not None:
            return existing
        case = await get_case(case_id)
        clauses = [other_clause(ClauseKind.INFORMATION).text]
        values: dict[str, Any] = {}
        facts = await application_facts(case["application"]) if case["application"] else None
        if facts is not None:
            content = facts["content"]
            if content.period_start and content.period_end:
                grant = ProposedGrant(
                    initiative=content.insats_name,
                    period_start=content.period_start,
                    period_end=content.period_end,
                    amount=facts["amount"],
                    extension_option=True,
                )
                clauses = [c.text for c in standard_clauses(grant)]
                values = {
                    "amount": facts["amount"],
                    "period_start": content.period_start,
                    "period_end": content.period_end,
                }
            names = await core_queries.organisation_names()
            partners = [
                names.get(p.organisation_id or 0, "")
                for p in (*content.co_owners, *content.partners)
            ]
            values["application_text"] = (
                f"{facts['row']['organisation_name']} ansöker om finansiering för insatsen {content.insats_name}"
                + (
                    f" tillsammans med {join_swedish([p for p in partners if p])}"
                    if any(partners)
                    else ""
                )
                + f". {content.purpose}".rstrip()
            )
        row = (
            await Proposal.insert(
                Proposal(
                    case=case_id, document_date=dt.date.today(), clauses=_encode(clauses), **values
                )
            ).returning(*Proposal._meta.columns)
        )[0]
        await audit.record(actor, "create", "proposal", row["id"], None, row, case["case_number"])
    return row


async def update_proposal(actor: Principal, case_id: int, update: ProposalUpdate) -> dict[str, Any]:
    require(can_manage(actor))
    async with write_transaction():
        before = await get_proposal(case_id)
        if before is None:
            raise NotFound("Ärendet har inget förslag ännu.")
        await _refuse_if_minutes_approved(case_id)
        values: dict[str, Any] = set_fields(update)
        amount: int | None = values.get("amount", before["amount"])
        start: dt.date | None = values.get("period_start", before["period_start"])
        end: dt.date | None = values.get("period_end", before["period_end"])
        split: dict[int, int] | None = values.get("commitments")
        if split is not None:
            problems = (
                check_commitments(amount or 0, split, start, end)
                if start and end
                else ["Ange förslagets period innan åtagandena per år."]
            )
            if problems:
                raise ValidationFailed([FieldProblem("commitments", p) for p in problems])
            values["commitments"] = _encode({str(y): a for y, a in sorted(split.items())})
        fields_changed = any(k in values for k in ("amount", "period_start", "period_end"))
        if fields_changed and "clauses" not in values and amount and start and end:
            # One source of truth: the grant att-sats is written from the fields.
            case = await get_case(case_id)
            values["clauses"] = rewrite_grant_clause(
                _decode(before["clauses"]), amount, start, end, case["title"]
            )
        if fields_changed and "commitments" not in values and before.get("commitments"):
            values["commitments"] = None  # a split of the old amount or period no longer fits
        if "clauses" in values:
            values["clauses"] = _encode(values["clauses"])
        after = await update_versioned(
            Proposal, before["id"], update.version, _columns(Proposal, values), what="Förslaget"
        )
        await audit.record(actor, "update", "proposal", before["id"], before, after)
    return after
