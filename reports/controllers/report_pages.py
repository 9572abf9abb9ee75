"""The report pages under /rapporter: the list and schedule, the late reports, a report,
its form (save and hand in), the office's review, the PDF, and the summary to a meeting's agenda."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get, post
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from portfolio.accounts.access import SIGNED_IN, access
from portfolio.accounts.guards import office_only, signed_in
from portfolio.accounts.permissions import can_manage
from portfolio.core.domain import Principal
from portfolio.core.errors import DomainError
from portfolio.core.tables import Meeting
from portfolio.core.web import download, form_to_struct, problems_by_field
from portfolio.core.web import me as _me
from reports import followup, queries, services
from reports.controllers.common import (
    OFFICE,
    READERS,
    WRITERS,
    WRITERS_ANY,
    AnyRequest,
    Form,
    _labels,
    _today,
)
from reports.controllers.outputs import _report_out, _report_pdf
from reports.domain import ReportStatus
from reports.forms import parse_report_form, progression_rows, to_form
from reports.permissions import can_edit_report, can_review_report, can_write_reports
from reports.schedule import SlotState
from reports.schemas import ReportCreate


class ReportPages(Controller):
    path = "/rapporter"
    include_in_schema = False
    guards = [signed_in]
    opt = READERS

    @get("/", opt=access(*SIGNED_IN))
    async def list_page(self, request: AnyRequest) -> Template:
        user = _me(request)
        slots = await services.schedule_slots(user, _today())
        rows = await queries.report_rows(user)
        initiatives = await queries.reporting_initiatives(user)
        return Template(
            "reports.html",
            context={
                "slots": slots,
                "owed": [s for s in slots if s.state in (SlotState.DUE, SlotState.LATE)],
                "late": [s for s in slots if s.state is SlotState.LATE],
                "reports": [{**r, "label": services.report_label(r)} for r in rows],
                "waiting": [r for r in rows if r["status"] == ReportStatus.SUBMITTED],
                "own_initiatives": [
                    i for i in initiatives if can_write_reports(user, i["lead_owner"])
                ],
                "meetings": await Meeting.select()
                .where(Meeting.meeting_date >= _today())
                .order_by(Meeting.meeting_date)
                if can_manage(user)
                else [],
                **_labels(),
            },
        )

    @get("/forsenade", opt=access(*SIGNED_IN))
    async def late_page(self, request: AnyRequest) -> Template:
        return Template(
            "reports_late.html",
            context={"late": await services.late_reports(_me(request), _today()), **_labels()},
        )

    @post("/", opt=WRITERS_ANY)
    async def create(self, request: AnyRequest, data: Form) -> Redirect:
        try:
            created = await services.create_report(_me(request), form_to_struct(data, ReportCreate))
        except DomainError as exc:
            flash(request, exc.message, category="error")
            return Redirect("/rapporter")
        return Redirect(f"/rapporter/{created['id']}/redigera")

    @get("/{report_id:int}")
    async def detail(self, request: AnyRequest, report_id: FromPath[int]) -> Template:
        user = _me(request)
        row = await services.get_report(user, report_id)
        status = ReportStatus(row["status"])
        _, goals = await services.grant_facts(row["initiative"])
        return Template(
            "report.html",
            context={
                "report": await _report_out(row),
                "goal_texts": {g.index: g.text for g in goals},
                "can_edit": bool(can_edit_report(user, row["organisation"], status)),
                "can_review": bool(can_review_report(user, status)),
                **_labels(),
            },
        )

    async def _form(
        self,
        user: Principal,
        row: dict[str, Any],
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> Template:
        out = await _report_out(row)
        values = values if values is not None else to_form(row["content"])
        return Template(
            "report_form.html",
            context={
                "report": out,
                "values": values,
                "errors": errors or {},
                "error": error,
                "progression_rows": progression_rows(values),
                **_labels(),
            },
            status_code=status_code,
        )

    @get("/{report_id:int}/redigera", opt=WRITERS)
    async def edit(self, request: AnyRequest, report_id: FromPath[int]) -> Template:
        user = _me(request)
        row = await services.get_report(user, report_id)
        allowed = can_edit_report(user, row["organisation"], ReportStatus(row["status"]))
        if not allowed:
            return Template(
                "error.html", context={"status": 403, "message": allowed.reason}, status_code=403
            )
        return await self._form(user, row)

    @post("/{report_id:int}/redigera", opt=WRITERS)
    async def save(
        self, request: AnyRequest, report_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        """Save the draft; with action=submit, then hand it in. Typed values survive an error."""
        user = _me(request)
        row = await services.get_report(user, report_id)
        content = row["content"]
        content, problems = parse_report_form(
            data, [g.goal for g in content.goals], [c.category for c in content.costs]
        )
        if problems:
            return await self._form(
                user,
                row,
                values=data,
                errors={p.field: p.message for p in problems},
                error="Några fält kunde inte läsas. Inget är sparat ännu.",
                status_code=422,
            )
        try:
            saved = await services.save_report_draft(
                user, report_id, int(str(data.get("version", "0"))), content
            )
        except DomainError as exc:
            return await self._form(
                user,
                row,
                values=data,
                errors=problems_by_field(exc),
                error=exc.message,
                status_code=exc.status_code,
            )
        if data.get("action") != "submit":
            flash(request, "Utkastet är sparat.", category="success")
            return Redirect(f"/rapporter/{report_id}/redigera")
        try:
            await services.submit_report(user, report_id, saved["version"])
        except DomainError as exc:
            return await self._form(
                user,
                saved,
                errors=problems_by_field(exc),
                error="Utkastet är sparat men kan inte lämnas in än: " + exc.message,
                status_code=exc.status_code,
            )
        flash(request, "Rapporten är inlämnad till förbundets kansli.", category="success")
        return Redirect(f"/rapporter/{report_id}")

    @post("/{report_id:int}/granska", opt=OFFICE)
    async def review(self, request: AnyRequest, report_id: FromPath[int], data: Form) -> Redirect:
        user = _me(request)
        try:
            version = int(str(data.get("version", "0")))
            if data.get("action") == "accept":
                await services.accept_report(user, report_id, version)
                flash(request, "Rapporten är godkänd.", category="success")
            else:
                await services.return_report(user, report_id, version, str(data.get("comment", "")))
                flash(request, "Rapporten är skickad tillbaka.", category="success")
        except DomainError as exc:
            flash(request, exc.message, category="error")
        return Redirect(f"/rapporter/{report_id}")

    @get("/{report_id:int}/pdf")
    async def pdf(self, request: AnyRequest, report_id: FromPath[int]) -> Response[bytes]:
        data, filename = await _report_pdf(_me(request), report_id)
        return download(data, filename, "application/pdf")

    @post("/sammanstallning", guards=[office_only])
    async def summary_to_agenda(self, request: AnyRequest, data: Form) -> Redirect:
        try:
            meeting_id = int(str(data.get("meeting_id", "0")))
            case = await followup.put_summary_on_agenda(_me(request), meeting_id)
            flash(
                request,
                f"Ärende {case['case_number']} Rapporter från insatserna står på dagordningen.",
                category="success",
            )
            return Redirect(f"/moten/{meeting_id}")
        except (DomainError, ValueError) as exc:
            flash(
                request,
                exc.message if isinstance(exc, DomainError) else "Välj ett möte.",
                category="error",
            )
            return Redirect("/rapporter")
