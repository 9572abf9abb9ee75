"""The Swedish HTML pages of applications under /ansokningar: the list, an application with its
versions and changes, the form to edit and send it in (every typed value survives an error), a
budget workbook read into the form unsaved, completion requests and attachments.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, MultipartBody, QueryParameter
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from applications import attachment_services, queries, services
from applications import received as received_services
from applications.budget import BLOCK_LABELS, CATEGORY_LABELS, BudgetBlock, CostCategory
from applications.controllers.shared import (
    READERS,
    WRITERS,
    AnyRequest,
    _import_budget,
    _read_upload,
    parse_received,
    report_counts,
)
from applications.domain import (
    AGREEMENT_TEXT,
    APPLICATION_KIND_LABELS,
    APPLICATION_STATUS_LABELS,
    GOAL_KIND_LABELS,
    SECTION_LABELS,
    ApplicationContent,
    ApplicationKind,
    ApplicationStatus,
    with_owner_names,
)
from applications.forms import (
    SPARE_ROWS,
    TEXT_FIELDS,
    field_label,
    parse_form,
    row_count,
    to_form,
)
from applications.permissions import (
    can_create_application,
    can_edit_application,
    can_register_received,
    can_review_application,
)
from applications.schemas import review_budget
from portfolio.accounts.access import SIGNED_IN, Who, access
from portfolio.accounts.guards import office_only, signed_in
from portfolio.core import queries as core_queries
from portfolio.core.domain import FieldProblem, Principal
from portfolio.core.errors import DomainError, NotFound, ValidationFailed
from portfolio.core.web import (
    Form,
    problems_by_field,
)
from portfolio.core.web import me as _me
from portfolio.register import queries as portfolio_queries


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
    organisations = await core_queries.organisation_rows()
    requirements = await services.requirements_for(row)
    names = {o["id"]: o["name"] for o in organisations}
    owner_names = [row.get("organisation_name") or ""] + [
        names.get(int(values[key]), "Delinsatsägare")
        for i in range(row_count(values, "co"))
        if str(values.get(key := f"co-{i}-org", "")).isdigit()
    ]
    return {
        "application": row,
        "content": content,
        "values": values,
        "errors": errors or {},
        # Each problem's field by name, for the summary at the top of the form.
        "error_labels": {
            field: label
            for field in errors or {}
            if (label := field_label(field, owner_names)) != field
            or (label := SECTION_LABELS.get(field, ""))
        },
        "error": error,
        "owner_names": owner_names,
        "notices": notices or [],
        "organisations": organisations,
        "members": [o for o in organisations if o["is_member"]],
        "names": names,
        "rows": {
            prefix: row_count(values, prefix)
            for prefix in ("goal", "co", "partner", "line", "year", "approval")
        },
        "owner_columns": 1
        + sum(1 for i in range(row_count(values, "co")) if values.get(f"co-{i}-org")),
        "budget": review_budget(
            with_owner_names(
                content, row["organisation"], {o["id"]: o["name"] for o in organisations}
            ).budget
        ),
        "problems": await services.submission_check({**row, "content": content}, requirements),
        "requirements": requirements,
        "agreement_text": AGREEMENT_TEXT,
        "attachments": await attachment_services.attachments_for(actor, row["id"]),
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
                "can_register_received": bool(can_register_received(user)),
                "organisations": await core_queries.organisation_rows()
                if can_register_received(user)
                else [],
                "initiatives": await portfolio_queries.initiative_rows(user)
                if can_register_received(user)
                else [],
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
        names = await core_queries.organisation_names()
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
                "attachments": await attachment_services.attachments_for(user, application_id),
                "can_edit": bool(can_edit_application(user, row["organisation"], status)),
                "can_review": bool(can_review_application(user, status)),
                "budget": review_budget(
                    with_owner_names(row["content"], row["organisation"], names).budget
                ),
                "names": names,
                "requirements": requirements,
                "answers": {a.requirement_id: a.answer for a in row["content"].requirement_answers},
                "readiness": await services.readiness(row, report_counts(request), requirements)
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
            # Save what can be read; the unreadable fields stay as typed, each named, to correct.
            unreadable = "1 fält" if len(problems) == 1 else f"{len(problems)} fält"
            try:
                version = int(str(data.get("version", "0")))
                row = await services.save_draft(user, application_id, version, content)
                error = (
                    f"Utkastet är sparat, utom {unreadable} som inte kunde läsas. Det du skrev "
                    "står kvar nedan: rätta och spara igen."
                )
            except (DomainError, ValueError) as exc:
                reason = exc.message if isinstance(exc, DomainError) else "Ladda om sidan."
                error = f"{unreadable.capitalize()} kunde inte läsas, och inget är sparat: {reason}"
            context = await _form_context(
                user,
                row,
                values={**data, "version": str(row["version"])},
                errors={p.field: p.message for p in problems},
                error=error,
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

    async def _row(
        self, request: AnyRequest, application_id: int, kind: str, data: Form
    ) -> Template:
        """One more blank goal or budget row (htmx), numbered after those on the page, so rows
        are added without a save and nothing typed is touched."""
        user = _me(request)
        row = await services.get_application(user, application_id)
        if not can_edit_application(user, row["organisation"], ApplicationStatus(row["status"])):
            raise NotFound("Ansökan finns inte.")
        context = await _form_context(user, row, values=data)
        index = row_count(data, kind) - SPARE_ROWS
        return Template("_application_row.html", context={**context, "kind": kind, "index": index})

    @post("/{application_id:int}/rad/mal", opt=WRITERS, status_code=200)
    async def add_goal_row(
        self, request: AnyRequest, application_id: FromPath[int], data: Form
    ) -> Template:
        return await self._row(request, application_id, "goal", data)

    @post("/{application_id:int}/rad/budget", opt=WRITERS, status_code=200)
    async def add_budget_row(
        self, request: AnyRequest, application_id: FromPath[int], data: Form
    ) -> Template:
        return await self._row(request, application_id, "line", data)

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

    @post("/inkommen", guards=[office_only], opt=access(Who.OFFICE))
    async def register_received(
        self, request: AnyRequest, data: MultipartBody[dict[str, Any]]
    ) -> Redirect:
        """An application that came by e-mail or on paper, with its original file."""
        try:
            received, upload = parse_received(data)
            row = await received_services.register_received(
                _me(request), received, upload.filename or "ansokan", await _read_upload(upload)
            )
        except DomainError as exc:
            flash(request, exc.message, category="error")
            return Redirect("/ansokningar")
        flash(request, "Den inkomna ansökan är registrerad.", category="success")
        return Redirect(f"/ansokningar/{row['id']}")

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
            saved = await attachment_services.add_attachment(
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
        application_id = await attachment_services.remove_attachment(_me(request), attachment_id)
        flash(request, "Bilagan är borttagen.", category="success")
        return Redirect(f"/ansokningar/{application_id}/redigera")
