"""An application that arrived by e-mail or on paper, registered by the office for the
organisation as sent in on the day it came, with its original file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from applications import queries
from applications.attachments import AttachmentRefused, check_upload
from applications.domain import (
    ApplicationContent,
    ApplicationKind,
    ApplicationStatus,
    Party,
)
from applications.files import _store_file
from applications.permissions import (
    can_register_received,
)
from applications.schemas import ReceivedApplicationIn
from applications.services import encode_content, get_application
from applications.tables import Application, ApplicationVersion, Attachment
from portfolio.accounts.permissions import require
from portfolio.core import audit
from portfolio.core import queries as core_queries
from portfolio.core.db import write_transaction
from portfolio.core.domain import (
    FieldProblem,
    InitiativeKind,
    InitiativeStatus,
    Principal,
)
from portfolio.core.errors import ValidationFailed
from portfolio.core.tables import Initiative
from portfolio.register.services import get_initiative


async def register_received(
    actor: Principal, data: ReceivedApplicationIn, filename: str, original: bytes
) -> dict[str, Any]:
    """An application that arrived by e-mail or on paper: the office registers it for the
    organisation as sent in on the day it was received, with the original file as its
    attachment, marked as registered by the office; one transaction, audited."""
    require(can_register_received(actor))
    if data.received_on > dt.date.today():
        raise ValidationFailed(
            [
                FieldProblem(
                    "received_on", "Ansökan kan inte ha kommit in ett senare datum än i dag."
                )
            ]
        )
    organisation = await core_queries.organisation_row(data.organisation_id)
    if organisation is None:
        raise ValidationFailed([FieldProblem("organisation_id", "Organisationen finns inte.")])
    checked = check_upload(filename, original)
    if isinstance(checked, AttachmentRefused):
        raise ValidationFailed([FieldProblem("file", checked.message)])
    _store_file(checked.sha256, original)
    # The day it was received, at noon in UTC so the date reads the same in Sweden.
    received_at = dt.datetime.combine(data.received_on, dt.time(12, 0), tzinfo=dt.UTC)
    async with write_transaction():
        extends = None
        if data.kind is ApplicationKind.NEW:
            if not data.insats_name.strip():
                raise ValidationFailed([FieldProblem("insats_name", "Ange insatsens namn.")])
            initiative_id = (
                await Initiative.insert(
                    Initiative(
                        name=data.insats_name.strip(),
                        kind=InitiativeKind.INDIVIDUAL,
                        status=InitiativeStatus.APPLIED,
                        lead_owner=data.organisation_id,
                    )
                ).returning(Initiative.id)
            )[0]["id"]
            title = data.insats_name.strip()
        else:
            if data.initiative_id is None:
                raise ValidationFailed(
                    [FieldProblem("initiative_id", "Välj vilken insats ansökan gäller.")]
                )
            initiative = await get_initiative(actor, data.initiative_id)
            if initiative["lead_owner"] != data.organisation_id:
                raise ValidationFailed(
                    [
                        FieldProblem(
                            "organisation_id",
                            "Organisationen är inte huvudinsatsägare för insatsen.",
                        )
                    ]
                )
            initiative_id = data.initiative_id
            title = data.insats_name.strip() or initiative["name"]
            previous = [
                r
                for r in await queries.application_rows_for_initiative(initiative_id)
                if r["status"] not in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)
            ]
            extends = previous[-1]["id"] if previous else None
        content = ApplicationContent(
            insats_name=title, lead_owner=Party(organisation_id=data.organisation_id)
        )
        row = (
            await Application.insert(
                Application(
                    initiative=initiative_id,
                    organisation=data.organisation_id,
                    kind=data.kind,
                    extends=extends,
                    status=ApplicationStatus.SUBMITTED,
                    title=title,
                    content=encode_content(content),
                    applied_amount=data.applied_amount,
                    created_by=actor.user_id,
                    submitted_at=received_at,
                    registered_by_office=True,
                    received_on=data.received_on,
                )
            ).returning(Application.id)
        )[0]
        await ApplicationVersion.insert(
            ApplicationVersion(
                application=row["id"],
                number=1,
                content=encode_content(content),
                applied_amount=data.applied_amount,
                submitted_at=received_at,
                submitted_by=actor.user_id,
            )
        )
        attachment = (
            await Attachment.insert(
                Attachment(
                    application=row["id"],
                    filename=checked.filename,
                    content_type=checked.content_type,
                    size=checked.size,
                    sha256=checked.sha256,
                    uploaded_by=actor.user_id,
                    uploaded_at=received_at,  # it came with the application: version 1's
                )
            ).returning(Attachment.id)
        )[0]
        await audit.record(
            actor,
            "register_received",
            "application",
            row["id"],
            None,
            {
                "kind": data.kind.value,
                "title": title,
                "organisation": organisation["name"],
                "received_on": data.received_on.isoformat(),
                "applied_amount": data.applied_amount,
                "attachment": checked.filename,
                "attachment_id": attachment["id"],
            },
            f"Inkommen ansökan registrerad av kansliet ({organisation['name']})",
        )
    return await get_application(actor, row["id"])
