"""Application use cases: create, save a draft, submit, ask for completion, compare versions, attach."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec

from applications import notices as notifications
from applications import queries
from applications.budget_xlsx import export_budget
from applications.documents import ApplicationDocument
from applications.domain import (
    EDITABLE_STATUSES,
    ApplicationContent,
    ApplicationKind,
    ApplicationStatus,
    Change,
    Party,
    ReadinessItem,
    Requirement,
    applied_amount,
    budget_owner_names,
    diff_versions,
    extension_readiness,
    submission_problems,
    with_owner_names,
)
from applications.permissions import (
    can_create_application,
    can_edit_application,
    can_review_application,
    can_view_application,
)
from applications.tables import Application, ApplicationVersion
from portfolio.accounts.permissions import require
from portfolio.core import audit
from portfolio.core import queries as core_queries
from portfolio.core.db import write_transaction
from portfolio.core.domain import (
    ConditionKind,
    FieldProblem,
    InitiativeKind,
    InitiativeStatus,
    OrganisationKind,
    Principal,
    Role,
)
from portfolio.core.errors import Forbidden, NotFound, ValidationFailed
from portfolio.core.tables import Initiative, Organisation
from portfolio.core.versioning import update_versioned
from portfolio.register import queries as portfolio_queries
from portfolio.register.services import get_initiative


def decode_content(raw: Any) -> ApplicationContent:
    if isinstance(raw, dict):
        return msgspec.convert(raw, ApplicationContent)
    return msgspec.json.decode(raw or "{}", type=ApplicationContent)


def encode_content(content: ApplicationContent) -> str:
    return msgspec.json.encode(content).decode()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def get_application(actor: Principal, application_id: int) -> dict[str, Any]:
    """The application row with its decoded content, if `actor` may see it (404 otherwise)."""
    row = await queries.application_row(application_id)
    if row is None or not can_view_application(
        actor, row["organisation"], ApplicationStatus(row["status"])
    ):
        raise NotFound("Ansökan finns inte.")
    if actor.role is Role.BOARD:
        return await _as_sent_in(row)
    return {**row, "content": decode_content(row["content"])}


async def _as_sent_in(row: dict[str, Any]) -> dict[str, Any]:
    """The application as it was last sent in: what the board reads, never the owner's work in
    progress (a completion under way edits the draft, not the record)."""
    sent = await queries.version_rows(row["id"])
    if not sent:
        return {**row, "content": decode_content(row["content"])}
    last = sent[-1]
    content = decode_content(last["content"])
    return {
        **row,
        "content": content,
        "title": content.insats_name or row["title"],
        "applied_amount": last["applied_amount"],
    }


async def applications_of_initiative(actor: Principal, initiative_id: int) -> list[dict[str, Any]]:
    """An insats's applications that `actor` may see: the board none in draft, an owner only
    their organisation's (a co-owner sees the insats but not the lead owner's draft)."""
    await get_initiative(actor, initiative_id)
    rows = [
        row
        for row in await queries.application_rows_for_initiative(initiative_id)
        if can_view_application(actor, row["organisation"], ApplicationStatus(row["status"]))
    ]
    return await queries.as_sent_in(rows) if actor.role is Role.BOARD else rows


async def create_application(
    actor: Principal, kind: ApplicationKind, insats_name: str = "", initiative_id: int | None = None
) -> dict[str, Any]:
    """A new draft. A new insats is registered as applied; an extension starts from the last version."""
    require(can_create_application(actor))
    assert actor.organisation_id is not None
    async with write_transaction():
        extends = None
        if kind is ApplicationKind.NEW:
            if not insats_name.strip():
                raise ValidationFailed([FieldProblem("insats_name", "Ange insatsens namn.")])
            initiative_id = (
                await Initiative.insert(
                    Initiative(
                        name=insats_name.strip(),
                        kind=InitiativeKind.INDIVIDUAL,
                        status=InitiativeStatus.APPLIED,
                        lead_owner=actor.organisation_id,
                    )
                ).returning(Initiative.id)
            )[0]["id"]
            content = ApplicationContent(
                insats_name=insats_name.strip(),
                lead_owner=Party(organisation_id=actor.organisation_id),
            )
        else:
            if initiative_id is None:
                raise ValidationFailed(
                    [FieldProblem("initiative_id", "Välj vilken insats ansökan gäller.")]
                )
            initiative = await get_initiative(actor, initiative_id)
            if initiative["lead_owner"] != actor.organisation_id:
                raise Forbidden("Bara huvudinsatsägaren kan ansöka för insatsen.")
            previous = [
                r
                for r in await queries.application_rows_for_initiative(initiative_id)
                if r["status"] not in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)
            ]
            if previous:
                extends = previous[-1]["id"]
                versions = await queries.version_rows(extends)
                base = decode_content(versions[-1]["content"]) if versions else ApplicationContent()
            else:
                base = ApplicationContent(
                    insats_name=initiative["name"],
                    lead_owner=Party(organisation_id=actor.organisation_id),
                )
            # An extension starts from what was granted last time, minus what must be new.
            content = msgspec.structs.replace(
                base,
                changes_summary="",
                agreement_accepted=False,
                approvals=[],
                requirement_answers=[],
            )
        row = (
            await Application.insert(
                Application(
                    initiative=initiative_id,
                    organisation=actor.organisation_id,
                    kind=kind,
                    extends=extends,
                    title=content.insats_name,
                    content=encode_content(content),
                    applied_amount=applied_amount(content),
                    created_by=actor.user_id,
                )
            ).returning(Application.id)
        )[0]
        await audit.record(
            actor,
            "create",
            "application",
            row["id"],
            None,
            {"kind": kind.value, "title": content.insats_name},
        )
    return await get_application(actor, row["id"])


def _changed_sections(
    before: ApplicationContent, after: ApplicationContent
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the sections that changed, for a compact audit entry."""
    changes = diff_versions(before, after)
    return ({c.section: c.before for c in changes}, {c.section: c.after for c in changes})


async def save_draft(
    actor: Principal, application_id: int, version: int, content: ApplicationContent
) -> dict[str, Any]:
    async with write_transaction():
        row = await get_application(actor, application_id)
        require(can_edit_application(actor, row["organisation"], ApplicationStatus(row["status"])))
        # The lead owner is the organisation that writes the application; it cannot be moved.
        content = msgspec.structs.replace(
            content,
            lead_owner=msgspec.structs.replace(
                content.lead_owner, organisation_id=row["organisation"]
            ),
        )
        # The page's budget has amounts per owner but no column names: name them here, so the
        # checks and the PDF speak of the owners rather than of "Kolumn 1".
        content = with_owner_names(
            content, row["organisation"], await core_queries.organisation_names()
        )
        await update_versioned(
            Application,
            application_id,
            version,
            {
                Application.content: encode_content(content),
                Application.title: content.insats_name,
                Application.applied_amount: applied_amount(content),
                Application.updated_at: _now(),
            },
            what="Ansökan",
        )
        before, after = _changed_sections(row["content"], content)
        if before or after:
            await audit.record(
                actor, "update", "application", application_id, before, after, "Utkast sparat"
            )
    return await get_application(actor, application_id)


async def _organisation_facts() -> tuple[dict[int, OrganisationKind], set[int]]:
    """Every organisation's kind, and which are members: what the party rules need."""
    rows = await Organisation.select(Organisation.id, Organisation.kind, Organisation.is_member)
    kinds = {r["id"]: OrganisationKind(r["kind"]) for r in rows}
    return kinds, {r["id"] for r in rows if r["is_member"]}


def with_budget_owners(
    content: ApplicationContent, lead_id: int, names: dict[int, str]
) -> ApplicationContent:
    """Fix the lead owner to the writing organisation and line the budget's columns up with the owners.

    The budget has one column per owner (lead first, then co-owners); a line typed before a
    co-owner was added gets a zero for the new column rather than a misaligned amount.
    """
    lead = msgspec.structs.replace(content.lead_owner, organisation_id=lead_id)
    content = msgspec.structs.replace(content, lead_owner=lead)
    owners = budget_owner_names(content, names)
    width = len(owners)
    lines = [
        msgspec.structs.replace(line, amounts=(list(line.amounts) + [0] * width)[:width])
        for line in content.budget.lines
    ]
    budget = msgspec.structs.replace(
        content.budget,
        owners=owners,
        lines=lines,
        period_from=content.period_start,
        period_to=content.period_end,
    )
    return msgspec.structs.replace(content, budget=budget)


async def budget_workbook(actor: Principal, application_id: int) -> tuple[bytes, str]:
    """The application's budget as the association's Excel template, and its file name.

    The columns carry the owners' names and the period the form shows, so a new draft's
    template is ready to fill in (the saved budget holds only the lines).
    """
    row = await get_application(actor, application_id)
    content = with_budget_owners(
        row["content"], row["organisation"], await core_queries.organisation_names()
    )
    return export_budget(content.budget, content.insats_name), f"Budget {content.insats_name}.xlsx"


async def requirements_for(row: dict[str, Any]) -> list[Requirement]:
    """The extension requirements an extension application must answer, one question each."""
    if ApplicationKind(row["kind"]) is not ApplicationKind.EXTENSION:
        return []
    rows = [
        r for r in await portfolio_queries.condition_rows(row["initiative"]) if not r["ended_by"]
    ]
    # The requirements first, then the free-text conditions, answered beside them.
    return [
        Requirement(r["id"], r["text"])
        for r in rows
        if r["kind"] == ConditionKind.EXTENSION_REQUIREMENT
    ] + [
        Requirement(r["id"], r["text"], condition=True)
        for r in rows
        if r["kind"] == ConditionKind.FREE_TEXT
    ]


async def submission_check(
    row: dict[str, Any], requirements: list[Requirement] | None = None
) -> list[FieldProblem]:
    kinds, members = await _organisation_facts()
    if requirements is None:
        requirements = await requirements_for(row)
    return submission_problems(
        row["content"], ApplicationKind(row["kind"]), kinds, members, requirements
    )


ReportCounts = Callable[[int, dt.date], Awaitable[tuple[int, int]]]
"""(accepted, due by today) quarterly reports of an insats. The reports area answers it and the app
shell hands it to the application routes, so that applications never import reports."""


async def readiness(
    row: dict[str, Any], report_counts: ReportCounts, requirements: list[Requirement] | None = None
) -> list[ReadinessItem]:
    """The extension readiness check the office sees beside the requirements and answers."""
    if requirements is None:
        requirements = await requirements_for(row)
    others = [
        (c["text"], bool(c["met"]))
        for c in await portfolio_queries.condition_rows(row["initiative"])
        if c["kind"] != ConditionKind.EXTENSION_REQUIREMENT and not c["ended_by"]
    ]
    reports = await report_counts(row["initiative"], dt.date.today())
    return extension_readiness(requirements, row["content"].requirement_answers, others, reports)


async def submit(actor: Principal, application_id: int, version: int) -> dict[str, Any]:
    """Freeze the current draft as the next version and send it to the office."""
    async with write_transaction():
        row = await get_application(actor, application_id)
        status = ApplicationStatus(row["status"])
        require(can_edit_application(actor, row["organisation"], status))
        problems = await submission_check(row)
        if problems:
            raise ValidationFailed(problems)
        number = len(await queries.version_rows(application_id)) + 1
        await update_versioned(
            Application,
            application_id,
            version,
            {
                Application.status: ApplicationStatus.SUBMITTED,
                Application.submitted_at: _now(),
                Application.updated_at: _now(),
            },
            what="Ansökan",
        )
        await ApplicationVersion.insert(
            ApplicationVersion(
                application=application_id,
                number=number,
                content=encode_content(row["content"]),
                applied_amount=applied_amount(row["content"]),
                submitted_by=actor.user_id,
            )
        )
        await audit.record(
            actor,
            "submit",
            "application",
            application_id,
            {"status": status.value},
            {"status": ApplicationStatus.SUBMITTED.value, "version_number": number},
            f"Version {number} inskickad",
        )
        await notifications.application_submitted(
            actor, row, number, applied_amount(row["content"])
        )
    return await get_application(actor, application_id)


async def request_completion(
    actor: Principal, application_id: int, version: int, message: str
) -> dict[str, Any]:
    """Send the application back to its owner with what must be completed."""
    if not message.strip():
        raise ValidationFailed([FieldProblem("message", "Skriv vad som ska kompletteras.")])
    async with write_transaction():
        row = await get_application(actor, application_id)
        status = ApplicationStatus(row["status"])
        require(can_review_application(actor, status))
        await update_versioned(
            Application,
            application_id,
            version,
            {
                Application.status: ApplicationStatus.COMPLETION_REQUESTED,
                Application.completion_message: message.strip(),
                Application.updated_at: _now(),
            },
            what="Ansökan",
        )
        await audit.record(
            actor,
            "request_completion",
            "application",
            application_id,
            {"status": status.value},
            {"status": ApplicationStatus.COMPLETION_REQUESTED.value, "message": message.strip()},
            "Komplettering begärd",
        )
        await notifications.completion_requested(actor, row, message.strip())
    return await get_application(actor, application_id)


async def versions(actor: Principal, application_id: int) -> list[dict[str, Any]]:
    await get_application(actor, application_id)
    return [
        {**v, "content": decode_content(v["content"])}
        for v in await queries.version_rows(application_id)
    ]


async def compare(actor: Principal, application_id: int, old: int, new: int) -> list[Change]:
    """What changed between two submitted versions (0 as `new` means the current draft)."""
    row = await get_application(actor, application_id)
    by_number = {v["number"]: v["content"] for v in await versions(actor, application_id)}
    if old not in by_number or (new != 0 and new not in by_number):
        raise NotFound("Versionen finns inte.")
    return diff_versions(by_number[old], row["content"] if new == 0 else by_number[new])


# -- attachments ---------------------------------------------------------------------------


async def application_document(
    actor: Principal, application_id: int, number: int | None = None
) -> tuple[ApplicationDocument, str]:
    """What the application PDF shows, and its file name: a submitted version, or the current
    draft when no number is given and the application is still editable (to its owners and
    the office; the board reads only what was sent in)."""
    row = await get_application(actor, application_id)
    content: ApplicationContent = row["content"]
    submitted = None
    sent = await versions(actor, application_id)
    draft_shown = (
        ApplicationStatus(row["status"]) in EDITABLE_STATUSES and actor.role is not Role.BOARD
    )
    if number is None and not draft_shown:
        # Once sent in, "the application" is the last version sent, not the working draft.
        number = sent[-1]["number"] if sent else None
    if number is not None:
        by_number = {v["number"]: v for v in sent}
        if number not in by_number:
            raise NotFound("Versionen finns inte.")
        content, submitted = by_number[number]["content"], by_number[number]["submitted_at"].date()
    names = await core_queries.organisation_names()
    content = with_owner_names(content, row["organisation"], names)
    association = await core_queries.required_association()
    answers = {a.requirement_id: a.answer for a in content.requirement_answers}
    document = ApplicationDocument(
        association_name=association["name"],
        kind=ApplicationKind(row["kind"]),
        version=number or 0,
        submitted_on=submitted,
        content=content,
        organisation_names=names,
        requirements=[(r.question, answers.get(r.id, "")) for r in await requirements_for(row)],
    )
    return document, f"Ansokan {content.insats_name or row['id']}.pdf"
