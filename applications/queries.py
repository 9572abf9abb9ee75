"""Read queries over the application tables."""

from __future__ import annotations

import json
from typing import Any

from applications.domain import ApplicationStatus
from applications.tables import Application, ApplicationVersion, Attachment
from portfolio.core.domain import Principal, Role

_LIST_COLUMNS = (
    Application.id,
    Application.initiative,
    Application.organisation,
    Application.kind,
    Application.status,
    Application.title,
    Application.applied_amount,
    Application.version,
    Application.created_at,
    Application.updated_at,
    Application.submitted_at,
    Application.organisation.name.as_alias("organisation_name"),
)


async def application_rows(
    user: Principal, status: ApplicationStatus | None = None
) -> list[dict[str, Any]]:
    """The applications `user` may see, newest first; filtered in SQL, not after loading."""
    query = Application.select(*_LIST_COLUMNS).order_by(Application.updated_at, ascending=False)
    if user.role is Role.OWNER:
        query = query.where(Application.organisation == (user.organisation_id or -1))
    elif user.role is Role.BOARD:
        query = query.where(
            Application.status.not_in([ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
        )
    if status is not None:
        query = query.where(Application.status == status)
    rows = await query
    return await as_sent_in(rows) if user.role is Role.BOARD else rows


async def as_sent_in(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with the title and applied amount of their last version sent in: what the board
    reads in lists, never an owner's unsent edit."""
    ids = [row["id"] for row in rows]
    if not ids:
        return rows
    last: dict[int, dict[str, Any]] = {}
    for found in await (
        ApplicationVersion.select(
            ApplicationVersion.application,
            ApplicationVersion.applied_amount,
            ApplicationVersion.content,
        )
        .where(ApplicationVersion.application.is_in(ids))
        .order_by(ApplicationVersion.number)
    ):
        last[found["application"]] = found
    out = []
    for row in rows:
        version = last.get(row["id"])
        if version is None:
            out.append(row)
            continue
        content = version["content"]
        if not isinstance(content, dict):
            content = json.loads(content or "{}")
        out.append(
            {
                **row,
                "title": content.get("insats_name") or row.get("title", ""),
                "applied_amount": version["applied_amount"],
            }
        )
    return out


async def application_row(application_id: int) -> dict[str, Any] | None:
    return await (
        Application.select(
            *Application._meta.columns, Application.organisation.name.as_alias("organisation_name")
        )
        .where(Application.id == application_id)
        .first()
    )


async def application_rows_for_initiative(initiative_id: int) -> list[dict[str, Any]]:
    return (
        await Application.select(*_LIST_COLUMNS)
        .where(Application.initiative == initiative_id)
        .order_by(Application.id)
    )


async def version_rows(application_id: int) -> list[dict[str, Any]]:
    return await (
        ApplicationVersion.select()
        .where(ApplicationVersion.application == application_id)
        .order_by(ApplicationVersion.number)
    )


async def attachment_rows(application_id: int) -> list[dict[str, Any]]:
    return (
        await Attachment.select()
        .where(Attachment.application == application_id)
        .order_by(Attachment.id)
    )


async def attachment_row(attachment_id: int) -> dict[str, Any] | None:
    return await Attachment.select().where(Attachment.id == attachment_id).first()
