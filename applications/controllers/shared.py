"""What the application API and pages share: the request type, who may read and who may write
an application, the owners of an application or an attachment for the access guards, and
reading an upload (at most 20 MB) and a budget workbook off the event loop.
"""

from __future__ import annotations

from typing import Any, cast

import anyio.to_thread
from litestar import Request
from litestar.datastructures import UploadFile

from applications.budget_xlsx import ImportResult, import_budget
from applications.services import ReportCounts
from applications.tables import Application, Attachment
from portfolio.accounts.access import Who, access
from portfolio.accounts.guards import owners_of
from portfolio.core.domain import FieldProblem, Principal
from portfolio.core.errors import ValidationFailed
from portfolio.core.web import principal

AnyRequest = Request[Any, Any, Any]


def _me(request: AnyRequest) -> Principal:
    return principal(request)


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
