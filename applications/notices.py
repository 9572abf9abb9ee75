"""The mails an application sends: a completion request to the owner, and the receipt of one sent in."""

from __future__ import annotations

from typing import Any

from portfolio.core import queries as core_queries
from portfolio.core.domain import Principal, Role
from portfolio.core.formatting import format_kronor
from portfolio.mail.domain import (
    MailKind,
)
from portfolio.mail.recipients import (
    Recipient,
    active_users,
    link,
    organisation_people,
    queue_to,
)


async def completion_requested(actor: Principal, application: dict[str, Any], message: str) -> int:
    """What the office wants completed, to the applying organisation's people and its contact."""
    recipients = await organisation_people(application["organisation"])
    content = application.get("content")
    lead = getattr(content, "lead_owner", None)
    if lead is not None and lead.contact_email:
        recipients.append(
            Recipient(lead.contact_email, lead.contact_name, None, application["organisation"])
        )
    organisation = await core_queries.organisation_row(application["organisation"]) or {}
    context = {
        "title": application["title"],
        "organisation": organisation.get("name", ""),
        "message": message,
        "link": link(f"/ansokningar/{application['id']}"),
    }
    return await queue_to(
        actor,
        MailKind.COMPLETION_REQUEST,
        recipients,
        context,
        entity="application",
        entity_id=application["id"],
    )


async def application_submitted(
    actor: Principal, application: dict[str, Any], version_number: int, applied_amount: int
) -> int:
    """A sent-in application, to the office."""
    organisation = await core_queries.organisation_row(application["organisation"]) or {}
    context = {
        "title": application["title"],
        "organisation": organisation.get("name", ""),
        "version_number": version_number,
        "applied_amount": format_kronor(applied_amount),
        "link": link(f"/ansokningar/{application['id']}"),
    }
    return await queue_to(
        actor,
        MailKind.APPLICATION_SUBMITTED,
        await active_users(Role.OFFICE),
        context,
        entity="application",
        entity_id=application["id"],
    )
