"""Every route of the applications package: the API under /api/applications and the pages."""

from __future__ import annotations

from typing import Annotated, Any

import anyio.to_thread
import msgspec
from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import UploadFile
from litestar.params import (
    FromPath,
    FromQuery,
    JSONBody,
    MultipartBody,
    QueryParameter,
    URLEncodedBody,
)
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from applications import queries, services
from applications.budget import BLOCK_LABELS, CATEGORY_LABELS, BudgetBlock, CostCategory
from applications.budget_xlsx import ImportResult, import_budget
from applications.documents import render_application_pdf
from applications.domain import (
    AGREEMENT_TEXT,
    APPLICATION_KIND_LABELS,
    APPLICATION_STATUS_LABELS,
    GOAL_KIND_LABELS,
    SECTION_LABELS,
    ApplicationContent,
    ApplicationKind,
    ApplicationStatus,
    Change,
)
from applications.forms import TEXT_FIELDS, parse_form, row_count, to_form
from applications.permissions import (
    can_create_application,
    can_edit_application,
    can_review_application,
)
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
    review_budget,
    summary_out,
)
from applications.tables import Application, Attachment
from portfolio.accounts.access import SIGNED_IN, Who, access
from portfolio.accounts.guards import owners_of, signed_in
from portfolio.core.domain import FieldProblem, Principal
from portfolio.core.errors import DomainError, ValidationFailed
from portfolio.core.web import download, principal, problems_by_field
from portfolio.register import queries as portfolio_queries

AnyRequest = Request[Any, Any, Any]
Form = URLEncodedBody[dict[str, Any]]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _me(request: AnyRequest) -> Principal:
    return principal(request)


async def _out(row: dict[str, Any]) -> ApplicationOut:
    requirements = await services.requirements_for(row)
    extension = ApplicationKind(row["kind"]) is ApplicationKind.EXTENSION
    return application_out(
        row,
        await services.submission_check(row, requirements),
        requirements,
        await services.readiness(row, requirements) if extension else [],
    )


async def _document(actor: Principal, application_id: int, number: int | None) -> tuple[bytes, str]:
    document, filename = await services.application_document(actor, application_id, number)
    return render_application_pdf(document), filename


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


# == API ====================================================================================


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

    @post("/", opt=access(Who.OWNER))
    async def create(
        self, request: AnyRequest, data: JSONBody[ApplicationCreate]
    ) -> ApplicationOut:
        """A new draft; a new insats is registered as applied, an extension starts from the last version."""
        row = await services.create_application(
            _me(request), data.kind, data.insats_name, data.initiative_id
        )
        return await _out(row)

    @get("/{application_id:int}")
    async def show(self, request: AnyRequest, application_id: FromPath[int]) -> ApplicationOut:
        return await _out(await services.get_application(_me(request), application_id))

    @put("/{application_id:int}/draft", opt=WRITERS)
    async def save_draft(
        self, request: AnyRequest, application_id: FromPath[int], data: JSONBody[DraftIn]
    ) -> ApplicationOut:
        """Save the draft as it is, complete or not; only `version` must be current."""
        return await _out(
            await services.save_draft(_me(request), application_id, data.version, data.content)
        )

    @post("/{application_id:int}/submit", status_code=HTTP_200_OK, opt=WRITERS)
    async def submit(
        self, request: AnyRequest, application_id: FromPath[int], data: JSONBody[VersionIn]
    ) -> ApplicationOut:
        """Freeze the draft as the next version; 422 lists every problem, the draft stays saved."""
        return await _out(await services.submit(_me(request), application_id, data.version))

    @post("/{application_id:int}/completion", status_code=HTTP_200_OK, opt=access(Who.OFFICE))
    async def request_completion(
        self, request: AnyRequest, application_id: FromPath[int], data: JSONBody[CompletionIn]
    ) -> ApplicationOut:
        return await _out(
            await services.request_completion(
                _me(request), application_id, data.version, data.message
            )
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
            attachment_out(r) for r in await services.attachments_for(_me(request), application_id)
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
        row = await services.add_attachment(
            _me(request), application_id, upload.filename or "bilaga", await _read_upload(upload)
        )
        return attachment_out(row)


class AttachmentApi(Controller):
    path = "/api/attachments"
    tags = ["Ansökningar"]
    guards = [signed_in]
    opt = READERS

    @get("/{attachment_id:int}")
    async def download(self, request: AnyRequest, attachment_id: FromPath[int]) -> Response[bytes]:
        row, data = await services.attachment_file(_me(request), attachment_id)
        return download(data, row["filename"], row["content_type"])

    @delete("/{attachment_id:int}", status_code=HTTP_204_NO_CONTENT, opt=WRITERS)
    async def remove(self, request: AnyRequest, attachment_id: FromPath[int]) -> None:
        await services.remove_attachment(_me(request), attachment_id)


# == pages ==================================================================================


async def _import_budget(data: bytes) -> ImportResult:
    """Reading a workbook is a few hundred milliseconds of CPU: off the event loop, so the
    worker's other requests go on meanwhile."""
    return await anyio.to_thread.run_sync(import_budget, data)


async def _form_context(
    actor: Principal,
    row: dict[str, Any],
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    error: str | None = None,
    notices: list[str] | None = None,
    content: ApplicationContent | None = None,
) -> dict[str, Any]:
    content = content or row["content"]
    values = values if values is not None else to_form(content)
    organisations = await portfolio_queries.organisation_rows()
    requirements = await services.requirements_for(row)
    return {
        "application": row,
        "content": content,
        "values": values,
        "errors": errors or {},
        "error": error,
        "notices": notices or [],
        "organisations": organisations,
        "members": [o for o in organisations if o["is_member"]],
        "names": {o["id"]: o["name"] for o in organisations},
        "rows": {
            prefix: row_count(values, prefix)
            for prefix in ("goal", "co", "partner", "line", "year", "approval")
        },
        "owner_columns": 1
        + sum(1 for i in range(row_count(values, "co")) if values.get(f"co-{i}-org")),
        "budget": review_budget(content.budget),
        "problems": await services.submission_check({**row, "content": content}, requirements),
        "requirements": requirements,
        "agreement_text": AGREEMENT_TEXT,
        "attachments": await services.attachments_for(actor, row["id"]),
        **_labels(),
    }


def _labels() -> dict[str, Any]:
    return {
        "KIND_LABELS": APPLICATION_KIND_LABELS,
        "STATUS_LABELS": APPLICATION_STATUS_LABELS,
        "GOAL_KIND_LABELS": GOAL_KIND_LABELS,
        "BLOCK_LABELS": BLOCK_LABELS,
        "CATEGORY_LABELS": CATEGORY_LABELS,
        "BudgetBlock": BudgetBlock,
        "CostCategory": CostCategory,
        "ApplicationKind": ApplicationKind,
        "TEXT_SECTIONS": [(n, SECTION_LABELS[n]) for n in TEXT_FIELDS if n != "insats_name"],
    }


class ApplicationPages(Controller):
    path = "/ansokningar"
    include_in_schema = False
    guards = [signed_in]
    opt = READERS

    @get("/", opt=access(*SIGNED_IN))
    async def list_page(self, request: AnyRequest) -> Template:
        user = _me(request)
        rows = await queries.application_rows(user)
        initiatives = await portfolio_queries.initiative_rows(user) if user.organisation_id else []
        own = [i for i in initiatives if i["lead_owner"] == user.organisation_id]
        return Template(
            "applications.html",
            context={
                "applications": rows,
                "can_create": bool(can_create_application(user)),
                "own_initiatives": own,
                **_labels(),
            },
        )

    @post("/", opt=access(Who.OWNER))
    async def create(self, request: AnyRequest, data: Form) -> Template | Redirect:
        user = _me(request)
        try:
            kind = ApplicationKind(str(data.get("kind", "new")))
            initiative = str(data.get("initiative_id", "") or "")
            row = await services.create_application(
                user,
                kind,
                str(data.get("insats_name", "")),
                int(initiative) if initiative else None,
            )
        except (DomainError, ValueError) as exc:
            flash(
                request,
                exc.message if isinstance(exc, DomainError) else "Välj slag av ansökan.",
                category="error",
            )
            return Redirect("/ansokningar")
        return Redirect(f"/ansokningar/{row['id']}/redigera")

    @get("/{application_id:int}")
    async def detail(
        self,
        request: AnyRequest,
        application_id: FromPath[int],
        old: Annotated[int | None, QueryParameter(name="jamfor")] = None,
    ) -> Template:
        user = _me(request)
        row = await services.get_application(user, application_id)
        status = ApplicationStatus(row["status"])
        versions = await services.versions(user, application_id)
        requirements = await services.requirements_for(row)
        changes = None
        if old is not None and versions:
            changes = await services.compare(
                user,
                application_id,
                old,
                versions[-1]["number"] if old != versions[-1]["number"] else 0,
            )
        return Template(
            "application.html",
            context={
                "application": row,
                "content": row["content"],
                "versions": versions,
                "changes": changes,
                "compared": old,
                "attachments": await services.attachments_for(user, application_id),
                "can_edit": bool(can_edit_application(user, row["organisation"], status)),
                "can_review": bool(can_review_application(user, status)),
                "budget": review_budget(row["content"].budget),
                "names": await portfolio_queries.organisation_names(),
                "requirements": requirements,
                "answers": {a.requirement_id: a.answer for a in row["content"].requirement_answers},
                "readiness": await services.readiness(row, requirements)
                if row["kind"] == ApplicationKind.EXTENSION
                else [],
                **_labels(),
            },
        )

    @get("/{application_id:int}/redigera", opt=WRITERS)
    async def edit(self, request: AnyRequest, application_id: FromPath[int]) -> Template:
        user = _me(request)
        row = await services.get_application(user, application_id)
        if not can_edit_application(user, row["organisation"], ApplicationStatus(row["status"])):
            return Template(
                "error.html",
                context={
                    "status": 403,
                    "message": can_edit_application(
                        user, row["organisation"], ApplicationStatus(row["status"])
                    ).reason,
                },
                status_code=403,
            )
        return Template("application_form.html", context=await _form_context(user, row))

    @post("/{application_id:int}/redigera", opt=WRITERS)
    async def save(
        self, request: AnyRequest, application_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        """Save the draft; with action=submit, then send it in. Every typed value survives an error."""
        user = _me(request)
        row = await services.get_application(user, application_id)
        content, problems = parse_form(data, owner_count=0)
        if problems:
            context = await _form_context(
                user,
                row,
                values=data,
                errors={p.field: p.message for p in problems},
                error="Några fält kunde inte läsas. Inget är sparat ännu.",
                content=content,
            )
            return Template("application_form.html", context=context, status_code=422)
        try:
            version = int(str(data.get("version", "0")))
            saved = await services.save_draft(user, application_id, version, content)
        except DomainError as exc:
            context = await _form_context(
                user,
                row,
                values=data,
                errors=problems_by_field(exc),
                error=exc.message,
                content=content,
            )
            return Template("application_form.html", context=context, status_code=exc.status_code)
        if data.get("action") != "submit":
            flash(request, "Utkastet är sparat.", category="success")
            return Redirect(f"/ansokningar/{application_id}/redigera")
        try:
            await services.submit(user, application_id, saved["version"])
        except DomainError as exc:
            context = await _form_context(
                user,
                saved,
                errors=problems_by_field(exc),
                error="Utkastet är sparat men kan inte skickas in än: " + exc.message,
            )
            return Template("application_form.html", context=context, status_code=exc.status_code)
        flash(request, "Ansökan är inskickad till förbundets kansli.", category="success")
        return Redirect(f"/ansokningar/{application_id}")

    @post("/{application_id:int}/budget/import", opt=WRITERS)
    async def import_budget_page(
        self,
        request: AnyRequest,
        application_id: FromPath[int],
        data: MultipartBody[dict[str, Any]],
    ) -> Template:
        """Show an uploaded budget parsed into the form, unsaved, with what did not fit."""
        user = _me(request)
        row = await services.get_application(user, application_id)
        upload = data.get("file")
        if not isinstance(upload, UploadFile):
            return Template(
                "application_form.html",
                context=await _form_context(user, row, error="Välj en Excel-fil."),
                status_code=422,
            )
        result = await _import_budget(await _read_upload(upload))
        notices = [
            f"{w.sheet} {w.cell}: {w.message}" if w.sheet or w.cell else w.message
            for w in result.warnings
        ]
        if result.budget is None:
            return Template(
                "application_form.html",
                context=await _form_context(
                    user, row, error="Budgeten kunde inte läsas.", notices=notices
                ),
                status_code=422,
            )
        content = msgspec.structs.replace(row["content"], budget=result.budget)
        notices.insert(0, "Budgeten är inläst men inte sparad. Granska och spara utkastet.")
        return Template(
            "application_form.html",
            context=await _form_context(user, row, content=content, notices=notices),
        )

    @post("/{application_id:int}/komplettering", opt=access(Who.OFFICE))
    async def request_completion(
        self, request: AnyRequest, application_id: FromPath[int], data: Form
    ) -> Redirect:
        try:
            await services.request_completion(
                _me(request),
                application_id,
                int(str(data.get("version", "0"))),
                str(data.get("message", "")),
            )
            flash(request, "Kompletteringen är begärd.", category="success")
        except DomainError as exc:
            flash(request, exc.message, category="error")
        return Redirect(f"/ansokningar/{application_id}")

    @post("/{application_id:int}/bilagor", opt=WRITERS)
    async def add_attachment(
        self,
        request: AnyRequest,
        application_id: FromPath[int],
        data: MultipartBody[dict[str, Any]],
    ) -> Redirect:
        upload = data.get("file")
        try:
            if not isinstance(upload, UploadFile):
                raise ValidationFailed([FieldProblem("file", "Välj en fil.")])
            saved = await services.add_attachment(
                _me(request),
                application_id,
                upload.filename or "bilaga",
                await _read_upload(upload),
            )
            flash(request, f"{saved['filename']} är bifogad.", category="success")
        except DomainError as exc:
            flash(request, exc.message, category="error")
        return Redirect(f"/ansokningar/{application_id}/redigera")

    @post("/bilagor/{attachment_id:int}/ta-bort", opt=WRITERS)
    async def remove_attachment(
        self, request: AnyRequest, attachment_id: FromPath[int]
    ) -> Redirect:
        application_id = await services.remove_attachment(_me(request), attachment_id)
        flash(request, "Bilagan är borttagen.", category="success")
        return Redirect(f"/ansokningar/{application_id}/redigera")


ROUTE_HANDLERS = [ApplicationApi, AttachmentApi, ApplicationPages]
