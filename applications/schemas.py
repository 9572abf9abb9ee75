"""Request and response Structs of the applications API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from applications.budget import Budget, BudgetTotals, BudgetWarning, check_budget, compute_totals
from applications.domain import (
    ApplicationContent,
    ApplicationKind,
    ApplicationStatus,
    Change,
    ReadinessItem,
    Requirement,
)
from portfolio.core.domain import FieldProblem
from portfolio.core.schemas import Clause


class ApplicationCreate(msgspec.Struct):
    kind: ApplicationKind
    insats_name: Annotated[str, Meta(max_length=255)] = ""
    initiative_id: int | None = None


class ReceivedApplicationIn(msgspec.Struct):
    """An application that arrived by e-mail or on paper, registered by the office."""

    organisation_id: int
    kind: ApplicationKind
    received_on: dt.date
    insats_name: Annotated[str, Meta(max_length=300)] = ""
    initiative_id: int | None = None
    applied_amount: Annotated[int, Meta(ge=0, le=1_000_000_000)] = 0


class DraftIn(msgspec.Struct):
    version: Annotated[int, Meta(ge=1)]
    content: ApplicationContent


class VersionIn(msgspec.Struct):
    version: Annotated[int, Meta(ge=1)]


class CompletionIn(msgspec.Struct):
    version: Annotated[int, Meta(ge=1)]
    message: Clause


class ApplicationSummary(msgspec.Struct):
    id: int
    initiative_id: int
    organisation_id: int
    organisation_name: str
    kind: ApplicationKind
    status: ApplicationStatus
    title: str
    applied_amount: int
    version: int
    submitted_at: dt.datetime | None


class BudgetReview(msgspec.Struct):
    """The budget's computed totals and every warning, for the page and API alike."""

    totals: BudgetTotals | None
    warnings: list[BudgetWarning]


class ApplicationOut(msgspec.Struct):
    id: int
    initiative_id: int
    organisation_id: int
    organisation_name: str
    kind: ApplicationKind
    status: ApplicationStatus
    title: str
    applied_amount: int
    version: int
    submitted_at: dt.datetime | None
    completion_message: str
    content: ApplicationContent
    budget: BudgetReview
    submission_problems: list[FieldProblem]
    requirements: list[Requirement] = []
    readiness: list[ReadinessItem] = []
    registered_by_office: bool = False
    received_on: dt.date | None = None


class VersionOut(msgspec.Struct):
    number: int
    submitted_at: dt.datetime
    applied_amount: int
    content: ApplicationContent


class BudgetImportOut(msgspec.Struct):
    budget: Budget | None
    warnings: list[dict[str, str]]


class AttachmentOut(msgspec.Struct):
    id: int
    application_id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    # The version it was sent in with: from then on it is on record and cannot be removed.
    sent_in_version: int | None = None


def review_budget(budget: Budget) -> BudgetReview:
    if not budget.lines and not budget.years and not budget.stated:
        return BudgetReview(totals=None, warnings=[])
    return BudgetReview(totals=compute_totals(budget), warnings=check_budget(budget))


def summary_out(row: dict[str, Any]) -> ApplicationSummary:
    return ApplicationSummary(
        id=row["id"],
        initiative_id=row["initiative"],
        organisation_id=row["organisation"],
        organisation_name=row["organisation_name"],
        kind=ApplicationKind(row["kind"]),
        status=ApplicationStatus(row["status"]),
        title=row["title"],
        applied_amount=row["applied_amount"],
        version=row["version"],
        submitted_at=row["submitted_at"],
    )


def application_out(
    row: dict[str, Any],
    problems: list[FieldProblem],
    requirements: list[Requirement] | None = None,
    readiness: list[ReadinessItem] | None = None,
) -> ApplicationOut:
    content: ApplicationContent = row["content"]
    return ApplicationOut(
        id=row["id"],
        initiative_id=row["initiative"],
        organisation_id=row["organisation"],
        organisation_name=row["organisation_name"],
        kind=ApplicationKind(row["kind"]),
        status=ApplicationStatus(row["status"]),
        title=row["title"],
        applied_amount=row["applied_amount"],
        version=row["version"],
        submitted_at=row["submitted_at"],
        completion_message=row["completion_message"],
        content=content,
        budget=review_budget(content.budget),
        submission_problems=problems,
        requirements=requirements or [],
        readiness=readiness or [],
        registered_by_office=bool(row.get("registered_by_office")),
        received_on=row.get("received_on"),
    )


def attachment_out(row: dict[str, Any]) -> AttachmentOut:
    return AttachmentOut(
        id=row["id"],
        application_id=row["application"],
        filename=row["filename"],
        content_type=row["content_type"],
        size=row["size"],
        sha256=row["sha256"],
        uploaded_at=row["uploaded_at"],
        sent_in_version=row.get("sent_in"),
    )


__all__ = ["Change"]
