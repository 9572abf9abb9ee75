"""Every route of the reports package: the API under /api/reports, /api/requisitions and
/api/followup, and the pages under /rapporter, /rekvisitioner and /uppfoljning."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_200_OK

from applications.budget import CATEGORY_LABELS, CostCategory
from portfolio.accounts.access import SIGNED_IN, Who, access
from portfolio.accounts.guards import office_only, owners_of, portfolio_readers, signed_in
from portfolio.accounts.permissions import can_manage
from portfolio.core.domain import FieldProblem, Principal, Role
from portfolio.core.errors import DomainError, ValidationFailed
from portfolio.core.tables import Meeting
from portfolio.core.web import download, form_to_struct, principal, problems_by_field
from portfolio.economy import national
from portfolio.economy.national import NationalFigures
from portfolio.register import queries as portfolio_queries
from reports import charts, followup, queries, services
from reports.documents import ReportDocument, render_report_pdf, summary_pdf
from reports.domain import (
    OUTCOME_LABELS,
    PROGRESSION_INDICATORS,
    PROGRESSION_SCALE,
    REPORT_KIND_LABELS,
    REPORT_STATUS_LABELS,
    REQUISITION_STATUS_LABELS,
    ReportContent,
    ReportKind,
    ReportStatus,
    RequisitionLine,
    RequisitionStatus,
    blocking,
    cost_progress,
    goal_progress,
    progression_round,
)
from reports.forms import parse_amount, parse_report_form, progression_rows, to_form
from reports.permissions import (
    can_decide_requisition,
    can_edit_report,
    can_record_payment,
    can_review_report,
    can_write_reports,
)
from reports.schedule import SLOT_STATE_LABELS, SlotState
from reports.schemas import (
    AgendaSummaryIn,
    FollowUpOut,
    PaymentIn,
    PortfolioFollowUpOut,
    ReportCreate,
    ReportDraftIn,
    ReportOut,
    ReportSummary,
    RequisitionCheckOut,
    RequisitionCreate,
    RequisitionDecisionIn,
    RequisitionOut,
    ReturnIn,
    SlotOut,
    VersionIn,
)
from reports.tables import Report, Requisition

AnyRequest = Request[Any, Any, Any]
Form = URLEncodedBody[dict[str, Any]]
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _me(request: AnyRequest) -> Principal:
    return principal(request)


def _today() -> dt.date:
    return dt.date.today()


async def _report_out(row: dict[str, Any]) -> ReportOut:
    facts, goals = await services.grant_facts(row["initiative"])
    earlier = await services.earlier_quarters(row)
    content: ReportContent = row["content"]
    return ReportOut(
        id=row["id"],
        initiative_id=row["initiative"],
        initiative_name=row["initiative_name"],
        organisation_id=row["organisation"],
        organisation_name=row["organisation_name"],
        kind=ReportKind(row["kind"]),
        label=row["label"],
        year=row["year"],
        quarter=row["quarter"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        due_on=row["due_on"],
        status=ReportStatus(row["status"]),
        content=content,
        frozen=row["status"] == ReportStatus.ACCEPTED,
        review_comment=row["review_comment"],
        version=row["version"],
        submitted_at=row["submitted_at"],
        problems=await services.report_check(row),
        notices=await services.report_notices(row),
        goals=goal_progress(goals, earlier, content),
        costs=cost_progress(facts.category_budget, earlier, content),
        progression=progression_round(row["label"], content.progression),
    )


def _summary(row: dict[str, Any]) -> ReportSummary:
    return ReportSummary(
        id=row["id"],
        initiative_id=row["initiative"],
        initiative_name=row["initiative_name"],
        organisation_name=row["organisation_name"],
        kind=ReportKind(row["kind"]),
        label=services.report_label(row),
        period_start=row["period_start"],
        period_end=row["period_end"],
        due_on=row["due_on"],
        status=ReportStatus(row["status"]),
        version=row["version"],
    )


async def _requisition_out(row: dict[str, Any]) -> RequisitionOut:
    flags = row["flags"]
    if row["status"] == RequisitionStatus.SUBMITTED:
        # Still open: shown as it checks now, since other claims may have been approved since.
        flags = await services.requisition_flags(
            row["initiative"], row["period_start"], row["period_end"], row["lines"], row["id"]
        )
    return RequisitionOut(
        id=row["id"],
        initiative_id=row["initiative"],
        initiative_name=row["initiative_name"],
        organisation_id=row["organisation"],
        organisation_name=row["organisation_name"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        year=row["year"],
        amount=row["amount"],
        lines=row["lines"],
        flags=flags,
        status=RequisitionStatus(row["status"]),
        note=row["note"],
        decision_reason=row["decision_reason"],
        paid_on=row["paid_on"],
        version=row["version"],
        created_at=row["created_at"],
    )


async def _report_pdf(actor: Principal, report_id: int) -> tuple[bytes, str]:
    row = await services.get_report(actor, report_id)
    out = await _report_out(row)
    association = await portfolio_queries.association_row()
    document = ReportDocument(
        association_name=association["name"] if association else "",
        initiative_name=out.initiative_name,
        organisation_name=out.organisation_name,
        kind=out.kind,
        label=out.label,
        status=out.status,
        period_start=out.period_start,
        period_end=out.period_end,
        due_on=out.due_on,
        submitted_on=out.submitted_at.date() if out.submitted_at else None,
        content=out.content,
        goals=out.goals,
        costs=out.costs,
        progression=out.progression,
        review_comment=out.review_comment,
    )
    return render_report_pdf(document), f"{out.initiative_name} {out.label}.pdf"


@owners_of("report_id")
async def _report_owners(report_id: int) -> set[int]:
    rows = await Report.select(Report.organisation).where(Report.id == report_id)
    return {r["organisation"] for r in rows}


@owners_of("requisition_id")
async def _requisition_owners(requisition_id: int) -> set[int]:
    rows = await Requisition.select(Requisition.organisation).where(
        Requisition.id == requisition_id
    )
    return {r["organisation"] for r in rows}


# Reading a report or requisition: the office, the board (handed in: the service checks), its
# organisation's owners. Writing: the lead owner's people, on their own things (the service
# checks the lead); creating names the insats in the body, so any owner, then the service.
READERS = access(Who.OFFICE, Who.BOARD, Who.OWN)
WRITERS = access(Who.OWN)
WRITERS_ANY = access(Who.OWNER)
OFFICE = access(Who.OFFICE)
PORTFOLIO = access(Who.OFFICE, Who.BOARD)


# == API ====================================================================================


class ReportApi(Controller):
    path = "/api/reports"
    tags = ["Rapporter"]
    guards = [signed_in]
    opt = READERS

    @get("/", opt=access(*SIGNED_IN))
    async def list_reports(
        self,
        request: AnyRequest,
        initiative_id: FromQuery[int | None] = None,
        status: FromQuery[ReportStatus | None] = None,
        kind: FromQuery[ReportKind | None] = None,
    ) -> list[ReportSummary]:
        rows = await queries.report_rows(_me(request), initiative_id, status, kind)
        return [_summary(r) for r in rows]

    @get("/schedule", opt=access(*SIGNED_IN))
    async def schedule(
        self,
        request: AnyRequest,
        initiative_id: FromQuery[int | None] = None,
        on: FromQuery[dt.date | None] = None,
    ) -> list[SlotOut]:
        """Every scheduled report of the insatser you may see, and where it stands today
        (or on the day `on`)."""
        return await services.schedule_slots(_me(request), on or _today(), initiative_id)

    @get("/late", opt=access(*SIGNED_IN))
    async def late(
        self, request: AnyRequest, on: FromQuery[dt.date | None] = None
    ) -> list[SlotOut]:
        """Reports past their due date and not handed in (an owner: their own), today or on `on`."""
        return await services.late_reports(_me(request), on or _today())

    @post("/", opt=WRITERS_ANY)
    async def create(self, request: AnyRequest, data: JSONBody[ReportCreate]) -> ReportOut:
        """Start a quarterly report, the final report or a deviation report as a draft."""
        return await _report_out(await services.create_report(_me(request), data))

    @get("/{report_id:int}")
    async def show(self, request: AnyRequest, report_id: FromPath[int]) -> ReportOut:
        return await _report_out(await services.get_report(_me(request), report_id))

    @put("/{report_id:int}/draft", opt=WRITERS)
    async def save_draft(
        self, request: AnyRequest, report_id: FromPath[int], data: JSONBody[ReportDraftIn]
    ) -> ReportOut:
        """Save the draft as it is, complete or not; only `version` must be current."""
        return await _report_out(
            await services.save_report_draft(_me(request), report_id, data.version, data.content)
        )

    @post("/{report_id:int}/submit", status_code=HTTP_200_OK, opt=WRITERS)
    async def submit(
        self, request: AnyRequest, report_id: FromPath[int], data: JSONBody[VersionIn]
    ) -> ReportOut:
        """Hand the report in; 422 lists every problem and the draft stays saved."""
        return await _report_out(
            await services.submit_report(_me(request), report_id, data.version)
        )

    @post("/{report_id:int}/return", status_code=HTTP_200_OK, opt=OFFICE)
    async def return_report(
        self, request: AnyRequest, report_id: FromPath[int], data: JSONBody[ReturnIn]
    ) -> ReportOut:
        return await _report_out(
            await services.return_report(_me(request), report_id, data.version, data.comment)
        )

    @post("/{report_id:int}/accept", status_code=HTTP_200_OK, opt=OFFICE)
    async def accept(
        self, request: AnyRequest, report_id: FromPath[int], data: JSONBody[VersionIn]
    ) -> ReportOut:
        """Accept the report; from then on it is frozen."""
        return await _report_out(
            await services.accept_report(_me(request), report_id, data.version)
        )

    @get("/{report_id:int}/pdf", media_type="application/pdf")
    async def pdf(self, request: AnyRequest, report_id: FromPath[int]) -> Response[bytes]:
        data, filename = await _report_pdf(_me(request), report_id)
        return download(data, filename, "application/pdf")

    @get("/summary/{meeting_id:int}/pdf", media_type="application/pdf", opt=PORTFOLIO)
    async def summary(self, request: AnyRequest, meeting_id: FromPath[int]) -> Response[bytes]:
        """The reports accepted since the body's previous meeting, for this meeting."""
        document = await followup.summary_document(_me(request), meeting_id)
        return download(summary_pdf(document), "Rapporter från insatserna.pdf", "application/pdf")

    @post("/summary", guards=[office_only], status_code=HTTP_200_OK)
    async def summary_to_agenda(
        self, request: AnyRequest, data: JSONBody[AgendaSummaryIn]
    ) -> dict[str, Any]:
        """Put "Rapporter från insatserna" on a meeting's agenda as an information case."""
        case = await followup.put_summary_on_agenda(_me(request), data.meeting_id)
        return {"case_id": case["id"], "case_number": case["case_number"]}


class RequisitionApi(Controller):
    path = "/api/requisitions"
    tags = ["Rekvisitioner"]
    guards = [signed_in]
    opt = READERS

    @get("/", opt=access(*SIGNED_IN))
    async def list_requisitions(
        self,
        request: AnyRequest,
        initiative_id: FromQuery[int | None] = None,
        status: FromQuery[RequisitionStatus | None] = None,
    ) -> list[RequisitionOut]:
        rows = await queries.requisition_rows(_me(request), initiative_id, status)
        return [
            await _requisition_out(
                {
                    **r,
                    "lines": services.decode_lines(r["lines"]),
                    "flags": services.decode_flags(r["flags"]),
                }
            )
            for r in rows
        ]

    @post("/check", status_code=HTTP_200_OK, opt=WRITERS_ANY)
    async def check(
        self, request: AnyRequest, data: JSONBody[RequisitionCreate]
    ) -> RequisitionCheckOut:
        """The flags a claim would carry, without sending it in."""
        flags = await services.check_claim(_me(request), data)
        return RequisitionCheckOut(amount=sum(line.amount for line in data.lines), flags=flags)

    @post("/", opt=WRITERS_ANY)
    async def create(
        self, request: AnyRequest, data: JSONBody[RequisitionCreate]
    ) -> RequisitionOut:
        """Send in a claim; every excess over the grant is flagged for the office."""
        return await _requisition_out(await services.create_requisition(_me(request), data))

    @get("/{requisition_id:int}")
    async def show(self, request: AnyRequest, requisition_id: FromPath[int]) -> RequisitionOut:
        return await _requisition_out(await services.get_requisition(_me(request), requisition_id))

    @post("/{requisition_id:int}/decision", status_code=HTTP_200_OK, opt=OFFICE)
    async def decide(
        self,
        request: AnyRequest,
        requisition_id: FromPath[int],
        data: JSONBody[RequisitionDecisionIn],
    ) -> RequisitionOut:
        """Approve (409 while a blocking flag stands) or reject with a reason."""
        return await _requisition_out(
            await services.decide_requisition(
                _me(request), requisition_id, data.version, data.approve, data.reason
            )
        )

    @post("/{requisition_id:int}/payment", status_code=HTTP_200_OK, opt=OFFICE)
    async def pay(
        self, request: AnyRequest, requisition_id: FromPath[int], data: JSONBody[PaymentIn]
    ) -> RequisitionOut:
        return await _requisition_out(
            await services.record_payment(_me(request), requisition_id, data.version, data.paid_on)
        )


class FollowUpApi(Controller):
    path = "/api/followup"
    tags = ["Uppföljning"]
    guards = [signed_in]
    opt = READERS

    @get("/", guards=[portfolio_readers])
    async def portfolio(self, request: AnyRequest) -> PortfolioFollowUpOut:
        """The portfolio's totals per year and per kommun."""
        return await followup.portfolio_followup(_me(request))

    @get("/export.csv", guards=[portfolio_readers], media_type=CSV)
    async def portfolio_export(self, request: AnyRequest) -> Response[bytes]:
        return download(await followup.portfolio_csv(_me(request)), "uppfoljning.csv", CSV)

    @get("/national", guards=[portfolio_readers])
    async def national(self, year: FromQuery[int]) -> NationalFigures:
        """The year's figures for Uppföljning Finsam: the association's and each insats's."""
        return await national.national_figures(year)

    @get("/national.xlsx", guards=[portfolio_readers], media_type=XLSX)
    async def national_xlsx(self, year: FromQuery[int]) -> Response[bytes]:
        figures = await national.national_figures(year)
        return download(national.national_xlsx(figures), f"Uppföljning Finsam {year}.xlsx", XLSX)

    @get("/national.csv", guards=[portfolio_readers], media_type=CSV)
    async def national_csv(self, year: FromQuery[int]) -> Response[bytes]:
        figures = await national.national_figures(year)
        return download(national.national_csv(figures), f"Uppföljning Finsam {year}.csv", CSV)

    @get("/{initiative_id:int}")
    async def initiative(self, request: AnyRequest, initiative_id: FromPath[int]) -> FollowUpOut:
        return await followup.initiative_followup(_me(request), initiative_id)

    @get("/{initiative_id:int}/export.csv", media_type=CSV)
    async def initiative_export(
        self, request: AnyRequest, initiative_id: FromPath[int]
    ) -> Response[bytes]:
        data = await followup.initiative_csv(_me(request), initiative_id)
        return download(data, f"uppfoljning-{initiative_id}.csv", CSV)


# == pages ==================================================================================


def _labels() -> dict[str, Any]:
    return {
        "REPORT_KIND_LABELS": REPORT_KIND_LABELS,
        "REPORT_STATUS_LABELS": REPORT_STATUS_LABELS,
        "REQUISITION_STATUS_LABELS": REQUISITION_STATUS_LABELS,
        "SLOT_STATE_LABELS": SLOT_STATE_LABELS,
        "CATEGORY_LABELS": CATEGORY_LABELS,
        "OUTCOME_LABELS": OUTCOME_LABELS,
        "PROGRESSION_INDICATORS": PROGRESSION_INDICATORS,
        "PROGRESSION_SCALE": PROGRESSION_SCALE,
        "ReportKind": ReportKind,
        "ReportStatus": ReportStatus,
        "RequisitionStatus": RequisitionStatus,
        "SlotState": SlotState,
        "CostCategory": CostCategory,
    }


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


def _claim_from_form(data: dict[str, Any]) -> RequisitionCreate:
    problems: list[FieldProblem] = []
    lines = []
    for category in CostCategory:
        try:
            amount = parse_amount(data.get(f"line-{category.value}", ""))
        except ValueError:
            problems.append(FieldProblem(f"lines.{category.value}", "Ange ett heltal."))
            continue
        if amount:
            lines.append(RequisitionLine(category=category, amount=amount))
    if problems:
        raise ValidationFailed(problems)
    fields = {k: data.get(k, "") for k in ("initiative_id", "period_start", "period_end", "note")}
    return form_to_struct({**fields, "lines": msgspec.to_builtins(lines)}, RequisitionCreate)


class RequisitionPages(Controller):
    path = "/rekvisitioner"
    include_in_schema = False
    guards = [signed_in]
    opt = READERS

    async def _list(
        self,
        user: Principal,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> Template:
        rows = await queries.requisition_rows(user)
        initiatives = await queries.reporting_initiatives(user)
        return Template(
            "requisitions.html",
            context={
                "requisitions": [{**r, "flags": services.decode_flags(r["flags"])} for r in rows],
                "own_initiatives": [
                    i for i in initiatives if can_write_reports(user, i["lead_owner"])
                ],
                "values": values or {},
                "errors": errors or {},
                "error": error,
                **_labels(),
            },
            status_code=status_code,
        )

    @get("/", opt=access(*SIGNED_IN))
    async def list_page(self, request: AnyRequest) -> Template:
        return await self._list(_me(request))

    @post("/", opt=WRITERS_ANY)
    async def create(self, request: AnyRequest, data: Form) -> Template | Redirect:
        user = _me(request)
        try:
            row = await services.create_requisition(user, _claim_from_form(data))
        except DomainError as exc:
            return await self._list(
                user, data, problems_by_field(exc), exc.message, exc.status_code
            )
        if row["flags"]:
            flash(
                request,
                "Rekvisitionen är inlämnad men flaggad: se kontrollerna nedan.",
                category="error",
            )
        else:
            flash(request, "Rekvisitionen är inlämnad.", category="success")
        return Redirect(f"/rekvisitioner/{row['id']}")

    @get("/{requisition_id:int}")
    async def detail(self, request: AnyRequest, requisition_id: FromPath[int]) -> Template:
        user = _me(request)
        out = await _requisition_out(await services.get_requisition(user, requisition_id))
        return Template(
            "requisition.html",
            context={
                "requisition": out,
                "blocking": blocking(out.flags),
                "can_decide": bool(can_decide_requisition(user, out.status)),
                "can_pay": bool(can_record_payment(user, out.status)),
                "today": _today(),
                **_labels(),
            },
        )

    @post("/{requisition_id:int}/beslut", opt=OFFICE)
    async def decide(
        self, request: AnyRequest, requisition_id: FromPath[int], data: Form
    ) -> Redirect:
        try:
            await services.decide_requisition(
                _me(request),
                requisition_id,
                int(str(data.get("version", "0"))),
                data.get("action") == "approve",
                str(data.get("reason", "")),
            )
            flash(request, "Beslutet är sparat.", category="success")
        except DomainError as exc:
            flash(request, exc.message, category="error")
        return Redirect(f"/rekvisitioner/{requisition_id}")

    @post("/{requisition_id:int}/betalning", opt=OFFICE)
    async def pay(self, request: AnyRequest, requisition_id: FromPath[int], data: Form) -> Redirect:
        try:
            payment = form_to_struct(data, PaymentIn)
            await services.record_payment(
                _me(request), requisition_id, payment.version, payment.paid_on
            )
            flash(request, "Utbetalningen är registrerad.", category="success")
        except DomainError as exc:
            flash(request, exc.message, category="error")
        return Redirect(f"/rekvisitioner/{requisition_id}")


class FollowUpPages(Controller):
    path = "/uppfoljning"
    include_in_schema = False
    guards = [signed_in]
    opt = READERS

    @get("/", opt=access(*SIGNED_IN))
    async def portfolio(self, request: AnyRequest) -> Template | Redirect:
        user = _me(request)
        if user.role is Role.OWNER:
            return Redirect("/rapporter")
        data = await followup.portfolio_followup(user)
        years = [str(y.year) for y in data.years]
        chart = charts.bar_chart(
            "portfolj",
            "Beviljat och utbetalt per år",
            "Stapeldiagram över beviljade och utbetalda belopp i kronor per år; "
            "samma siffror står i tabellen under.",
            years,
            [
                ("Beviljat", [y.granted for y in data.years]),
                ("Utbetalt", [y.paid for y in data.years]),
            ],
        )
        return Template(
            "followup_portfolio.html", context={"data": data, "chart": chart, **_labels()}
        )

    @get("/{initiative_id:int}")
    async def initiative(self, request: AnyRequest, initiative_id: FromPath[int]) -> Template:
        data = await followup.initiative_followup(_me(request), initiative_id)
        goals_chart = charts.progress_bars(
            "mal",
            "Mål: resultat hittills mot målvärde",
            "Liggande staplar per mål; siffrorna står i tabellen bredvid.",
            [(g.text, g.cumulative, g.target) for g in data.goals],
        )
        participants_chart = charts.bar_chart(
            "deltagare",
            "Deltagare per kvartal",
            "Stapeldiagram över nya och avslutade deltagare och deltagare vid kvartalets slut.",
            [p.label.replace("Kvartal ", "K") for p in data.participants],
            [
                ("Vid kvartalets slut", [p.at_end for p in data.participants]),
                ("Nya", [p.new for p in data.participants]),
                ("Avslutade", [p.ended for p in data.participants]),
            ],
        )
        spending_chart = charts.bar_chart(
            "ekonomi",
            "Beviljat och utbetalt per år",
            "Stapeldiagram över beviljat och utbetalt i kronor per år.",
            [str(s.year) for s in data.spending],
            [
                ("Beviljat", [s.granted for s in data.spending]),
                ("Utbetalt", [s.paid for s in data.spending]),
            ],
        )
        return Template(
            "followup_initiative.html",
            context={
                "data": data,
                "goals_chart": goals_chart,
                "participants_chart": participants_chart,
                "spending_chart": spending_chart,
                **_labels(),
            },
        )


ROUTE_HANDLERS = [
    ReportApi,
    RequisitionApi,
    FollowUpApi,
    ReportPages,
    RequisitionPages,
    FollowUpPages,
]
