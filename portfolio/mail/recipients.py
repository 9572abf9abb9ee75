"""What the use cases call to queue mail: who receives it, the template, and `queue_to`, which
composes the Swedish text and queues it in the caller's transaction (a change that rolls back sends
nothing) with one audit entry. Mail knows nothing of the areas that trigger it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import msgspec
from jinja2 import TemplateError

from portfolio.core import audit
from portfolio.core import queries as core_queries
from portfolio.core.domain import Principal, Role
from portfolio.core.settings import get_settings
from portfolio.core.tables import Contact, User
from portfolio.mail import queue
from portfolio.mail.compose import MailTemplate, default_template, render
from portfolio.mail.domain import (
    MAIL_KIND_LABELS,
    Attachment,
    MailKind,
    Message,
    is_plausible_address,
)
from portfolio.mail.tables import MailTemplateEdit

log = logging.getLogger("finsam.mail")


class Recipient(msgspec.Struct, frozen=True):
    email: str
    name: str = ""
    user_id: int | None = None
    organisation_id: int | None = None


# -- who receives what ----------------------------------------------------------------------


async def active_users(
    role: Role | None = None, organisation_id: int | None = None
) -> list[Recipient]:
    query = User.select(User.id, User.email, User.name, User.organisation).where(
        User.active == True  # noqa: E712 - Piccolo builds SQL from the comparison
    )
    if role is not None:
        query = query.where(User.role == role)
    if organisation_id is not None:
        query = query.where(User.organisation == organisation_id)
    rows = await query.order_by(User.name)
    return [Recipient(r["email"], r["name"], r["id"], r["organisation"]) for r in rows]


async def organisation_recipients(organisation_id: int) -> list[Recipient]:
    """An organisation's people: its insatsägare accounts, or its contact persons if it has none."""
    users = await active_users(Role.OWNER, organisation_id)
    if users:
        return users
    contacts = await Contact.select(Contact.name, Contact.email).where(
        Contact.organisation == organisation_id
    )
    return [Recipient(c["email"], c["name"], None, organisation_id) for c in contacts if c["email"]]


async def organisation_people(organisation_id: int) -> list[Recipient]:
    """Everyone to tell of a decision or a completion request: the organisation's insatsägare
    accounts and its contact persons, each address once."""
    people = await active_users(Role.OWNER, organisation_id)
    contacts = await Contact.select(Contact.name, Contact.email).where(
        Contact.organisation == organisation_id
    )
    people += [
        Recipient(c["email"], c["name"], None, organisation_id) for c in contacts if c["email"]
    ]
    seen: set[str] = set()
    unique = []
    for person in people:
        if person.email.strip().casefold() not in seen:
            seen.add(person.email.strip().casefold())
            unique.append(person)
    return unique


# -- composing and queueing -----------------------------------------------------------------


async def template_for(kind: MailKind) -> MailTemplate:
    """The office's edited wording of a kind, or the shipped one."""
    row = (
        await MailTemplateEdit.select(MailTemplateEdit.subject, MailTemplateEdit.body)
        .where(MailTemplateEdit.kind == kind)
        .first()
    )
    return MailTemplate(row["subject"], row["body"]) if row else default_template(kind)


def link(path: str) -> str:
    return f"{get_settings().base_url}{path}"


async def _common_context() -> dict[str, Any]:
    association = await core_queries.association_row() or {}
    return {
        "association": association.get("name", ""),
        "director": association.get("director_name", ""),
    }


async def queue_to(
    actor: Principal | None,
    kind: MailKind,
    recipients: Sequence[Recipient],
    context: dict[str, Any],
    *,
    entity: str,
    entity_id: int | None,
    attachments: tuple[Attachment, ...] = (),
    note: str = "",
) -> int:
    """Compose one mail per recipient (each greeted by name) and queue them all; returns how many."""
    template = await template_for(kind)
    context = {**await _common_context(), **context}
    seen: set[str] = set()
    queued: list[str] = []
    for recipient in recipients:
        address = recipient.email.strip()
        if not is_plausible_address(address) or address.lower() in seen:
            continue
        seen.add(address.lower())
        values = {**context, "recipient_name": recipient.name or address}
        try:
            composed = render(template, values)
        except TemplateError:
            # An edited template that fails here must not stop the change it reports.
            log.exception("the edited %s template failed; using the shipped one", kind.value)
            composed = render(default_template(kind), values)
        await queue.enqueue(
            Message(address, recipient.name, composed.subject, composed.body, attachments),
            kind,
            recipient_user=recipient.user_id,
            organisation=recipient.organisation_id,
            entity=entity,
            entity_id=entity_id,
            note=note,
        )
        queued.append(address)
    if queued:
        await audit.record(
            actor,
            "queue",
            "mail",
            None,
            None,
            {"kind": kind.value, "entity": entity, "entity_id": entity_id, "recipients": queued},
            f"{MAIL_KIND_LABELS[kind]}: {len(queued)} mottagare",
        )
    return len(queued)
