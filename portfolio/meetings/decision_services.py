"""Use cases for decisions: recording one (votes, commitments, conditions, the insats moved on),
and reading them back for the minutes and the case.
"""

from __future__ import annotations

from typing import Any

import msgspec

from applications.budget import stated_year_amounts
from portfolio.accounts.permissions import can_manage, require
from portfolio.core import audit
from portfolio.core.db import lock_for_update, write_transaction
from portfolio.core.domain import (
    Body,
    ConditionKind,
    FieldProblem,
    InitiativeStatus,
    MeetingStatus,
    Principal,
)
from portfolio.core.errors import Conflict, ValidationFailed
from portfolio.core.formatting import format_date_iso
from portfolio.core.tables import (
    AgendaItem,
    Case,
    Commitment,
    Condition,
    Decision,
    FundReservation,
    Initiative,
    Meeting,
)
from portfolio.meetings import notices as notifications
from portfolio.meetings.decisions import (
    DecisionOutcome,
    check_commitments,
    classify_clause,
    conditions_from_clauses,
    outcome_problem,
    split_as_applied,
)
from portfolio.meetings.proposals import _encode, application_facts
from portfolio.meetings.queries import (
    _current_decision,
    decision_detail,
    get_case,
    get_meeting,
    get_proposal,
)
from portfolio.meetings.schemas import (
    DecisionIn,
    proposal_out,
)
from portfolio.meetings.votes import Vote, tally

# -- decisions ------------------------------------------------------------------------------


async def record_decision(actor: Principal, meeting_id: int, data: DecisionIn) -> dict[str, Any]:
    """Record what the board decided on a case: clauses, amount split into yearly commitments,
    votes, reservations, and the conditions that follow the insats. Taken decisions are final;
    a change is a new decision that supersedes the old one, which stays on record.
    """
    require(can_manage(actor))
    async with write_transaction():
        # One decision at a time per meeting (its § numbers) and per case (its one current
        # decision): a double click, or two of the office at once, cannot record two.
        await lock_for_update(Meeting, meeting_id)
        await lock_for_update(Case, data.case_id)
        meeting = await get_meeting(meeting_id)
        if meeting["body"] != Body.BOARD:
            raise ValidationFailed(
                [
                    FieldProblem(
                        "meeting_id",
                        "Beslut fattas av förbundsstyrelsen; arbetsutskottet föreslår.",
                    )
                ]
            )
        if meeting["status"] == MeetingStatus.APPROVED:
            raise Conflict(
                "Protokollet är justerat; inga fler beslut kan föras in.", field="meeting_id"
            )
        case = await get_case(data.case_id)
        on_agenda = await AgendaItem.exists().where(
            (AgendaItem.meeting == meeting_id) & (AgendaItem.case == data.case_id)
        )
        if not on_agenda:
            raise ValidationFailed(
                [
                    FieldProblem(
                        "case_id",
                        f"Ärendet {case['case_number']} står inte på mötets föredragningslista; "
                        "sätt upp det innan beslutet förs in.",
                    )
                ]
            )
        grants = data.outcome in (DecisionOutcome.GRANTED, DecisionOutcome.PARTLY_GRANTED)
        problems = _decision_problems(data, grants)
        split: dict[int, int] = {}
        if grants and data.period_start and data.period_end and not problems:
            proposed = await _proposed_split(data)
            if data.commitments is not None:
                split = dict(data.commitments)
            elif proposed is not None:
                # The proposal's own split, where the decision grants what it proposed.
                split = proposed
            else:
                # As the application's own per-year summary has it, where that fits the grant.
                facts = (
                    await application_facts(case["application"]) if case["application"] else None
                )
                applied = stated_year_amounts(facts["content"].budget) if facts else {}
                split = split_as_applied(data.amount, data.period_start, data.period_end, applied)
            problems += [
                FieldProblem("commitments", p)
                for p in check_commitments(data.amount, split, data.period_start, data.period_end)
            ]
        if grants and case["application"] and not problems:
            facts = await application_facts(case["application"])
            if facts is not None:
                mismatch = outcome_problem(
                    data.outcome,
                    facts["amount"],
                    facts["content"].period_start,
                    facts["content"].period_end,
                    data.amount,
                    data.period_start,
                    data.period_end,
                )
                if mismatch:
                    problems.append(FieldProblem("outcome", mismatch))
        if grants and case["initiative"] is None:
            problems.append(FieldProblem("case_id", "Ett beviljande beslut måste gälla en insats."))
        if data.draws_on_id is not None:
            if not grants:
                problems.append(
                    FieldProblem(
                        "draws_on_id", "Bara ett beviljande beslut kan ta ur reserverade medel."
                    )
                )
            elif not await FundReservation.exists().where(FundReservation.id == data.draws_on_id):
                problems.append(FieldProblem("draws_on_id", "Reservationen finns inte."))
        if problems:
            raise ValidationFailed(problems)
        if data.supersedes_id is not None:
            earlier = await Decision.select().where(Decision.id == data.supersedes_id).first()
            if earlier is None or earlier["case"] != data.case_id:
                raise ValidationFailed(
                    [FieldProblem("supersedes_id", "Beslutet som ändras hör inte till ärendet.")]
                )
            earlier_meeting = await get_meeting(earlier["meeting"])
            if meeting["meeting_date"] < earlier_meeting["meeting_date"]:
                raise ValidationFailed(
                    [
                        FieldProblem(
                            "supersedes_id",
                            "Ett ändringsbeslut kan inte dateras före beslutet det ändrar "
                            f"({format_date_iso(earlier_meeting['meeting_date'])}, "
                            f"§ {earlier['paragraph']}).",
                        )
                    ]
                )
            if await Decision.exists().where(Decision.supersedes == data.supersedes_id):
                raise Conflict(
                    "Beslutet är redan ändrat av ett senare beslut.", field="supersedes_id"
                )
        elif await _current_decision(data.case_id) is not None:
            raise Conflict(
                "Ärendet har redan ett beslut. Ett nytt beslut måste ange vilket beslut det ändrar.",
                field="supersedes_id",
            )
        paragraph = await Decision.count().where(Decision.meeting == meeting_id) + 1
        votes = [msgspec.to_builtins(v) for v in data.votes]
        row = (
            await Decision.insert(
                Decision(
                    case=data.case_id,
                    meeting=meeting_id,
                    paragraph=paragraph,
                    outcome=data.outcome,
                    clauses=_encode(data.clauses),
                    amount=data.amount if grants else 0,
                    period_start=data.period_start if grants else None,
                    period_end=data.period_end if grants else None,
                    votes=_encode(votes),
                    reservations=_encode(data.reservations),
                    supersedes=data.supersedes_id,
                    draws_on=data.draws_on_id if grants else None,
                    immediately_approved=data.immediately_approved,
                    decided_by=actor.user_id,
                )
            ).returning(*Decision._meta.columns)
        )[0]
        for year, amount in sorted(split.items()):
            await Commitment.insert(
                Commitment(
                    decision=row["id"], initiative=case["initiative"], year=year, amount=amount
                )
            )
        if case["initiative"] is not None and data.outcome is not DecisionOutcome.TABLED:
            await _follow_up_on_initiative(
                actor,
                case["initiative"],
                data,
                grants,
                f"{case['case_number']} § {paragraph}",
                row["id"],
            )
            if grants and case["application"] is not None:
                await _carry_target_group(
                    actor, case["initiative"], case["application"], case["case_number"]
                )
        if case["application"] is not None and data.outcome is not DecisionOutcome.TABLED:
            from applications.tables import Application

            await Application.update({Application.status: "decided"}).where(
                Application.id == case["application"]
            )
        await audit.record(
            actor,
            "decide",
            "decision",
            row["id"],
            None,
            {**row, "commitments": split},
            f"{case['case_number']} § {paragraph}",
        )
        if data.immediately_approved:
            # A paragraph declared omedelbart justerad is final at once; the others' extracts
            # go out when the minutes are justerade (services.update_meeting).
            await notifications.decision_recorded(actor, row["id"])
    return await decision_detail(row["id"])


async def _proposed_split(data: DecisionIn) -> dict[int, int] | None:
    proposal = await get_proposal(data.case_id)
    if proposal is None:
        return None
    out = proposal_out(proposal)
    if (out.amount, out.period_start, out.period_end) != (
        data.amount,
        data.period_start,
        data.period_end,
    ):
        return None
    return out.commitments


def _decision_problems(data: DecisionIn, grants: bool) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if not data.clauses:
        problems.append(FieldProblem("clauses", "Ett beslut har minst en att-sats."))
    if grants:
        if data.amount <= 0:
            problems.append(FieldProblem("amount", "Ange beviljat belopp."))
        if data.period_start is None or data.period_end is None:
            problems.append(FieldProblem("period_start", "Ange beviljad period."))
        elif data.period_end < data.period_start:
            problems.append(FieldProblem("period_end", "Slutdatum kan inte vara före startdatum."))
    tally_votes = [
        Vote(member=v.member, choice=v.choice, conflict=v.conflict, chair=v.chair)
        for v in data.votes
    ]
    if tally_votes:
        result = tally(tally_votes)
        if not result.carried and data.outcome is not DecisionOutcome.REJECTED:
            problems.append(
                FieldProblem("votes", "Omröstningen bifaller inte förslaget; beslutet blir avslag.")
            )
    return problems


async def _carry_target_group(
    actor: Principal, initiative_id: int, application_id: int, reference: str
) -> None:
    """The granted application's målgrupp becomes the insats's, where the insats has none yet:
    Uppföljning Finsam asks for it per insats. Audited, naming the case."""
    facts = await application_facts(application_id)
    target_group = facts["content"].target_group.strip() if facts else ""
    if not target_group:
        return
    moved = await (
        Initiative.update(
            {Initiative.target_group: target_group, Initiative.version: Initiative.version + 1}
        )
        .where((Initiative.id == initiative_id) & (Initiative.target_group == ""))
        .returning(Initiative.id)
    )
    if moved:
        await audit.record(
            actor,
            "update",
            "initiative",
            initiative_id,
            {"target_group": ""},
            {"target_group": target_group},
            f"Målgrupp från den beviljade ansökan i {reference}",
        )


async def _follow_up_on_initiative(
    actor: Principal,
    initiative_id: int,
    data: DecisionIn,
    grants: bool,
    reference: str,
    decision_id: int,
) -> None:
    """A grant moves the insats to granted (or keeps it running) and its conditions follow it;
    both are audited like the office's own changes to them, naming the decision. A decision
    that supersedes another governs: the period is the one of the decisions in force, whether
    that lengthens or shortens it."""
    if not grants:
        return
    moved = await (
        Initiative.update(
            {
                Initiative.status: InitiativeStatus.GRANTED,
                Initiative.period_start: data.period_start,
                Initiative.period_end: data.period_end,
                # A new version: an edit form opened before the decision cannot undo it.
                Initiative.version: Initiative.version + 1,
            }
        )
        .where((Initiative.id == initiative_id) & (Initiative.status == InitiativeStatus.APPLIED))
        .returning(Initiative.id)
    )
    if moved:
        await audit.record(
            actor,
            "update",
            "initiative",
            initiative_id,
            {"status": InitiativeStatus.APPLIED.value},
            {
                "status": InitiativeStatus.GRANTED.value,
                "period_start": data.period_start,
                "period_end": data.period_end,
            },
            f"Beviljad genom beslut {reference}",
        )
    elif data.supersedes_id is not None:
        await _period_of_decisions_in_force(actor, initiative_id, reference)
    else:
        # An extension (or a later grant) carries the insats on: its period reaches the new end,
        # which is what claims and the forecast are checked against.
        row = (
            await Initiative.select(Initiative.period_end)
            .where(Initiative.id == initiative_id)
            .first()
        )
        if (
            row
            and data.period_end
            and (row["period_end"] is None or data.period_end > row["period_end"])
        ):
            await Initiative.update(
                {Initiative.period_end: data.period_end, Initiative.version: Initiative.version + 1}
            ).where(Initiative.id == initiative_id)
            await audit.record(
                actor,
                "update",
                "initiative",
                initiative_id,
                {"period_end": row["period_end"]},
                {"period_end": data.period_end},
                f"Förlängd till {data.period_end.isoformat()} genom beslut {reference}",
            )
    await _conditions_follow(actor, initiative_id, data, decision_id, reference)


async def _decisions_in_force(initiative_id: int) -> list[dict[str, Any]]:
    """The insats's granting decisions that no later decision supersedes."""
    superseded = {
        r["supersedes"]
        for r in await Decision.select(Decision.supersedes).where(Decision.supersedes.is_not_null())
    }
    rows = await Decision.select(
        Decision.id, Decision.period_start, Decision.period_end, Decision.clauses
    ).where(
        (Decision.case.initiative == initiative_id)
        & Decision.outcome.is_in([DecisionOutcome.GRANTED, DecisionOutcome.PARTLY_GRANTED])
    )
    return [r for r in rows if r["id"] not in superseded]


async def _period_of_decisions_in_force(
    actor: Principal, initiative_id: int, reference: str
) -> None:
    """The insats's period as the decisions in force grant it: an ändringsbeslut that shortens
    the grant by a year shortens the insats, and so its reports and claims."""
    in_force = [r for r in await _decisions_in_force(initiative_id) if r["period_start"]]
    if not in_force:
        return
    start = min(r["period_start"] for r in in_force)
    end = max(r["period_end"] for r in in_force)
    row = await (
        Initiative.select(Initiative.period_start, Initiative.period_end)
        .where(Initiative.id == initiative_id)
        .first()
    )
    if row is None or (row["period_start"], row["period_end"]) == (start, end):
        return
    await Initiative.update(
        {
            Initiative.period_start: start,
            Initiative.period_end: end,
            Initiative.version: Initiative.version + 1,
        }
    ).where(Initiative.id == initiative_id)
    await audit.record(
        actor,
        "update",
        "initiative",
        initiative_id,
        dict(row),
        {"period_start": start, "period_end": end},
        f"Perioden {start.isoformat()}–{end.isoformat()} enligt ändringsbeslut {reference}",
    )


async def _conditions_follow(
    actor: Principal, initiative_id: int, data: DecisionIn, decision_id: int, reference: str
) -> None:
    """The conditions the decision sets follow the insats once each: one already in force is
    carried over to this decision, not added again; a superseded decision's conditions that
    this one drops are marked as ended by it."""
    wanted: list[tuple[ConditionKind, str]] = []
    for pair in conditions_from_clauses(classify_clause(c) for c in data.clauses):
        if pair not in wanted:
            wanted.append(pair)
    active = (
        await Condition.select()
        .where((Condition.initiative == initiative_id) & Condition.ended_by.is_null())
        .order_by(Condition.id)
    )
    earlier: set[tuple[ConditionKind, str]] = set()
    if data.supersedes_id is not None:
        old = (
            await Decision.select(Decision.clauses).where(Decision.id == data.supersedes_id).first()
        )
        raw = old["clauses"] if old else "[]"
        texts = raw if isinstance(raw, list) else msgspec.json.decode(raw or "[]")
        earlier = set(conditions_from_clauses(classify_clause(c) for c in texts))
    carried: set[int] = set()
    for kind, text in wanted:
        same = next(
            (
                c
                for c in active
                if c["id"] not in carried and (c["kind"], c["text"]) == (kind, text)
            ),
            None,
        )
        if same is not None:
            carried.add(same["id"])
            await Condition.update({Condition.decision: decision_id}).where(
                Condition.id == same["id"]
            )
            await audit.record(
                actor,
                "update",
                "condition",
                same["id"],
                {"decision": same["decision"]},
                {"decision": decision_id},
                f"Gäller vidare enligt beslut {reference}",
            )
            continue
        row = (
            await Condition.insert(
                Condition(initiative=initiative_id, kind=kind, text=text, decision=decision_id)
            ).returning(*Condition._meta.columns)
        )[0]
        await audit.record(
            actor, "create", "condition", row["id"], None, row, f"Från beslut {reference}"
        )
    if data.supersedes_id is None:
        return
    for condition in active:
        if condition["id"] in carried:
            continue
        from_earlier = condition["decision"] == data.supersedes_id or (
            condition["decision"] is None and (condition["kind"], condition["text"]) in earlier
        )
        if not from_earlier:
            continue
        await Condition.update(
            {Condition.ended_by: decision_id, Condition.version: Condition.version + 1}
        ).where(Condition.id == condition["id"])
        await audit.record(
            actor,
            "update",
            "condition",
            condition["id"],
            {"ended_by": None},
            {"ended_by": decision_id},
            f"Upphör genom ändringsbeslut {reference}",
        )
