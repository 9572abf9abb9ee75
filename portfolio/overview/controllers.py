"""Each role's start page (and its JSON twin) and the insats page."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from applications.domain import (
    APPLICATION_KIND_LABELS,
    APPLICATION_STATUS_LABELS,
)
from applications.services import applications_of_initiative
from portfolio.accounts.access import SIGNED_IN, Who, access
from portfolio.accounts.guards import office_only, signed_in
from portfolio.accounts.permissions import can_manage, can_read_portfolio
from portfolio.core import queries as core_queries
from portfolio.core.domain import (
    Role,
)
from portfolio.core.errors import DomainError
from portfolio.core.web import AnyRequest, Form, form_to_struct, me, problems_by_field
from portfolio.overview.dashboard import dashboard
from portfolio.register import queries
from portfolio.register import services as register_services
from portfolio.register.pages import _initiative_form_context
from portfolio.register.schemas import (
    InitiativeUpdate,
    audit_out,
    initiative_out,
)
from reports.services.money import insats_money


class DashboardApi(Controller):
    path = "/api/dashboard"
    tags = ["Start"]
    guards = [signed_in]
    opt = access(*SIGNED_IN)

    @get("/")
    async def show(self, request: AnyRequest) -> dict[str, Any]:
        """What the start page shows the signed-in person, by role."""
        return await dashboard(me(request))


class HomePages(Controller):
    include_in_schema = False
    guards = [signed_in]
    opt = access(*SIGNED_IN)

    @get("/")
    async def start(self, request: AnyRequest) -> Template | Redirect:
        user = me(request)
        if user.role is Role.OFFICE and await core_queries.association_row() is None:
            return Redirect("/installningar/start")  # a fresh install starts with the set-up
        context = await dashboard(user)
        context.update(KIND_LABELS=APPLICATION_KIND_LABELS, STATUS_LABELS=APPLICATION_STATUS_LABELS)
        context["counts"] = context.pop("initiative_counts")
        if user.role is Role.OFFICE:
            context["recent"] = [audit_out(row) for row in await queries.audit_rows(limit=10)]
        return Template(f"start_{user.role.value}.html", context=context)


class InitiativeOverviewPages(Controller):
    """The insats page: the insats with its conditions, applications and history, as each role may
    see them. It sits above the register because it gathers what the other areas hold."""

    path = "/insatser"
    include_in_schema = False
    guards = [signed_in]
    opt = access(*SIGNED_IN)

    @get("/{initiative_id:int}", opt=access(Who.OFFICE, Who.BOARD, Who.OWN))
    async def detail(self, request: AnyRequest, initiative_id: FromPath[int]) -> Template:
        user = me(request)
        initiative = await register_services.get_initiative(user, initiative_id)
        return Template(
            "initiative.html",
            context={
                "initiative": initiative,
                "financing": initiative_out(initiative),
                "conditions": await queries.condition_rows(initiative_id),
                "money": await insats_money(user, initiative),
                "applications": await applications_of_initiative(user, initiative_id),
                "KIND_LABELS": APPLICATION_KIND_LABELS,
                "STATUS_LABELS": APPLICATION_STATUS_LABELS,
                "can_manage": bool(can_manage(user)),
                "is_reader": bool(can_read_portfolio(user)),
                "organisations": await core_queries.organisation_rows() if user.is_office else [],
                "history": [
                    audit_out(r) for r in await queries.audit_rows("initiative", initiative_id, 50)
                ]
                if user.is_office
                else [],
            },
        )

    # The edit form (register/pages.py) posts to the insats page's own address: one path is
    # answered by one controller.
    @post("/{initiative_id:int}", guards=[office_only])
    async def update(
        self, request: AnyRequest, initiative_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        user = me(request)
        try:
            await register_services.update_initiative(
                user, initiative_id, form_to_struct(data, InitiativeUpdate)
            )
        except DomainError as exc:
            initiative = await register_services.get_initiative(user, initiative_id)
            context = await _initiative_form_context(initiative)
            context.update(values=data, errors=problems_by_field(exc), error=exc.message)
            return Template("initiative_form.html", context=context, status_code=exc.status_code)
        flash(request, "Insatsen är sparad.", category="success")
        return Redirect(f"/insatser/{initiative_id}")
