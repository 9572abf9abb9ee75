"""The requisition pages under /rekvisitioner: the list with the claim form, a claim, the
office's decision and the payment."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from applications.budget import CATEGORY_LABELS, CostCategory
from portfolio.accounts.access import SIGNED_IN, access
from portfolio.accounts.guards import signed_in
from portfolio.core.domain import FieldProblem, Principal
from portfolio.core.errors import DomainError, ValidationFailed
from portfolio.core.web import form_to_struct, problems_by_field
from portfolio.core.web import me as _me
from reports import queries, services
from reports.controllers.common import (
    OFFICE,
    READERS,
    WRITERS_ANY,
    AnyRequest,
    Form,
    _labels,
    _today,
)
from reports.controllers.outputs import _requisition_out
from reports.domain import RequisitionLine, blocking
from reports.forms import parse_amount
from reports.permissions import can_decide_requisition, can_record_payment, can_write_reports
from reports.schemas import PaymentIn, RequisitionCreate
from reports.services.money import insats_money


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


def _typed_total(data: dict[str, Any]) -> tuple[int, list[str]]:
    """The claim's total as far as it can be read, and the categories that cannot be read."""
    total, unreadable = 0, []
    for category in CostCategory:
        try:
            total += parse_amount(data.get(f"line-{category.value}", "")) or 0
        except ValueError:
            unreadable.append(CATEGORY_LABELS[category])
    return total, unreadable


async def _claim_check(user: Principal, data: dict[str, Any]) -> dict[str, Any]:
    """What the claim form shows beside the amounts as they are typed: the grant and what is
    left of it for the period's year, what this claim leaves, and the flags it would get."""
    initiatives = [
        i
        for i in await queries.reporting_initiatives(user)
        if can_write_reports(user, i["lead_owner"])
    ]
    if not initiatives:
        return {"check": None}
    chosen = str(data.get("initiative_id", ""))
    initiative = next((i for i in initiatives if str(i["id"]) == chosen), initiatives[0])
    money = await insats_money(user, initiative)
    total, unreadable = _typed_total(data)
    try:
        year: int | None = dt.date.fromisoformat(str(data.get("period_start", ""))).year
    except ValueError:
        year = None
    flags = []
    if total and not unreadable and year is not None:
        try:
            flags = await services.check_claim(
                user, _claim_from_form({**data, "initiative_id": str(initiative["id"])})
            )
        except DomainError:
            flags = []  # an unfinished claim (an end date before its start): said when sent
    return {
        "check": {
            "initiative": initiative,
            "money": money,
            "year": next((y for y in money.years if y.year == year), None),
            "year_number": year,
            "total": total,
            "unreadable": unreadable,
            "flags": flags,
        }
    }


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
                **await _claim_check(user, values or {}),
                **_labels(),
            },
            status_code=status_code,
        )

    @post("/kontroll", opt=WRITERS_ANY, status_code=200)
    async def check(self, request: AnyRequest, data: Form) -> Template:
        """The check beside the claim form, again as the owner types (htmx), before sending."""
        context = await _claim_check(_me(request), data)
        return Template("_claim_check.html", context={**context, **_labels()})

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
