"""What the application API and pages share: the request type, who may read and who may write
an application, the owners of an application or an attachment for the access guards, and
reading an upload (at most 20 MB) and a budget workbook off the event loop.
"""

from __future__ import annotations

from typing import Any, cast

import anyio.to_thread
import msgspec
from litestar.datastructures import UploadFile

from applications.budget_xlsx import ImportResult, import_budget
from applications.schemas import ReceivedApplicationIn
from applications.services import ReportCounts
from applications.tables import Application, Attachment
from portfolio.accounts.access import Who, access
from portfolio.accounts.guards import owners_of
from portfolio.core.domain import FieldProblem
from portfolio.core.errors import ValidationFailed
from portfolio.core.web import AnyRequest as AnyRequest


async def _read_upload(upload: UploadFile) -> bytes:
    limit = 20 * 1024 * 1024
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationFailed([FieldProblem("file", "Filen är större än 20 MB.")])
    return data


@owners_of("application_id")
async def _application_owners(application_id: int) -> set[int]:
    row = await Application.select(Application.organisation).where(Application.id == application_id)
    return {r["organisation"] for r in row}


@owners_of("attachment_id")
async def _attachment_owners(attachment_id: int) -> set[int]:
    rows = await Attachment.select(Attachment.application.organisation).where(
        Attachment.id == attachment_id
    )
    return {r["application.organisation"] for r in rows}


# Reading an application: the office, the board (once sent in: the service checks), its owners.
READERS = access(Who.OFFICE, Who.BOARD, Who.OWN)
# Writing one: only the lead owner's people.
WRITERS = access(Who.OWN)


async def _import_budget(data: bytes) -> ImportResult:
    """Reading a workbook is a few hundred milliseconds of CPU: off the event loop, so the
    worker's other requests go on meanwhile."""
    return await anyio.to_thread.run_sync(import_budget, data)


def report_counts(request: AnyRequest) -> ReportCounts:
    """The reports area's count of an insats's reports, which the app shell puts in the app's state."""
    return cast(ReportCounts, request.app.state.report_counts)


RECEIVED_FIELD_PROBLEMS = {
    "organisation_id": "Välj vilken organisation ansökan kommer från.",
    "initiative_id": "Välj vilken insats ansökan gäller.",
    "kind": "Ange om ansökan gäller en ny insats eller en förlängning.",
    "received_on": "Ange dagen då ansökan kom in, till exempel 2026-11-30.",
    "applied_amount": "Ange sökt belopp i hela kronor.",
    "insats_name": "Insatsens namn får vara högst 300 tecken.",
}


def parse_received(data: dict[str, Any]) -> tuple[ReceivedApplicationIn, UploadFile]:
    """A received application's form fields and its original file, or the first problem."""
    upload = data.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise ValidationFailed([FieldProblem("file", "Bifoga den inkomna ansökan som fil.")])
    fields = {k: v for k, v in data.items() if k != "file" and isinstance(v, str) and v != ""}
    try:
        received = msgspec.convert(fields, ReceivedApplicationIn, strict=False)
    except msgspec.ValidationError as exc:
        field = next((f for f in RECEIVED_FIELD_PROBLEMS if f in str(exc)), "received_on")
        raise ValidationFailed([FieldProblem(field, RECEIVED_FIELD_PROBLEMS[field])]) from None
    return received, upload
