"""Each role's start page and its JSON twin."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get
from litestar.response import Template

from applications.domain import (
    APPLICATION_KIND_LABELS,
    APPLICATION_STATUS_LABELS,
)
from portfolio.accounts.access import SIGNED_IN, access
from portfolio.accounts.guards import signed_in
from portfolio.core.domain import (
    Role,
)
from portfolio.core.web import AnyRequest, me
from portfolio.overview.dashboard import dashboard
from portfolio.register import queries
from portfolio.register.schemas import (
    audit_out,
)


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
    async def start(self, request: AnyRequest) -> Template:
        user = me(request)
        context = await dashboard(user)
        context.update(KIND_LABELS=APPLICATION_KIND_LABELS, STATUS_LABELS=APPLICATION_STATUS_LABELS)
        context["counts"] = context.pop("initiative_counts")
        if user.role is Role.OFFICE:
            context["recent"] = [audit_out(row) for row in await queries.audit_rows(limit=10)]
        return Template(f"start_{user.role.value}.html", context=context)
