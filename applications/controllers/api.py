"""The JSON API of applications under /api/applications and /api/attachments: listing,
creating, drafting, submitting and completing applications, their versions and comparisons, the
budget as Excel both ways, the PDF, and attachments.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import msgspec
from litestar import Controller, Response, delete, get, post, put
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery, JSONBody, MultipartBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from applications import attachment_services, queries, services
from applications import received as received_services
from applications.attachments import CONTENT_TYPES
from applications.controllers.shared import (
    READERS,
    WRITERS,
    AnyRequest,
    _import_budget,
    _read_upload,
    parse_received,
    report_counts,
)
from applications.documents import render_application_pdf
from applications.domain import ApplicationKind, ApplicationStatus, Change
from applications.schemas import (
    ApplicationCreate,
    ApplicationOut,
    ApplicationSummary,
    AttachmentOut,
    BudgetImportOut,
    CompletionIn,
    DraftIn,
    VersionIn,
    VersionOut,
    application_out,
    attachment_out,
    summary_out,
)
from portfolio.accounts.access import SIGNED_IN, Who, access
from portfolio.accounts.guards import office_only, signed_in
from portfolio.core.api_docs import served_as
from portfolio.core.domain import FieldProblem, Principal
from portfolio.core.errors import ValidationFailed
from portfolio.core.web import (
    XLSX,
    download,
)
from portfolio.core.web import me as _me


async def _out(row: dict[str, Any], request: AnyRequest) -> ApplicationOut:
    requirements = await services.requirements_for(row)
    extension = ApplicationKind(row["kind"]) is ApplicationKind.EXTENSION
    return application_out(
        row,
        await services.submission_check(row, requirements),
        requirements,
        await services.readiness(row, report_counts(request), requirements) if extension else [],
    )


async def _document(actor: Principal, application_id: int, number: int | None) -> tuple[bytes, str]:
    document, filename = await services.application_document(actor, application_id, number)
    return render_application_pdf(document), filename


@dataclasses.dataclass
class ReceivedForm:
    """The multipart form of a received application: its original file and the form fields
    (read by `parse_received`, which names each unreadable field in Swedish)."""

    file: UploadFile | None = None
    organisation_id: str = ""
    kind: str = ""
    received_on: str = ""
    insats_name: str = ""
    initiative_id: str = ""
    applied_amount: str = ""


class ApplicationApi(Controller):
    path = "/api/applications"
    tags = ["Ansökningar"]
    guards = [signed_in]
    opt = READERS

    @get("/", opt=access(*SIGNED_IN))
    async def list_applications(
        self, request: AnyRequest, status: FromQuery[ApplicationStatus | None] = None
    ) -> list[ApplicationSummary]:
        return [summary_out(row) for row in await queries.application_rows(_me(request), status)]

    @post(
        "/",
        opt=access(
            Who.OWNER,
            refusal="Ansökningar skrivs av insatsägare. En ansökan som kommit in per e-post "
            "eller på papper registrerar kansliet som inkommen (POST /api/applications/received).",
        ),
    )
    async def create(
        self, request: AnyRequest, data: JSONBody[ApplicationCreate]
    ) -> ApplicationOut:
        """A new draft; a new insats is registered as applied, an extension starts from the last version."""
        row = await services.create_application(
            _me(request), data.kind, data.insats_name, data.initiative_id
        )
        return await _out(row, request)

    @post("/received", guards=[office_only], opt=access(Who.OFFICE))
    async def register_received(
        self, request: AnyRequest, data: MultipartBody[ReceivedForm]
    ) -> ApplicationOut:
        """An application that arrived by e-mail or on paper, with the original file (`file`):
        registered by the office for the organisation, sent in on `received_on`."""
        received, upload = parse_received(
            {k: v for k, v in dataclasses.asdict(data).items() if v is not None}
        )
        row = await received_services.register_received(
            _me(request), received, upload.filename or "ansokan", await _read_upload(upload)
        )
        return await _out(row, request)

    @get("/{application_id:int}")
    async def show(self, request: AnyRequest, application_id: FromPath[int]) -> ApplicationOut:
        return await _out(await services.get_application(_me(request), application_id), request)

    @put("/{application_id:int}/draft", opt=WRITERS)
    async def save_draft(
        self, request: AnyRequest, application_id: FromPath[int], data: JSONBody[DraftIn]
    ) -> ApplicationOut:
        """Save the draft as it is, complete or not; only `version` must be current."""
        return await _out(
            await services.save_draft(_me(request), application_id, data.version, data.content),
            request,
        )

    @post("/{application_id:int}/submit", status_code=HTTP_200_OK, opt=WRITERS)
    async def submit(
        self, request: AnyRequest, application_id: FromPath[int], data: JSONBody[VersionIn]
    ) -> ApplicationOut:
        """Freeze the draft as the next version; 422 lists every problem, the draft stays saved."""
        return await _out(
            await services.submit(_me(request), application_id, data.version), request
        )

    @post("/{application_id:int}/completion", status_code=HTTP_200_OK, opt=access(Who.OFFICE))
    async def request_completion(
        self, request: AnyRequest, application_id: FromPath[int], data: JSONBody[CompletionIn]
    ) -> ApplicationOut:
        return await _out(
            await services.request_completion(
                _me(request), application_id, data.version, data.message
            ),
            request,
        )

    @get("/{application_id:int}/versions")
    async def versions(
        self, request: AnyRequest, application_id: FromPath[int]
    ) -> list[VersionOut]:
        return [
            VersionOut(
                number=v["number"],
                submitted_at=v["submitted_at"],
                applied_amount=v["applied_amount"],
                content=v["content"],
            )
            for v in await services.versions(_me(request), application_id)
        ]

    @get("/{application_id:int}/compare")
    async def compare(
        self,
        request: AnyRequest,
        application_id: FromPath[int],
        old: FromQuery[int],
        new: FromQuery[int] = 0,
    ) -> list[Change]:
        """Sections changed between two versions (`new` 0: the current draft)."""
        return await services.compare(_me(request), application_id, old, new)

    @get("/{application_id:int}/budget.xlsx", media_type=XLSX)
    async def budget_xlsx(
        self, request: AnyRequest, application_id: FromPath[int]
    ) -> Response[bytes]:
        data, name = await services.budget_workbook(_me(request), application_id)
        return download(data, name, XLSX)

    @post("/{application_id:int}/budget/import", status_code=HTTP_200_OK, opt=WRITERS)
    async def budget_import(
        self,
        request: AnyRequest,
        application_id: FromPath[int],
        data: MultipartBody[dict[str, UploadFile]],
    ) -> BudgetImportOut:
        """Parse a filled budget template; nothing is saved until the draft is."""
        await services.get_application(_me(request), application_id)
        upload = data.get("file")
        if upload is None:
            raise ValidationFailed([FieldProblem("file", "Välj en Excel-fil.")])
        result = await _import_budget(await _read_upload(upload))
        return BudgetImportOut(
            budget=result.budget, warnings=[msgspec.to_builtins(w) for w in result.warnings]
        )

    @get("/{application_id:int}/pdf", media_type="application/pdf")
    async def pdf(
        self,
        request: AnyRequest,
        application_id: FromPath[int],
        version: FromQuery[int | None] = None,
    ) -> Response[bytes]:
        data, filename = await _document(_me(request), application_id, version)
        return download(data, filename, "application/pdf")

    @get("/{application_id:int}/attachments")
    async def attachments(
        self, request: AnyRequest, application_id: FromPath[int]
    ) -> list[AttachmentOut]:
        return [
            attachment_out(r)
            for r in await attachment_services.attachments_for(_me(request), application_id)
        ]

    @post("/{application_id:int}/attachments", opt=WRITERS)
    async def add_attachment(
        self,
        request: AnyRequest,
        application_id: FromPath[int],
        data: MultipartBody[dict[str, UploadFile]],
    ) -> AttachmentOut:
        upload = data.get("file")
        if upload is None:
            raise ValidationFailed([FieldProblem("file", "Välj en fil.")])
        row = await attachment_services.add_attachment(
            _me(request), application_id, upload.filename or "bilaga", await _read_upload(upload)
        )
        return attachment_out(row)


class AttachmentApi(Controller):
    path = "/api/attachments"
    tags = ["Ansökningar"]
    guards = [signed_in]
    opt = READERS

    @get("/{attachment_id:int}", operation_class=served_as(*CONTENT_TYPES.values()))
    async def download(self, request: AnyRequest, attachment_id: FromPath[int]) -> Response[bytes]:
        row, data = await attachment_services.attachment_file(_me(request), attachment_id)
        return download(data, row["filename"], row["content_type"])

    @delete("/{attachment_id:int}", status_code=HTTP_204_NO_CONTENT, opt=WRITERS)
    async def remove(self, request: AnyRequest, attachment_id: FromPath[int]) -> None:
        await attachment_services.remove_attachment(_me(request), attachment_id)
